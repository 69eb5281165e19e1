// The rows that follow messages past acceptance: verification code round trips, end-to-end
// delivery on the simulator, and the workerd memory over a sustained run.
import { memMb } from "./gateway.mjs";
import { mobile, QUICK, settle, sleep, statusCounts } from "./load.mjs";
import { measure, na, probe } from "./runner.mjs";
import { SEND_ROWS } from "./rows-send.mjs";

const basic = (c) => `Basic ${Buffer.from(`${c.key}:${c.secret}`).toString("base64")}`;

/**
 * /v1/codes under load, then /v1/codes/{msg_id}/valid with the right code for each. The code is
 * read from the rendered message row in D1 (the handset text), as a user would read the SMS.
 */
export async function codesRoundTrip(url, db, seed, { beforeValid = async () => {}, codesSeconds = 6 } = {}) {
  const jp = seed.creds.jpush;
  if (!jp || !seed.templates.verification) return [na("n/a (no JPush credential / verification template)"), na("n/a (no codes)")];
  const headers = { authorization: basic(jp), "content-type": "application/json" };
  const ids = [];
  const codes = {
    headers,
    build: () => ({ path: "/v1/codes", body: JSON.stringify({ mobile: mobile(), temp_id: seed.templates.verification }) }),
    ok: (status, d) => status === 200 && typeof d === "object" && d.msg_id !== undefined,
    onData: (d) => ids.push(String(d.msg_id)),
  };
  const why = await probe(url, codes);
  if (why) return [na(why), na("n/a (no codes)")];
  // The first code into each of the tenant's GUARD_BUCKETS objects creates it: a one-time cost per
  // tenant, not per request. The warm-up pays it before the clock starts (docs/bench.md shows both).
  const codesRow = await measure(url, codes, { duration: codesSeconds, warmup: QUICK ? 8 : 256 });
  // Like every send row, the codes row's dispatch drains before the next row starts: the checks
  // measure themselves, not the codes just sent being dispatched beside them.
  const c = await statusCounts(db, seed.tenant);
  codesRow.backlogAfter = (c.queued ?? 0) + (c.submitted ?? 0);
  const drained = await settle(db, seed.tenant, 30_000);
  codesRow.drainSeconds = Math.round(drained.ms / 100) / 10;
  if (drained.open) codesRow.undrained = drained.open;
  const pairs = [];
  for (let i = 0; i < ids.length; i += 2000) {
    const { results } = await db
      .prepare("SELECT id, content FROM messages WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))")
      .bind(seed.tenant, JSON.stringify(ids.slice(i, i + 2000)))
      .all();
    for (const r of results) {
      const m = /(\d{4,8})/.exec(r.content);
      if (m) pairs.push([r.id, m[1]]);
    }
  }
  if (pairs.length < 16) return [codesRow, na(`n/a (only ${pairs.length} codes readable from D1)`)];
  let next = 0;
  const valid = {
    headers,
    build: () => {
      const [id, code] = pairs[Math.min(next++, pairs.length - 1)];
      return { path: `/v1/codes/${id}/valid`, body: JSON.stringify({ code }) };
    },
    ok: (status, d) => status === 200 && d?.is_valid === true,
  };
  await beforeValid(); // bench/profile.mjs starts its profiler here for the /valid row
  const validRow = await measure(url, valid, { amount: Math.min(pairs.length, 20_000) });
  return [codesRow, validRow];
}

/**
 * ≥ 20,000 messages in batches of 1000 through the first batch endpoint that works (4 requests in
 * flight, plain fetch so the clock is exact), then the time until none of them is left queued or
 * submitted; messages/s counts the delivered ones over the whole span, acceptance included.
 */
export async function endToEnd(url, db, seed, done, { batches = QUICK ? 5 : 20, inFlight = 4, timeoutMs = 90_000 } = {}) {
  const spec = SEND_ROWS.find((s) => s.recipients >= 999 && done[s.id] && !done[s.id].na);
  if (!spec) return na("n/a (no batch send route works yet)");
  const ep = spec.endpoint(seed);
  const since = Date.now() - 5;
  const t0 = Date.now();
  let next = 0;
  let refused = 0;
  let acceptedAt = null;
  const sender = async () => {
    while (next < batches) {
      next++;
      const { path, body } = ep.build();
      const res = await fetch(url + path, { method: "POST", headers: ep.headers, body });
      const text = await res.text();
      let data = text;
      try {
        data = JSON.parse(text);
      } catch {
        // keep the text
      }
      if (!ep.ok(res.status, data)) refused++;
    }
  };
  const sending = Promise.all(Array.from({ length: inFlight }, sender)).then(() => (acceptedAt = Date.now()));
  let counts = {};
  let last = "";
  let lastChange = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    await sleep(200);
    counts = await statusCounts(db, seed.tenant, since);
    const open = (counts.queued ?? 0) + (counts.submitted ?? 0);
    if (acceptedAt !== null && open === 0) break;
    const key = JSON.stringify(counts);
    if (key !== last) [last, lastChange] = [key, Date.now()];
    if (acceptedAt !== null && Date.now() - lastChange > 10_000) break;
  }
  await sending;
  const seconds = (Date.now() - t0) / 1000;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const delivered = counts.delivered ?? 0;
  const open = (counts.queued ?? 0) + (counts.submitted ?? 0);
  return {
    via: spec.label,
    messages: total,
    refusedRequests: refused,
    delivered,
    counts,
    acceptSeconds: Math.round((acceptedAt - t0) / 100) / 10,
    seconds: Math.round(seconds * 10) / 10,
    msgPerSec: Math.round(delivered / seconds),
    finished: open === 0 && delivered > 0,
    ...(open > 0 ? { note: `${open} still queued/submitted when it stopped moving or timed out` } : {}),
  };
}

/**
 * JPush single sends (or /healthz when they do not work yet) for 60 s at half the rate the
 * single-send row reached, so dispatch keeps up and the run is a steady state: at saturation the
 * queue consumers fall behind and the backlog itself (not a leak) grows the process. Reports the
 * workerd RSS before and after, and what was still waiting for dispatch at the end.
 */
export async function memory(url, db, pid, seed, done, seconds = QUICK ? 10 : 60) {
  const send = SEND_ROWS.find((s) => s.id === "jpush_single");
  const sends = done.jpush_single && !done.jpush_single.na;
  const ep = sends ? send.endpoint(seed) : { method: "GET", build: () => ({ path: "/healthz" }) };
  const overallRate = sends ? Math.max(10, Math.round(done.jpush_single.rps / 2)) : undefined;
  const via = sends ? `${send.label} at ${overallRate} req/s` : "GET /healthz (no send route yet)";
  const samples = [];
  const timer = setInterval(() => samples.push(memMb(pid)?.rss ?? null), 5000);
  const since = Date.now();
  const start = memMb(pid);
  const r = await measure(url, ep, { duration: seconds, overallRate });
  clearInterval(timer);
  const end = memMb(pid);
  const counts = sends ? await statusCounts(db, seed.tenant, since) : {};
  const flat = start !== null && end !== null && end.rss <= start.rss * 1.2 + 20;
  const anonFlat = start !== null && end !== null && end.anon <= start.anon * 1.2 + 20;
  return {
    via,
    rssStartMb: start?.rss ?? null,
    rssEndMb: end?.rss ?? null,
    start,
    end,
    rssSamplesMb: samples,
    rps: r.rps,
    p99: r.p99,
    accepted: r.accepted,
    refused: r.refused,
    backlogAtEnd: (counts.queued ?? 0) + (counts.submitted ?? 0),
    // Growth per accepted request tells a per-message cost from a warm-up plateau.
    anonGrowthKbPerRequest: start && end && r.accepted ? Math.round(((end.anon - start.anon) * 1024) / r.accepted) : null,
    flat,
    anonFlat,
  };
}
