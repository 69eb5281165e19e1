#!/usr/bin/env node
// `node bench/profile.mjs <row id> [seconds]`: loads one send row like the bench does while the V8
// sampling profiler runs in edgesms's isolate, then prints where its CPU time went (self and
// inclusive, top 30 each, PROFILE_TOP=n for more). Row ids: see bench/lib/rows-send.mjs (jpush_single, jpush_batch_1000, …),
// or end_to_end (20 JPush batches of 1000 until delivered), or smpp (SMPP_MESSAGES=5000 through one
// bind of window 10 to a local SMSC, until delivered; the bind's object runs in the same isolate), or valid (/v1/codes/{id}/valid for the
// codes issued in an unprofiled /v1/codes run first; PROFILE_CODES=1 profiles that run as well).
import WebSocket from "ws";
import { SECRETS, startAll } from "./lib/gateway.mjs";
import { seed as seedTenant } from "./lib/seed.mjs";
import { SEND_ROWS } from "./lib/rows-send.mjs";
import { measure } from "./lib/runner.mjs";
import { codesRoundTrip, endToEnd } from "./lib/rows-flow.mjs";
import { createSmppCarrier, smppEndToEnd } from "./lib/rows-smpp.mjs";
import { startSmsc } from "../scripts/smsc.mjs";

const [id = "jpush_single", seconds = "8"] = process.argv.slice(2);
const E2E = id === "end_to_end";
const SMPP = id === "smpp";
const VALID = id === "valid";
const spec = SEND_ROWS.find((s) => s.id === (E2E ? "jpush_batch_1000" : VALID || SMPP ? "jpush_single" : id));
if (!spec) {
  console.error(`unknown row ${id}; one of: ${SEND_ROWS.map((s) => s.id).join(", ")}`);
  process.exit(2);
}
const PORT = 9230;
/** PROFILE_TOP=n prints n functions per list (default 30). */
const TOP = Number(process.env.PROFILE_TOP) || 30;

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function inspect(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  let next = 0;
  const pending = new Map();
  ws.on("message", (m) => {
    const d = JSON.parse(String(m));
    pending.get(d.id)?.(d.result);
    pending.delete(d.id);
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      pending.set(++next, resolve);
      ws.send(JSON.stringify({ id: next, method, params }));
    });
  return { send, close: () => ws.close() };
}

const frame = (n) => `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber + 1}`;

function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfById = new Map();
  profile.samples.forEach((sid, i) => selfById.set(sid, (selfById.get(sid) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map();
  const incl = new Map();
  const walk = (n) => {
    let sum = selfById.get(n.id) ?? 0;
    self.set(frame(n), (self.get(frame(n)) ?? 0) + sum);
    for (const c of n.children ?? []) sum += walk(byId.get(c));
    incl.set(frame(n), (incl.get(frame(n)) ?? 0) + sum);
    return sum;
  };
  const total = walk(profile.nodes[0]);
  const top = (m) =>
    [...m.entries()]
      .filter(([k]) => !k.startsWith("(root)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([k, v]) => `${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join("\n");
  return `sampled ${(total / 1000).toFixed(0)} ms\n\nself time:\n${top(self)}\n\ninclusive time:\n${top(incl)}`;
}

const gw = await startAll({ inspectorPort: PORT });
const smsc = SMPP ? await startSmsc({ receiptDelayMs: 0, accounts: { edgebench: "bench" } }) : null;
try {
  const seed = await seedTenant(gw.edge.url, SECRETS.ADMIN_TOKEN);
  if (smsc) {
    const why = await createSmppCarrier(gw.edge.url, SECRETS.ADMIN_TOKEN, smsc);
    if (why) throw new Error(why);
  }
  const targets = await (await fetch(`http://127.0.0.1:${PORT}/json`)).json();
  const target = targets.find((t) => t.title.includes("core:user:edgesms"));
  if (!target) throw new Error(`no edgesms isolate among ${targets.map((t) => t.title).join(", ")}`);
  const cdp = await inspect(target.webSocketDebuggerUrl);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  let r;
  if (VALID) {
    const start = () => cdp.send("Profiler.start");
    if (process.env.PROFILE_CODES) await start();
    const [codes, valid] = await codesRoundTrip(gw.edge.url, gw.db, seed, { beforeValid: process.env.PROFILE_CODES ? async () => {} : start, codesSeconds: Number(seconds) });
    console.log(`/v1/codes: ${codes.rps} req/s, p50 ${codes.p50} ms, p99 ${codes.p99} ms${process.env.PROFILE_CODES ? " (profiled)" : ""}`);
    r = valid;
    console.log(`/v1/codes/{id}/valid: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, accepted ${r.accepted}, refused ${r.refused}${r.refusedSample ? ` (${r.refusedSample})` : ""}`);
  } else if (SMPP) {
    await cdp.send("Profiler.start");
    r = await smppEndToEnd(gw.edge.url, gw.db, seed, SECRETS.ADMIN_TOKEN, Number(process.env.SMPP_MESSAGES) || 5000);
  } else {
    await cdp.send("Profiler.start");
    const load = spec.recipients > 1 ? { connections: 1, amount: 20 } : { duration: Number(seconds) };
    r = E2E ? await endToEnd(gw.edge.url, gw.db, seed, { jpush_batch_1000: {} }) : await measure(gw.edge.url, spec.endpoint(seed), load, spec.recipients);
  }
  const { profile } = await cdp.send("Profiler.stop");
  cdp.close();
  if (VALID) {
    // printed above
  } else if (E2E || SMPP) console.log(JSON.stringify(r));
  else console.log(`${spec.label}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, accepted ${r.accepted}, refused ${r.refused}${r.refusedSample ? ` (${r.refusedSample})` : ""}`);
  console.log("(the isolate also runs the queue consumers: background dispatch shows up here too)\n");
  console.log(summarize(profile));
} finally {
  await gw.close();
  await smsc?.close();
}
