// Owns tenant accounts: creation (optionally with a client-chosen id), settings changes validated
// against TenantSettings, the webhook signing secret, and balance top-ups/adjustments with their ledger row.
import type { TenantDb } from "../store/db";
import { z } from "zod";
import { CoreError } from "./errors";
import { encryptSecret, randomHex, secretsKey } from "./crypto";
import { parseTenantSettings, TenantSettings } from "./tenant-settings";
import type { Kind, Tenant } from "./types";
import { adjustBalance, getTenant, isOverdraft, updateTenant, type TenantRow, insertTenantIfAbsent } from "../store/tenants";
import { ADMIN_SCOPE, batchWithReservation, checkIdempotency, type IdempotencyContext } from "./idempotency";
import { tenantDb } from "../store/db";
import { GUARD_MOVE_SPACING_MS, guardBuckets } from "../guard/mobile-guard";

export const TenantId = z.string().regex(/^[a-z0-9_-]{3,40}$/, "3–40 characters of a–z, 0–9, _ and -");

export const isValidTimezone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const Timezone = z.string().max(64).refine(isValidTimezone, "not an IANA time zone (e.g. Asia/Shanghai)");

const limits = TenantSettings.shape.limits.unwrap().shape;

/**
 * A partial TenantSettings without defaults: what a PATCH names replaces, what it omits stays.
 * Derived from TenantSettings so the two cannot drift.
 */
export const TenantSettingsPatch = z.strictObject({
  limits: z
    .strictObject({
      verification: limits.verification.unwrap().optional(),
      notification: limits.notification.unwrap().optional(),
      marketing: limits.marketing.unwrap().optional(),
    })
    .optional(),
  repeatWindowSeconds: TenantSettings.shape.repeatWindowSeconds.unwrap().optional(),
  blockedWords: TenantSettings.shape.blockedWords.unwrap().optional(),
  quietHours: TenantSettings.shape.quietHours.unwrap().optional(),
});
export type TenantSettingsPatch = z.infer<typeof TenantSettingsPatch>;

const DEFAULT_PRICES: Record<Kind, number> = { verification: 45, notification: 45, marketing: 55 };

export interface TenantInput {
  id?: string;
  name: string;
  timezone?: string;
  prices?: Partial<Record<Kind, number>>;
  settings?: TenantSettingsPatch;
}

/**
 * The new tenant and its webhook secret, shown this once. The secret keys the HMAC of outbound
 * pushes, so it must stay recoverable: it is stored AES-GCM sealed under SECRETS_KEY, not hashed.
 */
export async function createTenant(env: Env, input: TenantInput, now: number): Promise<{ tenant: Tenant; webhookSecret: string }> {
  const id = input.id ?? `tn_${randomHex(8)}`;
  const webhookSecret = randomHex(32);
  const created = await insertTenantIfAbsent(tenantDb(env, id).db, {
    id,
    name: input.name,
    timezone: input.timezone ?? "Asia/Shanghai",
    prices: { ...DEFAULT_PRICES, ...input.prices },
    webhookSecret: await encryptSecret(secretsKey(env), webhookSecret),
    settings: JSON.stringify(TenantSettings.parse(input.settings ?? {})),
    guardBuckets: guardBuckets(env),
    now,
  });
  if (!created) throw new CoreError("tenant_exists", `tenant ${id} already exists`, { field: "id", value: id });
  return { tenant: toTenant((await getTenant(tenantDb(env, id)))!), webhookSecret };
}

export interface TenantChange {
  name?: string;
  timezone?: string;
  prices?: Partial<Record<Kind, number>>;
  settings?: TenantSettingsPatch;
  /** Another MobileGuard bucket count (docs/jpush.md, "MobileGuard buckets"): at most one move per 7 days. */
  guardBuckets?: number;
}

function mergeSettings(current: TenantSettings, patch: TenantSettingsPatch): TenantSettings {
  return TenantSettings.parse({
    ...current,
    ...patch,
    limits: { ...current.limits, ...patch.limits },
  });
}

export async function changeTenant({ db, tenantId: id }: TenantDb, change: TenantChange, now: number): Promise<Tenant> {
  const row = await getTenant({ db, tenantId: id });
  if (!row) throw new CoreError("not_found", `tenant ${id} does not exist`);
  const settings = change.settings ? JSON.stringify(mergeSettings(toTenant(row).settings, change.settings)) : undefined;
  // The spacing between two moves is the UPDATE's own condition, so racing operators cannot pass it.
  const guardMove = change.guardBuckets === undefined ? undefined : { buckets: change.guardBuckets, movedBefore: now - GUARD_MOVE_SPACING_MS };
  if (!(await updateTenant({ db, tenantId: id }, { name: change.name, timezone: change.timezone, prices: change.prices, settings, guardMove }, now))) {
    const movedAt = (await getTenant({ db, tenantId: id }))?.guard_moved_at ?? now;
    const next = new Date(movedAt + GUARD_MOVE_SPACING_MS).toISOString();
    throw new CoreError("invalid_input", `guard_buckets was changed at ${new Date(movedAt).toISOString()}; it can change again from ${next}, when no window reaches back before that change`, {
      field: "guard_buckets",
    });
  }
  return toTenant((await getTenant({ db, tenantId: id }))!);
}

/** A new webhook signing secret; pushes signed with the old one stop verifying at once. */
export async function rotateWebhookSecret(env: Env, id: string, now: number): Promise<string> {
  const secret = randomHex(32);
  const sealed = await encryptSecret(secretsKey(env), secret);
  if (!(await updateTenant(tenantDb(env, id), { webhookSecret: sealed }, now))) throw new CoreError("not_found", `tenant ${id} does not exist`);
  return secret;
}

/**
 * Credits (amount > 0) or debits (amount < 0) the balance with one ledger row, atomically.
 * A debit below zero is refused by the balance CHECK and changes nothing.
 */
export async function changeBalance(
  { db, tenantId: id }: TenantDb,
  
  amount: number,
  reason: "topup" | "adjust",
  note: string,
  now: number,
  /** The operator's Idempotency-Key: a retry gets the first answer, never a second credit or debit. */
  idempotency?: IdempotencyContext,
): Promise<number> {
  let balance: number | null;
  await checkIdempotency(db, idempotency, ADMIN_SCOPE, now);
  try {
    balance = await adjustBalance({ db, tenantId: id }, amount, reason, note, now, (stmts) => batchWithReservation(db, idempotency, ADMIN_SCOPE, id, now, stmts));
  } catch (e) {
    if (isOverdraft(e)) throw new CoreError("insufficient_balance", `the balance cannot go below zero (adjustment ${amount})`, { field: "amount" });
    throw e;
  }
  if (balance === null) throw new CoreError("not_found", `tenant ${id} does not exist`);
  return balance;
}

/** A tenant as the core sees it, from its stored row. */
export const toTenant = (r: TenantRow): Tenant => ({
  id: r.id,
  name: r.name,
  balance: r.balance,
  prices: { verification: r.price_verification, notification: r.price_notification, marketing: r.price_marketing },
  homeCountry: r.home_country ?? "CN",
  priceTable: r.price_table ?? "[]",
  timezone: r.timezone,
  webhookSecret: r.webhook_secret,
  settings: parseTenantSettings(r.settings),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  revision: r.revision,
  guard: {
    buckets: r.guard_buckets,
    before: r.guard_buckets_before === null || r.guard_moved_at === null ? null : { buckets: r.guard_buckets_before, movedAt: r.guard_moved_at },
  },
});
