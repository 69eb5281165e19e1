// GET/POST /sms/query: what became of a send, by its bizId (and optionally one number), as often
// as asked. Unlike /sms/deliver it hands nothing out: it reads the messages' current state, so it
// can be repeated and does not compete with the pull or with pushes. Another tenant's bizId is
// answered like an unknown one: an empty list.
import type { IRequest } from "itty-router";
import { z } from "zod";
import { normalizeMobile } from "../../core/phone";
import { statesOfBatch, type MessageState } from "../../core/status";
import { formatLocalDateTime } from "../../core/time";
import { json } from "../../http/respond";
import { readAuthed } from "./input";
import { phoneNumberOf, REPORT_MESSAGES } from "./items";

/** A bizId names at most 1000 numbers: one answer holds them all. */
const MAX_ITEMS = 1000;

export const QueryParams = z.object({
  token: z.string().max(200).describe("token from GET /api/token"),
  bizId: z.string().regex(/^\d{1,32}$/, "must be a bizId returned by /sms/send or /sms/sendTemplate").describe("the send's bizId"),
  phoneNumber: z.string().max(32).optional().describe("only this number's message (mobile is accepted as an alias)"),
  mobile: z.string().max(32).optional(),
});

/** Where the message stands: sending until the carrier's report, then delivered/undelivered. */
const STATUS: Record<MessageState["status"], string> = {
  scheduled: "scheduled",
  queued: "sending",
  submitted: "sending",
  delivered: "delivered",
  undelivered: "undelivered",
  unknown: "unknown", // final without a receipt (code 9, 未知)
  failed: "failed",
  canceled: "canceled",
};

export const QueryItem = z.object({
  bizId: z.string(),
  phoneNumber: z.string(),
  status: z.enum(["scheduled", "sending", "delivered", "undelivered", "unknown", "failed", "canceled"]),
  success: z.boolean().nullable().describe("null until final"),
  code: z.string().nullable().describe("the report code once final: 10000 delivered, 1, 4–9 (as /sms/deliver)"),
  message: z.string().nullable().describe("the code's label, as /sms/deliver gives it"),
  sendTime: z.string().describe("YYYY-MM-DD HH:mm:ss, tenant timezone: when it was (or is to be) sent"),
  reportTime: z.string().nullable(),
  smsSize: z.string(),
  outId: z.string().nullable(),
});
export const QueryResponse = z.object({ code: z.literal("10000"), message: z.string(), bizId: z.string(), data: z.array(QueryItem) });

export async function getQuery(req: IRequest, env: Env): Promise<Response> {
  const input = await readAuthed(req, env, QueryParams);
  if (!input.ok) return input.response;
  const { data, tenant } = input;
  const raw = data.phoneNumber ?? data.mobile;
  // The number in any spelling /sms/send accepts; an invalid one is refused as there (30001).
  const mobile = raw === undefined || raw.trim() === "" ? null : normalizeMobile(raw);
  const { states } = await statesOfBatch(env, tenant.id, data.bizId, { mobile, limit: MAX_ITEMS });
  const tz = tenant.timezone;
  return json({
    code: "10000",
    message: "操作成功",
    bizId: data.bizId,
    data: states.map((s) => ({
      bizId: s.batchId,
      phoneNumber: phoneNumberOf(s.mobile),
      status: STATUS[s.status],
      success: s.code === null ? null : s.code === "10000",
      code: s.code,
      message: s.code === null ? null : (REPORT_MESSAGES[s.code] ?? s.codeMessage ?? ""),
      sendTime: formatLocalDateTime(s.submittedAt ?? s.sendAt, tz),
      reportTime: s.reportedAt === null ? null : formatLocalDateTime(s.reportedAt, tz),
      smsSize: String(s.segments),
      outId: s.customerRef,
    })),
  });
}
