// The tenant-scoped reads of messages and batches: the console's lists, one message, a batch's
// messages, the dialects' status queries, and a code's message. Another tenant's ids simply are not there.
import type { TenantDb } from "../db";
import type { AuthScope } from "../apps";
import { tenantIds, type MessageRow } from "./rows";
import type { Dialect, Kind, MessageStatus } from "../columns";

export async function getMessage({ db, tenantId }: TenantDb, messageId: string): Promise<MessageRow | null> {
  const row = await db.prepare("SELECT * FROM messages WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, messageId).first<MessageRow>();
  return row;
}

/** What checking a code needs of its message. */
export interface CodeMessage {
  mobile: string;
  kind: Kind;
  dialect: Dialect;
  /** When it was accepted: which MobileGuard layout of its tenant holds its code. */
  createdAt: number;
}

/**
 * Message `messageId` of an authentication scope's tenant (store/apps AuthScope), so that the read
 * shares authentication's round trip; `read` takes its result.
 */
export function codeMessageIn(db: D1Database, s: AuthScope, messageId: string) {
  return {
    statements: [db.prepare(`SELECT mobile, kind, dialect, created_at AS createdAt FROM messages WHERE tenant_id = ${s.tenant} AND id = ${s.at(1)}`).bind(...s.binds, messageId)],
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
 * The tenant of each of these messages, read across tenants: only for dispatch bodies queued before
 * they carried their tenant (jobs/dispatch.ts). Unknown ids are simply absent.
 */
export async function tenantsOfMessages(db: D1Database, ids: string[]): Promise<Array<{ id: string; tenant_id: string }>> {
  const { results } = await db
    .prepare("SELECT id, tenant_id FROM messages WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(ids))
    .all<{ id: string; tenant_id: string }>();
  return results;
}

export async function batchExists({ db, tenantId }: TenantDb, batchId: string): Promise<boolean> {
  const r = await db.prepare("SELECT 1 AS one FROM batches WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, batchId).first();
  return r !== null;
}

export interface MessageStateRow {
  id: string;
  app_id: string;
  batch_id: string;
  mobile: string;
  status: string;
  result_code: string | null;
  result_message: string | null;
  segments: number;
  customer_ref: string | null;
  send_at: number;
  created_at: number;
  submitted_at: number | null;
  reported_at: number | null;
}

const COLS = "id, app_id, batch_id, mobile, status, result_code, result_message, segments, customer_ref, send_at, created_at, submitted_at, reported_at";

/** These ids' messages of the tenant, in no particular order (absent ids are another tenant's or unknown). */
export async function messagesByIds({ db, tenantId }: TenantDb, ids: string[]): Promise<MessageStateRow[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT ${COLS} FROM messages WHERE ${tenantIds("?1", "?2")}`)
    .bind(tenantId, JSON.stringify(ids))
    .all<MessageStateRow>();
  return results;
}

/** One batch's messages of the tenant (optionally to one E.164 mobile), in id order, a page at a time. */
export async function messagesOfBatch(
  { db, tenantId }: TenantDb,
  batchId: string,
  mobile: string | null,
  limit: number,
  offset: number,
): Promise<{ rows: MessageStateRow[]; total: number }> {
  const [page, count] = await db.batch([
    db
      .prepare(`SELECT ${COLS} FROM messages WHERE tenant_id = ?1 AND batch_id = ?2 AND (?3 IS NULL OR mobile = ?3) ORDER BY id LIMIT ?4 OFFSET ?5`)
      .bind(tenantId, batchId, mobile, limit, offset),
    db.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1 AND batch_id = ?2 AND (?3 IS NULL OR mobile = ?3)").bind(tenantId, batchId, mobile),
  ]);
  return { rows: page!.results as MessageStateRow[], total: (count!.results[0] as { n: number }).n };
}
