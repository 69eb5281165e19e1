// Delivery statistics: folds the aggregate rows (src/store/stats.ts) into groups with counts by
// status and code, delivery rate and time to delivery; counts refusals; and mirrors both to Workers
// Analytics Engine when the optional STATS dataset binding exists.
import { countRefusalsStatement, HISTOGRAM_BOUNDS_MS, type StatsRow } from "../store/stats";
import { tenantDb } from "../store/db";

/** Statuses a message can still leave; the others are final. */
const PENDING = new Set(["scheduled", "queued", "submitted"]);
/** Final statuses a delivery rate is computed over (canceled messages were never meant to arrive). */
const ATTEMPTED = new Set(["delivered", "undelivered", "unknown", "failed"]);

export interface StatsGroup {
  messages: number;
  segments: number;
  amount: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  pending: number;
  delivered: number;
  /** delivered / (delivered + undelivered + unknown + failed); null while none is final. */
  delivery_rate: number | null;
  median_delivery_ms: number | null;
  mean_delivery_ms: number | null;
  /** How many delivered messages have each time to delivery: `le_ms` is the bucket's upper bound (null: longer). */
  delivery_histogram: Array<{ le_ms: number | null; messages: number }>;
}

/** A group's sums while its rows are added up; the rates and percentiles are derived at the end. */
type Acc = Pick<StatsGroup, "messages" | "segments" | "amount" | "statuses" | "codes"> & { latencyMs: number; histogram: number[] };

const emptyAcc = (): Acc => ({ messages: 0, segments: 0, amount: 0, statuses: {}, codes: {}, latencyMs: 0, histogram: HISTOGRAM_BOUNDS_MS.map(() => 0) });

function add(acc: Acc, r: StatsRow): void {
  acc.messages += r.messages;
  acc.segments += r.segments;
  acc.amount += r.amount;
  acc.statuses[r.status] = (acc.statuses[r.status] ?? 0) + r.messages;
  if (r.code !== "") acc.codes[r.code] = (acc.codes[r.code] ?? 0) + r.messages;
  acc.latencyMs += r.latencyMs;
  r.histogram.forEach((n, i) => (acc.histogram[i]! += n));
}

/**
 * The median from the histogram: the bucket holding the middle message, interpolated linearly
 * inside it (exact to the bucket; the last, open bucket answers its lower bound).
 */
export function medianFromHistogram(histogram: number[]): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const half = total / 2;
  let below = 0;
  for (let i = 0; i < histogram.length; i++) {
    const n = histogram[i]!;
    const lower = i === 0 ? 0 : HISTOGRAM_BOUNDS_MS[i - 1]!;
    const upper = HISTOGRAM_BOUNDS_MS[i]!;
    if (below + n >= half && n > 0) {
      if (upper === Infinity) return lower;
      return Math.round(lower + ((half - below) / n) * (upper - lower));
    }
    below += n;
  }
  return null;
}

function finish(acc: Acc): StatsGroup {
  const delivered = acc.statuses.delivered ?? 0;
  const attempted = Object.entries(acc.statuses).reduce((s, [k, n]) => (ATTEMPTED.has(k) ? s + n : s), 0);
  const pending = Object.entries(acc.statuses).reduce((s, [k, n]) => (PENDING.has(k) ? s + n : s), 0);
  const timed = acc.histogram.reduce((a, b) => a + b, 0);
  return {
    messages: acc.messages,
    segments: acc.segments,
    amount: acc.amount,
    statuses: acc.statuses,
    codes: acc.codes,
    pending,
    delivered,
    delivery_rate: attempted > 0 ? Math.round((delivered / attempted) * 10_000) / 10_000 : null,
    median_delivery_ms: medianFromHistogram(acc.histogram),
    mean_delivery_ms: timed > 0 ? Math.round(acc.latencyMs / timed) : null,
    delivery_histogram: HISTOGRAM_BOUNDS_MS.map((b, i) => ({ le_ms: b === Infinity ? null : b, messages: acc.histogram[i]! })),
  };
}

/** Rows → one entry per (bucket, grouped dimensions), in bucket order, and the totals over all. */
export function foldStats(rows: StatsRow[]): { series: Array<{ bucket: number; dims: Record<string, string | number> } & StatsGroup>; totals: StatsGroup } {
  const groups = new Map<string, { bucket: number; dims: Record<string, string | number>; acc: Acc }>();
  const total = emptyAcc();
  for (const r of rows) {
    const key = JSON.stringify([r.bucket, r.dims]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { bucket: r.bucket, dims: r.dims, acc: emptyAcc() }));
    add(g.acc, r);
    add(total, r);
  }
  const series = [...groups.values()].map((g) => ({ bucket: g.bucket, dims: g.dims, ...finish(g.acc) }));
  series.sort((a, b) => a.bucket - b.bucket);
  return { series, totals: finish(total) };
}

/** The Analytics Engine dataset, when the deployment binds one (optional: absent locally and in tests). */
const dataset = (env: Env): AnalyticsEngineDataset | undefined => (env as Env & { STATS?: AnalyticsEngineDataset }).STATS;

/**
 * Counts what the accept pipeline refused, by reason: one D1 statement (no row when nothing was
 * refused), and one Analytics Engine data point per reason when that binding exists. Best effort:
 * a failure here is logged, never turned into a failed send.
 */
export async function countRefusals(env: Env, tenantId: string, dialect: string, refused: Array<[reason: string, messages: number]>, now: number): Promise<void> {
  if (refused.length === 0) return;
  const byReason = new Map<string, number>();
  for (const [reason, n] of refused) byReason.set(reason, (byReason.get(reason) ?? 0) + n);
  try {
    await countRefusalsStatement(tenantDb(env, tenantId), dialect, JSON.stringify([...byReason]), now).run();
  } catch (e) {
    console.error(JSON.stringify({ level: "error", event: "stats_refusals", error: e instanceof Error ? e.message : String(e) }));
  }
  const ds = dataset(env);
  for (const [reason, n] of byReason) ds?.writeDataPoint({ indexes: [tenantId], blobs: ["refused", dialect, reason], doubles: [n] });
}

/** Accepted messages as Analytics Engine data points (one per kind of send), when the binding exists. */
export function recordAccepted(env: Env, tenantId: string, dialect: string, kind: string, messages: number, amount: number): void {
  dataset(env)?.writeDataPoint({ indexes: [tenantId], blobs: ["accepted", dialect, kind], doubles: [messages, amount] });
}

/** A message a receipt just made final, as the report statement returns it. */
export interface FinalisedRow {
  id: string;
  tenant_id: string;
  dialect: string;
  kind: string;
  carrier: string | null;
  status: string;
  result_code: string | null;
}

/** Whether recordFinal will use the rows (an Analytics Engine dataset is bound); otherwise ids suffice. */
export const wantsFinalRows = (env: Env): boolean => dataset(env) !== undefined;

/** Final statuses from receipts as Analytics Engine data points (one per tenant, carrier and code), when the binding exists. */
export function recordFinal(env: Env, rows: FinalisedRow[]): void {
  const ds = dataset(env);
  if (!ds || rows.length === 0) return;
  const groups = new Map<string, { row: FinalisedRow; n: number }>();
  for (const r of rows) {
    const key = JSON.stringify([r.tenant_id, r.dialect, r.kind, r.carrier, r.status, r.result_code]);
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { row: r, n: 1 });
  }
  for (const { row, n } of groups.values()) {
    ds.writeDataPoint({ indexes: [row.tenant_id], blobs: [row.status, row.dialect, row.kind, row.carrier ?? "", row.result_code ?? ""], doubles: [n] });
  }
}
