// Load generation with autocannon (bounded connections and duration) and the small helpers the
// rows share: random mobiles, admin calls, and a wait for the dispatch backlog to settle.
import { randomInt } from "node:crypto";
import autocannon from "autocannon";

export const CONNECTIONS = 16;
/** BENCH_QUICK=1 shortens every row (for checking the harness, not for figures). */
export const QUICK = process.env.BENCH_QUICK === "1";

/**
 * A random mainland mobile (national form), never in 1390000xxxx: the simulator reserves that
 * block for its failing / slow / silent numbers, which would stall the end-to-end row.
 */
export const mobile = () => `139${randomInt(1, 10)}${String(randomInt(0, 1e7)).padStart(7, "0")}`;

/**
 * Runs autocannon and reduces its result to the figures the table prints. `requests` are
 * autocannon request objects (setupRequest builds each body, so every request is fresh).
 */
export async function load(url, { requests, connections = CONNECTIONS, duration, amount, overallRate, headers = {} }) {
  if (QUICK) [duration, amount] = [Math.min(duration ?? 2, 2), amount && Math.min(amount, amount > 100 ? 200 : 5)];
  if (amount) connections = Math.min(connections, amount);
  const t0 = performance.now();
  const r = await autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration }),
    ...(overallRate ? { overallRate } : {}),
    headers: { "content-type": "application/json", ...headers },
    requests,
    timeout: 30,
  });
  const wall = (performance.now() - t0) / 1000;
  const total = r.requests.total || 0;
  return {
    // autocannon averages per-second samples and ends on its 1 s tick: right for timed rows, not
    // for a few requests, whose rate is connections ÷ mean latency (Little's law).
    rps: amount ? Math.round((connections * 10000) / r.latency.average) / 10 : Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: Math.round(r.latency.average * 10) / 10,
    requests: total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    seconds: Math.round(wall * 100) / 100,
  };
}

/** One JSON request (seeding, probes); answers { status, data }. */
export async function call(base, method, path, { body, headers = {} } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let data = text;
  try {
    data = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, data, headers: res.headers };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Counts of messages per status for one tenant since `since` (epoch ms). */
export async function statusCounts(db, tenantId, since = 0) {
  const { results } = await db
    .prepare("SELECT status, COUNT(*) AS n FROM messages WHERE tenant_id = ?1 AND created_at >= ?2 GROUP BY status")
    .bind(tenantId, since)
    .all();
  return Object.fromEntries(results.map((r) => [r.status, r.n]));
}

/**
 * Waits until the earlier rows' messages have left 'queued'/'submitted', or stopped moving (the
 * dispatch path may not be built yet), so one row's background work does not slow the next.
 */
export async function settle(db, tenantId, maxMs = 30_000) {
  const t0 = Date.now();
  let last = -1;
  let still = 0;
  while (Date.now() - t0 < maxMs) {
    const c = await statusCounts(db, tenantId);
    const open = (c.queued ?? 0) + (c.submitted ?? 0);
    if (open === 0) return { open, ms: Date.now() - t0 };
    still = open === last ? still + 1 : 0;
    if (still >= 3) return { open, ms: Date.now() - t0, stuck: true };
    last = open;
    await sleep(500);
  }
  return { open: last, ms: Date.now() - t0, timeout: true };
}

/**
 * One autocannon request built fresh for every call by `build()` → { path, body? }; responses are
 * checked with `ok(status, data)` and tallied, so a fast row of refusals cannot pass for a result.
 */
export function endpoint({ method = "POST", headers, build, ok = (status) => status < 300, onData }) {
  const tally = { ok: 0, bad: 0, sample: null };
  const request = {
    method,
    ...(headers ? { headers } : {}),
    setupRequest(req) {
      const { path, body } = build();
      req.path = path;
      if (body !== undefined) req.body = body;
      return req;
    },
    onResponse(status, text) {
      let data = text;
      try {
        data = JSON.parse(text);
      } catch {
        // keep the text
      }
      if (ok(status, data)) {
        tally.ok++;
        onData?.(data);
      } else {
        tally.bad++;
        tally.sample ??= `HTTP ${status} ${String(text).slice(0, 200)}`;
      }
    },
  };
  return { requests: [request], tally };
}
