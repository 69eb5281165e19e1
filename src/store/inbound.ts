// Inbound replies: which tenant owns each (read over signatures and the messages sent to that
// mobile), the inbound rows, and those waiting for a push.

export interface RouteCandidate {
  idx: number;
  tenant_id: string;
  signature_id: number;
  name: string;
  last_sent: number | null;
}

/** ?1 the replies ([{mobile, sig, ext}, …]), ?2 the carrier. Both lookups by mobile go through messages_mobile (migration 0016). */
export const REPLY_ROUTES = `SELECT CAST(j.key AS INTEGER) AS idx, s.tenant_id, s.id AS signature_id, s.name,
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
 WHERE json_extract(j.value, '$.sig') IS NULL AND json_extract(j.value, '$.ext') IS NULL`;

/**
 * Tenants that could own each reply ([{mobile, sig, ext}, …]): an approved signature of that name,
 * or whose id is the extension; with when the tenant last sent that mobile a message.
 */
export async function replyRouteCandidates(db: D1Database, carrier: string, itemsJson: string): Promise<RouteCandidate[]> {
  const { results } = await db.prepare(REPLY_ROUTES).bind(itemsJson, carrier).all<RouteCandidate>();
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
