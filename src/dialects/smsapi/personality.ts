// POST /smsapi/v1/sms/personality: a different text per mobile, now or at sendTime.
import { attemptOf, sending } from "../../http/router";
import { idempotencyOf } from "../../core/idempotency";
import { authenticateWithBody, checkTenant } from "./auth";
import { SEND_ERRORS, smsapiRoute } from "./errors";
import { readInput } from "./input";
import { PersonalityRequest, resolveSendTime, SendResponse } from "./schemas";
import { contentSignatures, sendItems } from "./send";

export const personalityRoute = sending(smsapiRoute(
  {
    method: "post",
    path: "/smsapi/v1/sms/personality",
    summary: "A different text per mobile (up to 1000), now or scheduled",
    description: "Refused items are listed with their code and cost nothing; the others are accepted and billed together.",
    body: PersonalityRequest,
    response: SendResponse,
    errors: SEND_ERRORS,
  },
  async (req, env) => {
    // The key and the signatures the contents name in one D1 round trip.
    const plan = (b: { smses: Array<{ content: string }> }) => contentSignatures(b.smses.map((s) => s.content));
    const { app, tenant, body, extra } = await authenticateWithBody(req, env, readInput(req, PersonalityRequest), plan);
    const { sendTime, tenantId, marketing } = body;
    const smses = body.smses.map((s) => ({ ...s, outId: s.outId ?? body.outId }));
    checkTenant(tenant, tenantId);
    const sendAt = resolveSendTime(sendTime);
    const ctx = { tenant, app, kind: marketing ? ("marketing" as const) : ("notification" as const), sendAt, mode: "each" as const, idempotency: idempotencyOf(req), attempt: attemptOf(req) };
    return sendItems(env, ctx, smses, extra);
  },
));
