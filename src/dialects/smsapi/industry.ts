// POST /smsapi/v1/sms/industry: one verification or notification text to one mobile, sent now.
import type { IRequest } from "itty-router";
import { idempotencyOf } from "../../core/idempotency";
import type { App, Kind } from "../../core/types";
import { authenticateSmsapiWith, tenantMismatch } from "./auth";
import { readInput } from "./input";
import { IndustryRequest } from "./schemas";
import { NOTHING, preloadSignatures, sendItems } from "./send";

/** The document's "行业短信" covers both: notification unless asked, or unless the key may only send codes. */
const industryKind = (app: App, asked: Kind | undefined): Kind =>
  asked ?? (!app.kinds.includes("notification") && app.kinds.includes("verification") ? "verification" : "notification");

export async function postIndustry(req: IRequest, env: Env): Promise<Response> {
  // The body first (its refusal answered only once the key passed), then the key and the
  // signatures the contents name in one D1 round trip.
  const input = await readInput(req, IndustryRequest);
  const { app, tenant, extra: pre } = await authenticateSmsapiWith(req, env, input.ok ? preloadSignatures([input.data.content]) : NOTHING);
  if (!input.ok) return input.response;
  const { mobile, content, tenantId, kind, outId } = input.data;
  const mismatch = tenantMismatch(tenant, tenantId);
  if (mismatch) return mismatch;
  return sendItems(env, { tenant, app, kind: industryKind(app, kind), sendAt: undefined, mode: "all", idempotency: idempotencyOf(req) }, [{ mobile, content, outId }], pre);
}
