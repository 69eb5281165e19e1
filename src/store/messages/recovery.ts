// Recovery: messages the carrier took, or may have taken, and never reported.

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
