// One message through a bind: its parts as submit_sm in order within the window and rate, a throttled
// part retried after the pause, and the outcome by the rule that each message reaches the SMSC once:
// recorded before the first octet is written; a message written without every answer is unknown.
import type { OutboundMessage, SubmitResult } from "../types";
import { encodeParts, PartCountMismatch } from "./encoding";
import type { Pacer } from "./pacing";
import type { PduInput } from "./pdu";
import { NotWritten, type SmppSession } from "./session";
import { sourceTonNpi, type SmppSettings } from "./settings";
import { statusClass, statusName } from "./status";
import { dropSubmit, finishSubmit, getSubmit, startSubmit, type SubmitRecord } from "./records";

export interface SubmitContext {
  sql: SqlStorage;
  pacer: Pacer;
  /** The bound session and settings; throws when the bind is not up in time (nothing was written). */
  ready(): Promise<{ session: SmppSession; settings: SmppSettings }>;
  /** Until when the first part may wait; throttled parts are retried a little longer. */
  deadline: number;
}

type PartOutcome =
  | { kind: "ok"; ref: string }
  | { kind: "refused"; status: number; permanent: boolean }
  | { kind: "unknown"; reason: string }
  | { kind: "unsent"; reason: string };

const THROTTLE_GRACE_MS = 15_000;

/** The answer a resubmit gets from the record of an earlier one. */
function fromRecord(id: string, r: SubmitRecord): SubmitResult {
  if (r.state === "sent") return { id, outcome: "sent", refs: r.refs };
  if (r.state === "permanent") return { id, outcome: "permanent", reason: r.reason ?? "refused by the SMSC", code: r.code ?? "1" };
  return { id, outcome: "unknown", reason: "written to the SMSC before, its answer never came: not written again" };
}

/** The concatenation reference of a message: derived from its id, so it is the same on every attempt. */
const concatRef = (id: string): number => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) & 0xff, 7);

function submitPdus(m: OutboundMessage, s: SmppSettings): PduInput[] {
  const enc = encodeParts(m.content, m.encoding, m.segments, concatRef(m.id));
  const base = m.sourceAddr ?? s.sourceAddr;
  // source_addr holds 20 characters: an extension that does not fit is left off (replies then route by sender).
  const src = base + (m.extension ?? "");
  const sourceAddr = src.length <= 20 ? src : base;
  const { ton, npi } = sourceTonNpi(s, sourceAddr);
  return enc.parts.map((shortMessage) => ({
    command: "submit_sm",
    status: 0,
    seq: 0,
    body: {
      serviceType: "", sourceTon: ton, sourceNpi: npi, sourceAddr, destTon: s.destTon, destNpi: s.destNpi,
      destAddr: m.mobile.replace(/^\+/, ""), esmClass: enc.esmClass, protocolId: 0, priority: 0,
      scheduleDeliveryTime: "", validityPeriod: "", registeredDelivery: 1, replaceIfPresent: 0,
      dataCoding: enc.dataCoding, smDefaultMsgId: 0, shortMessage,
    },
  }));
}

export async function submitMessage(ctx: SubmitContext, m: OutboundMessage): Promise<SubmitResult> {
  const prior = getSubmit(ctx.sql, m.id);
  if (prior) return fromRecord(m.id, prior);
  const { session, settings } = await ctx.ready();
  let pdus: PduInput[];
  try {
    pdus = submitPdus(m, settings);
  } catch (e) {
    const why = e instanceof PartCountMismatch || e instanceof RangeError ? e.message : String(e);
    return { id: m.id, outcome: "permanent", reason: `cannot be sent over SMPP: ${why}`, code: "1" };
  }
  const timeout = settings.responseTimeoutSeconds * 1000;

  // One attempt of a part whose window slot is already held; a throttled part waits and tries again.
  const attempt = async (pdu: PduInput, first: SmppSession | null): Promise<PartOutcome> => {
    let s = first;
    for (;;) {
      if (!s) {
        try {
          s = (await ctx.ready()).session;
        } catch (e) {
          return { kind: "unsent", reason: e instanceof Error ? e.message : String(e) };
        }
        await ctx.pacer.acquire();
      }
      let resp;
      try {
        resp = await s.request(pdu, timeout);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        return e instanceof NotWritten ? { kind: "unsent", reason } : { kind: "unknown", reason };
      } finally {
        ctx.pacer.release();
      }
      if (resp.command === "submit_sm_resp" && resp.status === 0) {
        ctx.pacer.accepted();
        return { kind: "ok", ref: resp.body.messageId };
      }
      const cls = statusClass(resp.status);
      if (cls === "throttle") {
        ctx.pacer.throttled();
        if (Date.now() < ctx.deadline + THROTTLE_GRACE_MS) {
          s = null;
          continue;
        }
      }
      return { kind: "refused", status: resp.status, permanent: cls === "permanent" };
    }
  };

  const parts: Array<Promise<PartOutcome>> = [];
  for (let i = 0; i < pdus.length; i++) {
    await ctx.pacer.acquire();
    if (i === 0) {
      // Recorded before the first octet: after a crash the id is known as possibly written. A failed
      // record throws before anything is written (the caller answers transient).
      try {
        startSubmit(ctx.sql, m.id, Date.now());
      } catch (e) {
        ctx.pacer.release();
        throw e;
      }
    }
    parts.push(attempt(pdus[i]!, session));
  }
  const outs = await Promise.all(parts);
  try {
    return settle(ctx.sql, m.id, outs);
  } catch (e) {
    return { id: m.id, outcome: "unknown", reason: `written, but its outcome could not be recorded: ${String(e)}` };
  }
}

/** The message's outcome from its parts', recorded for resubmits and queries. */
function settle(sql: SqlStorage, id: string, outs: PartOutcome[]): SubmitResult {
  const now = Date.now();
  const refs = outs.map((o) => (o.kind === "ok" ? o.ref : ""));
  if (outs.every((o) => o.kind === "ok")) {
    finishSubmit(sql, id, { state: "sent", refs, reason: null, code: null }, now);
    return { id, outcome: "sent", refs };
  }
  const taken = outs.some((o) => o.kind === "ok" || o.kind === "unknown");
  const refused = outs.find((o): o is Extract<PartOutcome, { kind: "refused" }> => o.kind === "refused");
  if (refused?.permanent && !outs.some((o) => o.kind === "unknown")) {
    const reason = `refused by the SMSC: ${statusName(refused.status)}`;
    finishSubmit(sql, id, { state: "permanent", refs, reason, code: "1" }, now);
    return { id, outcome: "permanent", reason, code: "1" };
  }
  if (!taken) {
    // Nothing reached the SMSC or it refused every part for now: the message may be sent again.
    dropSubmit(sql, id);
    const o = refused ?? outs[0]!;
    return { id, outcome: "transient", reason: o.kind === "refused" ? `refused by the SMSC: ${statusName(o.status)}` : (o as { reason: string }).reason };
  }
  const reason = outs.find((o) => o.kind === "unknown") ? "no answer from the SMSC after the message was written" : "only some parts were taken by the SMSC";
  finishSubmit(sql, id, { state: "writing", refs, reason, code: null }, now);
  return { id, outcome: "unknown", reason };
}
