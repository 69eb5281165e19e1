// What a bind must remember across evictions, in its own SQLite: each message it wrote (so a
// resubmit never writes it twice), the parts of concatenated replies still incomplete, replies
// already passed on (so an SMSC's redelivery is recognised), and its identity and last error.
import type { DeliveryCode } from "../../core/types";

// Append-only: a new step is a new element, applied once in order.
export const SCHEMA: string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // state: 'writing' (its first part was written, not every part answered), 'sent', 'permanent'.
  `CREATE TABLE submits (message_id TEXT PRIMARY KEY, state TEXT NOT NULL, refs TEXT NOT NULL DEFAULT '[]',
     reason TEXT, code TEXT, updated_at INTEGER NOT NULL)`,
  `CREATE INDEX submits_updated ON submits (updated_at)`,
  `CREATE TABLE mo_parts (grp TEXT NOT NULL, seq INTEGER NOT NULL, total INTEGER NOT NULL, text TEXT NOT NULL,
     received_at INTEGER NOT NULL, PRIMARY KEY (grp, seq))`,
  `CREATE INDEX mo_parts_received ON mo_parts (received_at)`,
  `CREATE TABLE mo_seen (hash TEXT PRIMARY KEY, ref TEXT NOT NULL, at INTEGER NOT NULL)`,
  `CREATE INDEX mo_seen_at ON mo_seen (at)`,
];

export function migrate(storage: DurableObjectStorage): void {
  const sql = storage.sql;
  sql.exec("CREATE TABLE IF NOT EXISTS _schema (version INTEGER NOT NULL)");
  const from = sql.exec<{ version: number }>("SELECT version FROM _schema").toArray()[0]?.version ?? 0;
  if (from >= SCHEMA.length) return;
  storage.transactionSync(() => {
    for (const step of SCHEMA.slice(from)) sql.exec(step);
    sql.exec("DELETE FROM _schema");
    sql.exec("INSERT INTO _schema (version) VALUES (?)", SCHEMA.length);
  });
}

export const getMeta = (sql: SqlStorage, key: string): string | null =>
  sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value ?? null;

export const setMeta = (sql: SqlStorage, key: string, value: string): void => {
  sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
};

export interface SubmitRecord {
  state: "writing" | "sent" | "permanent";
  refs: string[];
  reason: string | null;
  code: DeliveryCode | null;
}

export function getSubmit(sql: SqlStorage, id: string): SubmitRecord | null {
  const row = sql
    .exec<{ state: SubmitRecord["state"]; refs: string; reason: string | null; code: DeliveryCode | null }>(
      "SELECT state, refs, reason, code FROM submits WHERE message_id = ?",
      id,
    )
    .toArray()[0];
  return row ? { ...row, refs: JSON.parse(row.refs) as string[] } : null;
}

/** Written before the first octet of the message goes out. */
export const startSubmit = (sql: SqlStorage, id: string, now: number): void => {
  sql.exec("INSERT INTO submits (message_id, state, updated_at) VALUES (?, 'writing', ?)", id, now);
};

export const finishSubmit = (sql: SqlStorage, id: string, r: SubmitRecord, now: number): void => {
  sql.exec(
    "UPDATE submits SET state = ?, refs = ?, reason = ?, code = ?, updated_at = ? WHERE message_id = ?",
    r.state, JSON.stringify(r.refs), r.reason, r.code, now, id,
  );
};

/** Nothing of the message reached the SMSC: forget it, so a later submit sends it. */
export const dropSubmit = (sql: SqlStorage, id: string): void => {
  sql.exec("DELETE FROM submits WHERE message_id = ?", id);
};

/** Stores one part of a concatenated reply; answers the whole text once every part is there. */
export function addReplyPart(sql: SqlStorage, grp: string, seq: number, total: number, text: string, now: number): string | null {
  sql.exec(
    "INSERT INTO mo_parts (grp, seq, total, text, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (grp, seq) DO UPDATE SET text = excluded.text",
    grp, seq, total, text, now,
  );
  const parts = sql.exec<{ seq: number; text: string }>("SELECT seq, text FROM mo_parts WHERE grp = ? ORDER BY seq", grp).toArray();
  return parts.length >= total ? parts.map((p) => p.text).join("") : null;
}

export const dropReplyParts = (sql: SqlStorage, grp: string): void => {
  sql.exec("DELETE FROM mo_parts WHERE grp = ?", grp);
};

/** The ref given to this reply when the same PDU content was seen recently, else `fresh`, remembered. */
export function replyRef(sql: SqlStorage, hash: string, fresh: string, now: number, withinMs: number): string {
  const seen = sql.exec<{ ref: string; at: number }>("SELECT ref, at FROM mo_seen WHERE hash = ?", hash).toArray()[0];
  if (seen && now - seen.at < withinMs) return seen.ref;
  sql.exec("INSERT INTO mo_seen (hash, ref, at) VALUES (?, ?, ?) ON CONFLICT (hash) DO UPDATE SET ref = excluded.ref, at = excluded.at", hash, fresh, now);
  return fresh;
}

/** Retention: answered submits after `submitDays`, stray reply parts and seen replies after a day. */
export function purge(sql: SqlStorage, now: number, submitDays: number): void {
  sql.exec("DELETE FROM submits WHERE updated_at < ?", now - submitDays * 86_400_000);
  sql.exec("DELETE FROM mo_parts WHERE received_at < ?", now - 86_400_000);
  sql.exec("DELETE FROM mo_seen WHERE at < ?", now - 86_400_000);
}
