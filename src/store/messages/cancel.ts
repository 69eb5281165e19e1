// A tenant's cancel of scheduled messages: the guarded move with its statistics, the refunds and the
// batch flag, as statements for ONE db.batch.
import { tenantIds } from "./rows";
import type { TenantDb } from "../db";
import { refundStatements } from "../ledger";
import { statsMoveStatements } from "../stats";

export interface CancelRow {
  id: string;
  price: number;
}

/** [existing ids of the tenant, statistics out, canceled rows, statistics in, ...refund, batch flag]: run in one db.batch. */
export function cancelStatements({ db, tenantId }: TenantDb, idsJson: string, token: string, now: number): D1PreparedStatement[] {
  return [
    db.prepare(`SELECT id FROM messages WHERE ${tenantIds("?1", "?2")}`).bind(tenantId, idsJson),
    ...statsMoveStatements(
      db,
      idsJson,
      [
        db
          .prepare(
            `UPDATE messages SET status = 'canceled', updated_at = ?3
             WHERE ${tenantIds("?1", "?2")} AND status = 'scheduled' RETURNING id, price`,
          )
          .bind(tenantId, idsJson, now),
      ],
      tenantId,
    ),
    ...refundStatements(db, idsJson, "canceled", null, token, now, tenantId),
    markBatchesCanceled(db, tenantId, idsJson, now),
  ];
}

/** A batch whose messages are all canceled now says so (batches.canceled), for schedule listings. */
function markBatchesCanceled(db: D1Database, tenantId: string, idsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE batches SET canceled = 1, updated_at = ?3
       WHERE tenant_id = ?1 AND canceled = 0
         AND id IN (SELECT batch_id FROM messages WHERE ${tenantIds("?1", "?2")})
         AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = ?1 AND m.batch_id = batches.id AND m.status <> 'canceled')`,
    )
    .bind(tenantId, idsJson, now);
}

export async function batchMessageIds({ db, tenantId }: TenantDb, batchId: string): Promise<string[] | null> {
  const batch = await db.prepare("SELECT id FROM batches WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, batchId).first();
  if (!batch) return null;
  const { results } = await db
    .prepare("SELECT id FROM messages WHERE tenant_id = ?1 AND batch_id = ?2 ORDER BY id")
    .bind(tenantId, batchId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}
