// Messages and batches: the accept write (one atomic D1 batch) and the tenant-scoped reads.
import type { TenantDb } from "./db";
import type { Channel, Dialect, Kind, MessageStatus } from "./columns";
import type { AuthScope } from "./apps";
import { statsDeltaStatement } from "./stats";

export interface MessageRow {
  id: string;
  tenant_id: string;
  app_id: string;
  batch_id: string;
  dialect: string;
  channel: string;
  kind: string;
  mobile: string;
  content: string;
  signature: string | null;
  template_id: number | null;
  params: string | null;
  encoding: string;
  segments: number;
  price: number;
  status: string;
  result_code: string | null;
  result_message: string | null;
  send_at: number;
  carrier: string | null;
  carrier_ref: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  reported_at: number | null;
}

export interface NewMessage {
  id: string;
  mobile: string;
  content: string;
  signature: string | null;
  templateId: number | null;
  params: Record<string, string> | null;
  channel: Channel;
  encoding: "gsm7" | "ucs2";
  segments: number;
  price: number;
  customerRef?: string | null;
}

export interface NewBatch {
  id: string;
  appId: string;
  dialect: Dialect;
  kind: Kind;
  templateId: number | null;
  sendAt: number;
  scheduled: boolean;
  amount: number;
  now: number;
  messages: NewMessage[];
  /** The batch row exists (a schedule being replaced): update it instead of inserting it. */
  replaces?: boolean;
}

// D1 caps bound parameters at 100 per statement, so rows travel as one JSON parameter and are
// expanded by json_each: one statement per ~256 KB of rows instead of one per 4 rows.
const CHUNK_CHARS = 256 * 1024;

function messageChunks(b: NewBatch): string[] {
  const chunks: string[] = [];
  let rows: string[] = [];
  let size = 0;
  for (const m of b.messages) {
    const row = JSON.stringify([
      m.id, m.mobile, m.content, m.signature, m.templateId, m.params === null ? null : JSON.stringify(m.params),
      m.channel, m.encoding, m.segments, m.price, m.customerRef ?? null,
    ]);
    if (size + row.length > CHUNK_CHARS && rows.length > 0) {
      chunks.push(`[${rows.join(",")}]`);
      rows = [];
      size = 0;
    }
    rows.push(row);
    size += row.length + 1;
  }
  if (rows.length > 0) chunks.push(`[${rows.join(",")}]`);
  return chunks;
}

/**
 * The statements of one accept: debit, ledger row, batch row, message rows. Run them in ONE
 * db.batch (a transaction): an overdraft fails the balance CHECK and nothing is written.
 */
export function acceptStatements({ db, tenantId }: TenantDb, b: NewBatch): D1PreparedStatement[] {
  const status: MessageStatus = b.scheduled ? "scheduled" : "queued";
  const stmts = [
    db.prepare("UPDATE tenants SET balance = balance - ?2, updated_at = ?3 WHERE id = ?1").bind(tenantId, b.amount, b.now),
    db
      .prepare("INSERT INTO ledger (tenant_id, amount, reason, batch_id, created_at) VALUES (?1, ?2, 'send', ?3, ?4)")
      .bind(tenantId, -b.amount, b.id, b.now),
    b.replaces
      ? db
          .prepare(
            `UPDATE batches SET kind = ?3, template_id = ?4, size = ?5, amount = ?6, send_at = ?7, scheduled = ?8, canceled = 0, updated_at = ?9
             WHERE tenant_id = ?1 AND id = ?2`,
          )
          .bind(tenantId, b.id, b.kind, b.templateId, b.messages.length, b.amount, b.sendAt, Number(b.scheduled), b.now)
      : db
          .prepare(
            `INSERT INTO batches (id, tenant_id, app_id, dialect, kind, template_id, size, amount, send_at, scheduled, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)`,
          )
          .bind(b.id, tenantId, b.appId, b.dialect, b.kind, b.templateId, b.messages.length, b.amount, b.sendAt, Number(b.scheduled), b.now),
  ];
  for (const chunk of messageChunks(b)) {
    stmts.push(
      db
        .prepare(
          `INSERT INTO messages (id, tenant_id, app_id, batch_id, dialect, kind, status, send_at, created_at, updated_at,
             mobile, content, signature, template_id, params, channel, encoding, segments, price, customer_ref)
           SELECT json_extract(value, '$[0]'), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9,
             json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'),
             json_extract(value, '$[4]'), json_extract(value, '$[5]'), json_extract(value, '$[6]'),
             json_extract(value, '$[7]'), json_extract(value, '$[8]'), json_extract(value, '$[9]'), json_extract(value, '$[10]')
           FROM json_each(?1)`,
        )
        .bind(chunk, tenantId, b.appId, b.id, b.dialect, b.kind, status, b.sendAt, b.now),
    );
  }
  // The new rows counted in the statistics: one grouped statement for the whole batch.
  stmts.push(statsDeltaStatement(db, JSON.stringify(b.messages.map((m) => m.id)), 1, tenantId));
  return stmts;
}

export async function getMessage({ db, tenantId }: TenantDb, messageId: string): Promise<MessageRow | null> {
  const row = await db.prepare("SELECT * FROM messages WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, messageId).first<MessageRow>();
  return row;
}

/** What checking a code needs of its message. */
export interface CodeMessage {
  mobile: string;
  kind: Kind;
  dialect: Dialect;
}

/**
 * Message `messageId` of an authentication scope's tenant (store/apps AuthScope), so that the read
 * shares authentication's round trip; `read` takes its result.
 */
export function codeMessageIn(db: D1Database, s: AuthScope, messageId: string) {
  return {
    statements: [db.prepare(`SELECT mobile, kind, dialect FROM messages WHERE tenant_id = ${s.tenant} AND id = ${s.at(1)}`).bind(...s.binds, messageId)],
    read: (results: D1Result[]): CodeMessage | null => (results[0]?.results[0] as CodeMessage | undefined) ?? null,
  };
}

export async function listBatchMessages(
  { db, tenantId }: TenantDb,
  
  batchId: string,
  limit: number,
  after: string | null,
): Promise<MessageRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM messages WHERE tenant_id = ?1 AND batch_id = ?2 AND (?3 IS NULL OR id > ?3)
       ORDER BY id LIMIT ?4`,
    )
    .bind(tenantId, batchId, after, limit)
    .all<MessageRow>();
  return results;
}

export interface MessageFilter {
  status?: MessageStatus;
  mobile?: string;
  from?: number;
  to?: number;
}

/** Newest first; the cursor is the (created_at, id) of the last row of the previous page. */
export async function listMessages(
  { db, tenantId }: TenantDb,
  
  f: MessageFilter,
  limit: number,
  cursor: { createdAt: number; id: string } | null,
): Promise<MessageRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM messages WHERE tenant_id = ?1
         AND (?2 IS NULL OR status = ?2)
         AND (?3 IS NULL OR mobile = ?3)
         AND (?4 IS NULL OR created_at >= ?4)
         AND (?5 IS NULL OR created_at < ?5)
         AND (?6 IS NULL OR created_at < ?6 OR (created_at = ?6 AND id < ?7))
       ORDER BY created_at DESC, id DESC LIMIT ?8`,
    )
    .bind(tenantId, f.status ?? null, f.mobile ?? null, f.from ?? null, f.to ?? null, cursor?.createdAt ?? null, cursor?.id ?? null, limit)
    .all<MessageRow>();
  return results;
}

/** Which of `mobiles` (E.164) opted out of this tenant's marketing. */
export interface BatchRow {
  id: string;
  app_id: string;
  kind: string;
  template_id: number | null;
  size: number;
  send_at: number;
  scheduled: number;
  canceled: number;
}

export async function getBatch({ db, tenantId }: TenantDb, batchId: string): Promise<BatchRow | null> {
  return db
    .prepare("SELECT id, app_id, kind, template_id, size, send_at, scheduled, canceled FROM batches WHERE tenant_id = ?1 AND id = ?2")
    .bind(tenantId, batchId)
    .first<BatchRow>();
}

/** A batch's messages except the canceled ones, in id (= request) order. */
export async function liveBatchMessages({ db, tenantId }: TenantDb, batchId: string): Promise<MessageRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM messages WHERE tenant_id = ?1 AND batch_id = ?2 AND status <> 'canceled' ORDER BY id")
    .bind(tenantId, batchId)
    .all<MessageRow>();
  return results;
}

/**
 * Aborts the db.batch it runs in (through batch_guards' CHECK) when any of `idsJson` is no longer
 * `scheduled`: the release or a cancel got there first.
 */
export function stillScheduledGuard({ db, tenantId }: TenantDb, idsJson: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO batch_guards (reason) SELECT 'not scheduled' WHERE EXISTS (
         SELECT 1 FROM messages WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2)) AND status <> 'scheduled')`,
    )
    .bind(tenantId, idsJson);
}

/** The error D1 raises when a stillScheduledGuard aborted the batch (test this before isOverdraft: both are CHECK failures). */
export const isGuardFailure = (e: unknown): boolean => e instanceof Error && /batch_guard_failed|batch_guards/i.test(e.message);

export async function batchExists({ db, tenantId }: TenantDb, batchId: string): Promise<boolean> {
  const r = await db.prepare("SELECT 1 AS one FROM batches WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, batchId).first();
  return r !== null;
}
