// Login tokens for the dialects that use them (paasw: 7200 s, Huawei IAM: 24 h). Only a hash is
// stored; the token itself is derived as HMAC(SECRETS_KEY, app, secret version, issue time), so
// a client asking again inside the validity gets the very same token back (paasw's rule) without
// the gateway ever storing it. Rotating the app's secret bumps its version and kills old tokens.
import { CoreError } from "./errors";
import { hmacSha256Hex, secretsKey, sha256Hex } from "./crypto";
import type { App, Tenant } from "./types";
import { insertTokenUnlessLive, latestLiveToken } from "../store/tokens";
import { getAppAndTenantByTokenWith, tokenScope, type AuthScope } from "../store/apps";
import { admitApp, type KeyedReads } from "./credentials";
import { directoryDb } from "../store/db";
import { revisionWith } from "../store/tenants";
import { toAppAndTenant } from "./apps";
import { FRESH, type Reuse } from "./snapshots";

export interface IssuedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 64 characters of [A-Za-z0-9] from two HMAC-SHA256 digests (~380 bits, unguessable without SECRETS_KEY). */
async function deriveToken(env: Env, app: App, issuedAt: number): Promise<string> {
  const seed = `${app.id}|${app.secretVersion}|${issuedAt}`;
  const hex = (await hmacSha256Hex(secretsKey(env), `token:a:${seed}`)) + (await hmacSha256Hex(secretsKey(env), `token:b:${seed}`));
  let out = "";
  for (let i = 0; i < 64; i++) out += ALNUM[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 62];
  return out;
}

/** The app's live token (same one while valid), or a new one. */
export async function issueToken(env: Env, app: App, ttlSeconds: number, now = Date.now()): Promise<IssuedToken> {
  const live = await latestLiveToken(directoryDb(env), app.id, app.secretVersion, now);
  if (live) return { token: await deriveToken(env, app, live.issued_at), issuedAt: live.issued_at, expiresAt: live.expires_at };
  const token = await deriveToken(env, app, now);
  const row = await insertTokenUnlessLive(directoryDb(env), {
    token_hash: await sha256Hex(token),
    app_id: app.id,
    tenant_id: app.tenantId,
    secret_version: app.secretVersion,
    issued_at: now,
    expires_at: now + ttlSeconds * 1000,
  });
  // A concurrent login may have stored its token first: that one is the app's token now.
  return { token: row.issued_at === now ? token : await deriveToken(env, app, row.issued_at), issuedAt: row.issued_at, expiresAt: row.expires_at };
}

/**
 * Resolves a presented token to its app and tenant (unknown, expired and rotated-away tokens are
 * refused, the message saying which so the client fetches a new one), with the reads `more` builds (scoped to the token's tenant: store/apps tokenScope) in
 * the same D1 round trip; what they read comes back only for a valid, live token of a usable app.
 */
export async function resolveTokenWith<T>(
  env: Env,
  dialect: App["dialect"],
  token: string,
  ip: string,
  more: (scope: AuthScope) => KeyedReads<T>,
  reuse: Reuse = FRESH,
  now = Date.now(),
): Promise<{ app: App; tenant: Tenant; expiresAt: number; extra: T }> {
  if (token.length < 16 || token.length > 256) throw new CoreError("auth_failed", "invalid token");
  const hash = await sha256Hex(token);
  const reads = more(tokenScope(hash));
  return reuse(
    `token ${hash}`,
    async () => {
      const { found, results } = await getAppAndTenantByTokenWith(directoryDb(env), hash, reads.statements);
      return { found: found && { ...toAppAndTenant(found), expiresAt: found.expiresAt, secretVersion: found.secretVersion }, results };
    },
    (tenantId, appId) => revisionWith(directoryDb(env), tenantId, appId, reads.statements),
    ({ found, results }) => ({ ...checkToken(found, dialect, ip, now), extra: reads.read(results) }),
  );
}

/** A token's app and tenant, mapped, with the token's own validity. */
type TokenOwner = { app: App; tenant: Tenant; expiresAt: number; secretVersion: number };

function checkToken(found: TokenOwner | null, dialect: App["dialect"], ip: string, now: number): { app: App; tenant: Tenant; expiresAt: number } {
  if (!found || found.app.dialect !== dialect) throw new CoreError("auth_failed", "invalid token");
  const { app, tenant } = found;
  if (found.expiresAt <= now) throw new CoreError("token_expired", "token expired: request a new one");
  if (app.secretVersion !== found.secretVersion) throw new CoreError("token_expired", "token revoked (the secret was reset): request a new one");
  return { ...admitApp(app, tenant, ip), expiresAt: found.expiresAt };
}
