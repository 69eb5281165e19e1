// GET /v2/{project_id}/notifications/sms: what became of SMS sent through this project, by the ids
// the publish answered (request_id: the whole request; message_id: one or more messages), in
// SMN's list convention (offset/limit, a count and the items, the query's own request_id).
import type { IRequest } from "itty-router";
import type { z } from "zod";
import { newId } from "../../core/ids";
import { READ_NOTHING } from "../../core/prefetch";
import { isFinal, statesByIds, statesOfBatch, type MessageState } from "../../core/status";
import { json } from "../../http/respond";
import type { Route } from "../../http/router";
import { authenticateSmn } from "./auth";
import { SMN_AUTH_ERRORS_DOC } from "./errors";
import { readSmnQuery } from "./input";
import { SmsStatusItem, SmsStatusQuery, SmsStatusResponse } from "./schemas";

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

async function getSmsStatus(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await authenticateSmn(req, env, req.params.project_id ?? "", READ_NOTHING);
  const q = readSmnQuery(req, SmsStatusQuery);
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

export const smsStatusRoute: Route = {
  doc: {
    method: "get",
    path: "/v2/{project_id}/notifications/sms",
    tag: "Huawei SMN",
    summary: "Status of sent SMS by the publish answer's request_id and/or message_id (comma-separated)",
    description: "SMN's list convention: offset (default 0), limit (1–100, default 100); sms_count is the total matched. Another tenant's ids match nothing.",
    query: SmsStatusQuery,
    response: SmsStatusResponse,
    errors: { "400": "SMN.9900: neither request_id nor message_id, or a malformed one", ...SMN_AUTH_ERRORS_DOC },
    security: "huaweiToken",
  },
  handle: getSmsStatus,
};
