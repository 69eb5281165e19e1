// Twilio's codes as edgesms acts on them: REST error codes of a Messages create (a fault of the
// message: permanent; of the account, sender or rate: transient, fails over; a server error after
// arrival: unknown), and the status a callback or a fetch reports, with its ErrorCode.
import type { DeliveryCode } from "../../core/types";

export type Verdict = { outcome: "transient" } | { outcome: "permanent"; code: DeliveryCode } | { outcome: "unknown" };

const T: Verdict = { outcome: "transient" };
const U: Verdict = { outcome: "unknown" };
const P = (code: DeliveryCode): Verdict => ({ outcome: "permanent", code });

export const TWILIO_SUBMIT_CODES: Record<number, Verdict> = {
  21211: P("1"), // invalid 'To' number
  21614: P("1"), // 'To' is not a mobile number
  21635: P("1"), // 'To' is a landline
  21265: P("1"), // 'To' is a short code
  21266: P("1"), // 'To' and 'From' are the same
  21602: P("1"), // body required
  21617: P("1"), // body over 1600 characters
  21610: P("7"), // the recipient replied STOP
  21612: T, // this sender cannot reach that number
  21408: T, // geo permission for the region not enabled
  21601: T, // 'From' not SMS-capable
  21606: T, // 'From' not valid for this account
  21659: T, // 'From' not a Twilio number
  21660: T, // 'From' and account mismatch
  21703: T, // messaging service: no phone numbers
  21704: T,
  21705: T,
  21611: T, // queue full
  14107: T, // send rate limit exceeded
  20429: T, // too many requests
  20003: T, // authentication failed
  20404: T, // account or resource not found
  30001: T, // queue overflow
  30002: T, // account suspended
  20503: T, // service unavailable: not processed
  20500: U, // internal error: may have been created
};

export function submitVerdict(code: number | undefined, status: number): Verdict {
  if (code !== undefined && TWILIO_SUBMIT_CODES[code]) return TWILIO_SUBMIT_CODES[code]!;
  if (status === 429) return T;
  return status >= 500 ? U : T;
}

/** ErrorCode of an undelivered/failed message → delivery code. */
export const TWILIO_DELIVERY_ERRORS: Record<number, DeliveryCode> = {
  30003: "4", // unreachable handset
  30004: "7", // blocked by the recipient or its carrier
  30005: "4", // unknown or inactive number
  30006: "4", // landline or unreachable carrier
  30007: "6", // filtered by the carrier
  30008: "9", // unknown error
  30032: "6", // toll-free number not verified
  30034: "6", // unregistered A2P 10DLC sender
};

/** A status that is final → delivery code; null while it is still on its way. */
export function statusCode(status: string, errorCode: number | undefined): DeliveryCode | null {
  switch (status) {
    case "delivered":
      return "10000";
    case "undelivered":
      return (errorCode !== undefined ? TWILIO_DELIVERY_ERRORS[errorCode] : undefined) ?? "4";
    case "failed":
    case "canceled":
      return (errorCode !== undefined ? TWILIO_DELIVERY_ERRORS[errorCode] : undefined) ?? "1";
    default:
      return null; // queued, accepted, scheduled, sending, sent
  }
}
