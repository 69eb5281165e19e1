// Owns the wall-clock rendering of stored epoch-ms times in a tenant's timezone (paasw's
// `YYYY-MM-DD HH:mm:ss`); dialects that show local times reuse it.

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
