// Carrier reports applied to messages: the guarded submitted → final move (the caller wraps it in
// the statistics move).

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
