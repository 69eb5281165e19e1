// POST /smsapi/v1/sms/batch: one text to a comma-separated list of mobiles, now or at sendTime.
import type { IRequest } from "itty-router";
import { idempotencyOf } from "../../core/idempotency";
import { CoreError } from "../../core/errors";
import { authenticateSmsapiWith, tenantMismatch } from "./auth";
import { readInput } from "./input";
import { BatchRequest, MAX_RECIPIENTS, resolveSendTime, splitList } from "./schemas";
import { NOTHING, preloadSignatures, sendItems } from "./send";

export async function postBatch(req: IRequest, env: Env): Promise<Response> {
  // The body first (its refusal answered only once the key passed), then the key and the
  // signatures the contents name in one D1 round trip.
  const input = await readInput(req, BatchRequest);
  const { app, tenant, extra: pre } = await authenticateSmsapiWith(req, env, input.ok ? preloadSignatures([input.data.content]) : NOTHING);
  if (!input.ok) return input.response;
  const { content, sendTime, tenantId, marketing } = input.data;
  const mismatch = tenantMismatch(tenant, tenantId);
  if (mismatch) return mismatch;
  const mobiles = splitList(input.data.mobiles);
  if (mobiles.length === 0) throw new CoreError("no_recipients", "mobiles is empty");
  if (mobiles.length > MAX_RECIPIENTS) throw new CoreError("too_many_recipients", `mobiles holds ${mobiles.length} numbers; at most ${MAX_RECIPIENTS} are allowed`);
  const sendAt = resolveSendTime(sendTime);
  const items = mobiles.map((mobile) => ({ mobile, content, outId: input.data.outId }));
  return sendItems(env, { tenant, app, kind: marketing ? "marketing" : "notification", sendAt, mode: "each", idempotency: idempotencyOf(req) }, items, pre);
}
