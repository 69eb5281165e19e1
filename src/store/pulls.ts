// The pull queries of delivery reports and replies (paasw /sms/deliver and /sms/smsUp): hand out the
// oldest rows not yet handed out, and mark them in the same statement; and the pull_marks that space out JPush receipt pulls.
//
// Each pull is ONE UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING: D1 runs it as a single write,
// so two concurrent pulls can never return the same row, and a row is never marked without being
// returned. Rows assigned to a push (push_id set by the delivery engine) are never pulled.
import type { TenantDb } from "./db";
import type { ReportRow } from "./reports";

/** A final delivery status, ready to be told to the customer. Times are epoch ms. */
export interface ReportItem {
  reportId: number;
  messageId: string;
  batchId: string;
  mobile: string; // E.164
  signature: string | null;
  code: string; // delivery code: '10000' delivered, '1'..'9' otherwise (paasw's list)
  message: string;
  segments: number;
  sentAt: number;
  reportedAt: number;
  /** The customer's reference the send carried (outId / extend), if any. */
  customerRef?: string | null;
}

/** A reply (MO) from a handset. */
export interface ReplyItem {
  replyId: number; // paasw's sequenceId
  mobile: string; // E.164
  content: string;
  signature: string | null;
  extension: string | null;
  receivedAt: number;
}

/** Most rows one pull returns (oldest first). */
export const PULL_LIMIT = 500;

/** The columns of a report row a pull hands out. */
type PulledReportRow = Omit<ReportRow, "tenant_id" | "app_id">;

interface InboundRow {
  id: number;
  mobile: string;
  content: string;
  signature: string | null;
  extension: string | null;
  received_at: number;
}

/**
 * The app's (of this tenant) reports not yet pulled or pushed, optionally of one signature and
 * reported since `since` (older ones are left to retention), marked pulled at `now`.
 */
export async function pullReports(
  { db, tenantId }: TenantDb,
  appId: string,
  signature: string | null,
  now: number,
  limit = PULL_LIMIT,
  since = 0,
): Promise<ReportItem[]> {
  const { results } = await db
    .prepare(
      `UPDATE reports SET pulled_at = ?4
       WHERE tenant_id = ?1 AND id IN (
         SELECT id FROM reports
         WHERE tenant_id = ?1 AND app_id = ?2 AND pulled_at IS NULL AND push_id IS NULL AND (?3 IS NULL OR signature = ?3)
           AND reported_at >= ?6
         ORDER BY id LIMIT ?5)
       RETURNING id, message_id, batch_id, mobile, signature, code, message, segments, sent_at, reported_at, customer_ref`,
    )
    .bind(tenantId, appId, signature, now, limit, since)
    .all<PulledReportRow>();
  return results
    .sort((a, b) => a.id - b.id)
    .map((r) => ({
      reportId: r.id,
      messageId: r.message_id,
      batchId: r.batch_id,
      mobile: r.mobile,
      signature: r.signature,
      code: r.code,
      message: r.message,
      segments: r.segments,
      sentAt: r.sent_at,
      reportedAt: r.reported_at,
      customerRef: r.customer_ref,
    }));
}

/** The tenant's replies not yet pulled or pushed, optionally to one signature, marked pulled at `now`. */
export async function pullReplies({ db, tenantId }: TenantDb, signature: string | null, now: number, limit = PULL_LIMIT): Promise<ReplyItem[]> {
  const { results } = await db
    .prepare(
      `UPDATE inbound SET pulled_at = ?3
       WHERE tenant_id = ?1 AND id IN (
         SELECT id FROM inbound
         WHERE tenant_id = ?1 AND pulled_at IS NULL AND push_id IS NULL AND (?2 IS NULL OR signature = ?2)
         ORDER BY id LIMIT ?4)
       RETURNING id, mobile, content, signature, extension, received_at`,
    )
    .bind(tenantId, signature, now, limit)
    .all<InboundRow>();
  return results
    .sort((a, b) => a.id - b.id)
    .map((r) => ({ replyId: r.id, mobile: r.mobile, content: r.content, signature: r.signature, extension: r.extension, receivedAt: r.received_at }));
}

/**
 * Admits one receipt pull of `appId` for `kind` unless another was admitted within `intervalMs`:
 * one guarded upsert, so two concurrent calls cannot both pass.
 */
export async function admitPull(db: D1Database, appId: string, kind: string, now: number, intervalMs: number): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT INTO pull_marks (app_id, kind, at) VALUES (?1, ?2, ?3)
       ON CONFLICT (app_id, kind) DO UPDATE SET at = excluded.at WHERE pull_marks.at <= ?3 - ?4`,
    )
    .bind(appId, kind, now, intervalMs)
    .run();
  return res.meta.changes > 0;
}
