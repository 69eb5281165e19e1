// The ledger: one row per debit and refund. The balance equals the sum of a tenant's rows; the rows
// are written in the same batch as the balance change (adjustBalance, the accept and refund batches).
import type { TenantDb } from "./db";
import { appRefundStatement } from "./app-caps";

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

/**
 * A refund for each message in `ids` that is now in `status` (and `code`, when given), tagged with
 * `token`; then the balance of every tenant concerned is credited with exactly the SUM of the rows
 * carrying that token. The unique index ledger_refund_once makes a second refund of a message a
 * silently ignored row, so a racing or repeated operation credits nothing twice. The apps' spending
 * counters get the same rows back (caps: store/app-caps).
 */
export function refundStatements(
  db: D1Database,
  idsJson: string,
  status: "canceled" | "failed" | "undelivered",
  code: string | null,
  token: string,
  now: number,
  /** The tenant a tenant's own operation (cancel) is limited to; null for the engine's sweeps across tenants. */
  tenantId: string | null = null,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT OR IGNORE INTO ledger (tenant_id, amount, reason, batch_id, message_id, note, created_at)
         SELECT m.tenant_id, m.price, 'refund', m.batch_id, m.id, ?2, ?3 FROM messages m
         WHERE m.id IN (SELECT value FROM json_each(?1)) AND m.status = ?4 AND (?5 IS NULL OR m.result_code = ?5) AND m.price > 0
           AND (?6 IS NULL OR m.tenant_id = ?6)`,
      )
      .bind(idsJson, token, now, status, code, tenantId),
    db
      .prepare(
        `UPDATE tenants SET
           balance = balance + (SELECT COALESCE(SUM(l.amount), 0) FROM ledger l
             WHERE l.message_id IN (SELECT value FROM json_each(?1)) AND l.reason = 'refund' AND l.note = ?2 AND l.tenant_id = tenants.id),
           updated_at = ?3
         WHERE id IN (SELECT l.tenant_id FROM ledger l
           WHERE l.message_id IN (SELECT value FROM json_each(?1)) AND l.reason = 'refund' AND l.note = ?2)`,
      )
      .bind(idsJson, token, now),
    appRefundStatement(db, idsJson, token),
  ];
}
