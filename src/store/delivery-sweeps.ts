// The cron's bounded sweeps: each statement touches at most `limit` rows and is safe to repeat.

/** Due scheduled messages → queued (guarded, so a concurrent cancel wins or loses cleanly). */
export async function releaseDue(db: D1Database, now: number, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `UPDATE messages SET status = 'queued', updated_at = ?1
       WHERE id IN (SELECT id FROM messages WHERE status = 'scheduled' AND send_at <= ?1 ORDER BY send_at LIMIT ?2)
         AND status = 'scheduled' RETURNING id`,
    )
    .bind(now, limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/**
 * Messages stuck before the carrier: queued since before `before` (a lost enqueue), or claimed
 * without a carrier reference since then (a crashed consumer, long past the claim lease: put back
 * to queued, so the next claim is the ordinary one). Touched, so each is re-enqueued once per
 * sweep, not on every minute.
 */
export async function touchStuck(db: D1Database, before: number, now: number, limit: number): Promise<string[]> {
  const [queued, claimed] = await db.batch<{ id: string }>([
    db
      .prepare(
        `UPDATE messages SET updated_at = ?2
         WHERE id IN (SELECT id FROM messages WHERE status = 'queued' AND updated_at < ?1 ORDER BY updated_at LIMIT ?3)
           AND status = 'queued' RETURNING id`,
      )
      .bind(before, now, limit),
    db
      .prepare(
        `UPDATE messages SET status = 'queued', updated_at = ?2
         WHERE id IN (SELECT id FROM messages WHERE status = 'submitted' AND submitted_at < ?1 AND carrier_ref IS NULL AND submit_unknown = 0 LIMIT ?3)
           AND status = 'submitted' AND carrier_ref IS NULL AND submit_unknown = 0 RETURNING id`,
      )
      .bind(before, now, limit),
  ]);
  return [...queued!.results, ...claimed!.results].map((r) => r.id);
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
  ];
  const res = await db.batch(jobs.map(([, s]) => s));
  return Object.fromEntries(jobs.map(([name], i) => [name, res[i]!.meta.changes]));
}
