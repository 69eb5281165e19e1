// The dispatch-queue consumer: guarded claim queued → submitted for every id of the batch (in the
// same round trip: the routing table, the carriers and each message's sender), the hand-over along
// each message's route, what the carriers answered recorded, and per queue message ack / retry
// with backoff / dead letter.
import type { OutboundMessage } from "../carriers/types";
import type { DeliveryCode } from "../core/types";
import { configsOf, simulatorEnabled } from "../carriers/config";
import { SIMULATOR } from "../carriers/simulator";
import { carriersFor } from "../core/routing";
import { applyEarlyReceipts, finishUnsent } from "../core/delivery";
import { readDispatchBody } from "../core/dispatch-queue";
import { handOver } from "./hand-over";
import { allCarriersStatement, type CarrierRow } from "../store/carriers";
import { listRoutesStatement, type RouteRuleRow } from "../store/routes";
import { toRouteRule } from "../core/routing";
import { completedByIdsStatement, type CompletedRow } from "../store/receipts";
import { statsMoveStatements } from "../store/stats";
import { mappingsForMessagesStatement, TemplateMappings, type CarrierTemplateRow } from "../store/carrier-templates";
import { claimStatements, markUnknownStatement, recordSentStatements, requeueStatement, type ClaimedRow } from "../store/messages/claims";
import { directoryDb, tenantDb, type TenantDb } from "../store/db";
import { tenantsOfMessages } from "../store/messages/read";
import { insertDeadLetters } from "../store/dead-letters";

/** Deliveries of one queue message: 1 + max_retries of the edgesms-dispatch consumer (wrangler.toml). */
export const DISPATCH_MAX_ATTEMPTS = 6;

/** 2, 4, 8, 16, 32 s: a flaky carrier is retried soon, a broken one does not hold messages long. */
export const dispatchBackoff = (attempts: number): number => Math.min(2 ** Math.max(attempts - 1, 0) * 2, 300);

/**
 * How long a claim (submitted, no carrier reference yet) belongs to the run that made it: longer
 * than any carrier submit may take, so a duplicate queue message never submits alongside it.
 */
export const CLAIM_LEASE_MS = 60_000;

const toOutbound = (r: ClaimedRow): OutboundMessage => ({
  id: r.id,
  tenantId: r.tenant_id,
  mobile: r.mobile,
  content: r.content,
  channel: r.channel,
  kind: r.kind,
  encoding: r.encoding,
  segments: r.segments,
  signature: r.signature,
  templateId: r.template_id,
  params: r.params === null ? null : (JSON.parse(r.params) as Record<string, string>),
  sourceAddr: r.source_addr ?? null,
  extension: r.signature_id == null ? null : String(r.signature_id),
  providerTemplate: null,
  attempts: r.attempts,
});

export async function handleDispatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const now = Date.now();
  const jobs: Job[] = [];
  const invalid: Array<Message<unknown>> = [];
  for (const msg of batch.messages) {
    const parsed = readDispatchBody(msg.body);
    if (parsed) jobs.push({ msg, tenant: parsed.tenant ?? null, ids: parsed.ids });
    else invalid.push(msg);
  }
  try {
    // A malformed body can never succeed: kept for the operator, not retried.
    await insertDeadLetters(directoryDb(env), invalid.map((m) => [batch.queue, JSON.stringify(m.body) ?? "null"]), now);
    for (const m of invalid) m.ack();
  } catch (e) {
    console.error(JSON.stringify({ level: "error", event: "dead_letter_failed", queue: batch.queue, error: String(e) }));
    for (const m of invalid) m.retry();
  }
  // Bodies of up to 100 ids, up to 100 bodies (wrangler.toml): at most RUN_IDS ids per claim and
  // hand-over, so a run's statements, reports and lease stay as small as they were with batches of
  // 10 while single sends (one id per body) go 100 at a time.
  const runs: Job[][] = [];
  let size = 0;
  for (const job of jobs) {
    if (runs.length === 0 || size + job.ids.length > RUN_IDS) {
      runs.push([]);
      size = 0;
    }
    runs.at(-1)!.push(job);
    size += job.ids.length;
  }
  // RUNS_AT_ONCE runs overlap, so a carrier is handed the next run while the last one's claim or
  // record is in D1: one after another, an SMPP bind sat idle for those (docs/bench.md). Each run's
  // moves are guarded as across invocations: an id in two bodies is claimed by one run, and the
  // other finds it in flight and retries after the lease.
  let next = 0;
  const worker = async () => {
    while (next < runs.length) await dispatchJobs(env, runs[next++]!, now);
  };
  await Promise.all(Array.from({ length: Math.min(RUNS_AT_ONCE, runs.length) }, worker));
}

/** Most ids one claim and hand-over takes (ten full bodies). */
const RUN_IDS = 1000;
/** Runs of one consumer batch in progress at once. */
const RUNS_AT_ONCE = 2;

/** A queue message's ids and their tenant (null: a body queued before bodies carried it). */
interface Job {
  msg: Message<unknown>;
  tenant: string | null;
  ids: string[];
}

/**
 * A run's ids by tenant, each group claimed through its tenant's database. The tenants of a body
 * without one are read once per run from the directory (ids no message has are dropped: nothing
 * to claim).
 */
async function idsByTenant(env: Env, jobs: Job[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const add = (tenant: string, id: string) => (out.get(tenant) ?? out.set(tenant, new Set()).get(tenant)!).add(id);
  for (const j of jobs) if (j.tenant !== null) for (const id of j.ids) add(j.tenant, id);
  const unknown = [...new Set(jobs.filter((j) => j.tenant === null).flatMap((j) => j.ids))];
  if (unknown.length > 0) for (const r of await tenantsOfMessages(directoryDb(env), unknown)) add(r.tenant_id, r.id);
  return out;
}

async function dispatchJobs(env: Env, jobs: Job[], now: number): Promise<void> {
  try {
    const transient = new Map<string, string>();
    const inFlight = new Set<string>();
    for (const [tenant, ids] of await idsByTenant(env, jobs)) {
      const res = await dispatchIds(env, tenantDb(env, tenant), [...ids], now);
      for (const [id, reason] of res.transient) transient.set(id, reason);
      for (const id of res.inFlight) inFlight.add(id);
    }
    const finalIds: string[] = [];
    for (const { msg, ids } of jobs) {
      const failed = ids.filter((id) => transient.has(id));
      if (failed.length === 0 && !ids.some((id) => inFlight.has(id))) msg.ack();
      else if (msg.attempts >= DISPATCH_MAX_ATTEMPTS) finalIds.push(...failed);
    }
    // The last attempt: failed + refund + report now; the retry below hands the body to the DLQ.
    if (finalIds.length > 0) await finishUnsent(env, "fail", finalIds, `carrier unavailable after ${DISPATCH_MAX_ATTEMPTS} attempts: ${[...transient.values()][0]}`, now);
    for (const { msg, ids } of jobs) {
      const failed = ids.some((id) => transient.has(id));
      // Another run's claim is looked at again once its lease is over (then it is a leftover if that run died).
      const waiting = ids.some((id) => inFlight.has(id));
      if (!failed && !waiting) continue;
      if (msg.attempts >= DISPATCH_MAX_ATTEMPTS) msg.retry();
      else msg.retry({ delaySeconds: Math.max(failed ? dispatchBackoff(msg.attempts) : 0, waiting ? CLAIM_LEASE_MS / 1000 : 0) });
    }
  } catch (e) {
    console.error(JSON.stringify({ level: "error", event: "dispatch_failed", count: jobs.length, error: String(e) }));
    for (const { msg } of jobs) msg.retry({ delaySeconds: dispatchBackoff(msg.attempts) });
  }
}

/**
 * Claims, hands over and records; returns the ids no carrier took this time (with the reason),
 * already put back to queued, and those another run is submitting now. Ids not claimable (already
 * submitted, cancelled, final) are skipped.
 */
async function dispatchIds(env: Env, tdb: TenantDb, ids: string[], now: number): Promise<{ transient: Map<string, string>; inFlight: Set<string> }> {
  const idsJson = JSON.stringify(ids);
  const { db, tenantId } = tdb;
  // The routing table, the carriers and the template mappings ride in the claim's round trip: with
  // tenants sharded, these small operator tables are read beside it from the directory instead.
  const [, busy, leftovers, claimed, , routes, carriers, mappings] = await db.batch([
    ...statsMoveStatements(db, idsJson, claimStatements(tdb, idsJson, now, now - CLAIM_LEASE_MS), tenantId),
    listRoutesStatement(db),
    allCarriersStatement(db),
    mappingsForMessagesStatement(db, idsJson),
  ]);
  const inFlight = new Set((busy!.results as Array<{ id: string }>).map((r) => r.id));
  const rows = [...(leftovers!.results as unknown as ClaimedRow[]), ...(claimed!.results as unknown as ClaimedRow[])];
  if (rows.length === 0) return { transient: new Map(), inFlight };

  const rules = (routes!.results as unknown as RouteRuleRow[]).map(toRouteRule);
  const configs = await configsOf(env, carriers!.results as unknown as CarrierRow[]);
  const fallback = simulatorEnabled(env) ? SIMULATOR : null;
  const routed = rows.map((r) => {
    const message = toOutbound(r);
    return { message, carriers: carriersFor(rules, { tenantId: r.tenant_id, kind: r.kind, mobile: r.mobile }, fallback) };
  });

  const result = await handOver(env, routed, configs, new TemplateMappings(mappings!.results as unknown as CarrierTemplateRow[]));
  const stmts: D1PreparedStatement[] = [];
  const sentIds = JSON.stringify(result.sent.map((s) => s[0]));
  if (result.sent.length > 0) stmts.push(...recordSentStatements(db, JSON.stringify(result.sent), now), completedByIdsStatement(db, sentIds));
  if (result.unknown.length > 0) stmts.push(markUnknownStatement(tdb, JSON.stringify(result.unknown), now));
  if (result.transient.size > 0) stmts.push(requeueStatement(tdb, JSON.stringify([...result.transient.keys()]), now));
  if (stmts.length > 0) {
    const res = await db.batch(statsMoveStatements(db, JSON.stringify(rows.map((r) => r.id)), stmts, tenantId));
    // Receipts that overtook their references: the messages they complete are final now.
    if (result.sent.length > 0) await applyEarlyReceipts(env, null, res[3]!.results as unknown as CompletedRow[], now);
  }
  const rejected = new Map<DeliveryCode, typeof result.rejected>();
  for (const r of result.rejected) rejected.set(r.code, [...(rejected.get(r.code) ?? []), r]);
  for (const [code, group] of rejected) await finishUnsent(env, "reject", group.map((r) => r.id), `${group[0]!.carrier}: ${group[0]!.reason}`, now, code);
  return { transient: result.transient, inFlight };
}
