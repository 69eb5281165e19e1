// POST /smsapi/v1/sms/personality: a different text per mobile, now or at sendTime.
import type { IRequest } from "itty-router";
import { idempotencyOf } from "../../core/idempotency";
import { authenticateSmsapiWith, tenantMismatch } from "./auth";
import { readInput } from "./input";
import { PersonalityRequest, resolveSendTime } from "./schemas";
import { NOTHING, preloadSignatures, sendItems } from "./send";

export async function postPersonality(req: IRequest, env: Env): Promise<Response> {
  // The body first (its refusal answered only once the key passed), then the key and the
  // signatures the contents name in one D1 round trip.
  const input = await readInput(req, PersonalityRequest);
  const { app, tenant, extra: pre } = await authenticateSmsapiWith(req, env, input.ok ? preloadSignatures(input.data.smses.map((s) => s.content)) : NOTHING);
  if (!input.ok) return input.response;
  const { sendTime, tenantId, marketing } = input.data;
  const smses = input.data.smses.map((s) => ({ ...s, outId: s.outId ?? input.data.outId }));
  const mismatch = tenantMismatch(tenant, tenantId);
  if (mismatch) return mismatch;
  const sendAt = resolveSendTime(sendTime);
  return sendItems(env, { tenant, app, kind: marketing ? "marketing" : "notification", sendAt, mode: "each", idempotency: idempotencyOf(req) }, smses, pre);
}
