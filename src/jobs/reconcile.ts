// Reconciles submits whose outcome was unknown (the request may have reached the carrier, no answer
// came) by asking the carrier by the gateway's own id (Carrier.query) — never by sending again:
// not_found (the carrier is certain it never got it) → queued for a fresh hand-over; pending with
// references → the references recorded (receipts already kept for them apply now); final → the
// report; no answer, or a carrier that cannot be asked → left for the receipt or the 72 h sweep.
import type { DeliveryCode } from "../core/types";
import type { QueryResult, QueryTarget } from "../carriers/types";
import { loadCarrierConfigs } from "../carriers/config";
import { carrierOf } from "../carriers/registry";
import { applyEarlyReceipts, applyReports } from "../core/delivery";
import { enqueueDispatch } from "../core/dispatch-queue";
import { recordSentStatements } from "../store/delivery";
import { completedByIdsStatement, type CompletedRow } from "../store/receipts";
import { requeueNeverReceivedStatement, touchUnknownStatement, unknownSubmits, type UnknownRow } from "../store/reconcile";
import { statsMoveStatements } from "../store/stats";
import { directoryDb } from "../store/db";

/** A message is asked about at most this often (and not before this long after its submit). */
export const RECONCILE_INTERVAL_MS = 60_000;
/** Targets per carrier query call, and rows per run. */
const CHUNK = 50;

export async function reconcileUnknown(env: Env, now: number, limit: number): Promise<{ asked: number; requeued: number; recorded: number; final: number }> {
  const rows = await unknownSubmits(directoryDb(env), now - RECONCILE_INTERVAL_MS, limit);
  const out = { asked: 0, requeued: 0, recorded: 0, final: 0 };
  if (rows.length === 0) return out;
  const byCarrier = new Map<string, UnknownRow[]>();
  for (const r of rows) byCarrier.set(r.carrier, [...(byCarrier.get(r.carrier) ?? []), r]);
  const configs = await loadCarrierConfigs(env, [...byCarrier.keys()]);
  for (const [name, list] of byCarrier) {
    const config = configs.get(name);
    const carrier = config ? carrierOf(env, config) : null;
    if (!carrier?.query) {
      await touchUnknownStatement(directoryDb(env), JSON.stringify(list.map((r) => r.id)), now).run();
      continue;
    }
    for (let i = 0; i < list.length; i += CHUNK) {
      const chunk = list.slice(i, i + CHUNK);
      const targets: QueryTarget[] = chunk.map((r) => ({ id: r.id, mobile: r.mobile, refs: [], submittedAt: r.submitted_at }));
      let results: QueryResult[];
      try {
        results = await carrier.query(targets);
      } catch (e) {
        console.error(JSON.stringify({ level: "error", event: "reconcile_query_failed", carrier: name, error: String(e) }));
        results = [];
      }
      out.asked += chunk.length;
      const byId = new Map(results.map((r) => [r.id, r]));
      const notFound: string[] = [];
      const learnt: Array<[string, string, string[]]> = [];
      const finals: Array<{ message_id: string; code: DeliveryCode }> = [];
      const waiting: string[] = [];
      for (const r of chunk) {
        const q = byId.get(r.id);
        if (q?.state === "not_found") notFound.push(r.id);
        else if (q?.state === "final") finals.push({ message_id: r.id, code: q.code });
        else if (q?.state === "pending" && q.refs && q.refs.length > 0) learnt.push([r.id, name, q.refs]);
        else waiting.push(r.id);
      }
      const stmts: D1PreparedStatement[] = [];
      if (waiting.length > 0) stmts.push(touchUnknownStatement(directoryDb(env), JSON.stringify(waiting), now));
      if (notFound.length > 0) stmts.push(requeueNeverReceivedStatement(directoryDb(env), JSON.stringify(notFound), now));
      if (learnt.length > 0) stmts.push(...recordSentStatements(directoryDb(env), JSON.stringify(learnt), now), completedByIdsStatement(directoryDb(env), JSON.stringify(learnt.map((l) => l[0]))));
      if (stmts.length > 0) {
        const res = await directoryDb(env).batch(statsMoveStatements(directoryDb(env), JSON.stringify(chunk.map((r) => r.id)), stmts));
        let k = waiting.length > 0 ? 2 : 1;
        if (notFound.length > 0) {
          const moved = (res[k++]!.results as Array<{ id: string }>).map((x) => x.id);
          await enqueueDispatch(env, moved);
          out.requeued += moved.length;
        }
        if (learnt.length > 0) {
          out.recorded += learnt.length;
          await applyEarlyReceipts(env, name, res[k + 2]!.results as unknown as CompletedRow[], now);
        }
      }
      if (finals.length > 0) out.final += (await applyReports(env, name, finals, now)).applied;
    }
  }
  return out;
}
