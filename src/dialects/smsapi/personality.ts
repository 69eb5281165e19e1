// POST /smsapi/v1/sms/personality: a different text per mobile, now or at sendTime.
import type { IRequest } from "itty-router";
import { authenticateSmsapi, tenantMismatch } from "./auth";
import { readInput } from "./input";
import { PersonalityRequest, resolveSendTime } from "./schemas";
import { sendItems } from "./send";

export async function postPersonality(req: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const { app, tenant } = await authenticateSmsapi(req, env);
  const input = await readInput(req, PersonalityRequest);
  if (!input.ok) return input.response;
  const { smses, sendTime, tenantId, marketing } = input.data;
  const mismatch = tenantMismatch(tenant, tenantId);
  if (mismatch) return mismatch;
  const sendAt = resolveSendTime(sendTime, env);
  return sendItems(env, { tenant, app, kind: marketing ? "marketing" : "notification", sendAt, mode: "each", defer: (p) => ctx.waitUntil(p) }, smses);
}
