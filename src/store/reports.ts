// The reports table: one row per final message, for the pull APIs and the push.

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
