// POST /smsapi/v1/sms/batch: one text to a comma-separated list of mobiles, now or at sendTime.
import { attemptOf, sending } from "../../http/router";
import { idempotencyOf } from "../../core/idempotency";
import { CoreError } from "../../core/errors";
import { authenticateWithBody, checkTenant } from "./auth";
import { SEND_ERRORS, smsapiRoute } from "./errors";
import { readInput } from "./input";
import { BatchRequest, MAX_RECIPIENTS, resolveSendTime, SendResponse, splitList } from "./schemas";
import { contentSignatures, sendItems } from "./send";

export const batchRoute = sending(smsapiRoute(
  {
    method: "post",
    path: "/smsapi/v1/sms/batch",
    summary: "One text to a comma-separated list of mobiles (up to 1000), now or scheduled",
    body: BatchRequest,
    contentTypes: ["application/json", "application/x-www-form-urlencoded"],
    response: SendResponse,
    errors: SEND_ERRORS,
  },
  async (req, env) => {
    // The key and the signatures the content names in one D1 round trip.
    const { app, tenant, body, extra } = await authenticateWithBody(req, env, readInput(req, BatchRequest), (b) => contentSignatures([b.content]));
    const { content, sendTime, tenantId, marketing, outId } = body;
    checkTenant(tenant, tenantId);
    const mobiles = splitList(body.mobiles);
    if (mobiles.length === 0) throw new CoreError("no_recipients", "mobiles is empty");
    if (mobiles.length > MAX_RECIPIENTS) throw new CoreError("too_many_recipients", `mobiles holds ${mobiles.length} numbers; at most ${MAX_RECIPIENTS} are allowed`);
    const sendAt = resolveSendTime(sendTime);
    const items = mobiles.map((mobile) => ({ mobile, content, outId }));
    const ctx = { tenant, app, kind: marketing ? ("marketing" as const) : ("notification" as const), sendAt, mode: "each" as const, idempotency: idempotencyOf(req), attempt: attemptOf(req) };
    return sendItems(env, ctx, items, extra);
  },
));
