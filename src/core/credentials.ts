// Credentials per dialect: creation in the format each dialect registered (core/dialect-registry),
// rotation and authentication. Secrets are stored as SHA-256 hashes and compared in constant time.
import { CoreError } from "./errors";
import { encryptSecret, randomHex, secretMatches, secretsKey, sha256Hex } from "./crypto";
import { dialectTraits } from "./dialect-registry";
import { ipAllowed } from "./ip";
import type { App, Dialect, Tenant } from "./types";
import { getAppAndTenantByKey, getAppAndTenantByKeyWith, insertApp, keyScope, rotateAppSecret, type AuthScope } from "../store/apps";
import { directoryDb, tenantDb } from "../store/db";
import { revisionWith } from "../store/tenants";
import { toAppAndTenant } from "./apps";
import { FRESH, type Reuse } from "./snapshots";

export interface IssuedCredential {
  app: { id: string; key: string; projectId: string | null };
  /** Shown once; only its hash is kept. */
  secret: string;
}

export async function createCredential(
  env: Env,
  tenant: Tenant,
  dialect: Dialect,
  opts: { name?: string; kinds?: string; defaultSignatureId?: number | null; now: number },
): Promise<IssuedCredential> {
  const f = dialectTraits(dialect).credential;
  const key = f.key();
  const secret = f.secret();
  const projectId = f.projectId?.() ?? null;
  const id = `app_${randomHex(8)}`;
  await insertApp(tenantDb(env, tenant.id), {
    id,
    dialect,
    key,
    projectId,
    secretHash: await sha256Hex(secret),
    secretEnc: f.recoverable ? await encryptSecret(secretsKey(env), secret) : null,
    name: opts.name ?? "",
    kinds: opts.kinds ?? "verification,notification,marketing",
    defaultSignatureId: opts.defaultSignatureId ?? null,
    now: opts.now,
  });
  return { app: { id, key, projectId }, secret };
}

/** A new secret for an existing app; older tokens stop working at once (secret_version bump). */
export async function rotateCredential(env: Env, app: App, now: number): Promise<string | null> {
  const f = dialectTraits(app.dialect).credential;
  const secret = f.secret();
  const ok = await rotateAppSecret(
    tenantDb(env, app.tenantId),
    app.id,
    await sha256Hex(secret),
    f.recoverable ? await encryptSecret(secretsKey(env), secret) : null,
    now,
  );
  return ok ? secret : null;
}

// Compared when the key is unknown, so a miss costs the same as a wrong secret.
const DUMMY_HASH = "0".repeat(64);

/**
 * Checks a key + secret pair and the app's state. The order of checks follows the vendors:
 * credentials first (auth_failed), then blocked app, IP allow-list, SMS enabled.
 */
export async function authenticate(
  env: Env,
  dialect: Dialect,
  key: string,
  secret: string,
  ip: string,
): Promise<{ app: App; tenant: Tenant }> {
  const found = key.length <= 128 ? await getAppAndTenantByKey(directoryDb(env), dialect, key) : null;
  return check(found && toAppAndTenant(found), secret, ip);
}

/** Reads that share authentication's round trip (built by core/prefetch): statements scoped by its AuthScope (store/apps) and how to take their results. */
export interface KeyedReads<T> {
  statements: D1PreparedStatement[];
  read: (results: D1Result[]) => T;
}

/**
 * authenticate, with the reads `more` builds (scoped to the key's tenant: store/apps keyScope) in
 * the same D1 round trip. What they read comes back only once the credentials and the app's state
 * passed, so a wrong secret learns nothing from them. `reuse` may serve the rows from a snapshot
 * (core/snapshots.ts); the checks run on every call.
 */
export async function authenticateWith<T>(
  env: Env,
  dialect: Dialect,
  key: string,
  secret: string,
  ip: string,
  more: (scope: AuthScope) => KeyedReads<T>,
  reuse: Reuse = FRESH,
): Promise<{ app: App; tenant: Tenant; extra: T }> {
  const reads = more(keyScope(dialect, key));
  return reuse(
    `key ${dialect} ${key}`,
    async () => {
      if (key.length > 128) return { found: null, results: [] };
      const { found, results } = await getAppAndTenantByKeyWith(directoryDb(env), dialect, key, reads.statements);
      return { found: found && toAppAndTenant(found), results };
    },
    (tenantId, appId) => revisionWith(directoryDb(env), tenantId, appId, reads.statements),
    async ({ found, results }) => ({ ...(await check(found, secret, ip)), extra: reads.read(results) }),
  );
}

async function check(found: { app: App; tenant: Tenant } | null, secret: string, ip: string): Promise<{ app: App; tenant: Tenant }> {
  const matches = await secretMatches(secret, found?.app.secretHash ?? DUMMY_HASH);
  if (!found || !matches) throw new CoreError("auth_failed", "authentication failed: unknown key or wrong secret");
  return admitApp(found.app, found.tenant, ip);
}

/** The state checks alone, for dialects that authenticate by token. */
export function admitApp(app: App, tenant: Tenant, ip: string): { app: App; tenant: Tenant } {
  if (app.blocked) throw new CoreError("app_blocked", "this app is blocked");
  if (!ipAllowed(ip, app.ipAllowlist)) throw new CoreError("ip_not_allowed", `requests from ${ip} are not allowed for this app`);
  if (!app.smsEnabled) throw new CoreError("sms_disabled", "SMS is not enabled for this app");
  return { app, tenant };
}
