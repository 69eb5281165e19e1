// The ledger: one row per debit and refund. The balance equals the sum of a tenant's rows; the rows
// are written in the same batch as the balance change (adjustBalance, the accept and refund batches).
import type { TenantDb } from "./db";

export interface LedgerEntry {
  id: number;
  amount: number;
  reason: string;
  batchId: string | null;
  messageId: string | null;
  note: string | null;
  createdAt: number;
}

export async function listLedger({ db, tenantId }: TenantDb, limit: number, before: number | null): Promise<LedgerEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT id, amount, reason, batch_id, message_id, note, created_at FROM ledger
       WHERE tenant_id = ?1 AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3`,
    )
    .bind(tenantId, before, limit)
    .all<{ id: number; amount: number; reason: string; batch_id: string | null; message_id: string | null; note: string | null; created_at: number }>();
  return results.map((r) => ({ id: r.id, amount: r.amount, reason: r.reason, batchId: r.batch_id, messageId: r.message_id, note: r.note, createdAt: r.created_at }));
}
