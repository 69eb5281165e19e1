// POST /smsapi/v1/sms/industry: one verification or notification text to one mobile, sent now.
import { attemptOf, sending } from "../../http/router";
import { idempotencyOf } from "../../core/idempotency";
import type { App, Kind } from "../../core/types";
import { authenticateWithBody, checkTenant } from "./auth";
import { SEND_ERRORS, smsapiRoute } from "./errors";
import { readInput } from "./input";
import { IndustryRequest, SendResponse } from "./schemas";
import { contentSignatures, sendItems } from "./send";

/** The document's "行业短信" covers both: notification unless asked, or unless the key may only send codes. */
const industryKind = (app: App, asked: Kind | undefined): Kind =>
  asked ?? (!app.kinds.includes("notification") && app.kinds.includes("verification") ? "verification" : "notification");

export const industryRoute = sending(smsapiRoute(
  {
    method: "post",
    path: "/smsapi/v1/sms/industry",
    summary: "Verification / notification SMS to one mobile",
    description: "The content must carry an approved 【signature】 of the tenant, or the API key's default signature is prefixed.",
    body: IndustryRequest,
    contentTypes: ["application/json", "application/x-www-form-urlencoded"],
    response: SendResponse,
    errors: SEND_ERRORS,
  },
  async (req, env) => {
    // The key and the signatures the content names in one D1 round trip.
    const { app, tenant, body, extra } = await authenticateWithBody(req, env, readInput(req, IndustryRequest), (b) => contentSignatures([b.content]));
    const { mobile, content, tenantId, kind, outId } = body;
    checkTenant(tenant, tenantId);
    const ctx = { tenant, app, kind: industryKind(app, kind), sendAt: undefined, mode: "all" as const, idempotency: idempotencyOf(req), attempt: attemptOf(req) };
    return sendItems(env, ctx, [{ mobile, content, outId }], extra);
  },
));
