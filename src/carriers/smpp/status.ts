// SMPP 3.4 command_status values (§5.1.3) and what each means for a submit: try again later
// (transient), never (permanent), or slow the bind down (throttle: the SMSC's own rate limit).

export type StatusClass = "ok" | "transient" | "permanent" | "throttle";

/** name, class. Codes not listed (including the 0x400–0x4FF vendor range) are transient. */
const STATUSES: Record<number, [string, StatusClass]> = {
  0x00: ["ESME_ROK", "ok"],
  0x01: ["ESME_RINVMSGLEN", "permanent"],
  0x02: ["ESME_RINVCMDLEN", "permanent"],
  0x03: ["ESME_RINVCMDID", "permanent"],
  0x04: ["ESME_RINVBNDSTS", "transient"], // not bound (yet): rebind and retry
  0x05: ["ESME_RALYBND", "transient"],
  0x06: ["ESME_RINVPRTFLG", "permanent"],
  0x07: ["ESME_RINVREGDLVFLG", "permanent"],
  0x08: ["ESME_RSYSERR", "transient"],
  0x0a: ["ESME_RINVSRCADR", "permanent"],
  0x0b: ["ESME_RINVDSTADR", "permanent"],
  0x0c: ["ESME_RINVMSGID", "permanent"],
  0x0d: ["ESME_RBINDFAIL", "transient"],
  0x0e: ["ESME_RINVPASWD", "transient"], // a configuration problem: messages wait while the operator fixes it
  0x0f: ["ESME_RINVSYSID", "transient"],
  0x11: ["ESME_RCANCELFAIL", "permanent"],
  0x13: ["ESME_RREPLACEFAIL", "permanent"],
  0x14: ["ESME_RMSGQFUL", "throttle"],
  0x15: ["ESME_RINVSERTYP", "permanent"],
  0x33: ["ESME_RINVNUMDESTS", "permanent"],
  0x34: ["ESME_RINVDLNAME", "permanent"],
  0x40: ["ESME_RINVDESTFLAG", "permanent"],
  0x42: ["ESME_RINVSUBREP", "permanent"],
  0x43: ["ESME_RINVESMCLASS", "permanent"],
  0x44: ["ESME_RCNTSUBDL", "permanent"],
  0x45: ["ESME_RSUBMITFAIL", "transient"],
  0x48: ["ESME_RINVSRCTON", "permanent"],
  0x49: ["ESME_RINVSRCNPI", "permanent"],
  0x50: ["ESME_RINVDSTTON", "permanent"],
  0x51: ["ESME_RINVDSTNPI", "permanent"],
  0x53: ["ESME_RINVSYSTYP", "transient"],
  0x54: ["ESME_RINVREPFLAG", "permanent"],
  0x55: ["ESME_RINVNUMMSGS", "permanent"],
  0x58: ["ESME_RTHROTTLED", "throttle"],
  0x61: ["ESME_RINVSCHED", "permanent"],
  0x62: ["ESME_RINVEXPIRY", "permanent"],
  0x63: ["ESME_RINVDFTMSGID", "permanent"],
  0x64: ["ESME_RX_T_APPN", "transient"],
  0x65: ["ESME_RX_P_APPN", "permanent"],
  0x66: ["ESME_RX_R_APPN", "permanent"],
  0x67: ["ESME_RQUERYFAIL", "transient"],
  0xc0: ["ESME_RINVOPTPARSTREAM", "permanent"],
  0xc1: ["ESME_ROPTPARNOTALLWD", "permanent"],
  0xc2: ["ESME_RINVPARLEN", "permanent"],
  0xc3: ["ESME_RMISSINGOPTPARAM", "permanent"],
  0xc4: ["ESME_RINVOPTPARAMVAL", "permanent"],
  0xfe: ["ESME_RDELIVERYFAILURE", "transient"],
  0xff: ["ESME_RUNKNOWNERR", "transient"],
};

export const ESME_ROK = 0x00;
export const ESME_RINVCMDID = 0x03;
/** Answered to a deliver_sm the gateway could not take yet: the SMSC keeps it and delivers it again. */
export const ESME_RX_T_APPN = 0x64;

export const statusName = (s: number): string => STATUSES[s]?.[0] ?? `0x${s.toString(16).padStart(8, "0")}`;
export const statusClass = (s: number): StatusClass => STATUSES[s]?.[1] ?? "transient";
