// Owns per-app spending caps: the day they count in (the tenant's timezone), what an app has left
// of its caps and of its tenant's balance. Enforcement itself is in the accept batch
// (store/app-caps appSpendStatements), so it holds exactly under concurrency.
import { formatLocalDateTime, parseLocalDateTime } from "./time";
import type { App, Tenant } from "./types";

function computeDayStart(ms: number, timeZone: string): number {
  const date = formatLocalDateTime(ms, timeZone).slice(0, 10);
  return parseLocalDateTime(`${date} 00:00:00`, timeZone) ?? parseLocalDateTime(`${date} 01:00:00`, timeZone) ?? ms;
}

// The current day [start, end) of each timezone seen: a fact about the zone, not request data. Every
// accept needs its day; computing it takes about six Intl formatting calls (~140 µs in Node), a hit
// one comparison. Bounded by the number of zones.
const days = new Map<string, { start: number; end: number }>();

/** Epoch ms of the start of the day holding `ms` in `timeZone` (01:00 where midnight falls in a DST gap). */
export function dayStartOf(ms: number, timeZone: string): number {
  const day = days.get(timeZone);
  if (day && ms >= day.start && ms < day.end) return day.start;
  const start = computeDayStart(ms, timeZone);
  // Days last 23 to 25 hours, so 36 hours after a start is inside the next day.
  const end = computeDayStart(start + 36 * 3_600_000, timeZone);
  if (start <= ms && ms < end) days.set(timeZone, { start, end });
  return start;
}

export interface CapsState {
  daily: number | null;
  total: number | null;
  spentToday: number;
  spentTotal: number;
  /** null: no such cap. */
  remainingToday: number | null;
  remainingTotal: number | null;
}

/** The app's caps as of `now` (the daily counter of an earlier day counts as 0 today). */
export function capsState(app: App, timeZone: string, now: number): CapsState {
  const c = app.caps;
  const spentToday = c.spentDayStart >= dayStartOf(now, timeZone) ? c.spentDay : 0;
  return {
    daily: c.daily,
    total: c.total,
    spentToday,
    spentTotal: c.spentTotal,
    remainingToday: c.daily === null ? null : Math.max(0, c.daily - spentToday),
    remainingTotal: c.total === null ? null : Math.max(0, c.total - c.spentTotal),
  };
}

/** What the app may still spend now: its tenant's balance, within whatever its caps leave. */
export function appAllowance(app: App, tenant: Tenant, now: number): number {
  const s = capsState(app, tenant.timezone, now);
  return Math.max(0, Math.min(tenant.balance, s.remainingToday ?? Infinity, s.remainingTotal ?? Infinity));
}
