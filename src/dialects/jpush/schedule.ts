// /v1/schedule: JPush's scheduled template SMS. A schedule is one stored batch (its id is the
// schedule_id) sent at send_time, a wall-clock time in the tenant's timezone. It may be changed
// (atomically: old messages refunded, new ones billed, same id) or deleted until the cron releases
// it; after that 50029. Unknown ids, other tenants' or apps', and unscheduled batches are 50028.
import type { IRequest } from "itty-router";
import { z } from "zod";
import { isChinaMobile, nationalNumber } from "../../core/phone";
import { deleteSchedule, getSchedule, replacing, type Schedule } from "../../core/schedule";
import { formatLocalDateTime, parseLocalDateTime } from "../../core/time";
import type { App, Tenant } from "../../core/types";
import { json } from "../../http/respond";
import { jpushAuth } from "./auth";
import { BATCH_REQUIRED, acceptRecipients } from "./batch";
import { refuse, type JpushErrorName } from "./errors";
import { parseInput, readJsonObject } from "./input";
import { acceptMessage } from "./messages";
import { idempotencyOf } from "../../core/idempotency";
import { BatchRecipient, BatchRequest, BatchResponse, MAX_RECIPIENTS, MessagesRequest } from "./schemas";

const LOCAL_TIME = /^\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s*$/;

const SendTime = z
  .string()
  .refine((v) => LOCAL_TIME.test(v), { message: "send_time must be YYYY-MM-DD HH:mm:ss", params: { jpush: "invalidSendTime" } })
  .describe("YYYY-MM-DD HH:mm:ss in the tenant's timezone; in the future, within SCHEDULE_HORIZON_DAYS");

export const ScheduleRequest = MessagesRequest.extend({ send_time: SendTime });
/** Recipients are judged one by one (BatchRecipient), as in /v1/messages/batch. */
export const ScheduleBatchRequest = BatchRequest.extend({ send_time: SendTime });
export const ScheduleBatchRequestDoc = ScheduleBatchRequest.extend({ recipients: z.array(BatchRecipient).min(1).max(MAX_RECIPIENTS) });

export const ScheduleIdResponse = z.object({ schedule_id: z.string().meta({ description: "decimal digits, always a JSON string" }) });
export const ScheduleBatchResponse = BatchResponse.extend({
  schedule_id: z.string().nullable().meta({ description: "null when no recipient was accepted (nothing was scheduled)" }),
});
export const ScheduleView = z.object({
  schedule_id: z.string(),
  send_time: z.string().describe("YYYY-MM-DD HH:mm:ss in the tenant's timezone"),
  temp_id: z.number().int(),
  recipients: z.array(z.object({ msg_id: z.string(), mobile: z.string(), temp_para: z.record(z.string(), z.string()) })),
});

const SINGLE_REQUIRED: Array<[string, JpushErrorName]> = [
  ["mobile", "missingMobile"],
  ["temp_id", "missingTempId"],
  ["send_time", "invalidSendTime"],
];

type Who = { app: App; tenant: Tenant };

/** send_time → epoch ms: a real local time, after now; else 50027 (the accept pipeline refuses one beyond the horizon, also 50027). */
function sendAtOf(tenant: Tenant, text: string, now: number): number {
  const at = parseLocalDateTime(text, tenant.timezone);
  if (at === null) throw refuse("invalidSendTime", `send_time ${text.trim()} is not a valid time in ${tenant.timezone}`);
  if (at <= now) throw refuse("invalidSendTime", `send_time ${text.trim()} (${tenant.timezone}) is not in the future`);
  return at;
}

const scheduleIdOf = (req: IRequest): string => {
  const id = String(req.params.schedule_id ?? "");
  if (!/^\d{1,20}$/.test(id)) throw refuse("invalidScheduleId", `${id.slice(0, 40)} is not a schedule id`);
  return id;
};

async function ownSchedule(env: Env, who: Who, id: string): Promise<Schedule> {
  const s = await getSchedule(env, { tenantId: who.tenant.id, appId: who.app.id }, id);
  if (!s) throw refuse("invalidScheduleId", `schedule ${id} does not exist`);
  return s;
}

async function readSingle(req: IRequest) {
  return parseInput(ScheduleRequest, await readJsonObject(req), SINGLE_REQUIRED);
}

async function readBatch(req: IRequest) {
  return parseInput(ScheduleBatchRequest, await readJsonObject(req), [...BATCH_REQUIRED, ["send_time", "invalidSendTime"]]);
}

function batchAnswer(scheduleId: string | null, r: { recipients: unknown[]; failures: unknown[] }): Response {
  return json({
    schedule_id: scheduleId,
    success_count: r.recipients.length - r.failures.length,
    failure_count: r.failures.length,
    recipients: r.recipients,
    failure_recipients: r.failures,
  });
}

export async function postSchedule(req: IRequest, env: Env): Promise<Response> {
  const who = await jpushAuth(req, env);
  const input = await readSingle(req);
  const now = Date.now();
  const res = await acceptMessage(env, who, input, { sendAt: sendAtOf(who.tenant, input.send_time, now), now, idempotency: idempotencyOf(req) });
  return json({ schedule_id: res.batchId });
}

export async function postScheduleBatch(req: IRequest, env: Env): Promise<Response> {
  const who = await jpushAuth(req, env);
  const input = await readBatch(req);
  const now = Date.now();
  const r = await acceptRecipients(env, who, input, { sendAt: sendAtOf(who.tenant, input.send_time, now), now, idempotency: idempotencyOf(req) });
  return batchAnswer(r.res.batchId, r);
}

export async function putSchedule(req: IRequest, env: Env): Promise<Response> {
  const who = await jpushAuth(req, env);
  const id = scheduleIdOf(req);
  const input = await readSingle(req);
  const replace = replacing(await ownSchedule(env, who, id));
  const now = Date.now();
  await acceptMessage(env, who, input, { sendAt: sendAtOf(who.tenant, input.send_time, now), now, idempotency: idempotencyOf(req), replace });
  return json({ schedule_id: id });
}

/** With no recipient accepted nothing changes: the schedule keeps its old recipients. */
export async function putScheduleBatch(req: IRequest, env: Env): Promise<Response> {
  const who = await jpushAuth(req, env);
  const id = scheduleIdOf(req);
  const input = await readBatch(req);
  const replace = replacing(await ownSchedule(env, who, id));
  const now = Date.now();
  const r = await acceptRecipients(env, who, input, { sendAt: sendAtOf(who.tenant, input.send_time, now), now, idempotency: idempotencyOf(req), replace });
  return batchAnswer(id, r);
}

export async function getScheduleView(req: IRequest, env: Env): Promise<Response> {
  const who = await jpushAuth(req, env);
  const id = scheduleIdOf(req);
  const s = await ownSchedule(env, who, id);
  if (s.deleted) throw refuse("invalidScheduleId", `schedule ${id} was deleted`);
  return json({
    schedule_id: s.id,
    send_time: formatLocalDateTime(s.sendAt, who.tenant.timezone),
    temp_id: s.templateId,
    // Mainland numbers in the 11-digit form JPush clients send them in.
    recipients: s.messages.map((m) => ({ msg_id: m.id, mobile: isChinaMobile(m.mobile) ? nationalNumber(m.mobile) : m.mobile, temp_para: m.params ?? {} })),
  });
}

export async function deleteScheduleView(req: IRequest, env: Env): Promise<Response> {
  const who = await jpushAuth(req, env);
  const id = scheduleIdOf(req);
  await deleteSchedule(env, who.tenant.id, await ownSchedule(env, who, id));
  // As the template DELETE: 200, JSON content type, empty body (what the SDKs expect).
  return new Response(null, { status: 200, headers: { "content-type": "application/json" } });
}
