// Bearer tokens minted by login endpoints (paasw /api/token, Huawei /v3/auth/tokens); hashes only.

export interface TokenRow {
  token_hash: string;
  app_id: string;
  tenant_id: string;
  secret_version: number;
  issued_at: number;
  expires_at: number;
}

/**
 * Stores `t` unless the app already has a live token under the same secret version (a concurrent
 * login got there first), then answers the live one: whoever wins, every caller gets the same token.
 */
export async function insertTokenUnlessLive(db: D1Database, t: TokenRow): Promise<TokenRow> {
  const [, live] = await db.batch<TokenRow>([
    db
      .prepare(
        `INSERT OR IGNORE INTO tokens (token_hash, app_id, tenant_id, secret_version, issued_at, expires_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6
         WHERE NOT EXISTS (SELECT 1 FROM tokens WHERE app_id = ?2 AND secret_version = ?4 AND expires_at > ?5)`,
      )
      .bind(t.token_hash, t.app_id, t.tenant_id, t.secret_version, t.issued_at, t.expires_at),
    latestLiveStatement(db, t.app_id, t.secret_version, t.issued_at),
  ]);
  return live!.results[0]!;
}

const latestLiveStatement = (db: D1Database, appId: string, secretVersion: number, now: number): D1PreparedStatement =>
  db
    .prepare("SELECT * FROM tokens WHERE app_id = ?1 AND secret_version = ?2 AND expires_at > ?3 ORDER BY issued_at DESC, token_hash LIMIT 1")
    .bind(appId, secretVersion, now);

/** The newest token of an app still valid at `now` under its current secret version. */
export async function latestLiveToken(db: D1Database, appId: string, secretVersion: number, now: number): Promise<TokenRow | null> {
  return latestLiveStatement(db, appId, secretVersion, now).first<TokenRow>();
}
