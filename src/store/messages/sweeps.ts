// The cron's bounded sweeps over messages: each statement touches at most `limit` rows and is safe to repeat.
import { statsMoveStatements } from "../stats";

/** A message moved by a sweep, with its tenant (the dispatch queue body carries it). */
export interface MovedRow {
  id: string;
  tenant_id: string;
}

/** Due scheduled messages → queued (guarded, so a concurrent cancel wins or loses cleanly). */
export async function releaseDue(db: D1Database, now: number, limit: number): Promise<MovedRow[]> {
  // The due ids first, so the statistics move covers exactly them; the guard keeps the move exact
  // if a cancel takes one in between.
  const { results: due } = await db
    .prepare("SELECT id FROM messages WHERE status = 'scheduled' AND send_at <= ?1 ORDER BY send_at LIMIT ?2")
    .bind(now, limit)
    .all<{ id: string }>();
  if (due.length === 0) return [];
  const idsJson = JSON.stringify(due.map((r) => r.id));
  const res = await db.batch<MovedRow>(
    statsMoveStatements(db, idsJson, [
      db
        .prepare("UPDATE messages SET status = 'queued', updated_at = ?1 WHERE id IN (SELECT value FROM json_each(?2)) AND status = 'scheduled' RETURNING id, tenant_id")
        .bind(now, idsJson),
    ]),
  );
  return res[1]!.results;
}

/**
 * Messages stuck before the carrier: queued since before `before` (a lost enqueue), or claimed
 * without a carrier reference since then (a crashed consumer, past the claim lease: put back
 * to queued, so the next claim is the ordinary one). A submit whose outcome is unknown is not a
 * leftover: the carrier may hold it, so only the recovery sweep's status query may put it back. Touched, so each is re-enqueued once per
 * sweep, not on every minute.
 */
export async function touchStuck(db: D1Database, before: number, now: number, limit: number): Promise<MovedRow[]> {
  // The stale claims' ids first, so the statistics move covers exactly them (the move re-checks).
  const { results: stale } = await db
    .prepare("SELECT id FROM messages WHERE status = 'submitted' AND submitted_at < ?1 AND carrier_ref IS NULL AND submit_unknown = 0 LIMIT ?2")
    .bind(before, limit)
    .all<{ id: string }>();
  const staleJson = JSON.stringify(stale.map((r) => r.id));
  const res = await db.batch<MovedRow>([
    db
      .prepare(
        `UPDATE messages SET updated_at = ?2
         WHERE id IN (SELECT id FROM messages WHERE status = 'queued' AND updated_at < ?1 ORDER BY updated_at LIMIT ?3)
           AND status = 'queued' RETURNING id, tenant_id`,
      )
      .bind(before, now, limit),
    ...statsMoveStatements(db, staleJson, [
      db
        .prepare(
          `UPDATE messages SET status = 'queued', updated_at = ?2
           WHERE id IN (SELECT value FROM json_each(?3)) AND status = 'submitted' AND submitted_at < ?1 AND carrier_ref IS NULL AND submit_unknown = 0
           RETURNING id, tenant_id`,
        )
        .bind(before, now, staleJson),
    ]),
  ]);
  return [...res[0]!.results, ...res[2]!.results];
}

/** Submitted before `before` and never reported. */
export async function unreported(db: D1Database, before: number, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT id FROM messages WHERE status = 'submitted' AND submitted_at < ?1 ORDER BY submitted_at LIMIT ?2")
    .bind(before, limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

// ---- secrecy and retention of message contents ---------------------------------------------

const FINAL = "('delivered', 'undelivered', 'unknown', 'failed', 'canceled')";

/** Final verification messages whose text was not masked yet (oldest first). */
export async function finalCodeTexts(db: D1Database, limit: number): Promise<Array<{ id: string; content: string }>> {
  const { results } = await db
    .prepare(
      `SELECT id, content FROM messages
       WHERE kind = 'verification' AND content_masked = 0 AND status IN ${FINAL}
       ORDER BY updated_at LIMIT ?1`,
    )
    .bind(limit)
    .all<{ id: string; content: string }>();
  return results;
}

/** Replaces masked texts ([[id, text], …]) of messages that are final (a message still in flight keeps its text). */
export async function replaceFinalTexts(db: D1Database, rows: Array<[string, string]>): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await db
    .prepare(
      `UPDATE messages SET content = j.text, content_masked = 1
       FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS text FROM json_each(?1)) AS j
       WHERE messages.id = j.id AND messages.status IN ${FINAL}`,
    )
    .bind(JSON.stringify(rows))
    .run();
  return res.meta.changes;
}

/** Retention: the text and parameters of final messages created before `before` are emptied. */
export async function purgeContents(db: D1Database, before: number, limit: number): Promise<number> {
  const res = await db
    .prepare(
      `UPDATE messages SET content = '', params = NULL
       WHERE rowid IN (SELECT rowid FROM messages WHERE content <> '' AND created_at < ?1 AND status IN ${FINAL} LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return res.meta.changes;
}
