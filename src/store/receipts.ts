// Receipts by carrier reference, and the messages they complete. A receipt is stored whether or
// not its reference is known yet (early receipts wait here); a message is complete when every one
// of its references (one per part) has a receipt.

/** [[ref, code, reportedAt], …] of one carrier; the first receipt of a reference wins. */
export function insertReceiptsStatement(db: D1Database, carrier: string, rowsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO receipts (carrier, ref, code, reported_at, received_at)
       SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), ?3 FROM json_each(?2)`,
    )
    .bind(carrier, rowsJson, now);
}

export interface CompletedRow {
  id: string;
  /** '10000' when every part was delivered, else the code of the first part that was not. */
  code: string;
  reported_at: number;
}

const COMPLETED = `
  SELECT cr.message_id AS id,
    COALESCE((SELECT r2.code FROM carrier_refs c2 JOIN receipts r2 ON r2.carrier = c2.carrier AND r2.ref = c2.ref
              WHERE c2.message_id = cr.message_id AND r2.code <> '10000' ORDER BY c2.part LIMIT 1), '10000') AS code,
    MAX(r.reported_at) AS reported_at
  FROM carrier_refs cr LEFT JOIN receipts r ON r.carrier = cr.carrier AND r.ref = cr.ref
  JOIN messages m ON m.id = cr.message_id AND m.status = 'submitted'
  WHERE cr.message_id IN (%IDS%)
  GROUP BY cr.message_id
  HAVING COUNT(*) = COUNT(r.ref)`;

/** Submitted messages that receipts for these references of `carrier` complete. */
export function completedByRefsStatement(db: D1Database, carrier: string, refsJson: string): D1PreparedStatement {
  return db
    .prepare(COMPLETED.replace("%IDS%", "SELECT message_id FROM carrier_refs WHERE carrier = ?1 AND ref IN (SELECT value FROM json_each(?2))"))
    .bind(carrier, refsJson);
}

/** Submitted messages among these ids whose receipts are all in (receipts that came before the references). */
export function completedByIdsStatement(db: D1Database, idsJson: string): D1PreparedStatement {
  return db.prepare(COMPLETED.replace("%IDS%", "SELECT value FROM json_each(?1)")).bind(idsJson);
}
