// A tenant's tunable policy (stored as JSON in tenants.settings), with the defaults the large
// Chinese providers use for verification codes.
import { z } from "zod";

export const LimitWindow = z.object({
  /** Window length in seconds. */
  seconds: z.number().int().min(1).max(7 * 86400),
  /** Sends allowed inside the window. */
  max: z.number().int().min(1).max(100000),
});
export type LimitWindow = z.infer<typeof LimitWindow>;

const windows = z.array(LimitWindow).max(8);

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day as HH:mm (00:00–23:59)");

export const TenantSettings = z.object({
  /** Per-mobile sliding windows per kind, enforced by MobileGuard. Empty = no limit. */
  limits: z
    .object({
      verification: windows.default([
        { seconds: 60, max: 1 },
        { seconds: 3600, max: 5 },
        { seconds: 86400, max: 10 },
      ]),
      notification: windows.default([]),
      marketing: windows.default([]),
    })
    .prefault({}),
  /** Same content to the same mobile inside this many seconds is a repeat send. 0 = off. */
  repeatWindowSeconds: z.number().int().min(0).max(86400).default(0),
  /** Words refused in content (case-insensitive), besides the global list. */
  blockedWords: z.array(z.string().min(1).max(50)).max(1000).default([]),
  /**
   * Daily hours (tenant timezone, `HH:mm`, `start` included, `end` not; may wrap midnight) in which
   * no marketing message goes out: one sent or scheduled inside them waits until they end. null = none.
   */
  quietHours: z
    .strictObject({ start: HourMinute, end: HourMinute })
    .refine((q) => q.start !== q.end, "start and end must differ")
    .nullable()
    .default(null),
  /**
   * The sender (source address) this tenant's messages carry instead of the carrier's default: a
   * number, or an alphanumeric sender id where the destination allows one. null = the carrier's.
   */
  sourceAddr: z
    .string()
    .regex(/^(\+?\d{1,20}|[A-Za-z0-9][A-Za-z0-9 ]{0,10})$/, "digits (up to 20) or an alphanumeric sender id (up to 11)")
    .nullable()
    .default(null),
});
export type TenantSettings = z.infer<typeof TenantSettings>;

/**
 * Parsed settings by their stored JSON text. Keyed by content, so an entry can never be stale (a
 * changed setting is a different text); frozen, so no request can alter what another one reads.
 * Every authenticated request parses its tenant's settings: the zod parse was ~4% of a send's CPU.
 */
const parsed = new Map<string, TenantSettings>();
const PARSED_MAX = 256;

const deepFreeze = <T>(v: T): T => {
  if (v && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
};

export const parseTenantSettings = (json: string): TenantSettings => {
  const hit = parsed.get(json);
  if (hit) return hit;
  const settings = deepFreeze(TenantSettings.parse(JSON.parse(json)));
  // Bounded: past the cap the oldest entry goes (Map keeps insertion order).
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  parsed.set(json, settings);
  return settings;
};
