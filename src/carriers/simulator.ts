// The embedded carrier simulator: deterministic outcomes by mobile (rules.ts), a handset inbox in
// D1, and delivery reports posted in groups to the carrier-events queue after a delay.
import { z } from "zod";
import type { Carrier, CarrierKind, OutboundMessage, QueryResult, QueryTarget, SubmitResult } from "./types";
import type { CarrierReport } from "../core/carrier-events";
import { enqueueReports } from "../core/carrier-events";
import { reportDelay, simOutcome } from "./rules";
import { inboxIds, insertInbox, type InboxRow } from "../store/simulator";
import { directoryDb } from "../store/db";

export const SIMULATOR = "simulator";

/** The simulator's reference is derived from the idempotency key, so a resubmit yields the same one. */
export const simRef = (messageId: string): string => `sim-${messageId}`;

export function simulatorCarrier(env: Env, name = SIMULATOR): Carrier {
  return {
    name,
    type: "simulator",
    async submit(messages: OutboundMessage[]): Promise<SubmitResult[]> {
      const now = Date.now();
      const results: SubmitResult[] = [];
      const inbox: InboxRow[] = [];
      const byDelay = new Map<number, CarrierReport[]>();
      for (const m of messages) {
        const rule = simOutcome(m.mobile);
        if (rule.kind === "reject") {
          results.push({ id: m.id, outcome: "permanent", reason: "simulator: the carrier refused this number" });
          continue;
        }
        if (rule.kind === "transient" && m.attempts <= rule.until) {
          results.push({ id: m.id, outcome: "transient", reason: `simulator: transient failure (attempt ${m.attempts})` });
          continue;
        }
        if (rule.kind === "lost") {
          inbox.push({ messageId: m.id, mobile: m.mobile, channel: m.channel, content: m.content, receivedAt: now });
          results.push({ id: m.id, outcome: "unknown", reason: "simulator: the answer to the submit was lost" });
          continue;
        }
        results.push({ id: m.id, outcome: "sent", refs: [simRef(m.id)] });
        const code = rule.kind === "report" ? rule.code : "10000";
        if (code === "10000") inbox.push({ messageId: m.id, mobile: m.mobile, channel: m.channel, content: m.content, receivedAt: now });
        if (rule.kind === "silent") continue;
        const delay = reportDelay(env, rule.kind === "report" && rule.slow);
        const list = byDelay.get(delay) ?? [];
        list.push({ message_id: m.id, code, segments: m.segments });
        byDelay.set(delay, list);
      }
      // The inbox insert ignores ids it already holds: a resubmit after a crash shows once.
      await insertInbox(directoryDb(env), inbox);
      // A resubmit posts its report again; applying a report twice changes nothing.
      for (const [delay, reports] of byDelay) await enqueueReports(env, name, reports, delay);
      return results;
    },
    /**
     * Answers from what it keeps: a message in the handset inbox was taken (final 10000, or pending
     * for a "silent" number, whose report never comes); one it has a reference for but no inbox row
     * ended by its number's rule; anything else it never received.
     */
    async query(targets: QueryTarget[]): Promise<QueryResult[]> {
      const received = await inboxIds(directoryDb(env), targets.map((t) => t.id));
      return targets.map((t): QueryResult => {
        const rule = simOutcome(t.mobile);
        const taken = received.has(t.id) || t.refs.includes(simRef(t.id));
        if (!taken || rule.kind === "reject") return { id: t.id, state: "not_found" };
        if (rule.kind === "silent") return { id: t.id, state: "pending", refs: [simRef(t.id)] };
        const code = rule.kind === "report" ? rule.code : "10000";
        return { id: t.id, state: "final", code, refs: [simRef(t.id)] };
      });
    },
  };
}

const SimulatorSettings = z.strictObject({});

/** The simulator as a carrier type: no settings; its reports come through the carrier-events queue. */
export const simulatorKind: CarrierKind<typeof SimulatorSettings> = {
  type: "simulator",
  settings: SimulatorSettings,
  secrets: [],
  templated: false,
  reportWindowMs: 60_000,
  create: (env, config) => simulatorCarrier(env, config.name),
};
