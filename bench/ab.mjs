#!/usr/bin/env node
// `node bench/ab.mjs <refA> <refB> <row id>… [ROUNDS=3 SECONDS=5]`: an A/B of two commits (or
// `worktree`) on the same rows, both gateways up at once and measured alternately (A B, B A, …), so
// the machine's drift hits both sides alike. Prints each row's req/s, p50, p99 per side, and B ÷ A.
// Row ids as in bench/lib/rows-send.mjs, plus jpush_codes (/v1/codes), insert (the baseline), floor
// (the baseline's /accept-floor: a send's durable work alone) and
// end_to_end (20 JPush batches of 1000 until delivered; its "req/s" column is delivered msg/s) and
// jpush_valid (/v1/codes/{id}/valid for the codes of an unmeasured /v1/codes run just before; CPU
// counted from the first check) and smpp (SMPP_MESSAGES=5000 through smsapi batches, one bind of
// window 10 to a local SMSC of each side's own, until delivered; "req/s" is delivered msg/s).
import { cpuSeconds, SECRETS, startAll } from "./lib/gateway.mjs";
import { mobile } from "./lib/load.mjs";
import { measure } from "./lib/runner.mjs";
import { seed as seedTenant } from "./lib/seed.mjs";
import { SEND_ROWS } from "./lib/rows-send.mjs";
import { codesRoundTrip, endToEnd } from "./lib/rows-flow.mjs";
import { settle } from "./lib/load.mjs";
import { createSmppCarrier, smppEndToEnd } from "./lib/rows-smpp.mjs";
import { startSmsc } from "../scripts/smsc.mjs";

const [refA, refB, ...ids] = process.argv.slice(2);
if (!refA || !refB || !ids.length) {
  console.error("usage: node bench/ab.mjs <refA|worktree> <refB|worktree> <row id>…");
  process.exit(2);
}
const ROUNDS = Number(process.env.ROUNDS) || 3;
const SECONDS = Number(process.env.SECONDS) || 5;
const SMPP_MESSAGES = Number(process.env.SMPP_MESSAGES) || 5000;
const basic = (c) => `Basic ${Buffer.from(`${c.key}:${c.secret}`).toString("base64")}`;

function endpointOf(id, side) {
  if (id === "insert" || id === "floor") {
    const path = id === "insert" ? "/insert" : "/accept-floor";
    return {
      url: side.gw.base.url,
      ep: { build: () => ({ path, body: JSON.stringify({ mobile: mobile(), temp_para: { order: `SF${Date.now()}` } }) }) },
    };
  }
  if (id === "jpush_codes") {
    const jp = side.seed.creds.jpush;
    return {
      url: side.gw.edge.url,
      ep: {
        headers: { authorization: basic(jp), "content-type": "application/json" },
        build: () => ({ path: "/v1/codes", body: JSON.stringify({ mobile: mobile(), temp_id: side.seed.templates.verification }) }),
        ok: (status, d) => status === 200 && d?.msg_id !== undefined,
      },
    };
  }
  const spec = SEND_ROWS.find((s) => s.id === id);
  if (!spec) throw new Error(`unknown row ${id}`);
  return { url: side.gw.edge.url, ep: spec.endpoint(side.seed), load: spec.load };
}

async function start(ref) {
  if (ref === "worktree") delete process.env.BENCH_REF;
  else process.env.BENCH_REF = ref;
  const gw = await startAll();
  const seed = await seedTenant(gw.edge.url, SECRETS.ADMIN_TOKEN);
  return { ref, gw, seed };
}

const sides = [];
try {
  sides.push(await start(refA));
  sides.push(await start(refB));
  const got = Object.fromEntries(ids.map((id) => [id, [[], []]]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const id of ids) {
      for (const i of order) {
        let r;
        // CPU of the workerd that served the row, until its background work drained: steadier than
        // req/s on a shared machine, where other processes take turns on the same cores.
        const pid = id === "insert" || id === "floor" ? sides[i].gw.base.pid : sides[i].gw.edge.pid;
        let cpu0 = cpuSeconds(pid);
        if (id === "jpush_valid") {
          const { gw, seed } = sides[i];
          [, r] = await codesRoundTrip(gw.edge.url, gw.db, seed, { codesSeconds: SECONDS, beforeValid: async () => void (cpu0 = cpuSeconds(pid)) });
          await settle(gw.db, seed.tenant, 30_000);
        } else if (id === "smpp") {
          const side = sides[i];
          // Each side binds to an SMSC of its own (same code, same process), started on first use;
          // receipts go back over the bind, so nothing one side sends reaches the other.
          if (!side.smsc) {
            side.smsc = await startSmsc({ receiptDelayMs: 0, accounts: { edgebench: "bench" } });
            const why = await createSmppCarrier(side.gw.edge.url, SECRETS.ADMIN_TOKEN, side.smsc);
            if (why) throw new Error(`smpp row on ${side.ref}: ${why}`);
          }
          await settle(side.gw.db, side.seed.tenant, 30_000);
          cpu0 = cpuSeconds(pid);
          const e = await smppEndToEnd(side.gw.edge.url, side.gw.db, side.seed, SECRETS.ADMIN_TOKEN, SMPP_MESSAGES);
          if (e.na) throw new Error(`smpp row on ${side.ref}: ${e.na}`);
          r = { rps: e.msgPerSec, p50: e.seconds, p99: e.seconds, accepted: e.delivered, refused: e.messages - e.delivered };
        } else if (id === "end_to_end") {
          const { gw, seed } = sides[i];
          await settle(gw.db, seed.tenant, 30_000);
          const e = await endToEnd(gw.edge.url, gw.db, seed, { jpush_batch_1000: {} });
          r = { rps: e.msgPerSec, p50: e.acceptSeconds, p99: e.seconds, accepted: e.delivered, refused: e.finished ? 0 : e.messages - e.delivered };
        } else {
          const { url, ep, load } = endpointOf(id, sides[i]);
          const opts = load && load.amount ? load : { duration: SECONDS };
          r = await measure(url, ep, opts);
          await settle(sides[i].gw.db, sides[i].seed.tenant, 30_000);
        }
        const done = r.accepted;
        r.cpuMs = done ? Math.round(((cpuSeconds(pid) - cpu0) * 1e6) / done) / 1000 : null;
        got[id][i].push(r);
        process.stderr.write(`[ab] round ${round + 1} ${id} ${sides[i].ref}: ${r.rps} req/s p50 ${r.p50} p99 ${r.p99} cpu ${r.cpuMs} ms/msg refused ${r.refused}${r.refusedSample ? ` (${r.refusedSample})` : ""}\n`);
      }
    }
  }
  const cpu = (rs) => Math.round((rs.reduce((x, r) => x + (r.cpuMs ?? 0), 0) / rs.length) * 1000) / 1000;
  const mean = (rs, k) => Math.round((rs.reduce((a, r) => a + (r[k] ?? 0), 0) / rs.length) * 10) / 10;
  console.log(`| row | A ${refA} req/s (p50, p99) | B ${refB} req/s (p50, p99) | B ÷ A req/s | per round B ÷ A | CPU ms/msg A → B (B ÷ A) |`);
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const id of ids) {
    const [a, b] = got[id];
    const per = a.map((r, k) => (b[k].rps / r.rps).toFixed(2)).join(", ");
    console.log(
      `| ${id} | ${mean(a, "rps")} (${mean(a, "p50")}, ${mean(a, "p99")}) | ${mean(b, "rps")} (${mean(b, "p50")}, ${mean(b, "p99")}) | ${(mean(b, "rps") / mean(a, "rps")).toFixed(2)}× | ${per} | ${cpu(a)} → ${cpu(b)} (${(cpu(b) / cpu(a)).toFixed(2)}×) |`,
    );
  }
} finally {
  for (const s of sides) {
    await s.gw.close();
    await s.smsc?.close();
  }
}
