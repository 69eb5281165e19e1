// GET/POST /sms/query: what became of a send, by its bizId (and optionally one number), as often
// as asked. Unlike /sms/deliver it hands nothing out: it reads the messages' current state, so it
// can be repeated and does not compete with the pull or with pushes. Another tenant's bizId is
// answered like an unknown one: an empty list.
import { normalizeMobile } from "../../core/phone";
import { statesOfBatch, type MessageState } from "../../core/status";
import { formatLocalDateTime } from "../../core/time";
import { json } from "../../http/respond";
import { authenticateToken } from "./auth";
import { readInput } from "./input";
import { phoneNumberOf, REPORT_MESSAGES } from "./items";
import { paaswRoutes, QueryParams, QueryResponse, type QueryItem } from "./schemas";

/** A bizId names at most 1000 numbers: one answer holds them all. */
const MAX_ITEMS = 1000;

/** Where the message stands: sending until the carrier's report, then delivered/undelivered. */
const STATUS: Record<MessageState["status"], QueryItem["status"]> = {
  scheduled: "scheduled",
  queued: "sending",
  submitted: "sending",
  delivered: "delivered",
  undelivered: "undelivered",
  unknown: "unknown", // final without a receipt (code 9, 未知)
  failed: "failed",
  canceled: "canceled",
};

async function query(req: Request, env: Env): Promise<Response> {
  const data = await readInput(req, QueryParams);
  const { tenant } = await authenticateToken(req, env, data.token);
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

export const queryRoutes = paaswRoutes(
  {
    path: "/sms/query",
    summary: "Status of a send by bizId (optionally one phoneNumber), repeatable",
    description: "Reads the current state (nothing is handed out, unlike /sms/deliver); another tenant's bizId gives an empty list.",
    params: QueryParams,
    response: QueryResponse,
  },
  query,
);
