#!/usr/bin/env node
// `npm start`: a local gateway on the carrier simulator with a demo tenant, in one command.
// Applies the local D1 migrations, starts `wrangler dev` (local D1, Durable Objects, Queues and
// cron), seeds the demo tenant idempotently through the operator API, and prints ready-to-paste
// curl commands. Offline: no metrics, no Request.cf fetch. PORT overrides 8787.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const port = Number(process.env.PORT ?? 8787);
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" };
// EDGESMS_PERSIST: another local state directory (the browser tests run a gateway of their own);
// the demo credentials are saved beside that state.
const persist = process.env.EDGESMS_PERSIST;
const persistArgs = persist ? ["--persist-to", persist] : [];
const STATE = persist ? join(persist, "demo-credentials.json") : ".wrangler/demo-credentials.json";
// The pid of the `wrangler dev` this script runs, kept beside the state while it runs.
const PIDFILE = join(persist ?? ".wrangler", "dev.pid");

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("created .dev.vars from .dev.vars.example (local secrets; gitignored)");
}
const devVars = Object.fromEntries(
  readFileSync(".dev.vars", "utf8")
    .split("\n")
    .filter((l) => /^\w+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1).trim()]),
);
const adminToken = devVars.ADMIN_TOKEN;

await stopLeftover(PIDFILE);

const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", ...persistArgs], { stdio: "inherit", env });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const dev = spawn("npx", ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--test-scheduled", "--show-interactive-dev-session=false", ...persistArgs], {
  stdio: ["ignore", "inherit", "inherit"],
  env,
});
mkdirSync(dirname(PIDFILE), { recursive: true });
writeFileSync(PIDFILE, String(dev.pid));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => signalTree(dev.pid, sig));
dev.on("exit", (code) => {
  rmSync(PIDFILE, { force: true });
  process.exit(code ?? 0);
});

/**
 * An `npm start` killed outright (SIGKILL, a closed terminal) cannot stop its `wrangler dev`, which
 * then keeps the port and the local state: the next start stops that process tree first. Only a
 * live process whose command line is still `wrangler dev` counts (a pid may have been reused), and
 * only once no `npm start` runs it any more.
 */
async function stopLeftover(file) {
  const pid = existsSync(file) ? Number(readFileSync(file, "utf8")) : NaN;
  if (!Number.isInteger(pid) || pid <= 1 || !/\bwrangler dev\b/.test(argsOf(pid).join(" "))) return;
  // Still run by a live `npm start` (another terminal): not a leftover, left alone.
  if (argsOf(parentsNow().get(pid)).some((a) => /(^|\/)scripts\/start\.mjs$/.test(a))) return;
  signalTree(pid, "SIGTERM");
  for (let i = 0; i < 50 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
  signalTree(pid, "SIGKILL");
  rmSync(file, { force: true });
  console.log(`stopped the gateway an earlier npm start left running (pid ${pid})`);
}

/** A process's arguments, from /proc (none when it is gone, or on a system without /proc). */
function argsOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

/** Every live process's parent, from /proc (empty without it). */
function parentsNow() {
  const parents = new Map();
  const pids = existsSync("/proc") ? readdirSync("/proc").filter((d) => /^\d+$/.test(d)) : [];
  for (const p of pids) {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its ")".
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      parents.set(Number(p), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  return parents;
}

/**
 * Signals a process and all its descendants at once: a SIGTERM to `npx` alone was seen to leave
 * wrangler and its workerd running (reparented), holding the port.
 */
function signalTree(pid, sig) {
  const parents = parentsNow();
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [p, parent] of parents) if (parent === tree[i]) tree.push(p);
  for (const p of tree) {
    try {
      process.kill(p, sig);
    } catch {
      // gone already
    }
  }
}

async function waitReady() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the gateway did not answer on ${base}/healthz within 60 s`);
}

async function admin(method, path, body) {
  const res = await fetch(`${base}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try {
    data = JSON.parse(text);
  } catch {
    data = text;
  }
  return { status: res.status, data };
}

const must = (r, what) => {
  if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.data)}`);
  return r.data;
};

/** Creates the demo tenant once; later runs reuse it and the credentials saved locally. */
async function seed() {
  const existing = await admin("GET", "/tenants/demo");
  if (existing.status === 200 && existsSync(STATE)) return JSON.parse(readFileSync(STATE, "utf8"));
  if (existing.status !== 200) {
    must(
      await admin("POST", "/tenants", {
        id: "demo",
        name: "Demo Co.",
        timezone: "Asia/Shanghai",
        prices: { verification: 45, notification: 45, marketing: 55 },
      }),
      "create demo tenant",
    );
    must(await admin("POST", "/tenants/demo/balance", { amount: 1_000_000, reason: "topup", note: "demo balance (1000.00 CNY)" }), "top up");
  }
  const sigs = must(await admin("GET", "/tenants/demo/signatures"), "list signatures");
  let sig = (sigs.items ?? sigs.signatures ?? []).find((s) => s.name === "边缘短信");
  if (!sig) sig = must(await admin("POST", "/tenants/demo/signatures", { name: "边缘短信", status: "approved" }), "signature");
  const signatureId = sig.id;
  // Reused when a run finds the tenant but not its saved credentials: templates by content, apps by
  // name (their secrets were shown once, so they are rotated to be shown again).
  const existingTemplates = must(await admin("GET", "/tenants/demo/templates?limit=100"), "list templates").items ?? [];
  const existingApps = must(await admin("GET", "/tenants/demo/apps?limit=100"), "list apps").items ?? [];
  const templates = {};
  for (const [kind, content] of [
    ["verification", "您的验证码是{{code}}，5分钟内有效。"],
    ["notification", "您的订单{{order}}已发货，请注意查收。"],
    ["marketing", "双十一会员日，全场{{discount}}折起。回TD退订"],
  ]) {
    const found = existingTemplates.find((t) => t.kind === kind && t.content === content && t.status === "approved");
    const t =
      found ??
      must(await admin("POST", "/tenants/demo/templates", { kind, content, signature_id: signatureId, status: "approved", ttl: 300 }), `${kind} template`);
    templates[kind] = t.id;
  }
  const creds = {};
  for (const dialect of ["jpush", "jpush_dev", "paasw", "huawei", "smsapi"]) {
    const name = `demo ${dialect}`;
    const found = existingApps.find((a) => a.dialect === dialect && a.name === name);
    creds[dialect] = found
      ? must(await admin("POST", `/tenants/demo/apps/${found.id}/rotate`), `${dialect} credential (rotated)`)
      : must(await admin("POST", "/tenants/demo/apps", { dialect, name, default_signature_id: signatureId }), `${dialect} credential`);
  }
  const state = { signature: { id: signatureId, uid: sig.uid, name: "边缘短信" }, templates, creds };
  mkdirSync(dirname(STATE), { recursive: true });
  writeFileSync(STATE, JSON.stringify(state, null, 2));
  return state;
}

function explain(s) {
  const j = s.creds.jpush;
  const p = s.creds.paasw;
  const h = s.creds.huawei;
  const a = s.creds.smsapi;
  const pick = (c, ...names) => names.map((n) => c.credentials?.[n] ?? c[n] ?? c.credential?.[n] ?? c.app?.[n]).find((v) => v !== undefined);
  const appKey = pick(j, "appKey", "app_key", "key");
  const master = pick(j, "masterSecret", "master_secret", "secret");
  const appId = pick(p, "appId", "app_id", "key");
  const psecret = pick(p, "secret");
  const user = pick(h, "user", "user_name", "name", "key");
  const password = pick(h, "password", "secret");
  const project = pick(h, "project_id", "projectId");
  const apiKey = pick(a, "api_key", "apiKey", "secret");
  // Every command runs as printed in bash (the docs test runs them): results are captured in shell
  // variables, never left as <placeholders>.
  const sh = (v) => `'${String(v).replaceAll("'", "'\\''")}'`;
  const J = `-u ${appKey}:${master}`;
  const JSON_TYPE = "-H 'Content-Type: application/json'";
  console.log(`
Console: ${base}/console/ (sign in with the operator token ADMIN_TOKEN from .dev.vars: ${adminToken})

edgesms is running on ${base} with the carrier simulator. Demo tenant "demo" (balance 1000.00 CNY),
approved signature 【边缘短信】 (sign_id ${s.signature.id}; Huawei sign_id ${s.signature.uid}). Approved templates, {{name}} a parameter:
  #${s.templates.verification}  verification  您的验证码是{{code}}，5分钟内有效。  (the code is generated)
  #${s.templates.notification}  notification  您的订单{{order}}已发货，请注意查收。
  #${s.templates.marketing}  marketing     双十一会员日，全场{{discount}}折起。回TD退订
Credentials are saved in ${STATE}. Simulator numbers: docs/delivery.md (most numbers deliver).
The commands below need curl and jq; paste them into bash one group at a time.

# JPush: send a verification code, read it on the simulated handset, validate it; a notification
MSG_ID=$(curl -s ${J} ${base}/v1/codes ${JSON_TYPE} -d '{"mobile":"13800138100","temp_id":${s.templates.verification}}' | jq -r .msg_id)
sleep 2
CODE=$(curl -s ${base}/simulator/v1/inbox/13800138100 | jq -r '.messages[0].content' | grep -o '[0-9]\\{6\\}')
curl -s ${J} ${base}/v1/codes/$MSG_ID/valid ${JSON_TYPE} -d "{\\"code\\":\\"$CODE\\"}"
curl -s ${J} ${base}/v1/messages ${JSON_TYPE} -d '{"mobile":"13800138101","temp_id":${s.templates.notification},"temp_para":{"order":"SF1024"}}'

# paasw: token, send, delivery reports, balance
TOKEN=$(curl -s "${base}/api/token?appId=${appId}&secret=${psecret}" | jq -r .token)
curl -s -X POST "${base}/sms/send" --data-urlencode "token=$TOKEN" --data-urlencode phoneNumbers=13800138102,13900139102 --data-urlencode sign=边缘短信 --data-urlencode content=您的快件已签收 --data-urlencode kind=2
sleep 3
curl -s "${base}/sms/deliver?token=$TOKEN"
curl -s "${base}/sms/balance?token=$TOKEN"

# Huawei SMN: IAM token, then a batch of different contents
HW_TOKEN=$(curl -si ${base}/v3/auth/tokens ${JSON_TYPE} -d ${sh(JSON.stringify({ auth: { identity: { methods: ["password"], password: { user: { name: user, password, domain: { name: "demo" } } } }, scope: { project: { id: project } } } }))} | tr -d '\\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p')
curl -s ${base}/v2/${project}/notifications/sms -H "X-Auth-Token: $HW_TOKEN" ${JSON_TYPE} -d '{"sms_message":[{"endpoint":"8613800138103","message":"Test 1","sign_id":"${s.signature.uid}"},{"endpoint":"8613900139103","message":"【边缘短信】Test 2","message_include_sign_flag":true}]}'

# smsapi: a batch sent now; then one scheduled an hour ahead (sendTime: Unix seconds) and cancelled
curl -s ${base}/smsapi/v1/sms/batch -H "Authorization: Bearer ${apiKey}" ${JSON_TYPE} -d '{"mobiles":"13800138104,13900139104","content":"【边缘短信】会议改到三点","sendTime":0}'
SCHEDULED=$(curl -s ${base}/smsapi/v1/sms/batch -H "Authorization: Bearer ${apiKey}" ${JSON_TYPE} -d '{"mobiles":"13800138105","content":"【边缘短信】明早九点的会议取消","sendTime":'$(( $(date +%s) + 3600 ))'}' | jq -r '.data.messages[0].id')
curl -s ${base}/smsapi/v1/sms/cancel -H "Authorization: Bearer ${apiKey}" ${JSON_TYPE} -d '{"id":"'$SCHEDULED'"}'

# Operator API (ADMIN_TOKEN from .dev.vars), the OpenAPI document, and the cron on demand
# (npm start also fires it every minute, as the Cron Trigger does in production)
curl -s -H "Authorization: Bearer ${adminToken}" ${base}/admin/v1/tenants/demo
curl -s ${base}/openapi.json | head -c 300; echo
curl -s "${base}/__scheduled?cron=*+*+*+*+*"
`);
}

/**
 * `wrangler dev` runs no cron triggers by itself (`--test-scheduled` only exposes /__scheduled), so
 * the minute cron (scheduled sends, stuck sweeps, retention) is driven from here, as in production.
 */
function tickCron() {
  setInterval(() => {
    fetch(`${base}/__scheduled?cron=${encodeURIComponent("* * * * *")}`).catch(() => undefined);
  }, 60_000).unref();
}

try {
  await waitReady();
  tickCron();
  explain(await seed());
} catch (e) {
  console.error(`demo seed failed: ${e.message}`);
}
