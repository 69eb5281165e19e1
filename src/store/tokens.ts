// Bearer tokens minted by login endpoints (paasw /api/token, Huawei /v3/auth/tokens); hashes only.

export interface TokenRow {
  token_hash: string;
  app_id: string;
  tenant_id: string;
  secret_version: number;
  issued_at: number;
  expires_at: number;
}

export async function insertToken(db: D1Database, t: TokenRow): Promise<void> {
  await db
    .prepare(
      `INSERT OR IGNORE INTO tokens (token_hash, app_id, tenant_id, secret_version, issued_at, expires_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
    )
    .bind(t.token_hash, t.app_id, t.tenant_id, t.secret_version, t.issued_at, t.expires_at)
    .run();
}

/** The newest token of an app still valid at `now` under its current secret version. */
export async function latestLiveToken(db: D1Database, appId: string, secretVersion: number, now: number): Promise<TokenRow | null> {
  return db
    .prepare("SELECT * FROM tokens WHERE app_id = ?1 AND secret_version = ?2 AND expires_at > ?3 ORDER BY issued_at DESC LIMIT 1")
    .bind(appId, secretVersion, now)
    .first<TokenRow>();
}
