// The carriers table: one row per carrier (type, settings without secrets, sealed secrets, enabled).
import type { CarrierType } from "./columns";

export interface CarrierRow {
  name: string;
  type: CarrierType;
  /** JSON of the type's settings without its secret fields. */
  settings: string;
  /** AES-GCM sealed JSON of the secret fields ("v1.…"), or null when the type has none. */
  secrets: string | null;
  enabled: number;
  max_tps: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export async function getCarrierRow(db: D1Database, name: string): Promise<CarrierRow | null> {
  return db.prepare("SELECT * FROM carriers WHERE name = ?1").bind(name).first<CarrierRow>();
}

/** Every carrier (a handful): dispatch reads them in the same batch as its claims. */
export const allCarriersStatement = (db: D1Database): D1PreparedStatement => db.prepare("SELECT * FROM carriers");

export async function getCarrierRows(db: D1Database, names: string[]): Promise<CarrierRow[]> {
  if (names.length === 0) return [];
  const { results } = await db
    .prepare("SELECT * FROM carriers WHERE name IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(names))
    .all<CarrierRow>();
  return results;
}

export async function listCarrierRows(db: D1Database, limit: number, after: string | null): Promise<CarrierRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM carriers WHERE (?1 IS NULL OR name > ?1) ORDER BY name LIMIT ?2")
    .bind(after, limit)
    .all<CarrierRow>();
  return results;
}

export async function insertCarrierRow(db: D1Database, r: Omit<CarrierRow, "version" | "created_at" | "updated_at">, now: number): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT INTO carriers (name, type, settings, secrets, enabled, max_tps, version, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7) ON CONFLICT (name) DO NOTHING`,
    )
    .bind(r.name, r.type, r.settings, r.secrets, r.enabled, r.max_tps, now)
    .run();
  return res.meta.changes > 0;
}

/** Replaces settings, secrets and the enabled flag when the row is still at `version` (no lost update). */
export async function updateCarrierRow(
  db: D1Database,
  r: Pick<CarrierRow, "name" | "settings" | "secrets" | "enabled" | "max_tps" | "version">,
  now: number,
): Promise<CarrierRow | null> {
  return db
    .prepare(
      `UPDATE carriers SET settings = ?2, secrets = ?3, enabled = ?4, max_tps = ?5, version = version + 1, updated_at = ?7
       WHERE name = ?1 AND version = ?6 RETURNING *`,
    )
    .bind(r.name, r.settings, r.secrets, r.enabled, r.max_tps, r.version, now)
    .first<CarrierRow>();
}

export async function deleteCarrierRow(db: D1Database, name: string): Promise<boolean> {
  const res = await db.prepare("DELETE FROM carriers WHERE name = ?1").bind(name).run();
  return res.meta.changes > 0;
}
