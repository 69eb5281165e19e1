// What the SMSC sends a bind: keep-alives and unbinds answered at once; deliver_sm / data_sm turned
// into carrier events (receipts by SMSC message id; replies decoded, concatenated ones reassembled in
// the bind's SQLite until complete), answered ESME_ROK only once the event is on the queue (or a part
// is stored), else with a temporary error so the SMSC delivers it again.
import type { CarrierEvents } from "../../core/carrier-events";
import { randomHex } from "../../core/crypto";
import { TLV, tlvInt, type Pdu } from "./pdu";
import { decodeText, splitUdh } from "./encoding";
import { isReceipt, parseReceipt } from "./receipt";
import { addReplyPart, dropReplyParts, replyRef } from "./records";
import { ESME_RINVCMDID, ESME_ROK, ESME_RX_T_APPN } from "./status";
import type { SmppSettings } from "./settings";
import type { SmppSession } from "./session";

export type InboundPdu = Extract<Pdu, { command: "deliver_sm" | "data_sm" }>;

export interface InboundContext {
  sql: SqlStorage;
  carrier: string;
  /** null while the bind is being reconfigured: the PDU is refused for now and delivered again. */
  settings: SmppSettings | null;
  /** Puts events on the carrier-events queue (grouped with others); false when that failed. */
  publish(events: CarrierEvents): Promise<boolean>;
}

/**
 * Answers a request of the SMSC: enquire_link and unbind at once, deliver_sm / data_sm once their
 * event is handled (the promise to keep the object alive for), anything else with generic_nack.
 */
export function answerRequest(ctx: InboundContext, session: SmppSession, pdu: Pdu): Promise<void> | null {
  switch (pdu.command) {
    case "enquire_link":
      session.respond({ command: "enquire_link_resp", status: ESME_ROK, seq: pdu.seq, body: null });
      return null;
    case "unbind":
      session.respond({ command: "unbind_resp", status: ESME_ROK, seq: pdu.seq, body: null });
      session.close("the SMSC unbound");
      return null;
    case "deliver_sm":
    case "data_sm":
      return answerInbound(ctx, session, pdu);
    default:
      session.respond({ command: "generic_nack", status: ESME_RINVCMDID, seq: pdu.seq, body: null });
      return null;
  }
}

/** Handles one deliver_sm / data_sm and answers it on the session it came from. */
async function answerInbound(ctx: InboundContext, session: SmppSession, pdu: InboundPdu): Promise<void> {
  let status = ESME_RX_T_APPN;
  try {
    if (ctx.settings) status = await handleInbound({ ...ctx, settings: ctx.settings }, pdu);
  } catch (e) {
    console.error(JSON.stringify({ level: "error", event: "smpp_inbound_failed", carrier: ctx.carrier, error: String(e) }));
  }
  const command = pdu.command === "deliver_sm" ? "deliver_sm_resp" : "data_sm_resp";
  session.respond({ command, status, seq: pdu.seq, body: { messageId: "" } });
}

/**
 * SMPP gives a reply no id of its own: the same PDU (sender, recipient, octets) again within this
 * time is the SMSC delivering it again (our answer was lost or refused) and keeps its first ref. The
 * price: a handset sending the very same text twice within it counts once.
 */
const REDELIVERY_MS = 10 * 60_000;

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

async function sha256(s: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s))));
}

/** Turns one deliver_sm / data_sm into events; answers the command_status to respond with. */
async function handleInbound(ctx: InboundContext & { settings: SmppSettings }, pdu: InboundPdu): Promise<number> {
  const b = pdu.body;
  // data_sm, and deliver_sm with an empty short_message, carry the text in message_payload.
  const sm = pdu.command === "deliver_sm" && pdu.body.shortMessage.length > 0 ? pdu.body.shortMessage : (pdu.tlvs.get(TLV.message_payload) ?? new Uint8Array());
  const now = Date.now();
  const events: CarrierEvents = { reports: [], replies: [] };
  let done = (): void => {};

  if (isReceipt(b.esmClass, pdu.tlvs)) {
    const r = parseReceipt(sm, pdu.tlvs);
    if (!r) {
      console.error(JSON.stringify({ level: "error", event: "smpp_receipt_unreadable", carrier: ctx.carrier, text: decodeText(sm, 1) }));
      return ESME_ROK; // nothing to match it by; asking for it again would loop forever
    }
    if (r.code === null) return ESME_ROK; // ENROUTE / ACCEPTD: the final receipt follows
    events.reports.push({ ref: r.ref, code: r.code, reported_at: now });
  } else {
    const { concat: udh, payload } = splitUdh(sm, b.esmClass);
    const sarTotal = tlvInt(pdu.tlvs.get(TLV.sar_total_segments));
    const concat =
      udh ??
      (sarTotal !== undefined && sarTotal > 1
        ? { ref: `sar:${tlvInt(pdu.tlvs.get(TLV.sar_msg_ref_num))}`, total: sarTotal, seq: tlvInt(pdu.tlvs.get(TLV.sar_segment_seqnum)) ?? 1 }
        : null);
    const text = decodeText(payload, b.dataCoding);
    let content = text;
    let key = `${b.sourceAddr}|${b.destAddr}|${b.dataCoding}|${hex(sm)}`;
    if (concat) {
      const grp = `${b.sourceAddr}|${b.destAddr}|${concat.ref}|${concat.total}`;
      const whole = addReplyPart(ctx.sql, grp, concat.seq, concat.total, text, now);
      if (whole === null) return ESME_ROK; // stored: the other parts complete it
      content = whole;
      key = `${grp}|${whole}`;
      done = () => dropReplyParts(ctx.sql, grp);
    }
    if (content.length === 0) return ESME_ROK;
    const ref = replyRef(ctx.sql, await sha256(key), `smpp-${randomHex(12)}`, now, REDELIVERY_MS);
    const prefix = ctx.settings.sourceAddr;
    const rest = b.destAddr.startsWith(prefix) ? b.destAddr.slice(prefix.length) : "";
    events.replies.push({
      ref,
      // An international (TON 1) sender is an E.164 number without its "+"; other forms are read as
      // the gateway reads any mobile (an 11-digit mainland number, 86…, 00…).
      mobile: b.sourceTon === 1 && /^\d{6,15}$/.test(b.sourceAddr) ? `+${b.sourceAddr}` : b.sourceAddr,
      content: content.slice(0, 1000),
      ...(/^\d{1,20}$/.test(rest) ? { extension: rest } : {}),
      received_at: now,
    } as CarrierEvents["replies"][number]);
  }

  if (!(await ctx.publish(events))) return ESME_RX_T_APPN;
  done();
  return ESME_ROK;
}
