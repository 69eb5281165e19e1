// Delivery receipts carried by deliver_sm / data_sm: the SMSC's message id and final state, read from
// the receipted_message_id and message_state TLVs when present, else from the de-facto standard text
// of SMPP 3.4 Appendix B ("id:… sub:… dlvrd:… submit date:… done date:… stat:DELIVRD err:…").
import type { DeliveryCode } from "../../core/types";
import { TLV, tlvInt, tlvString } from "./pdu";
import { latin1 } from "./encoding";

/** esm_class message-type bits (2–5): 0x04 SMSC delivery receipt, 0x20 intermediate notification. */
const RECEIPT_TYPES = new Set([0x04, 0x08, 0x10, 0x20]);

/**
 * Receipt states → edgesms delivery codes (src/core/types.ts DELIVERY_CODES). null = not final: the
 * message is still on its way (ENROUTE, ACCEPTD), so nothing is reported yet.
 *
 * | stat    | message_state | code  | meaning                                          |
 * |---------|---------------|-------|--------------------------------------------------|
 * | DELIVRD | 2 DELIVERED   | 10000 | delivered to the handset                          |
 * | UNDELIV | 5 UNDELIVERABLE | 4   | failed                                            |
 * | EXPIRED | 3 EXPIRED     | 4     | failed: validity period passed, never delivered   |
 * | DELETED | 4 DELETED     | 4     | failed: deleted by the SMSC before delivery       |
 * | REJECTD | 8 REJECTED    | 6     | rejected by the network                           |
 * | UNKNOWN | 7 UNKNOWN     | 9     | unknown                                           |
 * | ACCEPTD | 6 ACCEPTED    | —     | not final                                         |
 * | ENROUTE | 1 ENROUTE     | —     | not final                                         |
 */
export const STAT_CODES: Record<string, DeliveryCode | null> = {
  DELIVRD: "10000",
  UNDELIV: "4",
  EXPIRED: "4",
  DELETED: "4",
  REJECTD: "6",
  UNKNOWN: "9",
  ACCEPTD: null,
  ENROUTE: null,
};

const STATE_NAMES = ["", "ENROUTE", "DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD"];

export interface Receipt {
  /** The SMSC's message id, as its submit_sm_resp gave it. */
  ref: string;
  stat: string;
  /** The delivery code, or null while not final. */
  code: DeliveryCode | null;
  err: string | null;
}

/** Whether a deliver_sm / data_sm is a receipt rather than a reply. */
export const isReceipt = (esmClass: number, tlvs: Map<number, Uint8Array>): boolean =>
  RECEIPT_TYPES.has(esmClass & 0x3c) || tlvs.has(TLV.receipted_message_id);

const TEXT = /\bid:(\S+)/i;
const STAT = /\bstat:(\w+)/i;
const ERR = /\berr:(\w+)/i;

/**
 * Reads a receipt. The TLVs win where present (some SMSCs put a different id format in the text);
 * an unknown stat word counts as UNKNOWN rather than being dropped. null when no id can be found.
 */
export function parseReceipt(text: Uint8Array, tlvs: Map<number, Uint8Array>): Receipt | null {
  const body = latin1(text);
  const ref = tlvString(tlvs.get(TLV.receipted_message_id)) || TEXT.exec(body)?.[1];
  if (!ref) return null;
  const state = tlvInt(tlvs.get(TLV.message_state));
  const stat = (state !== undefined && STATE_NAMES[state]) || STAT.exec(body)?.[1]?.toUpperCase() || "UNKNOWN";
  const code = stat in STAT_CODES ? STAT_CODES[stat]! : "9";
  return { ref, stat, code, err: ERR.exec(body)?.[1] ?? null };
}
