// The recovery sweep (cron): messages the carrier took whose report never came. Asks the carrier
// (status query) in bounded batches, replays carrier events that ended as dead letters, and
// re-enqueues leftovers — each within a time budget per cron run. Submits whose outcome is unknown
// are the reconcile job's (src/jobs/reconcile.ts).
import type { CarrierReport } from "../core/carrier-events";
import { CarrierEventsBody } from "../core/carrier-events";
import { loadCarrierConfig } from "../carriers/config";
import { carrierOf } from "../carriers/registry";
import { carrierKind } from "../carriers/registry";
import type { QueryResult, QueryTarget } from "../carriers/types";
import { applyCarrierEvents, applyReports } from "../core/delivery";
import { enqueueDispatchRows } from "../core/dispatch-queue";
import { CLAIM_LEASE_MS } from "./dispatch";
import { recordLearntRefs, submittedCarriers, takeRecoveryTargets } from "../store/messages/recovery";
import { touchStuck } from "../store/messages/sweeps";
import { directoryDb, everyDb } from "../store/db";
import { markReplayed, unreplayedDeadLetters } from "../store/dead-letters";

/** Messages per status query: one carrier call and a few D1 statements each. */
export const QUERY_BATCH = 500;
/** A message the carrier could not finalise is asked about again after this long. */
export const RECHECK_MS = 10 * 60_000;
/** Wall time each sweep may spend per cron run: both together stay far below a minute. */
export const SWEEP_BUDGET_MS = 20_000;
/** Rows per re-enqueue round of the stuck sweep. */
export const STUCK_BATCH = 1000;
/** Dead letters per replay round (each may carry up to 500 reports). */
const REPLAY_BATCH = 20;
export const CARRIER_EVENT_QUEUES = ["edgesms-carrier-events", "edgesms-carrier-events-dlq"] as const;

export interface RecoveryOutcome {
  asked: number;
  final: number;
  pending: number;
  notFound: number;
}

const log = (event: string, fields: Record<string, unknown>) => console.error(JSON.stringify({ level: "error", event, ...fields }));

/**
 * Status queries for submitted messages whose report is overdue, carrier by carrier (each with its
 * kind's report window): a final answer goes through the ordinary report path, references learnt
 * are recorded. Carriers without a status query are left to their receipts, the dead-letter replay
 * and the end of the report window.
 */
export async function recoverSubmitted(env: Env, now: number, budgetMs = SWEEP_BUDGET_MS): Promise<RecoveryOutcome> {
  const out: RecoveryOutcome = { asked: 0, final: 0, pending: 0, notFound: 0 };
  const started = Date.now();
  for (const name of await submittedCarriers(directoryDb(env))) {
    const config = await loadCarrierConfig(env, name);
    const kind = config ? carrierKind(config.type) : undefined;
    const carrier = config ? carrierOf(env, config) : null;
    if (!config || !kind || !carrier?.query) continue;
    const window = { carrier: name, windowBefore: now - kind.reportWindowMs, recheckBefore: now - RECHECK_MS, now };
    while (Date.now() - started < budgetMs) {
      const rows = await takeRecoveryTargets(directoryDb(env), window, QUERY_BATCH);
      if (rows.length === 0) break;
      const targets: QueryTarget[] = rows.map((r) => {
        const refs = new Set<string>(r.refs ? (JSON.parse(r.refs) as string[]) : []);
        if (r.carrier_ref) refs.add(r.carrier_ref);
        return { id: r.id, mobile: r.mobile, refs: [...refs], submittedAt: r.submitted_at };
      });
      let answers: QueryResult[];
      try {
        answers = await carrier.query(targets);
      } catch (e) {
        // Asked again after RECHECK_MS (recovery_at is set); other carriers still get their turn.
        log("recovery_query_failed", { carrier: name, count: targets.length, error: String(e).slice(0, 200) });
        break;
      }
      out.asked += targets.length;
      const asked = new Set(targets.map((t) => t.id));
      const finals: CarrierReport[] = [];
      const learnt: Array<[string, string[]]> = [];
      for (const a of answers) {
        if (!asked.has(a.id)) continue; // an answer about something not asked is ignored
        if (a.state !== "not_found" && a.refs && a.refs.length > 0) learnt.push([a.id, a.refs]);
        if (a.state === "final") finals.push({ message_id: a.id, code: a.code });
        else if (a.state === "pending") out.pending++;
        else out.notFound++; // taken with a reference but unknown to the carrier now: the window's end decides
      }
      await recordLearntRefs(directoryDb(env), name, learnt, now);
      out.final += (await applyReports(env, name, finals, now)).applied;
      if (rows.length < QUERY_BATCH) break;
    }
  }
  return out;
}

/**
 * Carrier events that exhausted their retries (kept in dead_letters) applied again: applying is
 * idempotent (guarded status moves, replies unique by reference), so a replay of something already
 * applied changes nothing. A body that can never be parsed is marked replayed too (kept for the
 * operator); one whose apply fails stays for the next run.
 */
export async function replayCarrierEventLetters(env: Env, now: number, budgetMs = SWEEP_BUDGET_MS): Promise<{ replayed: number; reports: number; failed: number }> {
  const started = Date.now();
  const out = { replayed: 0, reports: 0, failed: 0 };
  const skip = new Set<number>();
  while (Date.now() - started < budgetMs) {
    const letters = (await unreplayedDeadLetters(directoryDb(env), CARRIER_EVENT_QUEUES, REPLAY_BATCH + skip.size)).filter((l) => !skip.has(l.id));
    if (letters.length === 0) break;
    const done: number[] = [];
    for (const l of letters) {
      let body: unknown;
      try {
        body = JSON.parse(l.body);
      } catch {
        body = null;
      }
      const parsed = CarrierEventsBody.safeParse(body);
      if (!parsed.success) {
        done.push(l.id);
        continue;
      }
      try {
        const res = await applyCarrierEvents(env, parsed.data.carrier, parsed.data.events, now);
        out.reports += res.reports.applied;
        done.push(l.id);
      } catch (e) {
        skip.add(l.id);
        out.failed++;
        log("dead_letter_replay_failed", { id: l.id, error: String(e).slice(0, 200) });
      }
    }
    await markReplayed(directoryDb(env), done, now);
    out.replayed += done.length;
    if (letters.length < REPLAY_BATCH) break;
  }
  return out;
}

/**
 * Leftovers of a crash before the carrier (queued with a lost enqueue, or claimed and never
 * submitted) moving again once the claim lease has passed: rounds of STUCK_BATCH for as long as the
 * budget allows, so a large backlog is re-enqueued in one run, not at 1,000 a minute.
 */
export async function requeueLeftovers(env: Env, now: number, budgetMs = SWEEP_BUDGET_MS): Promise<number> {
  const started = Date.now();
  let total = 0;
  while (Date.now() - started < budgetMs) {
    // Each round touches what it takes (updated_at = now), so the next round takes the next ones.
    const rounds = await Promise.all(everyDb(env).map((db) => touchStuck(db, now - CLAIM_LEASE_MS, now, STUCK_BATCH)));
    const moved = rounds.flat();
    await enqueueDispatchRows(env, moved);
    total += moved.length;
    if (rounds.every((r) => r.length < STUCK_BATCH)) break;
  }
  return total;
}
