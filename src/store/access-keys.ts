// Huawei access keys (AK/SK) of huawei credentials: the sealed secret key, looked up by the AK the
// client names in its Authorization header, with the app and tenant it acts as.
import type { TenantDb } from "./db";
import type { AppRow } from "./apps";
import type { TenantRow } from "./tenants";
import { APP_AND_TENANT, split, type AuthScope, type JoinedRow } from "./apps";

export interface AccessKeyRow {
  access_key: string;
  tenant_id: string;
  app_id: string;
  secret_enc: string;
  description: string;
  created_at: number;
}

export interface AccessKeyView {
  accessKey: string;
  appId: string;
  description: string;
  createdAt: number;
}

const view = (r: AccessKeyRow): AccessKeyView => ({ accessKey: r.access_key, appId: r.app_id, description: r.description, createdAt: r.created_at });

/** Inserts an access key unless the app already holds `max` (Huawei's per-user limit). */
export async function insertAccessKey(db: D1Database, k: AccessKeyRow, max: number): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT INTO access_keys (access_key, tenant_id, app_id, secret_enc, description, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6
       WHERE (SELECT COUNT(*) FROM access_keys WHERE tenant_id = ?2 AND app_id = ?3) < ?7`,
    )
    .bind(k.access_key, k.tenant_id, k.app_id, k.secret_enc, k.description, k.created_at, max)
    .run();
  return res.meta.changes > 0;
}

export async function listAccessKeys({ db, tenantId }: TenantDb, appId: string): Promise<AccessKeyView[]> {
  const { results } = await db
    .prepare("SELECT * FROM access_keys WHERE tenant_id = ?1 AND app_id = ?2 ORDER BY created_at, access_key")
    .bind(tenantId, appId)
    .all<AccessKeyRow>();
  return results.map(view);
}

export async function deleteAccessKey({ db, tenantId }: TenantDb, appId: string, accessKey: string): Promise<boolean> {
  const res = await db.prepare("DELETE FROM access_keys WHERE tenant_id = ?1 AND app_id = ?2 AND access_key = ?3").bind(tenantId, appId, accessKey).run();
  return res.meta.changes > 0;
}

/** The access key `ak`: whose tenant and app a read sharing its round trip may see. */
export const accessKeyScope = (ak: string): AuthScope => ({
  tenant: "(SELECT tenant_id FROM access_keys WHERE access_key = ?1)",
  app: "(SELECT app_id FROM access_keys WHERE access_key = ?1)",
  binds: [ak],
  at: (n) => `?${1 + n}`,
});

type KeyJoinedRow = JoinedRow & { k_secret_enc: string };

/**
 * The access key `ak` with its app and tenant, and `more` (statements scoped by accessKeyScope),
 * in ONE round trip. The caller may use `results` only after the signature has been verified.
 */
export async function getAccessKeyWith(
  db: D1Database,
  ak: string,
  more: D1PreparedStatement[],
): Promise<{ found: { secretEnc: string; app: AppRow; tenant: TenantRow } | null; results: D1Result[] }> {
  const byKey = db
    .prepare(
      `${APP_AND_TENANT.replace("SELECT a.*", "SELECT a.*, k.secret_enc AS k_secret_enc").replace(
        "FROM apps a",
        "FROM access_keys k JOIN apps a ON a.id = k.app_id AND a.tenant_id = k.tenant_id",
      )} WHERE k.access_key = ?1`,
    )
    .bind(ak);
  const [keyRes, ...results] = await db.batch([byKey, ...more]);
  const row = (keyRes!.results as KeyJoinedRow[])[0];
  return { found: row ? { secretEnc: row.k_secret_enc, ...split(row) } : null, results };
}
