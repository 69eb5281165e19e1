// Idempotency-Key rows (idempotency_keys): the reservation that goes into the same D1 batch as the
// debit, the lookup of an earlier request, and the response stored after the work.

export interface IdempotencyRow {
  request_hash: string;
  status: number | null;
  response: string | null;
}

/** The live row of (scope, key), or null (never used, or expired). */
export async function getIdempotencyRow(db: D1Database, scope: string, key: string, now: number): Promise<IdempotencyRow | null> {
  return db
    .prepare("SELECT request_hash, status, response FROM idempotency_keys WHERE scope = ?1 AND key = ?2 AND expires_at > ?3")
    .bind(scope, key, now)
    .first<IdempotencyRow>();
}

/**
 * The reservation, for the caller's db.batch: an expired row of the same key goes first; the INSERT
 * then fails on the primary key when a live one exists (a concurrent duplicate committed first), and
 * that failure rolls the whole batch back — debit included.
 */
export function reserveStatements(
  db: D1Database,
  r: { scope: string; key: string; tenantId: string; requestHash: string; now: number; expiresAt: number },
): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2 AND expires_at <= ?3").bind(r.scope, r.key, r.now),
    db
      .prepare("INSERT INTO idempotency_keys (scope, key, tenant_id, request_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(r.scope, r.key, r.tenantId, r.requestHash, r.now, r.expiresAt),
  ];
}

/** D1 reports the reservation's primary-key conflict as a UNIQUE failure naming the table. */
export const isReservationConflict = (e: unknown): boolean => e instanceof Error && /UNIQUE constraint failed: idempotency_keys\./i.test(e.message);

/** The answer given to the request that reserved the key, replayed to its retries. */
export async function storeIdempotentResponse(db: D1Database, scope: string, key: string, status: number, response: string): Promise<void> {
  await db
    .prepare("UPDATE idempotency_keys SET status = ?3, response = ?4 WHERE scope = ?1 AND key = ?2 AND response IS NULL")
    .bind(scope, key, status, response)
    .run();
}
