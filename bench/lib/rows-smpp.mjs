// The SMPP row: messages per second through one bind (window 10) to the local SMSC, end to end
// (accepted → submit_sm → receipt → delivered), and Kannel's own SMPP client (bearerbox + smsbox,
// an smsc group of type smpp, window 10) against the same SMSC in the same run when it is installed:
// sendsms → submit_sm → receipt → its DLR posted to a local URL.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSmsc } from "../../scripts/smsc.mjs";
import { call, mobile, QUICK, sleep, statusCounts } from "./load.mjs";
import { na } from "./runner.mjs";
import { SIGN } from "./seed.mjs";

const CARRIER = "bench-smsc";
const TEXT = `【${SIGN}】您的订单已发货，请注意查收。`;

/** Waits until `done()` or no progress for `stallMs`; answers the elapsed seconds. */
async function until(done, progress, { stallMs = 10_000, timeoutMs = 120_000 } = {}) {
  const t0 = Date.now();
  let last = -1;
  let lastChange = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await done()) break;
    const p = await progress();
    if (p !== last) [last, lastChange] = [p, Date.now()];
    if (Date.now() - lastChange > stallMs) break;
    await sleep(100);
  }
  return (Date.now() - t0) / 1000;
}

const adminOf = (url, adminToken) => (method, path, body) => call(url, method, `/admin/v1${path}`, { body, headers: { authorization: `Bearer ${adminToken}` } });

/**
 * The SMPP carrier (one bind, window 10, against `smsc`) created on this gateway once; answers null
 * when it exists now, else why not. bench/ab.mjs keeps it between rounds.
 */
export async function createSmppCarrier(url, adminToken, smsc) {
  const created = await adminOf(url, adminToken)("POST", "/carriers", {
    name: CARRIER,
    type: "smpp",
    smpp: { host: "127.0.0.1", port: smsc.smppPort, systemId: "edgebench", password: "bench", sourceAddr: "10690000", binds: 1, window: 10, tps: 10_000 },
  });
  return created.status === 201 ? null : `n/a (POST /admin/v1/carriers: ${created.status})`;
}

/**
 * `messages` through the SMPP carrier: the tenant routed to it for the run (the routes before are put
 * back after), batches of 1000 through smsapi, until every message is delivered.
 */
export async function smppEndToEnd(url, db, seed, adminToken, messages) {
  if (!seed.creds.smsapi) return na("n/a (no smsapi credential)");
  const admin = adminOf(url, adminToken);
  const before = await admin("GET", "/routes");
  const restore = (before.data?.rules ?? []).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)));
  await admin("PUT", "/routes", [{ tenant: seed.tenant, carriers: [CARRIER] }]);
  try {
    const since = Date.now() - 5;
    const ep = { authorization: `Bearer ${seed.creds.smsapi.apiKey}`, "content-type": "application/json" };
    for (let i = 0; i < messages; i += 1000) {
      const mobiles = Array.from({ length: Math.min(1000, messages - i) }, mobile).join(",");
      await fetch(`${url}/smsapi/v1/sms/batch`, { method: "POST", headers: ep, body: JSON.stringify({ mobiles, content: TEXT, sendTime: 0 }) }).then((r) => r.text());
    }
    let counts = {};
    const seconds = await until(
      async () => {
        counts = await statusCounts(db, seed.tenant, since);
        // Done when nothing is left queued or submitted (a rare duplicate mobile in a batch is refused at accept).
        return (counts.delivered ?? 0) > 0 && (counts.queued ?? 0) + (counts.submitted ?? 0) === 0;
      },
      async () => counts.delivered ?? 0,
    );
    const delivered = counts.delivered ?? 0;
    return { connections: 1, msgPerSec: Math.round(delivered / seconds), delivered, messages, seconds: Math.round(seconds * 10) / 10, counts };
  } finally {
    await admin("PUT", "/routes", restore);
  }
}

/** edgesms through one bind, window 10: the carrier created, the run, the carrier disabled again. */
async function edgesms(url, db, seed, adminToken, smsc, messages) {
  if (!seed.creds.smsapi) return na("n/a (no smsapi credential)");
  const why = await createSmppCarrier(url, adminToken, smsc);
  if (why) return na(why);
  try {
    return await smppEndToEnd(url, db, seed, adminToken, messages);
  } finally {
    await adminOf(url, adminToken)("PATCH", `/carriers/${CARRIER}`, { enabled: false });
  }
}

const hasKannel = () => spawnSync("sh", ["-c", "command -v bearerbox && command -v smsbox"], { encoding: "utf8" }).status === 0;

/** Kannel 1.4 against the same SMSC: window 10 (max-pending-submits), DLRs posted to a local server. */
async function kannel(smsc, messages) {
  if (!hasKannel()) return na("peer not installed (Debian package kannel: bearerbox, smsbox)");
  let dlrs = 0;
  const dlrServer = http.createServer((req, res) => {
    if (new URL(req.url, "http://x").searchParams.get("type") === "1") dlrs++;
    res.end("ok");
  });
  await new Promise((r) => dlrServer.listen(0, "127.0.0.1", r));
  const dlrPort = dlrServer.address().port;
  const dir = mkdtempSync(join(tmpdir(), "kannel-"));
  const base = 23000 + (process.pid % 1000) * 3;
  const conf = join(dir, "kannel.conf");
  writeFileSync(
    conf,
    `group = core
admin-port = ${base}
admin-password = bench
smsbox-port = ${base + 1}
box-allow-ip = 127.0.0.1
log-level = 4
log-file = "${dir}/bearerbox.log"
dlr-storage = internal

group = smsc
smsc = smpp
smsc-id = bench
host = 127.0.0.1
port = ${smsc.smppPort}
transceiver-mode = true
smsc-username = kannel
smsc-password = kannel
system-type = ""
source-addr-ton = 0
source-addr-npi = 1
dest-addr-ton = 1
dest-addr-npi = 1
max-pending-submits = 10
enquire-link-interval = 30
msg-id-type = 0x03

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${base + 1}
sendsms-port = ${base + 2}
log-level = 4
log-file = "${dir}/smsbox.log"

group = sendsms-user
username = bench
password = bench
max-messages = 1

group = sms-service
keyword = default
catch-all = true
max-messages = 0
text = ""
`,
  );
  const boxes = [spawn("bearerbox", [conf], { stdio: "ignore" })];
  await sleep(1000);
  boxes.push(spawn("smsbox", [conf], { stdio: "ignore" }));
  try {
    // Up when bearerbox reports the SMSC online and smsbox answers.
    const up = await until(
      async () => {
        try {
          const s = await (await fetch(`http://127.0.0.1:${base}/status.txt?password=bench`)).text();
          await fetch(`http://127.0.0.1:${base + 2}/`);
          return /online/.test(s);
        } catch {
          return false;
        }
      },
      async () => 0,
      { stallMs: 15_000, timeoutMs: 15_000 },
    );
    if (up >= 15) return na(`n/a (Kannel did not come up; logs in ${dir})`);
    const t0 = Date.now();
    const dlrUrl = encodeURIComponent(`http://127.0.0.1:${dlrPort}/dlr?type=%d`);
    const text = encodeURIComponent("您的订单已发货，请注意查收。");
    let next = 0;
    const sender = async () => {
      while (next < messages) {
        next++;
        await fetch(`http://127.0.0.1:${base + 2}/cgi-bin/sendsms?username=bench&password=bench&from=10690000&to=86${mobile()}&text=${text}&coding=2&charset=UTF-8&dlr-mask=3&dlr-url=${dlrUrl}`).then((r) => r.text());
      }
    };
    await Promise.all(Array.from({ length: 16 }, sender));
    await until(async () => dlrs >= messages, async () => dlrs);
    const seconds = (Date.now() - t0) / 1000;
    return { connections: 1, msgPerSec: Math.round(dlrs / seconds), delivered: dlrs, messages, seconds: Math.round(seconds * 10) / 10 };
  } finally {
    for (const b of boxes.reverse()) b.kill("SIGTERM");
    dlrServer.close();
    await sleep(500);
  }
}

/** Both rows, against one SMSC started for them, added to the bench's table and results. */
export async function addSmppRows({ url, db, seed, adminToken, rows, res, log }, { messages = QUICK ? 1000 : 5000 } = {}) {
  log(`SMPP: ${messages} messages through one bind to the local SMSC, then Kannel against it …`);
  const smsc = await startSmsc({ receiptDelayMs: 0, accounts: { edgebench: "bench", kannel: "kannel" } });
  try {
    const edge = await edgesms(url, db, seed, adminToken, smsc, messages);
    const peer = await kannel(smsc, messages);
    res.smpp_one_bind = edge;
    res.smpp_kannel = peer;
    const ratio = !edge.na && !peer.na && peer.msgPerSec ? ` (${(edge.msgPerSec / peer.msgPerSec).toFixed(2)}× Kannel)` : "";
    rows.push({ id: "smpp_one_bind", label: `SMPP end to end, one bind, window 10: accepted → delivered${ratio}`, result: edge, recipients: 1 });
    rows.push({ id: "smpp_kannel", label: "Kannel 1.4 SMPP client, window 10: sendsms → DLR (peer)", result: peer, recipients: 1 });
    log(`SMPP: edgesms ${JSON.stringify(edge)}; Kannel ${JSON.stringify(peer)}`);
  } finally {
    await smsc.close();
  }
}
