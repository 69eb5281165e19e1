// Reads for the dialects' status queries: a tenant's messages by id or by batch (and mobile).
// Tenant-scoped: another tenant's ids simply are not there.
import type { TenantDb } from "./db";

export interface MessageStateRow {
  id: string;
  app_id: string;
  batch_id: string;
  mobile: string;
  status: string;
  result_code: string | null;
  result_message: string | null;
  segments: number;
  customer_ref: string | null;
  send_at: number;
  created_at: number;
  submitted_at: number | null;
  reported_at: number | null;
}

const COLS = "id, app_id, batch_id, mobile, status, result_code, result_message, segments, customer_ref, send_at, created_at, submitted_at, reported_at";

/** These ids' messages of the tenant, in no particular order (absent ids are another tenant's or unknown). */
export async function messagesByIds({ db, tenantId }: TenantDb, ids: string[]): Promise<MessageStateRow[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT ${COLS} FROM messages WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))`)
    .bind(tenantId, JSON.stringify(ids))
    .all<MessageStateRow>();
  return results;
}

/** One batch's messages of the tenant (optionally to one E.164 mobile), in id order, a page at a time. */
export async function messagesOfBatch(
  { db, tenantId }: TenantDb,
  
  batchId: string,
  mobile: string | null,
  limit: number,
  offset: number,
): Promise<{ rows: MessageStateRow[]; total: number }> {
  const [page, count] = await db.batch([
    db
      .prepare(`SELECT ${COLS} FROM messages WHERE tenant_id = ?1 AND batch_id = ?2 AND (?3 IS NULL OR mobile = ?3) ORDER BY id LIMIT ?4 OFFSET ?5`)
      .bind(tenantId, batchId, mobile, limit, offset),
    db.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1 AND batch_id = ?2 AND (?3 IS NULL OR mobile = ?3)").bind(tenantId, batchId, mobile),
  ]);
  return { rows: page!.results as MessageStateRow[], total: (count!.results[0] as { n: number }).n };
}
