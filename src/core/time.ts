// Owns wall-clock times in a tenant's timezone (paasw's and JPush's `YYYY-MM-DD HH:mm:ss`):
// rendering stored epoch-ms times and parsing the local times clients send.

// One formatter per timezone: building an Intl.DateTimeFormat costs far more than using one, and a
// pull of 500 reports formats 1000 times. The cache holds only immutable formatters, never request data.
const formatters = new Map<string, Intl.DateTimeFormat>();
const FALLBACK_ZONE = "Asia/Shanghai";

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-CA", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        hourCycle: "h23",
      });
    } catch {
      // A timezone the runtime does not know would otherwise break every pull and push of the tenant.
      f = formatterFor(FALLBACK_ZONE);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** `YYYY-MM-DD HH:mm:ss` of `ms` (epoch milliseconds) in `timeZone` (IANA name; unknown names fall back to Asia/Shanghai). */
export function formatLocalDateTime(ms: number, timeZone: string): string {
  const p: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/**
 * Epoch ms of a local `YYYY-MM-DD HH:mm:ss` wall-clock time in `timeZone`, or null when malformed,
 * not a calendar date, or a time the zone skips (a DST gap). The zone's offsets a day before and a
 * day after give every candidate instant (no zone changes offset twice within two days); those
 * that really show this wall time are kept, and a repeated time (clocks going back) takes the earlier.
 */
export function parseLocalDateTime(text: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (y < 1970 || h > 23 || mi > 59 || s > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  const offsetAt = (ms: number): number => {
    const p = formatLocalDateTime(ms, timeZone).match(/\d+/g)!.map(Number) as [number, number, number, number, number, number];
    return Date.UTC(p[0], p[1] - 1, p[2], p[3], p[4], p[5]) - ms;
  };
  const DAY = 86_400_000;
  const fits = [wall - offsetAt(wall - DAY), wall - offsetAt(wall + DAY)].filter((t) => t + offsetAt(t) === wall);
  return fits.length > 0 ? Math.min(...fits) : null;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The earliest time at or after `ms` outside the daily quiet hours `[start, end)` of `timeZone`
 * (a window may wrap midnight, e.g. 21:00–08:00): `ms` itself, or the end of the window it is in.
 */
export function afterQuietHours(ms: number, quiet: { start: string; end: string }, timeZone: string): number {
  const local = formatLocalDateTime(ms, timeZone);
  const minute = minutesOf(local.slice(11, 16));
  const [start, end] = [minutesOf(quiet.start), minutesOf(quiet.end)];
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return ms;
  // The window ends today, unless it wraps midnight and we are before midnight: then tomorrow.
  const [y, mo, d] = local.slice(0, 10).split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d + (start > end && minute >= start ? 1 : 0))).toISOString().slice(0, 10);
  const at = parseLocalDateTime(`${day} ${quiet.end}:00`, timeZone);
  // An end that falls in a DST gap: an hour later always exists.
  return at ?? parseLocalDateTime(`${day} ${String(Math.min(23, Number(quiet.end.slice(0, 2)) + 1)).padStart(2, "0")}${quiet.end.slice(2)}:00`, timeZone) ?? ms;
}
