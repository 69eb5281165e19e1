// The dispatch consumer's moves: the guarded claim queued → submitted, what the carriers answered
// (references, unknown outcome, transient failure, refusal) and the gateway's own final failures.
// Every move is a guarded UPDATE; the caller wraps them in the statistics move and runs them in ONE db.batch.
import { tenantIds } from "./rows";
import type { Kind } from "../columns";
import type { TenantDb } from "../db";
import { refundStatements } from "../ledger";

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
export function claimStatements({ db, tenantId }: TenantDb, idsJson: string, now: number, leaseBefore: number): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `SELECT id FROM messages
         WHERE ${tenantIds("?3", "?1")} AND status = 'submitted' AND carrier_ref IS NULL AND submit_unknown = 0
           AND submitted_at >= ?2`,
      )
      .bind(idsJson, leaseBefore, tenantId),
    db
      .prepare(
        `UPDATE messages SET attempts = attempts + 1, submitted_at = ?2, updated_at = ?2
         WHERE ${tenantIds("?4", "?1")} AND status = 'submitted' AND carrier_ref IS NULL AND submit_unknown = 0
           AND submitted_at < ?3
         RETURNING ${CLAIM_COLUMNS}`,
      )
      .bind(idsJson, now, leaseBefore, tenantId),
    db
      .prepare(
        `UPDATE messages SET status = 'submitted', attempts = attempts + 1, submitted_at = ?2, updated_at = ?2
         WHERE ${tenantIds("?3", "?1")} AND status = 'queued'
         RETURNING ${CLAIM_COLUMNS}`,
      )
      .bind(idsJson, now, tenantId),
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

/** Submits whose outcome is unknown ([[id, carrier], …]): kept submitted, never taken by a claim again (+tenant_id: by id, see tenantIds). */
export function markUnknownStatement({ db, tenantId }: TenantDb, pairsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE messages SET carrier = j.carrier, submit_unknown = 1, updated_at = ?2
       FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS carrier FROM json_each(?1)) AS j
       WHERE +messages.tenant_id = ?3 AND messages.id = j.id AND messages.status = 'submitted' AND messages.carrier_ref IS NULL`,
    )
    .bind(pairsJson, now, tenantId);
}

/** Transient failure: back to queued, so the cron and the retry see it as not yet handed over. */
export function requeueStatement({ db, tenantId }: TenantDb, idsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE messages SET status = 'queued', updated_at = ?2
       WHERE ${tenantIds("?3", "?1")} AND status = 'submitted' AND carrier_ref IS NULL`,
    )
    .bind(idsJson, now, tenantId);
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
