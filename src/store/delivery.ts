// Status moves of the delivery engine (cancel, claim, submit outcome, reports, replies) and the
// refund statements they share. Every move is a guarded UPDATE; related writes return as
// statements so the caller runs them in ONE db.batch.
import type { TenantDb } from "./db";
import type { Kind } from "./columns";
import { appRefundStatement } from "./app-caps";
import { statsMoveStatements } from "./stats";

/**
 * A refund for each message in `ids` that is now in `status` (and `code`, when given), tagged with
 * `token`; then the balance of every tenant concerned is credited with exactly the SUM of the rows
 * carrying that token. The unique index ledger_refund_once makes a second refund of a message a
 * silently ignored row, so a racing or repeated operation credits nothing twice. The apps' spending
 * counters get the same rows back (caps: store/app-caps).
 */
export function refundStatements(
  db: D1Database,
  idsJson: string,
  status: "canceled" | "failed" | "undelivered",
  code: string | null,
  token: string,
  now: number,
  /** The tenant a tenant's own operation (cancel) is limited to; null for the engine's sweeps across tenants. */
  tenantId: string | null = null,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT OR IGNORE INTO ledger (tenant_id, amount, reason, batch_id, message_id, note, created_at)
         SELECT m.tenant_id, m.price, 'refund', m.batch_id, m.id, ?2, ?3 FROM messages m
         WHERE m.id IN (SELECT value FROM json_each(?1)) AND m.status = ?4 AND (?5 IS NULL OR m.result_code = ?5) AND m.price > 0
           AND (?6 IS NULL OR m.tenant_id = ?6)`,
      )
      .bind(idsJson, token, now, status, code, tenantId),
    db
      .prepare(
        `UPDATE tenants SET
           balance = balance + (SELECT COALESCE(SUM(l.amount), 0) FROM ledger l
             WHERE l.message_id IN (SELECT value FROM json_each(?1)) AND l.reason = 'refund' AND l.note = ?2 AND l.tenant_id = tenants.id),
           updated_at = ?3
         WHERE id IN (SELECT l.tenant_id FROM ledger l
           WHERE l.message_id IN (SELECT value FROM json_each(?1)) AND l.reason = 'refund' AND l.note = ?2)`,
      )
      .bind(idsJson, token, now),
    appRefundStatement(db, idsJson, token),
  ];
}

export interface CancelRow {
  id: string;
  price: number;
}

/** [existing ids of the tenant, statistics out, canceled rows, statistics in, ...refund, batch flag]: run in one db.batch. */
export function cancelStatements({ db, tenantId }: TenantDb, idsJson: string, token: string, now: number): D1PreparedStatement[] {
  return [
    db.prepare("SELECT id FROM messages WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))").bind(tenantId, idsJson),
    ...statsMoveStatements(
      db,
      idsJson,
      [
        db
          .prepare(
            `UPDATE messages SET status = 'canceled', updated_at = ?3
             WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2)) AND status = 'scheduled' RETURNING id, price`,
          )
          .bind(tenantId, idsJson, now),
      ],
      tenantId,
    ),
    ...refundStatements(db, idsJson, "canceled", null, token, now, tenantId),
    markBatchesCanceled(db, tenantId, idsJson, now),
  ];
}

/** A batch whose messages are all canceled now says so (batches.canceled), for schedule listings. */
function markBatchesCanceled(db: D1Database, tenantId: string, idsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE batches SET canceled = 1, updated_at = ?3
       WHERE tenant_id = ?1 AND canceled = 0
         AND id IN (SELECT batch_id FROM messages WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2)))
         AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.batch_id = batches.id AND m.status <> 'canceled')`,
    )
    .bind(tenantId, idsJson, now);
}

export async function batchMessageIds({ db, tenantId }: TenantDb, batchId: string): Promise<string[] | null> {
  const batch = await db.prepare("SELECT id FROM batches WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, batchId).first();
  if (!batch) return null;
  const { results } = await db
    .prepare("SELECT id FROM messages WHERE tenant_id = ?1 AND batch_id = ?2 ORDER BY id")
    .bind(tenantId, batchId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

// ---- dispatch ---------------------------------------------------------------------------------

export interface ClaimedRow {
  id: string;
  tenant_id: string;
  mobile: string;
  content: string;
  channel: "sms" | "voice";
  kind: Kind;
  encoding: "gsm7" | "ucs2";
  segments: number;
  signature: string | null;
  template_id: number | null;
  params: string | null;
  attempts: number;
  /** The signature's id (the extension replies come back to). */
  signature_id: number | null;
  /** The tenant's own sender. */
  source_addr: string | null;
}

// What a carrier needs besides the message row comes back with the claim itself (no second
// statement and result over the same ids): the signature's id and the tenant's own sender.
const CLAIM_COLUMNS = `id, tenant_id, mobile, content, channel, kind, encoding, segments, signature, template_id, params, attempts,
  (SELECT s.id FROM signatures s WHERE s.tenant_id = messages.tenant_id AND s.name = messages.signature AND s.deleted = 0 ORDER BY s.id LIMIT 1) AS signature_id,
  (SELECT json_extract(t.settings, '$.sourceAddr') FROM tenants t WHERE t.id = messages.tenant_id) AS source_addr`;

/**
 * [in flight, leftovers, claimed], one db.batch: rows another run claimed within the lease and may
 * be submitting right now (left alone: it was read before the claims below), rows a crashed run
 * claimed before the lease and never got a carrier reference for (handed over again: a carrier's
 * own records make that safe, see Carrier), then the guarded queued → submitted claim. A submit
 * whose outcome was unknown (submit_unknown) is never taken again here: recovery reconciles it.
 */
export function claimStatements(db: D1Database, idsJson: string, now: number, leaseBefore: number): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `SELECT id FROM messages
         WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'submitted' AND carrier_ref IS NULL AND submit_unknown = 0
           AND submitted_at >= ?2`,
      )
      .bind(idsJson, leaseBefore),
    db
      .prepare(
        `UPDATE messages SET attempts = attempts + 1, submitted_at = ?2, updated_at = ?2
         WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'submitted' AND carrier_ref IS NULL AND submit_unknown = 0
           AND submitted_at < ?3
         RETURNING ${CLAIM_COLUMNS}`,
      )
      .bind(idsJson, now, leaseBefore),
    db
      .prepare(
        `UPDATE messages SET status = 'submitted', attempts = attempts + 1, submitted_at = ?2, updated_at = ?2
         WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'queued'
         RETURNING ${CLAIM_COLUMNS}`,
      )
      .bind(idsJson, now),
  ];
}

/**
 * Records what carriers took ([[id, carrier, [ref, …]], …]): every reference (one per part) in
 * carrier_refs, and the carrier with its first reference on the message. A report by message id
 * may already have finalised the row, so only the reference is missing there.
 */
export function recordSentStatements(db: D1Database, sentJson: string, now: number): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT OR IGNORE INTO carrier_refs (carrier, ref, message_id, part, created_at)
         SELECT json_extract(m.value, '$[1]'), r.value, json_extract(m.value, '$[0]'), CAST(r.key AS INTEGER) + 1, ?2
         FROM json_each(?1) AS m, json_each(json_extract(m.value, '$[2]')) AS r`,
      )
      .bind(sentJson, now),
    db
      .prepare(
        `UPDATE messages SET carrier = j.carrier, carrier_ref = j.ref, submit_unknown = 0, updated_at = ?2
         FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS carrier, json_extract(value, '$[2][0]') AS ref
               FROM json_each(?1)) AS j
         WHERE messages.id = j.id AND messages.carrier_ref IS NULL`,
      )
      .bind(sentJson, now),
  ];
}

/** Submits whose outcome is unknown ([[id, carrier], …]): kept submitted, never taken by a claim again. */
export function markUnknownStatement(db: D1Database, pairsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE messages SET carrier = j.carrier, submit_unknown = 1, updated_at = ?2
       FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS carrier FROM json_each(?1)) AS j
       WHERE messages.id = j.id AND messages.status = 'submitted' AND messages.carrier_ref IS NULL`,
    )
    .bind(pairsJson, now);
}

/** Transient failure: back to queued, so the cron and the retry see it as not yet handed over. */
export function requeueStatement(db: D1Database, idsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE messages SET status = 'queued', updated_at = ?2
       WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'submitted' AND carrier_ref IS NULL`,
    )
    .bind(idsJson, now);
}

/** Gateway-side final failure (retries exhausted): never reached the carrier, so refunded. */
export function failStatements(db: D1Database, idsJson: string, reason: string, token: string, now: number): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE messages SET status = 'failed', result_code = '1', result_message = ?2, reported_at = ?3, updated_at = ?3
         WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ('queued', 'submitted') AND carrier_ref IS NULL`,
      )
      .bind(idsJson, reason, now),
    ...refundStatements(db, idsJson, "failed", null, token, now),
  ];
}

/** The carrier refused at submit (permanent): undelivered with `code` (1 = submit failed unless the carrier said more), refunded. */
export function rejectStatements(db: D1Database, idsJson: string, reason: string, token: string, now: number, code = "1"): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE messages SET status = 'undelivered', result_code = ?4, result_message = ?2, reported_at = ?3, updated_at = ?3
         WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'submitted' AND carrier_ref IS NULL`,
      )
      .bind(idsJson, reason, now, code),
    ...refundStatements(db, idsJson, "undelivered", code, token, now),
  ];
}

/**
 * Released marketing messages whose mobile opted out after they were accepted: undelivered with
 * code 7 (black/white list), refunded. The others among `ids` are left as they are.
 */
export function optedOutStatements(db: D1Database, idsJson: string, reason: string, token: string, now: number): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE messages SET status = 'undelivered', result_code = '7', result_message = ?2, reported_at = ?3, updated_at = ?3
         WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'queued' AND kind = 'marketing'
           AND EXISTS (SELECT 1 FROM opt_outs o WHERE o.tenant_id = messages.tenant_id AND o.mobile = messages.mobile)`,
      )
      .bind(idsJson, reason, now),
    ...refundStatements(db, idsJson, "undelivered", "7", token, now),
  ];
}

