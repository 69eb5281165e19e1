// The messages table's row and the shape of a batch to accept (the batches table is written with it).
import type { Channel, Dialect, Kind } from "../columns";

/**
 * "The messages `ids` (a JSON array parameter) of tenant `tenant`" in a WHERE clause. The unary +
 * keeps SQLite from choosing an index on tenant_id for it: without table statistics the planner
 * prefers messages_tenant_batch (tenant_id, batch_id) to the primary key and reads every message
 * the tenant ever sent to find a handful (35 ms per statement at 200,000 rows, against well under
 * 1 ms by id: docs/bench.md). The tenant stays a condition on each row found by its id.
 */
export const tenantIds = (tenant: string, ids: string): string => `+tenant_id = ${tenant} AND id IN (SELECT value FROM json_each(${ids}))`;

export interface MessageRow {
  id: string;
  tenant_id: string;
  app_id: string;
  batch_id: string;
  dialect: string;
  channel: string;
  kind: string;
  mobile: string;
  content: string;
  signature: string | null;
  template_id: number | null;
  params: string | null;
  encoding: string;
  segments: number;
  price: number;
  status: string;
  result_code: string | null;
  result_message: string | null;
  send_at: number;
  carrier: string | null;
  carrier_ref: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  reported_at: number | null;
}

export interface NewMessage {
  id: string;
  mobile: string;
  content: string;
  signature: string | null;
  templateId: number | null;
  params: Record<string, string> | null;
  channel: Channel;
  encoding: "gsm7" | "ucs2";
  segments: number;
  price: number;
  customerRef?: string | null;
}

export interface NewBatch {
  id: string;
  appId: string;
  dialect: Dialect;
  kind: Kind;
  templateId: number | null;
  sendAt: number;
  scheduled: boolean;
  amount: number;
  now: number;
  /** The tenant's revision stamp the send was decided on: the debit refuses any other. */
  revision: number;
  messages: NewMessage[];
  /** The batch row exists (a schedule being replaced): update it instead of inserting it. */
  replaces?: boolean;
}
