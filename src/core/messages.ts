// A message as the core sees it, from its stored row.
import type { MessageRow } from "../store/messages/rows";
import type { Dialect, Kind, Message } from "./types";

export const toMessage = (r: MessageRow): Message => ({
  id: r.id,
  tenantId: r.tenant_id,
  appId: r.app_id,
  batchId: r.batch_id,
  dialect: r.dialect as Dialect,
  channel: r.channel as Message["channel"],
  kind: r.kind as Kind,
  mobile: r.mobile,
  content: r.content,
  signature: r.signature,
  templateId: r.template_id,
  params: r.params === null ? null : (JSON.parse(r.params) as Record<string, string>),
  encoding: r.encoding as Message["encoding"],
  segments: r.segments,
  price: r.price,
  status: r.status as Message["status"],
  resultCode: r.result_code,
  resultMessage: r.result_message,
  sendAt: r.send_at,
  carrier: r.carrier,
  carrierRef: r.carrier_ref,
  attempts: r.attempts,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  submittedAt: r.submitted_at,
  reportedAt: r.reported_at,
});
