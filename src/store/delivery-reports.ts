// Delivery reports and replies as rows: applying carrier reports to messages, the report rows for
// the pull APIs, inbound replies, and the rows waiting for a push.

/**
 * [[messageId, code, message, segments|null, reportedAt], …] applied to submitted messages only, of
 * `carrier` (or not yet recorded with one: a report may overtake the recording of its submit).
 */
export function applyReportsStatement(
  db: D1Database,
  rowsJson: string,
  carrier: string | null,
  now: number,
  /** "ids": only the moved ids come back (what finalising needs unless an Analytics Engine dataset wants the rows). */
  returning: "rows" | "ids" = "rows",
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE messages SET
         status = CASE j.code WHEN '10000' THEN 'delivered' WHEN '9' THEN 'unknown' ELSE 'undelivered' END,
         result_code = j.code, result_message = j.msg, segments = COALESCE(j.seg, messages.segments),
         reported_at = j.at, updated_at = ?3
       FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS code, json_extract(value, '$[2]') AS msg,
               json_extract(value, '$[3]') AS seg, json_extract(value, '$[4]') AS at FROM json_each(?1)) AS j
       WHERE messages.id = j.id AND messages.status = 'submitted' AND (?2 IS NULL OR messages.carrier IS NULL OR messages.carrier = ?2)
       RETURNING ${returning === "ids" ? "messages.id" : "messages.id, messages.tenant_id, messages.dialect, messages.kind, messages.carrier, messages.status, messages.result_code"}`,
    )
    .bind(rowsJson, carrier, now);
}

/** One report row per message now final; re-running is a no-op (reports.message_id is UNIQUE). */
export function insertReportsStatement(db: D1Database, idsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO reports (tenant_id, app_id, message_id, batch_id, mobile, signature, code, message, segments,
         sent_at, reported_at, created_at, customer_ref)
       SELECT tenant_id, app_id, id, batch_id, mobile, signature, COALESCE(result_code, '9'), COALESCE(result_message, ''), segments,
         COALESCE(submitted_at, created_at), COALESCE(reported_at, ?2), ?2, customer_ref
       FROM messages WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ('delivered', 'undelivered', 'unknown', 'failed')`,
    )
    .bind(idsJson, now);
}

export interface ReportRow {
  id: number;
  tenant_id: string;
  app_id: string;
  message_id: string;
  batch_id: string;
  mobile: string;
  signature: string | null;
  code: string;
  message: string;
  segments: number;
  sent_at: number;
  reported_at: number;
  customer_ref: string | null;
}

/** Report rows of these messages not yet handed out, whose app wants them pushed. */
export function pushableReportsStatement(db: D1Database, idsJson: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT r.id, r.tenant_id, r.app_id, r.message_id, r.batch_id, r.mobile, r.signature, r.code, r.message, r.segments,
         r.sent_at, r.reported_at, r.customer_ref
       FROM reports r JOIN apps a ON a.id = r.app_id
       WHERE r.message_id IN (SELECT value FROM json_each(?1)) AND r.push_id IS NULL AND r.pulled_at IS NULL
         AND r.pushed_at IS NULL AND a.report_url IS NOT NULL
       ORDER BY r.id`,
    )
    .bind(idsJson);
}

// ---- replies ----------------------------------------------------------------------------------

export interface RouteCandidate {
  idx: number;
  tenant_id: string;
  signature_id: number;
  name: string;
  last_sent: number | null;
}

/**
 * Tenants that could own each reply ([{mobile, sig, ext}, …]): an approved signature of that name,
 * or whose id is the extension; with when the tenant last sent that mobile a message.
 */
export async function replyRouteCandidates(db: D1Database, carrier: string, itemsJson: string): Promise<RouteCandidate[]> {
  const { results } = await db
    .prepare(
      `SELECT CAST(j.key AS INTEGER) AS idx, s.tenant_id, s.id AS signature_id, s.name,
         (SELECT MAX(m.created_at) FROM messages m WHERE m.tenant_id = s.tenant_id AND m.mobile = json_extract(j.value, '$.mobile')) AS last_sent
       FROM json_each(?1) AS j JOIN signatures s
         ON s.status = 'approved' AND s.deleted = 0
        AND (s.name = json_extract(j.value, '$.sig') OR s.id = json_extract(j.value, '$.ext'))
       UNION ALL
       -- A reply to the carrier's bare sender names no signature: it goes to whoever last messaged that mobile through it.
       SELECT CAST(j.key AS INTEGER), m.tenant_id, COALESCE(s.id, 0), COALESCE(m.signature, ''), m.created_at
       FROM json_each(?1) AS j
       JOIN messages m ON m.id = (SELECT m2.id FROM messages m2 WHERE m2.mobile = json_extract(j.value, '$.mobile') AND m2.carrier = ?2
                                  ORDER BY m2.created_at DESC LIMIT 1)
       LEFT JOIN signatures s ON s.tenant_id = m.tenant_id AND s.name = m.signature AND s.deleted = 0
       WHERE json_extract(j.value, '$.sig') IS NULL AND json_extract(j.value, '$.ext') IS NULL`,
    )
    .bind(itemsJson, carrier)
    .all<RouteCandidate>();
  return results;
}

/** [[tenant, mobile, content, signature, extension, ref, receivedAt], …]; RETURNING the new rows only. */
export function insertInboundStatement(db: D1Database, carrier: string, rowsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO inbound (tenant_id, mobile, content, signature, extension, carrier, carrier_ref, received_at, created_at)
       SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'),
         json_extract(value, '$[4]'), ?2, json_extract(value, '$[5]'), json_extract(value, '$[6]'), ?3
       FROM json_each(?1) RETURNING id`,
    )
    .bind(rowsJson, carrier, now);
}

export interface InboundRow {
  id: number;
  tenant_id: string;
  mobile: string;
  content: string;
  signature: string | null;
  extension: string | null;
  received_at: number;
}

/** Inbound rows of these carrier refs not yet handed out, whose tenant has an app with a reply URL. */
export function pushableRepliesStatement(db: D1Database, carrier: string, refsJson: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT i.id, i.tenant_id, i.mobile, i.content, i.signature, i.extension, i.received_at FROM inbound i
       WHERE i.carrier = ?1 AND i.carrier_ref IN (SELECT value FROM json_each(?2)) AND i.push_id IS NULL
         AND i.pulled_at IS NULL AND i.pushed_at IS NULL
         AND EXISTS (SELECT 1 FROM apps a WHERE a.tenant_id = i.tenant_id AND a.reply_url IS NOT NULL)
       ORDER BY i.id`,
    )
    .bind(carrier, refsJson);
}
