// The routing table: ordered rules, replaced whole in one batch.
import type { Kind } from "./columns";

export interface RouteRuleRow {
  position: number;
  tenant_id: string | null;
  kind: Kind | null;
  prefix: string | null;
  /** JSON array of carrier names. */
  carriers: string;
}

export const listRoutesStatement = (db: D1Database): D1PreparedStatement =>
  db.prepare("SELECT position, tenant_id, kind, prefix, carriers FROM routes ORDER BY position");

export async function listRouteRows(db: D1Database): Promise<RouteRuleRow[]> {
  return (await listRoutesStatement(db).all<RouteRuleRow>()).results;
}

/** Replaces every rule in one transaction: readers see the old table or the new one, never a mix. */
export async function replaceRouteRows(db: D1Database, rules: Array<Omit<RouteRuleRow, "position">>): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM routes"),
    db
      .prepare(
        `INSERT INTO routes (position, tenant_id, kind, prefix, carriers)
         SELECT CAST(key AS INTEGER) + 1, json_extract(value, '$.tenant_id'), json_extract(value, '$.kind'),
           json_extract(value, '$.prefix'), json_extract(value, '$.carriers')
         FROM json_each(?1)`,
      )
      .bind(JSON.stringify(rules)),
  ]);
}

/** Rule positions that name a carrier (a carrier in use cannot be deleted). */
export async function routesNaming(db: D1Database, carrier: string): Promise<number[]> {
  const { results } = await db
    .prepare("SELECT position FROM routes WHERE EXISTS (SELECT 1 FROM json_each(routes.carriers) WHERE value = ?1) ORDER BY position")
    .bind(carrier)
    .all<{ position: number }>();
  return results.map((r) => r.position);
}
