// The carrier simulator's handset inbox (simulator_inbox): what each mobile "received".

export interface InboxRow {
  messageId: string;
  mobile: string;
  channel: string;
  content: string;
  receivedAt: number;
}

export async function insertInbox(db: D1Database, rows: InboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const json = JSON.stringify(rows.slice(i, i + 500).map((r) => [r.messageId, r.mobile, r.channel, r.content, r.receivedAt]));
    stmts.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO simulator_inbox (message_id, mobile, channel, content, received_at)
           SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
             json_extract(value, '$[3]'), json_extract(value, '$[4]') FROM json_each(?1)`,
        )
        .bind(json),
    );
  }
  await db.batch(stmts);
}

/** ?1 the mobile, ?2 the limit. The simulator is local only: it may read the messages beside its inbox. */
export const INBOX_BY_MOBILE = `SELECT i.message_id, i.mobile, i.channel, i.content, i.received_at
  FROM messages m JOIN simulator_inbox i ON i.message_id = m.id
  WHERE m.mobile = ?1 ORDER BY i.received_at DESC, i.message_id DESC LIMIT ?2`;

/**
 * Newest first. Found through the messages sent to that mobile (messages_mobile) rather than an
 * index of the inbox's own: an index by mobile costs a randomly placed page per received message
 * once the table is large (1.10× end to end without it, docs/bench.md; migration 0018).
 */
export async function listInbox(db: D1Database, mobile: string, limit: number): Promise<InboxRow[]> {
  const { results } = await db
    .prepare(INBOX_BY_MOBILE)
    .bind(mobile, limit)
    .all<{ message_id: string; mobile: string; channel: string; content: string; received_at: number }>();
  return results.map((r) => ({ messageId: r.message_id, mobile: r.mobile, channel: r.channel, content: r.content, receivedAt: r.received_at }));
}

/** Which of these message ids the simulated handsets received (the simulator's status query). */
export async function inboxIds(db: D1Database, messageIds: string[]): Promise<Set<string>> {
  if (messageIds.length === 0) return new Set();
  const { results } = await db
    .prepare("SELECT message_id FROM simulator_inbox WHERE message_id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(messageIds))
    .all<{ message_id: string }>();
  return new Set(results.map((r) => r.message_id));
}
