// Runs one row: checks that what it needs was seeded, probes the route once (a 404 means the
// route is not built yet: the row is skipped, not failed), warms up, then loads it with autocannon.
import { endpoint, load } from "./load.mjs";

export const na = (reason) => ({ na: reason });

/** Sends one request built like the load's; answers null when it was accepted, else why not. */
export async function probe(url, ep) {
  const { path, body } = ep.build();
  let res;
  try {
    res = await fetch(url + path, { method: ep.method ?? "POST", headers: ep.headers, body });
  } catch (e) {
    return `n/a (probe failed: ${e.message})`;
  }
  const text = await res.text();
  let data = text;
  try {
    data = JSON.parse(text);
  } catch {
    // keep the text
  }
  if (res.status === 404) return `n/a (route not implemented: ${res.status} ${text.slice(0, 80)})`;
  if (!(ep.ok ?? ((s) => s < 300))(res.status, data)) return `n/a (probe refused: HTTP ${res.status} ${text.slice(0, 160)})`;
  return null;
}

/** Loads an endpoint and returns the table figures plus accepted/refused counts. */
export async function measure(url, ep, opts, recipients = 1) {
  for (let i = 0; i < (opts.warmup ?? 0); i++) {
    const { path, body } = ep.build();
    await (await fetch(url + path, { method: ep.method ?? "POST", headers: ep.headers, body })).arrayBuffer();
  }
  const { requests, tally } = endpoint(ep);
  const r = await load(url, { ...opts, requests, headers: ep.headers });
  return {
    ...r,
    connections: opts.connections ?? 16,
    accepted: tally.ok,
    refused: tally.bad,
    ...(tally.sample ? { refusedSample: tally.sample } : {}),
    recipients,
    msgPerSec: r.requests > 0 ? Math.round((r.rps * recipients * tally.ok) / r.requests) : 0,
  };
}

export async function runSpec(url, seed, spec) {
  const missing = spec.needs(seed);
  if (missing) return na(`n/a (${missing})`);
  const ep = spec.endpoint(seed);
  const why = await probe(url, ep);
  if (why) return na(why);
  return measure(url, ep, spec.load, spec.recipients);
}
