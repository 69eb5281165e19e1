// POST /v1/schedule and /v1/schedule/batch: JPush's scheduled template SMS. A schedule is one
// stored batch (its id is the schedule_id) sent at send_time, a wall-clock time in the tenant's
// timezone; it may be changed (schedule-change.ts) or deleted (schedule-view.ts) until the cron
// releases it, after that 50029. Unknown ids, other tenants' or apps', and unscheduled batches are 50028.
import { attemptOf, sending } from "../../http/router";
import { idempotencyOf } from "../../core/idempotency";
import { getSchedule, type Schedule } from "../../core/schedule";
import { parseLocalDateTime } from "../../core/time";
import type { App, Tenant } from "../../core/types";
import { json } from "../../http/respond";
import { jpushAuth } from "./auth";
import { acceptRecipients, BATCH_REQUIRED } from "./batch";
import { codes, jpushRoute, refuse, SEND_403, TEMPLATE_403, type JpushErrorName } from "./errors";
import { parseInput, readJsonObject } from "./input";
import { acceptMessage } from "./messages";
import { ScheduleBatchRequest, ScheduleBatchRequestDoc, ScheduleBatchResponse, ScheduleIdResponse, ScheduleRequest } from "./schemas";

const SINGLE_REQUIRED: Array<[string, JpushErrorName]> = [
  ["mobile", "missingMobile"],
  ["temp_id", "missingTempId"],
  ["send_time", "invalidSendTime"],
];

type Who = { app: App; tenant: Tenant };

/**
 * send_time → a schedule's accept options: a real local time, else 50027. The accept pipeline
 * refuses one not in the future (JPush's rule, asked for here) or beyond the horizon, both 50027 too.
 */
export function scheduleAt(tenant: Tenant, text: string): { sendAt: number; pastSendTime: "refuse" } {
  const at = parseLocalDateTime(text, tenant.timezone);
  if (at === null) throw refuse("invalidSendTime", `send_time ${text.trim()} is not a valid time in ${tenant.timezone}`);
  return { sendAt: at, pastSendTime: "refuse" };
}

/** The schedule if it is this app's, else 50028. */
export async function ownSchedule(env: Env, who: Who, id: string): Promise<Schedule> {
  const s = await getSchedule(env, { tenantId: who.tenant.id, appId: who.app.id }, id);
  if (!s) throw refuse("invalidScheduleId", `schedule ${id} does not exist`);
  return s;
}

export const readSingle = async (req: Request) => parseInput(ScheduleRequest, await readJsonObject(req), SINGLE_REQUIRED);

export const readBatch = async (req: Request) =>
  parseInput(ScheduleBatchRequest, await readJsonObject(req), [...BATCH_REQUIRED, ["send_time", "invalidSendTime"]]);

export function batchAnswer(scheduleId: string | null, r: { recipients: unknown[]; failures: unknown[] }): Response {
  return json({
    schedule_id: scheduleId,
    success_count: r.recipients.length - r.failures.length,
    failure_count: r.failures.length,
    recipients: r.recipients,
    failure_recipients: r.failures,
  });
}

export const SINGLE_ERRORS = {
  "400": codes("missingAuth", "missingBody", "missingMobile", "missingTempId"),
  "403": codes(...SEND_403, ...TEMPLATE_403, "unsubscribed", "invalidSendTime"),
};
export const BATCH_ERRORS = {
  "400": codes("missingAuth", "missingBody", "missingTempId"),
  "403": codes("invalidBody", "noSmsAuth", "noMoney", "recipientsEmpty", "tooManyRecipients", "invalidSendTime", ...TEMPLATE_403),
};

/** The body, answer and refusals of the single-recipient schedule routes (create, change). */
export const SINGLE_DOC = { body: ScheduleRequest, contentTypes: ["application/json", "text/plain"], response: ScheduleIdResponse, errors: SINGLE_ERRORS };
/** The same for the batch schedule routes. */
export const BATCH_DOC = { body: ScheduleBatchRequestDoc, contentTypes: ["application/json", "text/plain"], response: ScheduleBatchResponse, errors: BATCH_ERRORS };

export const scheduleRoute = sending(jpushRoute(
  {
    method: "post",
    path: "/v1/schedule",
    summary: "Schedule one template SMS at send_time (the tenant's local time)",
    description: "Billed at acceptance; the cron sends it when due. Any refusal refuses the request, as /v1/messages.",
    ...SINGLE_DOC,
  },
  async (req, env) => {
    const who = await jpushAuth(req, env);
    const input = await readSingle(req);
    const res = await acceptMessage(env, who, input, { ...scheduleAt(who.tenant, input.send_time), idempotency: idempotencyOf(req), attempt: attemptOf(req) });
    return json({ schedule_id: res.batchId });
  },
));

export const scheduleBatchRoute = sending(jpushRoute(
  {
    method: "post",
    path: "/v1/schedule/batch",
    summary: "Schedule one template to 1–1000 recipients at send_time",
    description: "Refused recipients are listed (as /v1/messages/batch) and cost nothing; the others are billed and stored in one atomic batch.",
    ...BATCH_DOC,
  },
  async (req, env) => {
    const who = await jpushAuth(req, env);
    const input = await readBatch(req);
    const r = await acceptRecipients(env, who, input, { ...scheduleAt(who.tenant, input.send_time), idempotency: idempotencyOf(req), attempt: attemptOf(req) });
    return batchAnswer(r.res.batchId, r);
  },
));
