// GET /v2/{project_id}/notifications/sms: what became of SMS sent through this project, by the ids
// the publish answered (request_id: the whole request; message_id: one or more messages), in
// SMN's list convention (offset/limit, a count and the items, the query's own request_id).
import type { IRequest } from "itty-router";
import { z } from "zod";
import { newId } from "../../core/ids";
import { isFinal, statesByIds, statesOfBatch, type MessageState } from "../../core/status";
import { json } from "../../http/respond";
import { authenticateSmn } from "./auth";
import { SMN_OWN, smnErrorResponse } from "./errors";

/** Most items one query answers (SMN's list APIs cap limit at 100). */
export const MAX_LIMIT = 100;

const Id = z.string().regex(/^\d{1,32}$/, "must be an id returned by the publish");
const Int = (min: number, max: number, dflt: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((v) => v ?? dflt);

export const SmsStatusQuery = z
  .object({
    request_id: Id.optional().describe("the publish answer's request_id: every message of that request"),
    message_id: z
      .string()
      .transform((s) => s.split(",").map((x) => x.trim()).filter((x) => x !== ""))
      .pipe(z.array(Id).min(1).max(MAX_LIMIT))
      .optional()
      .describe(`one or more message_id, comma-separated (at most ${MAX_LIMIT})`),
    offset: Int(0, 1_000_000, 0),
    limit: Int(1, MAX_LIMIT, MAX_LIMIT),
  })
  .refine((q) => q.request_id !== undefined || q.message_id !== undefined, { message: "request_id or message_id is required", path: ["request_id"] });

/** Huawei's status-report words (DELIVRD / UNDELIV as its SMS reports spell them); pending states by name. */
const STATUS: Record<MessageState["status"], string> = {
  scheduled: "SCHEDULED",
  queued: "ACCEPTD",
  submitted: "SUBMITTED",
  delivered: "DELIVRD",
  undelivered: "UNDELIV",
  unknown: "UNKNOWN", // no receipt by the end of the report window (code 9), as SMSC receipts spell it
  failed: "REJECTD",
  canceled: "CANCELED",
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"));

export const SmsStatusItem = z.object({
  message_id: z.string(),
  request_id: z.string().describe("the publish request this message belongs to"),
  endpoint: z.string().describe("E.164 with +"),
  status: z.string().describe("SCHEDULED, ACCEPTD, SUBMITTED (pending); DELIVRD, UNDELIV, REJECTD, CANCELED (final)"),
  final: z.boolean(),
  code: z.string().nullable().describe("delivery code once final: 10000 delivered; 1, 4–9 (docs/huawei.md)"),
  description: z.string().nullable(),
  extend: z.string().nullable().describe("the extend the publish carried"),
  sms_count: z.number().int(),
  submit_time: z.string().nullable(),
  report_time: z.string().nullable(),
});
export const SmsStatusResponse = z.object({ request_id: z.string(), sms_count: z.number().int(), sms: z.array(SmsStatusItem) });

const item = (s: MessageState): z.infer<typeof SmsStatusItem> => ({
  message_id: s.messageId,
  request_id: s.batchId,
  endpoint: s.mobile,
  status: STATUS[s.status],
  final: isFinal(s.status),
  code: s.code,
  description: s.codeMessage,
  extend: s.customerRef,
  sms_count: s.segments,
  submit_time: iso(s.submittedAt),
  report_time: iso(s.reportedAt),
});

export async function getSmsStatus(req: IRequest, env: Env): Promise<Response> {
  const auth = await authenticateSmn(req, env, req.params.project_id ?? "");
  if (!auth.ok) return auth.response;
  const parsed = SmsStatusQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return smnErrorResponse(SMN_OWN.badBody, `Parameter: ${issue.path.join(".") || "query"} is invalid: ${issue.message}.`);
  }
  const q = parsed.data;
  const { tenant } = auth;
  let states: MessageState[];
  let total: number;
  if (q.message_id) {
    // Messages named by id, narrowed to one request when both are given.
    const found = (await statesByIds(env, tenant.id, q.message_id)).filter((s) => q.request_id === undefined || s.batchId === q.request_id);
    total = found.length;
    states = found.slice(q.offset, q.offset + q.limit);
  } else {
    ({ states, total } = await statesOfBatch(env, tenant.id, q.request_id!, { limit: q.limit, offset: q.offset }));
  }
  return json({ request_id: newId(), sms_count: total, sms: states.map(item) });
}
