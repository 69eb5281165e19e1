#!/usr/bin/env node
// `npm run bench`: edgesms under load in Miniflare (not wrangler dev) beside a baseline Worker,
// one table of figures and ratios, the targets marked ✓/✗, and bench/results.json. Exits 0 even
// when a target is missed; non-zero only when the bench itself crashes.
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { cpuSeconds, runtimeErrors, runtimeLog, SECRETS, startAll } from "./lib/gateway.mjs";
import { QUICK, settle, statusCounts } from "./lib/load.mjs";
import { measure, runSpec } from "./lib/runner.mjs";
import { seed as seedTenant } from "./lib/seed.mjs";
import { SEND_ROWS } from "./lib/rows-send.mjs";
import { codesRoundTrip, endToEnd, memory } from "./lib/rows-flow.mjs";
import { addSmppRows } from "./lib/rows-smpp.mjs";
import { table, targetLines, targets, writeResults } from "./lib/report.mjs";
import { kannelEndToEnd, kannelEndToEndRow, kannelSingle, startKannel, versusKannel } from "./lib/kannel.mjs";

const RESULTS = fileURLToPath(new URL("./results.json", import.meta.url));
const started = Date.now();
const load0 = loadavg();
const log = (msg) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
const get = (path) => ({ method: "GET", build: () => ({ path }) });
const spec = (id) => SEND_ROWS.find((s) => s.id === id);

const rows = [];
const res = {};
const add = (id, label, vs, result, recipients) => {
  res[id] = result;
  rows.push({ id, label, vs, result, recipients });
  log(`${label}: ${result.na ?? `${result.rps ?? "-"} req/s, p50 ${result.p50 ?? "-"} ms, p99 ${result.p99 ?? "-"} ms, refused ${result.refused ?? 0}`}`);
};

log("building the Worker bundle and starting Miniflare …");
const gw = await startAll();
const notes = [];
let kannel;
try {
  kannel = await startKannel(log);
  const { edge, base, db } = gw;
  log(`edgesms at ${edge.url} (workerd pid ${edge.pid}), baseline at ${base.url} (pid ${base.pid}); migrations ${gw.migrations.join(", ")}`);
  const seed = await seedTenant(edge.url, SECRETS.ADMIN_TOKEN);
  notes.push(...seed.notes);
  for (const n of seed.notes) log(`seed: ${n}`);

  add("baseline_const", "baseline GET /const", null, await measure(base.url, get("/const"), { duration: 5 }));
  const insertEp = {
    build: () => ({ path: "/insert", body: JSON.stringify({ mobile: `139${Date.now() % 1e8}`, temp_para: { order: `SF${Date.now()}` } }) }),
  };
  add("baseline_insert", "baseline POST /insert (1 D1 INSERT)", null, await measure(base.url, insertEp, { duration: 5 }));
  // The durable work of a single send's accept alone (bench/lib/baseline-worker.js): how far below
  // /insert a send must land whatever the gateway's own code costs.
  add("baseline_floor", "baseline POST /accept-floor (a send's 6 statements in one D1 batch + 1 queue message)", "insert", await measure(base.url, { ...insertEp, build: () => ({ ...insertEp.build(), path: "/accept-floor" }) }, { duration: 5 }));
  add("healthz", "GET /healthz", "const", await measure(edge.url, get("/healthz"), { duration: 5 }));

  // After each send row: how much was still waiting for dispatch, and how long it took to drain
  // once the load stopped (the queue consumers share the isolate with the requests).
  const sendRow = async (id) => {
    const s = spec(id);
    const r = await runSpec(edge.url, seed, s);
    if (!r.na) {
      const c = await statusCounts(db, seed.tenant);
      r.backlogAfter = (c.queued ?? 0) + (c.submitted ?? 0);
      const d = await settle(db, seed.tenant, 30_000);
      r.drainSeconds = Math.round(d.ms / 100) / 10;
      if (d.open) r.undrained = d.open;
    }
    add(id, s.label, s.vs, r, s.recipients);
    if (!r.na) log(`  backlog after the row ${r.backlogAfter}, drained in ${r.drainSeconds} s${r.undrained ? ` (${r.undrained} left)` : ""}`);
  };
  await sendRow("jpush_single");
  add("kannel_single", "Kannel sendsms, 1 number (spool store, fakesmsc)", "insert", await kannelSingle(kannel));
  const [codes, valid] = await codesRoundTrip(edge.url, db, seed);
  add("jpush_codes", "JPush POST /v1/codes", "insert", codes, 1);
  add("jpush_valid", "JPush POST /v1/codes/{id}/valid", "insert", valid);
  await sendRow("paasw_send_1");
  for (const id of ["jpush_voice_codes", "paasw_template_1", "huawei_single", "smsapi_industry"]) await sendRow(id);

  for (const id of ["jpush_batch_1000", "paasw_send_1000", "paasw_template_1000", "huawei_batch_999", "huawei_endpoints_1000", "smsapi_batch_1000", "smsapi_personality_1000"]) await sendRow(id);

  const s = await settle(db, seed.tenant, 45_000);
  if (s.open) notes.push(`before end to end: ${s.open} earlier messages still open after ${s.ms} ms`);
  // Kannel before and after edgesms: the ratio uses their mean, as the machine's load drifts.
  const k0 = await kannelEndToEnd(kannel);
  rows.push(kannelEndToEndRow("kannel_end_to_end_before", "before edgesms", k0));
  log("end to end: batches of 1000 until delivered …");
  const e2e = await endToEnd(edge.url, db, seed, res);
  res.end_to_end = e2e;
  rows.push({
    id: "end_to_end",
    label: e2e.na ? "end to end (accept → delivered)" : `end to end: ${e2e.messages} via ${e2e.via} → ${e2e.delivered} delivered in ${e2e.seconds} s`,
    result: e2e.na ? e2e : { connections: 4, msgPerSec: e2e.msgPerSec, refused: e2e.refusedRequests + (e2e.counts.failed ?? 0) },
    recipients: 1000,
  });
  log(`end to end: ${JSON.stringify(e2e)}`);
  const k1 = await kannelEndToEnd(kannel);
  rows.push(kannelEndToEndRow("kannel_end_to_end_after", "after edgesms", k1));
  res.kannel = { version: kannel.version ?? null, endToEnd: [k0, k1], versus: versusKannel(e2e, [k0, k1]) };
  log(`Kannel end to end: ${JSON.stringify([k0, k1])}; edgesms ÷ Kannel: ${JSON.stringify(res.kannel.versus)}`);
  await addSmppRows({ url: edge.url, db, seed, adminToken: SECRETS.ADMIN_TOKEN, rows, res, log });

  log("memory: 60 s sustained at half the single-send rate …");
  const mem = await memory(edge.url, db, edge.pid, seed, res);
  res.memory = mem;
  rows.push({
    id: "memory",
    label: `sustained 60 s, ${mem.via}: workerd RSS ${mem.rssStartMb} → ${mem.rssEndMb} MB, ${mem.backlogAtEnd ?? 0} left undispatched`,
    vs: mem.via.includes("healthz") ? "const" : "insert",
    result: { connections: 16, rps: mem.rps, p99: mem.p99, refused: mem.refused },
  });
  log(`memory: ${JSON.stringify(mem)}`);

  // The machine's load drifts during a run: the baseline is measured again at the end and the
  // ratios use the mean of both runs.
  await settle(db, seed.tenant, 15_000);
  const busy0 = cpuSeconds(edge.pid);
  add("baseline_insert_end", "baseline POST /insert (again, at the end)", null, await measure(base.url, insertEp, { duration: 5 }));
  res.baseline_insert_end.edgesmsCpuSeconds = Math.round((cpuSeconds(edge.pid) - busy0) * 100) / 100;
  notes.push(`while the baseline ran again, the (idle) edgesms workerd used ${res.baseline_insert_end.edgesmsCpuSeconds} s of CPU in 5 s`);
  const [i0, i1] = [res.baseline_insert, res.baseline_insert_end];
  const mean = (k) => Math.round(((i0[k] + i1[k]) / 2) * 10) / 10;
  res.baseline_insert_ref = { rps: Math.round((i0.rps + i1.rps) / 2), p50: mean("p50"), p99: mean("p99") };

  const load1 = loadavg();
  notes.push(`load average (1 min) at start ${load0[0].toFixed(2)}, at end ${load1[0].toFixed(2)}: other work on the machine skews absolute figures`);
  if (runtimeErrors.count) notes.push(`the runtime logged ${runtimeErrors.count} error lines, first: ${runtimeErrors.first.join(" | ")}`);
  const ts = targets(res);
  const base0 = { insert: res.baseline_insert_ref, const: res.baseline_const };
  console.log(`\nedgesms bench — ${new Date(started).toISOString()} — ${Math.round((Date.now() - started) / 1000)} s\n`);
  console.log(table(rows, base0));
  console.log(`\nTargets (reported, not asserted):\n${targetLines(ts)}`);
  if (notes.length) console.log(`\nNotes:\n${notes.map((n) => `- ${n}`).join("\n")}`);
  if (QUICK) console.log("\nquick run: bench/results.json left as it was");
  else {
    writeResults(RESULTS, { rows, res, ts, started, notes, migrations: gw.migrations });
    console.log(`\nwrote ${RESULTS}`);
  }
} catch (e) {
  console.error(`bench crashed: ${e.stack ?? e}`);
  console.error(`last workerd output:\n${runtimeLog.slice(-30).join("\n")}`);
  process.exitCode = 1;
} finally {
  await kannel?.close?.();
  await gw.close();
}
