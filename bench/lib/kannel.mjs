// The peer rows: Kannel (Debian `kannel` + `kannel-extras`) on loopback, measured in the same run
// as edgesms. bearerbox keeps its queue in the spool store (one file per message, like our durable
// accept), smsbox answers `/cgi-bin/sendsms`, and the `fakesmsc` test tool plays the SMSC; a message
// counts as delivered when fakesmsc has printed it. Without bearerbox every row says so instead.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mobile, QUICK, sleep } from "./load.mjs";
import { measure, na } from "./runner.mjs";

const BIN = {
  bearerbox: ["/usr/sbin/bearerbox", "/usr/local/sbin/bearerbox"],
  smsbox: ["/usr/sbin/smsbox", "/usr/local/sbin/smsbox"],
  fakesmsc: ["/usr/lib/kannel/test/fakesmsc", "/usr/local/lib/kannel/test/fakesmsc"],
};
const which = (name) => BIN[name].find((p) => existsSync(p)) ?? null;
const NOT_INSTALLED = "peer not installed (apt-get install kannel kannel-extras)";
/** The text Kannel sends: ASCII, one segment, the length of the edgesms batch row's notification. */
const TEXT = "Your order SF1234567890 has shipped";

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

function config(dir, p) {
  return `group = core
admin-port = ${p.admin}
admin-password = bench
smsbox-port = ${p.box}
box-allow-ip = 127.0.0.1
log-level = 4
log-file = ${join(dir, "bearerbox.log")}
store-type = spool
store-location = ${join(dir, "spool")}

group = smsc
smsc = fake
smsc-id = fake
port = ${p.smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${p.box}
sendsms-port = ${p.send}
log-level = 4
log-file = ${join(dir, "smsbox.log")}

group = sendsms-user
username = bench
password = bench
max-messages = 1
`;
}

/**
 * Starts bearerbox, fakesmsc and smsbox on free loopback ports; answers { na } when Kannel is not
 * installed or did not come up, else a handle with the sendsms URL and the delivered count.
 */
export async function startKannel(log = () => {}) {
  const bins = { bearerbox: which("bearerbox"), smsbox: which("smsbox"), fakesmsc: which("fakesmsc") };
  if (!bins.bearerbox || !bins.smsbox || !bins.fakesmsc) return na(NOT_INSTALLED);
  const dir = mkdtempSync(join(tmpdir(), "edgesms-kannel-"));
  const ports = { admin: await freePort(), box: await freePort(), smsc: await freePort(), send: await freePort() };
  const conf = join(dir, "kannel.conf");
  writeFileSync(conf, config(dir, ports));
  mkdirSync(join(dir, "spool"));
  const procs = [];
  const run = (bin, args) => {
    const p = spawn(bin, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    procs.push(p);
    return p;
  };
  // fakesmsc prints "Got message N: <…>" for every message the SMSC link hands it (N counts from 1).
  let delivered = 0;
  let tail = "";
  // A bench that dies half-way must not leave Kannel running on a shared machine.
  const orphans = () => procs.forEach((p) => p.exitCode === null && p.kill("SIGTERM"));
  process.once("exit", orphans);
  const close = async () => {
    process.off("exit", orphans);
    for (const p of procs.reverse()) if (p.exitCode === null) p.kill("SIGTERM");
    await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once("exit", r)) : null)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(bins.bearerbox, ["-v", "4", conf]).stderr.resume();
    await sleep(500);
    const fake = run(bins.fakesmsc, ["-H", "127.0.0.1", "-r", String(ports.smsc), "-m", "0", "1 2 text x"]);
    fake.stderr.setEncoding("utf8");
    fake.stderr.on("data", (chunk) => {
      const lines = (tail + chunk).split("\n");
      tail = lines.pop();
      for (let i = lines.length - 1; i >= 0; i--) {
        const m = /Got message (\d+):/.exec(lines[i]);
        if (m) {
          delivered = Math.max(delivered, Number(m[1]));
          break;
        }
      }
    });
    run(bins.smsbox, ["-v", "4", conf]).stderr.resume();
    const status = `http://127.0.0.1:${ports.admin}/status.txt?password=bench`;
    const t0 = Date.now();
    let text;
    for (;;) {
      text = await fetch(status).then((r) => r.text(), () => "");
      if (/smsbox:\(none\), IP 127\.0\.0\.1/.test(text) && /fake\[fake\].*\(online/.test(text)) break;
      if (Date.now() - t0 > 15_000) throw new Error(`Kannel did not come up in 15 s: ${text.slice(0, 300) || "no status page"}`);
      await sleep(200);
    }
    const version = /bearerbox version `([^']+)'/.exec(text)?.[1] ?? "?";
    log(`Kannel ${version}: bearerbox (spool store in ${dir}), smsbox sendsms on ${ports.send}, fakesmsc on ${ports.smsc}`);
    return { url: `http://127.0.0.1:${ports.send}`, version, delivered: () => delivered, close };
  } catch (e) {
    await close();
    return na(`n/a (Kannel did not start: ${e.message})`);
  }
}

const sendsms = (to) =>
  `/cgi-bin/sendsms?username=bench&password=bench&from=106900&to=${to.join("+")}&text=${encodeURIComponent(TEXT)}`;

/** smsbox answers 202 "0: Accepted for delivery" once bearerbox has the message in its spool. */
const accepted = (status, data) => status === 202 && String(data).startsWith("0:");

/** Single-message sendsms requests under the same load as the single-send rows (16 connections). */
export async function kannelSingle(k, seconds = 10) {
  if (k.na) return k;
  return measure(k.url, { method: "GET", build: () => ({ path: sendsms([mobile()]) }), ok: accepted }, { duration: seconds });
}

/**
 * The end-to-end row's shape on Kannel: `batches` requests of `size` recipients, `inFlight` at a
 * time, then the time until fakesmsc has received every one; msg/s = delivered ÷ that span.
 */
export async function kannelEndToEnd(k, { batches = QUICK ? 5 : 20, size = 1000, inFlight = 4, timeoutMs = 90_000 } = {}) {
  if (k.na) return k;
  // Earlier rows' messages may still be leaving the spool: start once the count stands still.
  for (let still = 0, prev = -1, t = Date.now(); still < 10 && Date.now() - t < 30_000; ) {
    await sleep(100);
    const now = k.delivered();
    still = now === prev ? still + 1 : 0;
    prev = now;
  }
  const from = k.delivered();
  const t0 = Date.now();
  let next = 0;
  let refused = 0;
  let acceptedAt = null;
  const sender = async () => {
    while (next < batches) {
      next++;
      const res = await fetch(k.url + sendsms(Array.from({ length: size }, mobile)));
      if (!accepted(res.status, await res.text())) refused++;
    }
  };
  const sending = Promise.all(Array.from({ length: inFlight }, sender)).then(() => (acceptedAt = Date.now()));
  const want = (batches - refused) * size;
  let last = -1;
  let lastChange = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    await sleep(50);
    const got = k.delivered() - from;
    if (acceptedAt !== null && got >= want) break;
    if (got !== last) [last, lastChange] = [got, Date.now()];
    if (acceptedAt !== null && Date.now() - lastChange > 10_000) break;
  }
  await sending;
  const seconds = (Date.now() - t0) / 1000;
  const delivered = k.delivered() - from;
  return {
    messages: batches * size,
    refusedRequests: refused,
    delivered,
    acceptSeconds: Math.round((acceptedAt - t0) / 100) / 10,
    seconds: Math.round(seconds * 10) / 10,
    msgPerSec: Math.round(delivered / seconds),
    finished: delivered >= batches * size,
  };
}

/** A table row for one Kannel end-to-end run. */
export function kannelEndToEndRow(id, when, r) {
  return {
    id,
    label: r.na ? `Kannel end to end (${when})` : `Kannel end to end (${when}): ${r.messages} in batches of 1000 → ${r.delivered} at fakesmsc in ${r.seconds} s`,
    result: r.na ? r : { connections: 4, msgPerSec: r.msgPerSec, refused: r.refusedRequests },
    recipients: 1000,
  };
}

/** edgesms ÷ Kannel for delivered msg/s, against the mean of the Kannel runs around the edgesms one. */
export function versusKannel(e2e, runs) {
  const ok = runs.filter((r) => r && !r.na && r.msgPerSec > 0);
  if (!ok.length) return na(runs.find((r) => r?.na)?.na ?? NOT_INSTALLED);
  if (!e2e || e2e.na) return na("n/a (no edgesms end-to-end figure)");
  const peer = Math.round(ok.reduce((a, r) => a + r.msgPerSec, 0) / ok.length);
  return { peerMsgPerSec: peer, edgesmsMsgPerSec: e2e.msgPerSec, ratio: Math.round((e2e.msgPerSec / peer) * 100) / 100 };
}
