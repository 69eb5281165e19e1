// The messages whose submit outcome was unknown (submit_unknown = 1), as the reconcile job reads and
// moves them. Every move is guarded by that state, so a receipt that finalised a row first wins.

export interface UnknownRow {
  id: string;
  mobile: string;
  carrier: string;
  submitted_at: number;
}

/** Unknown submits last looked at before `before` (oldest first): each is asked at most once per interval. */
export async function unknownSubmits(db: D1Database, before: number, limit: number): Promise<UnknownRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, mobile, carrier, submitted_at FROM messages
       WHERE status = 'submitted' AND submit_unknown = 1 AND carrier_ref IS NULL AND carrier IS NOT NULL AND updated_at < ?1
       ORDER BY updated_at LIMIT ?2`,
    )
    .bind(before, limit)
    .all<UnknownRow>();
  return results;
}

/** Asked, no answer yet: looked at again after the interval. */
export function touchUnknownStatement(db: D1Database, idsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare("UPDATE messages SET updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'submitted' AND submit_unknown = 1")
    .bind(idsJson, now);
}

/** The carrier says for certain it never got them: back to queued for a fresh hand-over; the rows moved (id, tenant_id). */
export function requeueNeverReceivedStatement(db: D1Database, idsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE messages SET status = 'queued', submit_unknown = 0, carrier = NULL, updated_at = ?2
       WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'submitted' AND submit_unknown = 1 AND carrier_ref IS NULL
       RETURNING id, tenant_id`,
    )
    .bind(idsJson, now);
}
