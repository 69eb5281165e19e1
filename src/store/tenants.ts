// Tenants and their balance; every balance change writes a ledger row in the same batch.
import type { TenantDb } from "./db";
import type { Kind } from "./columns";

export interface TenantRow {
  id: string;
  name: string;
  balance: number;
  price_verification: number;
  price_notification: number;
  price_marketing: number;
  home_country?: string;
  price_table?: string;
  timezone: string;
  webhook_secret: string;
  settings: string;
  created_at: number;
  updated_at: number;
  /** Stamp over what a send reads about the tenant (migration 0014): every accept's debit compares it (store/messages/accept.ts). */
  revision: number;
  /** MobileGuard objects of the tenant, and the count before the last move and its time (migration 0020). */
  guard_buckets: number;
  guard_buckets_before: number | null;
  guard_moved_at: number | null;
}

export async function getTenant({ db, tenantId }: TenantDb): Promise<TenantRow | null> {
  const row = await db.prepare("SELECT * FROM tenants WHERE id = ?1").bind(tenantId).first<TenantRow>();
  return row;
}

export async function listTenants(db: D1Database, limit: number, after: string | null): Promise<TenantRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM tenants WHERE (?1 IS NULL OR id > ?1) ORDER BY id LIMIT ?2")
    .bind(after, limit)
    .all<TenantRow>();
  return results;
}

export interface NewTenant {
  id: string;
  name: string;
  timezone: string;
  prices: Record<Kind, number>;
  webhookSecret: string;
  settings: string;
  /** MobileGuard objects of the tenant (GUARD_BUCKETS at its creation). */
  guardBuckets: number;
  now: number;
}

export interface TenantPatch {
  name?: string;
  timezone?: string;
  prices?: Partial<Record<Kind, number>>;
  settings?: string;
  webhookSecret?: string;
  /**
   * Moves the tenant to another MobileGuard bucket count, keeping the one it had and the time
   * (`now`). Only when the last move happened at or before `movedBefore`; otherwise nothing at all
   * changes (the result is false), so two operators' moves cannot race past the spacing.
   */
  guardMove?: { buckets: number; movedBefore: number };
}

export async function updateTenant({ db, tenantId }: TenantDb, p: TenantPatch, now: number): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE tenants SET
         name = COALESCE(?2, name),
         timezone = COALESCE(?3, timezone),
         price_verification = COALESCE(?4, price_verification),
         price_notification = COALESCE(?5, price_notification),
         price_marketing = COALESCE(?6, price_marketing),
         settings = COALESCE(?7, settings),
         webhook_secret = COALESCE(?8, webhook_secret),
         guard_buckets_before = CASE WHEN ?10 <> guard_buckets THEN guard_buckets ELSE guard_buckets_before END,
         guard_moved_at = CASE WHEN ?10 <> guard_buckets THEN ?9 ELSE guard_moved_at END,
         guard_buckets = COALESCE(?10, guard_buckets),
         updated_at = ?9
       WHERE id = ?1 AND (?10 IS NULL OR ?10 = guard_buckets OR guard_moved_at IS NULL OR guard_moved_at <= ?11)`,
    )
    .bind(
      tenantId,
      p.name ?? null,
      p.timezone ?? null,
      p.prices?.verification ?? null,
      p.prices?.notification ?? null,
      p.prices?.marketing ?? null,
      p.settings ?? null,
      p.webhookSecret ?? null,
      now,
      p.guardMove?.buckets ?? null,
      p.guardMove?.movedBefore ?? null,
    )
    .run();
  return res.meta.changes > 0;
}

/**
 * Credits (positive) or debits (negative) a balance with its ledger row, atomically.
 * Returns the new balance, or null when the tenant does not exist; a debit below zero
 * fails the CHECK constraint and changes nothing (the caller maps that error).
 */
export async function adjustBalance(
  { db, tenantId }: TenantDb,
  
  amount: number,
  reason: "topup" | "adjust",
  note: string,
  now: number,
  /** Runs the statements in one batch (default: db.batch); the Idempotency-Key reservation wraps it. */
  run: (stmts: D1PreparedStatement[]) => Promise<D1Result[]> = (stmts) => db.batch(stmts),
): Promise<number | null> {
  const [update] = await run([
    db.prepare("UPDATE tenants SET balance = balance + ?2, updated_at = ?3 WHERE id = ?1 RETURNING balance").bind(tenantId, amount, now),
    db
      .prepare("INSERT INTO ledger (tenant_id, amount, reason, note, created_at) SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM tenants WHERE id = ?1)")
      .bind(tenantId, amount, reason, note, now),
  ]);
  const row = update?.results[0] as { balance: number } | undefined;
  return row ? row.balance : null;
}

/** What the revision stamp leaves out (money moves on every send): read afresh with the stamp. */
export interface MoneyRow {
  revision: number;
  balance: number;
  spent_day: number;
  spent_day_start: number;
  spent_total: number;
}

/**
 * The tenant's revision stamp, its balance and the app's spending counters, with `more`, in ONE
 * db.batch: what a route reads when the credential's owner it holds may still be current (null:
 * no such tenant or app any more).
 */
export async function revisionWith(
  db: D1Database,
  tenantId: string,
  appId: string,
  more: D1PreparedStatement[],
): Promise<{ current: MoneyRow | null; results: D1Result[] }> {
  const [stamp, ...results] = await db.batch([
    db
      .prepare(
        `SELECT t.revision, t.balance, a.spent_day, a.spent_day_start, a.spent_total
         FROM tenants t JOIN apps a ON a.tenant_id = t.id AND a.id = ?2 WHERE t.id = ?1`,
      )
      .bind(tenantId, appId),
    ...more,
  ]);
  return { current: (stamp!.results[0] as MoneyRow | undefined) ?? null, results };
}

/**
 * The error D1 raises when an accept's debit found the tenant's revision stamp moved since its rows
 * were read (store/messages/accept.ts): the send was decided on settings, credentials, templates or
 * signatures that changed, and the whole batch rolled back.
 */
export const isStaleRevision = (e: unknown): boolean => e instanceof Error && /NOT NULL constraint failed: tenants\.revision/i.test(e.message);

/** D1 reports a failed CHECK (balance >= 0) as an error whose message names the constraint. */
export const isOverdraft = (e: unknown): boolean => e instanceof Error && /CHECK constraint failed/i.test(e.message);

/** Which of these tenant ids exist. */
export async function getTenantIds(db: D1Database, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { results } = await db.prepare("SELECT id FROM tenants WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(ids)).all<{ id: string }>();
  return new Set(results.map((r) => r.id));
}

/** Inserts the tenant unless the id is taken; false means the id already exists. */
export async function insertTenantIfAbsent(db: D1Database, t: NewTenant): Promise<boolean> {
  const r = await db
    .prepare(
      `INSERT INTO tenants (id, name, balance, price_verification, price_notification, price_marketing,
         timezone, webhook_secret, settings, created_at, updated_at, guard_buckets)
       VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(t.id, t.name, t.prices.verification, t.prices.notification, t.prices.marketing, t.timezone, t.webhookSecret, t.settings, t.now, t.guardBuckets)
    .run();
  return r.meta.changes > 0;
}

/** Replaces the price table (JSON PriceRow[], already validated; read with the tenant row, so sends need no read of their own) and the home country. */
export async function replacePriceTable({ db, tenantId }: TenantDb, homeCountry: string, tableJson: string, now: number): Promise<boolean> {
  const res = await db
    .prepare("UPDATE tenants SET home_country = ?2, price_table = ?3, updated_at = ?4 WHERE id = ?1")
    .bind(tenantId, homeCountry, tableJson, now)
    .run();
  return res.meta.changes > 0;
}
