// The spending counters and caps of apps (migration 0009): the statements an accept batch adds to
// its debit, the one every refund adds to its credit, and the operator's cap changes.
import type { TenantDb } from "./db";

/**
 * The app's share of an accept's debit, for the SAME db.batch as acceptStatements: the counters
 * move, then app_cap_guards aborts the whole batch if they passed a cap. Never check-then-act:
 * concurrent accepts serialise in D1, each one's guard sees every debit committed before it.
 * `dayStart` is the start of the accept's day in the tenant's timezone; a later day starts the
 * daily counter again (a late batch from the day before counts on the newer day: never less).
 * `checkCaps` false leaves the guard out: only when the batch's revision check already proves the
 * app has no caps (core/send.ts).
 */
export function appSpendStatements(
  { db, tenantId }: TenantDb,
  s: { appId: string; amount: number; dayStart: number; checkCaps: boolean },
): D1PreparedStatement[] {
  if (s.amount <= 0) return [];
  const counters = db
    .prepare(
      `UPDATE apps SET
         spent_day = CASE WHEN ?3 > spent_day_start THEN ?4 ELSE spent_day + ?4 END,
         spent_day_start = MAX(spent_day_start, ?3),
         spent_total = spent_total + ?4
       WHERE tenant_id = ?1 AND id = ?2`,
    )
    .bind(tenantId, s.appId, s.dayStart, s.amount);
  if (!s.checkCaps) return [counters];
  return [
    counters,
    db
      .prepare(
        `INSERT INTO app_cap_guards (reason) SELECT 'app cap' FROM apps
         WHERE tenant_id = ?1 AND id = ?2
           AND ((cap_total IS NOT NULL AND spent_total > cap_total) OR (cap_daily IS NOT NULL AND spent_day > cap_daily))`,
      )
      .bind(tenantId, s.appId),
  ];
}

/** The error D1 raises when app_cap_guards aborted a batch (test it before isOverdraft: both are CHECK failures). */
export const isAppCapFailure = (e: unknown): boolean => e instanceof Error && /app_cap_exceeded|app_cap_guards/i.test(e.message);

// The refund rows of one operation: ledger rows tagged `note` (refundStatements' token) for `ids`.
const REFUNDED = `SELECT l.amount, m.app_id, m.created_at FROM ledger l JOIN messages m ON m.id = l.message_id
  WHERE l.message_id IN (SELECT value FROM json_each(?1)) AND l.reason = 'refund' AND l.note = ?2`;

/**
 * Gives the apps back what the refund rows tagged `token` credited their tenants: the total
 * always, the day's counter when the message was debited on the app's current day. Messages from
 * before the counters existed (spend_since) were never counted and give nothing back.
 */
export function appRefundStatement(db: D1Database, idsJson: string, token: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE apps SET
         spent_total = MAX(0, spent_total - (SELECT COALESCE(SUM(r.amount), 0) FROM (${REFUNDED}) r
           WHERE r.app_id = apps.id AND r.created_at >= apps.spend_since)),
         spent_day = MAX(0, spent_day - (SELECT COALESCE(SUM(r.amount), 0) FROM (${REFUNDED}) r
           WHERE r.app_id = apps.id AND r.created_at >= apps.spend_since AND r.created_at >= apps.spent_day_start))
       WHERE id IN (SELECT r.app_id FROM (${REFUNDED}) r)`,
    )
    .bind(idsJson, token);
}

/** Sets an app's caps (minor units; null removes one); undefined leaves a cap as it is. */
export async function setAppCaps(
  { db, tenantId }: TenantDb,
  
  appId: string,
  caps: { daily?: number | null; total?: number | null },
  now: number,
): Promise<boolean> {
  const res = await db
    .prepare(
      `UPDATE apps SET
         cap_daily = CASE WHEN ?3 THEN ?4 ELSE cap_daily END,
         cap_total = CASE WHEN ?5 THEN ?6 ELSE cap_total END,
         updated_at = ?7
       WHERE tenant_id = ?1 AND id = ?2`,
    )
    .bind(tenantId, appId, Number(caps.daily !== undefined), caps.daily ?? null, Number(caps.total !== undefined), caps.total ?? null, now)
    .run();
  return res.meta.changes > 0;
}
