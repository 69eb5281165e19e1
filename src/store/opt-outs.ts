// The opt_outs table: a mobile that replied TD/T/R/退订 (or was added by the operator) gets no
// marketing messages from that tenant.
import type { TenantDb } from "./db";

export interface OptOut {
  mobile: string;
  source: string;
  createdAt: number;
}

interface OptOutRow {
  mobile: string;
  source: string;
  created_at: number;
}

const toOptOut = (r: OptOutRow): OptOut => ({ mobile: r.mobile, source: r.source, createdAt: r.created_at });

export async function listOptOuts({ db, tenantId }: TenantDb, limit: number, after: string | null): Promise<OptOut[]> {
  const { results } = await db
    .prepare("SELECT mobile, source, created_at FROM opt_outs WHERE tenant_id = ?1 AND (?2 IS NULL OR mobile > ?2) ORDER BY mobile LIMIT ?3")
    .bind(tenantId, after, limit)
    .all<OptOutRow>();
  return results.map(toOptOut);
}

export async function getOptOut({ db, tenantId }: TenantDb, mobile: string): Promise<OptOut | null> {
  const r = await db
    .prepare("SELECT mobile, source, created_at FROM opt_outs WHERE tenant_id = ?1 AND mobile = ?2")
    .bind(tenantId, mobile)
    .first<OptOutRow>();
  return r ? toOptOut(r) : null;
}

/** Idempotent: an existing opt-out keeps its original source and time. Returns the stored row. */
export async function insertOptOut({ db, tenantId }: TenantDb, mobile: string, source: string, now: number): Promise<OptOut> {
  const [, read] = await db.batch([
    db.prepare("INSERT INTO opt_outs (tenant_id, mobile, source, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING").bind(tenantId, mobile, source, now),
    db.prepare("SELECT mobile, source, created_at FROM opt_outs WHERE tenant_id = ?1 AND mobile = ?2").bind(tenantId, mobile),
  ]);
  return toOptOut(read!.results[0] as OptOutRow);
}

export async function deleteOptOut({ db, tenantId }: TenantDb, mobile: string): Promise<boolean> {
  const r = await db.prepare("DELETE FROM opt_outs WHERE tenant_id = ?1 AND mobile = ?2").bind(tenantId, mobile).run();
  return r.meta.changes > 0;
}

/** Which of these mobiles opted out of this tenant's marketing messages. */
export async function optedOutAmong({ db, tenantId }: TenantDb, mobiles: string[]): Promise<Set<string>> {
  if (mobiles.length === 0) return new Set();
  const { results } = await db
    .prepare("SELECT mobile FROM opt_outs WHERE tenant_id = ?1 AND mobile IN (SELECT value FROM json_each(?2))")
    .bind(tenantId, JSON.stringify(mobiles))
    .all<{ mobile: string }>();
  return new Set(results.map((r) => r.mobile));
}

/** Opt-outs learnt from replies, across tenants: [[tenant, mobile, source], …]. Existing rows are kept. */
export function optOutStatement(db: D1Database, rowsJson: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO opt_outs (tenant_id, mobile, source, created_at)
       SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), ?2 FROM json_each(?1)`,
    )
    .bind(rowsJson, now);
}
