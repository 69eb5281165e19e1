// The cron's bounded sweeps: each statement touches at most `limit` rows and is safe to repeat.
import { statsMoveStatements } from "./stats";

/** Due scheduled messages → queued (guarded, so a concurrent cancel wins or loses cleanly). */
export async function releaseDue(db: D1Database, now: number, limit: number): Promise<string[]> {
  // The due ids first, so the statistics move covers exactly them; the guard keeps the move exact
  // if a cancel takes one in between.
  const { results: due } = await db
    .prepare("SELECT id FROM messages WHERE status = 'scheduled' AND send_at <= ?1 ORDER BY send_at LIMIT ?2")
    .bind(now, limit)
    .all<{ id: string }>();
  if (due.length === 0) return [];
  const idsJson = JSON.stringify(due.map((r) => r.id));
  const res = await db.batch<{ id: string }>(
    statsMoveStatements(db, idsJson, [
      db
        .prepare("UPDATE messages SET status = 'queued', updated_at = ?1 WHERE id IN (SELECT value FROM json_each(?2)) AND status = 'scheduled' RETURNING id")
        .bind(now, idsJson),
    ]),
  );
  return res[1]!.results.map((r) => r.id);
}

/**
 * Messages stuck before the carrier: queued since before `before` (a lost enqueue), or claimed
 * without a carrier reference since then (a crashed consumer, past the claim lease: put back
 * to queued, so the next claim is the ordinary one). A submit whose outcome is unknown is not a
 * leftover: the carrier may hold it, so only the recovery sweep's status query may put it back. Touched, so each is re-enqueued once per
 * sweep, not on every minute.
 */
export async function touchStuck(db: D1Database, before: number, now: number, limit: number): Promise<string[]> {
  // The stale claims' ids first, so the statistics move covers exactly them (the move re-checks).
  const { results: stale } = await db
    .prepare("SELECT id FROM messages WHERE status = 'submitted' AND submitted_at < ?1 AND carrier_ref IS NULL AND submit_unknown = 0 LIMIT ?2")
    .bind(before, limit)
    .all<{ id: string }>();
  const staleJson = JSON.stringify(stale.map((r) => r.id));
  const res = await db.batch<{ id: string }>([
    db
      .prepare(
        `UPDATE messages SET updated_at = ?2
         WHERE id IN (SELECT id FROM messages WHERE status = 'queued' AND updated_at < ?1 ORDER BY updated_at LIMIT ?3)
           AND status = 'queued' RETURNING id`,
      )
      .bind(before, now, limit),
    ...statsMoveStatements(db, staleJson, [
      db
        .prepare(
          `UPDATE messages SET status = 'queued', updated_at = ?2
           WHERE id IN (SELECT value FROM json_each(?3)) AND status = 'submitted' AND submitted_at < ?1 AND carrier_ref IS NULL AND submit_unknown = 0
           RETURNING id`,
        )
        .bind(before, now, staleJson),
    ]),
  ]);
  return [...res[0]!.results, ...res[2]!.results].map((r) => r.id);
}

/** Submitted before `before` and never reported. */
export async function unreported(db: D1Database, before: number, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT id FROM messages WHERE status = 'submitted' AND submitted_at < ?1 ORDER BY submitted_at LIMIT ?2")
    .bind(before, limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Retention: deletes at most `limit` rows of each kind older than its cutoff; returns the counts. */
export async function purgeOld(
  db: D1Database,
  c: { now: number; retentionBefore: number; inboxBefore: number },
  limit: number,
): Promise<Record<string, number>> {
  const del = (table: string, where: string, cutoff: number) =>
    db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ?2)`).bind(cutoff, limit);
  // Table names and conditions are constants of this module, never input.
  const jobs: Array<[string, D1PreparedStatement]> = [
    ["tokens", del("tokens", "expires_at < ?1", c.now)],
    ["simulator_inbox", del("simulator_inbox", "received_at < ?1", c.inboxBefore)],
    ["reports", del("reports", "created_at < ?1", c.retentionBefore)],
    ["inbound", del("inbound", "created_at < ?1", c.retentionBefore)],
    ["webhook_deliveries", del("webhook_deliveries", "status <> 'pending' AND updated_at < ?1", c.retentionBefore)],
    ["dead_letters", del("dead_letters", "created_at < ?1", c.retentionBefore)],
    ["idempotency_keys", del("idempotency_keys", "expires_at < ?1", c.now)],
  ];
  const res = await db.batch(jobs.map(([, s]) => s));
  return Object.fromEntries(jobs.map(([name], i) => [name, res[i]!.meta.changes]));
}

// ---- recovery (messages the carrier took, or may have taken, and never reported) ---------------

/** Carriers that hold submitted messages now: the recovery sweep asks each with its own report window. */
export async function submittedCarriers(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT DISTINCT carrier FROM messages WHERE status = 'submitted' AND carrier IS NOT NULL")
    .all<{ carrier: string }>();
  return results.map((r) => r.carrier);
}

export interface RecoveryRow {
  id: string;
  mobile: string;
  carrier_ref: string | null;
  submitted_at: number;
  /** JSON array of the references in carrier_refs (per part), or null. */
  refs: string | null;
}

/**
 * Takes (marks recovery_at = now) at most `limit` submitted messages of `carrier` whose report is
 * overdue: a reference recorded and no report since before `windowBefore`, not asked since
 * `recheckBefore`. (Submits with an unknown outcome are the reconcile job's: src/jobs/reconcile.ts.)
 * Marking first means two overlapping sweeps never ask about the same message twice.
 */
export async function takeRecoveryTargets(
  db: D1Database,
  c: { carrier: string; windowBefore: number; recheckBefore: number; now: number },
  limit: number,
): Promise<RecoveryRow[]> {
  const { results } = await db
    .prepare(
      `UPDATE messages SET recovery_at = ?4
       WHERE id IN (SELECT id FROM messages
           WHERE status = 'submitted' AND carrier = ?1 AND submit_unknown = 0 AND carrier_ref IS NOT NULL AND submitted_at < ?2
             AND (recovery_at IS NULL OR recovery_at < ?3)
           ORDER BY submitted_at LIMIT ?5)
         AND status = 'submitted' AND (recovery_at IS NULL OR recovery_at < ?3)
       RETURNING id, mobile, carrier_ref, submitted_at,
         (SELECT json_group_array(r.ref) FROM carrier_refs r WHERE r.carrier = ?1 AND r.message_id = messages.id) AS refs`,
    )
    .bind(c.carrier, c.windowBefore, c.recheckBefore, c.now, limit)
    .all<RecoveryRow>();
  return results;
}

/**
 * References learnt from a status query ([[messageId, [ref, …]], …]): kept per part in carrier_refs,
 * the first on the message; the submit's outcome is known from now on.
 */
export async function recordLearntRefs(db: D1Database, carrier: string, learnt: Array<[string, string[]]>, now: number): Promise<void> {
  if (learnt.length === 0) return;
  const parts = JSON.stringify(learnt.flatMap(([id, refs]) => refs.map((ref, i) => [id, ref, i + 1])));
  const firsts = JSON.stringify(learnt.filter(([, refs]) => refs.length > 0).map(([id, refs]) => [id, refs[0]]));
  await db.batch([
    db
      .prepare(
        `INSERT OR IGNORE INTO carrier_refs (carrier, ref, message_id, part, created_at)
         SELECT ?1, json_extract(value, '$[1]'), json_extract(value, '$[0]'), json_extract(value, '$[2]'), ?3 FROM json_each(?2)`,
      )
      .bind(carrier, parts, now),
    db
      .prepare(
        `UPDATE messages SET carrier_ref = COALESCE(messages.carrier_ref, j.ref), submit_unknown = 0, updated_at = ?3
         FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS ref FROM json_each(?2)) AS j
         WHERE messages.id = j.id AND messages.carrier = ?1 AND messages.status = 'submitted'`,
      )
      .bind(carrier, firsts, now),
  ]);
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
