// The dispatch-queue consumer: guarded claim queued → submitted for every id of the batch, one
// carrier call, references stored, and per queue message ack / retry with backoff / dead letter.
import type { OutboundMessage, SubmitResult } from "../carriers/types";
import { carrierFor } from "../carriers";
import { finishUnsent } from "../core/delivery";
import { DispatchBody } from "./dispatch-queue";
import { claimStatements, insertDeadLetters, recordRefsStatement, requeueStatement, type ClaimedRow } from "../store/delivery";

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
  sourceAddr: null,
  extension: null,
  providerTemplate: null,
  attempts: r.attempts,
});

export async function handleDispatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const now = Date.now();
  const jobs: Array<{ msg: Message<unknown>; ids: string[] }> = [];
  const invalid: Array<Message<unknown>> = [];
  for (const msg of batch.messages) {
    const parsed = DispatchBody.safeParse(msg.body);
    if (parsed.success) jobs.push({ msg, ids: parsed.data.ids });
    else invalid.push(msg);
  }
  try {
    // A malformed body can never succeed: kept for the operator, not retried.
    await insertDeadLetters(env.DB, invalid.map((m) => [batch.queue, JSON.stringify(m.body) ?? "null"]), now);
    for (const m of invalid) m.ack();
  } catch (e) {
    console.error(JSON.stringify({ level: "error", event: "dead_letter_failed", queue: batch.queue, error: String(e) }));
    for (const m of invalid) m.retry();
  }
  if (jobs.length === 0) return;

  try {
    const { transient, inFlight } = await dispatchIds(env, [...new Set(jobs.flatMap((j) => j.ids))], now);
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
 * Claims, submits and records; returns the ids that failed transiently (with the reason), already
 * put back to queued, and those another run is submitting now. Ids not claimable (already submitted
 * with a reference, cancelled, final) are skipped.
 */
async function dispatchIds(env: Env, ids: string[], now: number): Promise<{ transient: Map<string, string>; inFlight: Set<string> }> {
  const carrier = carrierFor(env);
  const [busy, leftovers, claimed] = await env.DB.batch<ClaimedRow>(claimStatements(env.DB, JSON.stringify(ids), carrier.name, now, now - CLAIM_LEASE_MS));
  const inFlight = new Set(busy!.results.map((r) => r.id));
  const rows = [...leftovers!.results, ...claimed!.results];
  const transient = new Map<string, string>();
  if (rows.length === 0) return { transient, inFlight };

  let results: SubmitResult[];
  try {
    results = await carrier.submit(rows.map(toOutbound));
  } catch (e) {
    results = rows.map((r) => ({ id: r.id, outcome: "transient" as const, reason: `carrier error: ${String(e).slice(0, 200)}` }));
  }
  const byId = new Map(results.map((r) => [r.id, r]));
  const refs: Array<[string, string]> = [];
  const rejected: string[] = [];
  let rejectReason = "";
  for (const r of rows) {
    const res = byId.get(r.id) ?? { id: r.id, outcome: "transient" as const, reason: "no result from the carrier" };
    if (res.outcome === "sent") refs.push([r.id, res.refs[0]!]);
    else if (res.outcome === "permanent") (rejected.push(r.id), (rejectReason ||= res.reason));
    else transient.set(r.id, res.reason);
  }
  const stmts: D1PreparedStatement[] = [];
  if (refs.length > 0) stmts.push(recordRefsStatement(env.DB, JSON.stringify(refs), now));
  if (transient.size > 0) stmts.push(requeueStatement(env.DB, JSON.stringify([...transient.keys()]), now));
  if (stmts.length > 0) await env.DB.batch(stmts);
  await finishUnsent(env, "reject", rejected, rejectReason, now);
  return { transient, inFlight };
}
