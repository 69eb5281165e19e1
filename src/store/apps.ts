// Credentials ("apps"): one per tenant per dialect client. Looked up by the public key the client sends.
import type { TenantDb } from "./db";
import type { Dialect } from "./columns";
import type { TenantRow } from "./tenants";

export interface AppRow {
  id: string;
  tenant_id: string;
  dialect: string;
  key: string;
  project_id: string | null;
  secret_hash: string;
  secret_enc: string | null;
  secret_version: number;
  name: string;
  kinds: string;
  sms_enabled: number;
  blocked: number;
  ip_allowlist: string | null;
  default_signature_id: number | null;
  report_url: string | null;
  reply_url: string | null;
  options: string;
  cap_daily?: number | null;
  cap_total?: number | null;
  spent_day?: number;
  spent_day_start?: number;
  spent_total?: number;
  created_at: number;
  updated_at: number;
}

// Authentication reads the app and its tenant in one round trip: tenant columns carry a t_ prefix.
const TENANT_COLS = [
  "id", "name", "balance", "price_verification", "price_notification", "price_marketing",
  "timezone", "webhook_secret", "settings", "created_at", "updated_at", "home_country", "price_table", "revision",
  "guard_buckets", "guard_buckets_before", "guard_moved_at",
] as const;
export const APP_AND_TENANT = `SELECT a.*, ${TENANT_COLS.map((c) => `t.${c} AS t_${c}`).join(", ")} FROM apps a JOIN tenants t ON t.id = a.tenant_id`;

export type JoinedRow = AppRow & { [K in (typeof TENANT_COLS)[number] as `t_${K}`]: TenantRow[K] };

export const split = (r: JoinedRow): { app: AppRow; tenant: TenantRow } => {
  const t = Object.fromEntries(TENANT_COLS.map((c) => [c, r[`t_${c}`]])) as unknown as TenantRow;
  // The t_ columns are left on the app row: the core's mapper reads only the app's own columns.
  return { app: r, tenant: t };
};

export async function getAppAndTenantByKey(db: D1Database, dialect: Dialect, key: string): Promise<{ app: AppRow; tenant: TenantRow } | null> {
  const row = await db.prepare(`${APP_AND_TENANT} WHERE a.dialect = ?1 AND a.key = ?2`).bind(dialect, key).first<JoinedRow>();
  return row ? split(row) : null;
}

/**
 * Whose rows a read that shares authentication's round trip may see: the tenant (`tenant`) and the
 * app (`app`) owning the presented key or token, as SQL subqueries over `binds` (bound as ?1 …).
 * Such reads are scoped by it, so they only ever see that tenant's rows; `at(n)` numbers their own
 * parameters after the scope's.
 */
export interface AuthScope {
  tenant: string;
  app: string;
  binds: unknown[];
  at: (n: number) => string;
}

const scope = (tenant: string, app: string, binds: unknown[]): AuthScope => ({ tenant, app, binds, at: (n) => `?${binds.length + n}` });

/** The app key `key` of `dialect`. */
export const keyScope = (dialect: Dialect, key: string): AuthScope =>
  scope("(SELECT tenant_id FROM apps WHERE dialect = ?1 AND key = ?2)", "(SELECT id FROM apps WHERE dialect = ?1 AND key = ?2)", [dialect, key]);

/** The login token whose hash is `tokenHash`. */
export const tokenScope = (tokenHash: string): AuthScope =>
  scope("(SELECT tenant_id FROM tokens WHERE token_hash = ?1)", "(SELECT app_id FROM tokens WHERE token_hash = ?1)", [tokenHash]);

/**
 * getAppAndTenantByKey and `more` (statements scoped by keyScope) in ONE db.batch: one round
 * trip instead of one per read. The caller may use `results` only after the secret has matched.
 */
export async function getAppAndTenantByKeyWith(
  db: D1Database,
  dialect: Dialect,
  key: string,
  more: D1PreparedStatement[],
): Promise<{ found: { app: AppRow; tenant: TenantRow } | null; results: D1Result[] }> {
  if (more.length === 0) return { found: await getAppAndTenantByKey(db, dialect, key), results: [] };
  const [auth, ...results] = await db.batch([db.prepare(`${APP_AND_TENANT} WHERE a.dialect = ?1 AND a.key = ?2`).bind(dialect, key), ...more]);
  const row = (auth!.results as JoinedRow[])[0];
  return { found: row ? split(row) : null, results };
}

type TokenRow = JoinedRow & { k_expires_at: number; k_secret_version: number };
export type TokenFound = { app: AppRow; tenant: TenantRow; expiresAt: number; secretVersion: number };

const byToken = (db: D1Database, tokenHash: string) =>
  db
    .prepare(
      `${APP_AND_TENANT.replace("FROM apps a", "FROM tokens k JOIN apps a ON a.id = k.app_id").replace("SELECT a.*", "SELECT a.*, k.expires_at AS k_expires_at, k.secret_version AS k_secret_version")}
       WHERE k.token_hash = ?1`,
    )
    .bind(tokenHash);

const tokenFound = (row: TokenRow | null | undefined): TokenFound | null =>
  row ? { ...split(row), expiresAt: row.k_expires_at, secretVersion: row.k_secret_version } : null;

/** A token's app and tenant, with the token's own validity, in one round trip. */
export async function getAppAndTenantByToken(db: D1Database, tokenHash: string): Promise<TokenFound | null> {
  return tokenFound(await byToken(db, tokenHash).first<TokenRow>());
}

/** getAppAndTenantByToken and `more` (statements scoped by tokenScope) in ONE db.batch; `results` only for a valid token. */
export async function getAppAndTenantByTokenWith(
  db: D1Database,
  tokenHash: string,
  more: D1PreparedStatement[],
): Promise<{ found: TokenFound | null; results: D1Result[] }> {
  if (more.length === 0) return { found: await getAppAndTenantByToken(db, tokenHash), results: [] };
  const [auth, ...results] = await db.batch([byToken(db, tokenHash), ...more]);
  return { found: tokenFound((auth!.results as TokenRow[])[0]), results };
}

export async function getAppByKey(db: D1Database, dialect: Dialect, key: string): Promise<AppRow | null> {
  const row = await db.prepare("SELECT * FROM apps WHERE dialect = ?1 AND key = ?2").bind(dialect, key).first<AppRow>();
  return row;
}

export async function getApp({ db, tenantId }: TenantDb, appId: string): Promise<AppRow | null> {
  const row = await db.prepare("SELECT * FROM apps WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, appId).first<AppRow>();
  return row;
}

export interface NewApp {
  id: string;
  dialect: Dialect;
  key: string;
  projectId: string | null;
  secretHash: string;
  secretEnc: string | null;
  name: string;
  kinds: string;
  defaultSignatureId: number | null;
  now: number;
}

export async function insertApp({ db, tenantId }: TenantDb, a: NewApp): Promise<void> {
  await db
    .prepare(
      `INSERT INTO apps (id, tenant_id, dialect, key, project_id, secret_hash, secret_enc, name, kinds,
         default_signature_id, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)`,
    )
    .bind(a.id, tenantId, a.dialect, a.key, a.projectId, a.secretHash, a.secretEnc, a.name, a.kinds, a.defaultSignatureId, a.now)
    .run();
}

export interface AppPatch {
  name?: string;
  kinds?: string;
  smsEnabled?: boolean;
  blocked?: boolean;
  /** undefined = unchanged; null = clear. */
  ipAllowlist?: string[] | null;
  defaultSignatureId?: number | null;
  reportUrl?: string | null;
  replyUrl?: string | null;
  options?: Record<string, unknown>;
}

const nullable = <T>(v: T | null | undefined): [number, T | null] => (v === undefined ? [0, null] : [1, v]);

export async function updateApp({ db, tenantId }: TenantDb, appId: string, p: AppPatch, now: number): Promise<boolean> {
  const [setIp, ip] = nullable(p.ipAllowlist === undefined ? undefined : p.ipAllowlist === null ? null : JSON.stringify(p.ipAllowlist));
  const [setSig, sig] = nullable(p.defaultSignatureId);
  const [setReport, report] = nullable(p.reportUrl);
  const [setReply, reply] = nullable(p.replyUrl);
  const res = await db
    .prepare(
      `UPDATE apps SET
         name = COALESCE(?3, name),
         kinds = COALESCE(?4, kinds),
         sms_enabled = COALESCE(?5, sms_enabled),
         blocked = COALESCE(?6, blocked),
         ip_allowlist = CASE WHEN ?7 THEN ?8 ELSE ip_allowlist END,
         default_signature_id = CASE WHEN ?9 THEN ?10 ELSE default_signature_id END,
         report_url = CASE WHEN ?11 THEN ?12 ELSE report_url END,
         reply_url = CASE WHEN ?13 THEN ?14 ELSE reply_url END,
         options = COALESCE(?15, options),
         updated_at = ?16
       WHERE tenant_id = ?1 AND id = ?2`,
    )
    .bind(
      tenantId,
      appId,
      p.name ?? null,
      p.kinds ?? null,
      p.smsEnabled === undefined ? null : Number(p.smsEnabled),
      p.blocked === undefined ? null : Number(p.blocked),
      setIp,
      ip,
      setSig,
      sig,
      setReport,
      report,
      setReply,
      reply,
      p.options === undefined ? null : JSON.stringify(p.options),
      now,
    )
    .run();
  return res.meta.changes > 0;
}

/** Replaces the secret and bumps its version, which invalidates every token minted before. */
export async function rotateAppSecret(
  { db, tenantId }: TenantDb,
  
  appId: string,
  secretHash: string,
  secretEnc: string | null,
  now: number,
): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE apps SET secret_hash = ?3, secret_enc = ?4, secret_version = secret_version + 1, updated_at = ?5
       WHERE tenant_id = ?1 AND id = ?2`,
    )
    .bind(tenantId, appId, secretHash, secretEnc, now)
    .run();
  return res.meta.changes > 0;
}

export async function listAppsPage({ db, tenantId }: TenantDb, limit: number, after: string | null): Promise<AppRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM apps WHERE tenant_id = ?1 AND (?2 IS NULL OR id > ?2) ORDER BY id LIMIT ?3")
    .bind(tenantId, after, limit)
    .all<AppRow>();
  return results;
}
