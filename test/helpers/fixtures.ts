// Test fixtures: fresh tenants with credentials, money, an approved signature and templates,
// created through the real core and store code (no mocks), so every test can start isolated.
import { env } from "cloudflare:workers";
import { createCredential, type IssuedCredential } from "../../src/core/credentials";
import { randomDigits, randomHex } from "../../src/core/crypto";
import { adjustBalance, insertTenantIfAbsent } from "../../src/store/tenants";
import { insertSignature, type ReviewStatus } from "../../src/store/signatures";
import { insertTemplate } from "../../src/store/templates";
import { getTenant } from "./domain";
import type { Dialect, Kind, Tenant } from "../../src/core/types";
import { tenantDb } from "../../src/store/db";
import { guardBuckets } from "../../src/guard/mobile-guard";

export interface TestTenant {
  tenant: Tenant;
  id: string;
}

let seq = 0;

/** A fresh tenant with `balance` (minor units, 1 = 0.001 CNY) and optional settings JSON. */
export async function makeTenant(opts: { balance?: number; settings?: Record<string, unknown>; prices?: Partial<Tenant["prices"]>; timezone?: string } = {}): Promise<Tenant> {
  const id = `tn_test_${Date.now().toString(36)}_${++seq}_${randomHex(3)}`;
  const now = Date.now();
  const created = await insertTenantIfAbsent(env.DB, {
    id,
    name: `Test tenant ${seq}`,
    timezone: opts.timezone ?? "Asia/Shanghai",
    prices: { verification: 45, notification: 45, marketing: 55, ...opts.prices },
    webhookSecret: randomHex(16),
    settings: JSON.stringify(opts.settings ?? {}),
    guardBuckets: guardBuckets(env),
    now,
  });
  if (!created) throw new Error(`test tenant ${id} exists already`);
  if (opts.balance) await adjustBalance(tenantDb(env, id), opts.balance, "topup", "test fixture", now);
  return (await getTenant(tenantDb(env, id)))!;
}

/**
 * A fixture that changes what a send reads about `tenant` (a signature, a template) gives the
 * tenant a new revision stamp (migration 0014); the test's Tenant object follows it, so that a send
 * decided on it is decided on the tenant as it now is (acceptSend refuses an older one).
 */
export async function followRevision(tenant: Tenant): Promise<void> {
  tenant.revision = (await env.DB.prepare("SELECT revision FROM tenants WHERE id = ?1").bind(tenant.id).first<number>("revision"))!;
}

export async function makeCredential(tenant: Tenant, dialect: Dialect, opts: { kinds?: string; defaultSignatureId?: number | null } = {}): Promise<IssuedCredential> {
  return createCredential(env, tenant, dialect, { ...opts, now: Date.now() });
}

export async function makeSignature(tenant: Tenant, name = `签名${randomDigits(4)}`, status: ReviewStatus = "approved"): Promise<{ id: number; uid: string; name: string }> {
  const uid = randomHex(16);
  const id = await insertSignature(tenantDb(env, tenant.id), { uid, name, type: 1, remark: null, image: null, imageType: null, status, now: Date.now() });
  if (id === null) throw new Error(`signature ${name} already exists`);
  await followRevision(tenant);
  return { id, uid, name };
}

export async function makeTemplate(
  tenant: Tenant,
  opts: { kind: Kind; content: string; signatureId?: number | null; status?: ReviewStatus; codeLength?: number; ttl?: number },
): Promise<number> {
  const id = await insertTemplate(tenantDb(env, tenant.id), {
    signatureId: opts.signatureId ?? null,
    kind: opts.kind,
    content: opts.content,
    codeLength: opts.codeLength ?? 6,
    ttl: opts.ttl ?? 300,
    remark: null,
    status: opts.status ?? "approved",
    now: Date.now(),
  });
  await followRevision(tenant);
  return id;
}

/** A random valid mainland-China mobile (national form, 11 digits) unique enough per test. */
export const mobile = (): string => `139${randomDigits(8)}`;

/** The tenant's balance and the sum of its ledger, read back from D1. */
export async function money(tenantId: string): Promise<{ balance: number; ledger: number }> {
  const row = await env.DB.prepare(
    "SELECT (SELECT balance FROM tenants WHERE id = ?1) AS balance, (SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE tenant_id = ?1) AS ledger",
  )
    .bind(tenantId)
    .first<{ balance: number; ledger: number }>();
  return row!;
}
