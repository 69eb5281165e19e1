// Cancelling scheduled sends: a guarded scheduled → canceled move and its exact, at-most-once
// refund, in one D1 batch. Whatever the cron released first is no longer cancelable.
import type { TenantDb } from "../store/db";
import { CoreError } from "./errors";
import { randomHex } from "./crypto";
import { batchMessageIds, cancelStatements, type CancelRow } from "../store/delivery";
import { tenantDb } from "../store/db";

export type CancelOutcome = "canceled" | "not_cancelable" | "not_found";

export interface CancelResult {
  id: string;
  outcome: CancelOutcome;
}

export interface BatchCancelResult {
  batchId: string;
  results: CancelResult[];
  summary: { canceled: number; notCancelable: number; refunded: number };
}

/** Largest id list per call: one batch of at most this many messages is cancelled atomically. */
export const MAX_CANCEL_IDS = 10_000;

/**
 * A cancel's statements (guarded scheduled → canceled move, exact refund) for a caller that runs
 * them inside its own db.batch; results [2] are the canceled rows (id, price).
 */
export function cancelInBatch({ db, tenantId }: TenantDb, ids: string[], now: number): D1PreparedStatement[] {
  // The token tags this operation's ledger rows so the balance is credited with exactly them.
  return cancelStatements({ db, tenantId }, JSON.stringify([...new Set(ids)]), `cancel:${randomHex(12)}`, now);
}

async function cancelIds(env: Env, tenantId: string, ids: string[], now: number): Promise<{ results: CancelResult[]; refunded: number }> {
  if (ids.length === 0) return { results: [], refunded: 0 };
  if (ids.length > MAX_CANCEL_IDS) throw new CoreError("too_many_recipients", `at most ${MAX_CANCEL_IDS} messages per cancel`);
  const tdb = tenantDb(env, tenantId);
  const res = await tdb.db.batch(cancelInBatch(tdb, ids, now));
  const existing = new Set((res[0]!.results as Array<{ id: string }>).map((r) => r.id));
  const canceledRows = res[2]!.results as unknown as CancelRow[];
  const canceled = new Set(canceledRows.map((r) => r.id));
  const refunded = canceledRows.reduce((s, r) => s + r.price, 0);
  const results = ids.map((id) => ({
    id,
    outcome: (canceled.has(id) ? "canceled" : existing.has(id) ? "not_cancelable" : "not_found") as CancelOutcome,
  }));
  return { results, refunded };
}

/**
 * Cancels the tenant's messages still `scheduled`, in input order. An id of another tenant (or no
 * message at all) is not_found; queued, sent or already canceled ones are not_cancelable.
 */
export async function cancelScheduled(env: Env, tenantId: string, messageIds: string[], now = Date.now()): Promise<CancelResult[]> {
  return (await cancelIds(env, tenantId, messageIds, now)).results;
}

/** Cancels every still-scheduled message of one batch; an unknown batch (or another tenant's) throws not_found. */
export async function cancelBatch(env: Env, tenantId: string, batchId: string, now = Date.now()): Promise<BatchCancelResult> {
  const ids = await batchMessageIds(tenantDb(env, tenantId), batchId);
  if (ids === null) throw new CoreError("not_found", `no batch ${batchId}`);
  const { results, refunded } = await cancelIds(env, tenantId, ids, now);
  const canceled = results.filter((r) => r.outcome === "canceled").length;
  return { batchId, results, summary: { canceled, notCancelable: results.length - canceled, refunded } };
}
