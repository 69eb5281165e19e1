// The simulator's deterministic outcome rules, chosen by the mobile's national number. Only numbers
// of the reserved block 1390000xxxx are special, so random test mobiles (139 + 8 random digits)
// hit a rule with a probability of about 1e-7.
import type { DeliveryCode } from "../core/types";

export type SimOutcome =
  | { kind: "report"; code: DeliveryCode; slow: boolean }
  | { kind: "reject" } // refused at submit: permanent failure, code 1
  | { kind: "transient"; until: number } // transient failure while attempts <= until
  | { kind: "silent" } // accepted, but no report ever arrives (the 72 h sweep marks it unknown)
  | { kind: "lost" }; // taken (the handset gets it), but the submit's answer and its report are lost: only a status query settles it

export const SPECIAL_PREFIX = "+861390000";

const RULES: Record<string, SimOutcome> = {
  "0001": { kind: "reject" },
  "0004": { kind: "report", code: "4", slow: false },
  "0005": { kind: "report", code: "5", slow: false },
  "0006": { kind: "report", code: "6", slow: false },
  "0007": { kind: "report", code: "7", slow: false },
  "0008": { kind: "report", code: "8", slow: false },
  "0009": { kind: "report", code: "9", slow: false },
  "0096": { kind: "silent" },
  "0097": { kind: "lost" },
  "0098": { kind: "transient", until: 2 },
  "0099": { kind: "report", code: "10000", slow: true },
};

const DELIVERED: SimOutcome = { kind: "report", code: "10000", slow: false };

/** The outcome for an E.164 mobile. Everything outside the reserved block is delivered. */
export function simOutcome(mobile: string): SimOutcome {
  if (!mobile.startsWith(SPECIAL_PREFIX) || mobile.length !== SPECIAL_PREFIX.length + 4) return DELIVERED;
  return RULES[mobile.slice(-4)] ?? DELIVERED;
}

/** Seconds before a report: the configured delay, and at least 30 s for "slow" numbers. */
export function reportDelay(env: Env, slow: boolean): number {
  const base = Math.max(0, Number(env.SIMULATOR_REPORT_DELAY_SECONDS) || 0);
  return slow ? Math.max(30, base * 10) : base;
}
