// Retention of the rows that only age out (tokens, inbox, reports, replies, pushes, dead letters,
// idempotency keys): one bounded DELETE per table, in one batch. Message texts: messages/sweeps.ts.

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
