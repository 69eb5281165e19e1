// A tenant's price table and home country (tenants.home_country / price_table, migration 0009);
// they are read with the tenant row (store/rows toTenant), so sends need no read of their own.
import type { TenantDb } from "./db";

/** Replaces the whole table (JSON PriceRow[], already validated) and the home country. */
export async function replacePriceTable({ db, tenantId }: TenantDb, homeCountry: string, tableJson: string, now: number): Promise<boolean> {
  const res = await db
    .prepare("UPDATE tenants SET home_country = ?2, price_table = ?3, updated_at = ?4 WHERE id = ?1")
    .bind(tenantId, homeCountry, tableJson, now)
    .run();
  return res.meta.changes > 0;
}
