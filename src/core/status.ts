// What became of a customer's messages, for the dialects' status queries: one dialect-neutral view
// per message (status, delivery code, times, the customer's reference), read tenant-scoped.
import { z } from "zod";
import type { MessageStatus } from "./types";
import { messagesByIds, messagesOfBatch, type MessageStateRow } from "../store/messages/read";
import { tenantDb } from "../store/db";

/** A customer reference (outId / extend): at most 64 printable characters, kept as sent. */
export const CUSTOMER_REF_MAX = 64;
export const CustomerRef = z
  .string()
  .max(CUSTOMER_REF_MAX)
  .regex(/^[^\u0000-\u001f\u007f]+$/, "printable characters only, not empty");

export interface MessageState {
  messageId: string;
  appId: string;
  batchId: string;
  /** E.164 */
  mobile: string;
  status: MessageStatus;
  /** The delivery code once final (paasw's list: '10000' delivered, '1'…'9' otherwise), else null. */
  code: string | null;
  codeMessage: string | null;
  segments: number;
  customerRef: string | null;
  sendAt: number;
  createdAt: number;
  submittedAt: number | null;
  reportedAt: number | null;
}

const toState = (r: MessageStateRow): MessageState => ({
  messageId: r.id,
  appId: r.app_id,
  batchId: r.batch_id,
  mobile: r.mobile,
  status: r.status as MessageStatus,
  code: r.result_code ?? (r.status === "failed" ? "1" : null),
  codeMessage: r.result_message,
  segments: r.segments,
  customerRef: r.customer_ref,
  sendAt: r.send_at,
  createdAt: r.created_at,
  submittedAt: r.submitted_at,
  reportedAt: r.reported_at,
});

/** The tenant's messages with these ids, in the order asked (unknown and other tenants' ids are left out). */
export async function statesByIds(env: Env, tenantId: string, ids: string[]): Promise<MessageState[]> {
  const rows = new Map((await messagesByIds(tenantDb(env, tenantId), ids)).map((r) => [r.id, toState(r)]));
  return ids.flatMap((id) => rows.get(id) ?? []);
}

/** One batch's messages of the tenant (bizId / request_id / batchId), optionally to one mobile. */
export async function statesOfBatch(
  env: Env,
  tenantId: string,
  batchId: string,
  opts: { mobile?: string | null; limit: number; offset?: number },
): Promise<{ states: MessageState[]; total: number }> {
  const { rows, total } = await messagesOfBatch(tenantDb(env, tenantId), batchId, opts.mobile ?? null, opts.limit, opts.offset ?? 0);
  return { states: rows.map(toState), total };
}

/** Final: no further change will be reported. */
export const isFinal = (s: MessageStatus): boolean => s === "delivered" || s === "undelivered" || s === "unknown" || s === "failed" || s === "canceled";
