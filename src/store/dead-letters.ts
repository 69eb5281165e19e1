// Dead letters: queue messages that could not be handled (invalid bodies, retries exhausted), kept for
// the operator and, for carrier events, replayed by the recovery sweep.

/** Queue bodies that could not be processed ([[queue, bodyJson], …]), kept for the operator. */
export async function insertDeadLetters(db: D1Database, rows: Array<[string, string]>, now: number): Promise<void> {
  if (rows.length === 0) return;
  await db
    .prepare(
      `INSERT INTO dead_letters (queue, body, created_at)
       SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?2 FROM json_each(?1)`,
    )
    .bind(JSON.stringify(rows), now)
    .run();
}

export interface DeadLetterRow {
  id: number;
  queue: string;
  body: string;
}

/** Dead letters of these queues not yet replayed, oldest first. */
export async function unreplayedDeadLetters(db: D1Database, queues: readonly string[], limit: number): Promise<DeadLetterRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, queue, body FROM dead_letters
       WHERE queue IN (SELECT value FROM json_each(?1)) AND replayed_at IS NULL ORDER BY id LIMIT ?2`,
    )
    .bind(JSON.stringify(queues), limit)
    .all<DeadLetterRow>();
  return results;
}

/** Marks dead letters replayed (kept for the operator until retention). */
export async function markReplayed(db: D1Database, ids: number[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db.prepare("UPDATE dead_letters SET replayed_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(ids), now).run();
}


export interface DeadLetter {
  id: number;
  queue: string;
  body: string;
  createdAt: number;
}

/** Newest first across every tenant: dead letters are the operator's, not a tenant's. */
export async function listDeadLetters(db: D1Database, limit: number, before: number | null): Promise<DeadLetter[]> {
  const { results } = await db
    .prepare("SELECT id, queue, body, created_at FROM dead_letters WHERE (?1 IS NULL OR id < ?1) ORDER BY id DESC LIMIT ?2")
    .bind(before, limit)
    .all<{ id: number; queue: string; body: string; created_at: number }>();
  return results.map((r) => ({ id: r.id, queue: r.queue, body: r.body, createdAt: r.created_at }));
}
