// Starts edgesms and the baseline Worker in their own Miniflare instances (one workerd each),
// with edgesms's bindings derived from wrangler.toml, and tears both down again.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from "wrangler";

// Offline: no metrics, and no download of the Request.cf object (it would time out on this network).
process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const BASELINE = fileURLToPath(new URL("./baseline-worker.js", import.meta.url));

/** The bench's own vars (the brief's values) and fresh random secrets: nothing read from .dev.vars. */
export const SECRETS = {
  ADMIN_TOKEN: randomBytes(24).toString("hex"),
  SECRETS_KEY: randomBytes(32).toString("base64"),
  CARRIER_CALLBACK_SECRET: randomBytes(24).toString("hex"),
};
const VARS = {
  SIMULATOR: "true",
  SIMULATOR_REPORT_DELAY_SECONDS: "0",
  ALLOW_PRIVATE_WEBHOOKS: "true",
  RETENTION_DAYS: "30",
  SCHEDULE_HORIZON_DAYS: "30",
};

/** Keeps the last lines workerd printed, to show when something goes wrong. */
export const runtimeLog = [];
/** Error lines the runtime printed (worker console.error, Miniflare's own errors), counted and sampled. */
export const runtimeErrors = { count: 0, first: [] };
function keepLine(line) {
  if (!line.trim()) return;
  if (/^error:|"level":\s*"error"|\bError\b/.test(line)) {
    runtimeErrors.count++;
    if (runtimeErrors.first.length < 3) runtimeErrors.first.push(line.slice(0, 300));
  }
  runtimeLog.push(line.slice(0, 400));
  if (runtimeLog.length > 200) runtimeLog.splice(0, runtimeLog.length - 200);
}
function keepStdio(stdout, stderr) {
  for (const s of [stdout, stderr]) {
    s.setEncoding("utf8");
    // Structured lines also reach handleStructuredLogs: keep only workerd's own output here.
    s.on("data", (chunk) => chunk.split("\n").filter((l) => !l.startsWith('{"timestamp"')).forEach(keepLine));
  }
}

/**
 * The tree to build: the working tree, or with BENCH_REF=<git ref> a clean export of that commit
 * (so a bench can run while the working tree is mid-edit), sharing the repo's node_modules.
 */
function sourceTree(tmp) {
  const ref = process.env.BENCH_REF;
  if (!ref) return REPO;
  const dir = join(tmp, "tree");
  mkdirSync(dir);
  const r = spawnSync("sh", ["-c", `git -C "${REPO}" archive --format=tar "$0" | tar -x -C "${dir}"`, ref], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git archive ${ref} failed: ${r.stderr}`);
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** `wrangler deploy --dry-run`: the exact bundle a deploy would upload. */
function buildBundle(root, outdir) {
  const r = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  if (r.status !== 0) throw new Error(`wrangler build failed:\n${r.stdout}\n${r.stderr}`);
  const modules = readdirSync(outdir).filter((f) => /\.(m?js)$/.test(f));
  if (!modules.includes("index.js")) throw new Error(`no index.js in the bundle (${modules.join(", ")})`);
  return modules.map((f) => ({ type: "ESModule", path: join(outdir, f) }));
}

/** Applies migrations/*.sql in order, each file in one D1 batch. */
async function migrate(root, db) {
  const dir = join(root, "migrations");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sql")).sort();
  for (const f of files) {
    const stmts = unstable_splitSqlQuery(readFileSync(join(dir, f), "utf8")).filter((s) => s.trim());
    await db.batch(stmts.map((s) => db.prepare(s)));
  }
  return files;
}

const workerdChildren = () => {
  const out = new Set();
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm.startsWith("workerd") && ppid === process.pid) out.add(Number(p));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
};

/** Starts one Miniflare (remembered in `started` for teardown) and finds the workerd it spawned. */
async function startOne(started, options) {
  const before = workerdChildren();
  const mf = new Miniflare(options);
  started.push(mf);
  const url = await mf.ready;
  const pids = [...workerdChildren()].filter((p) => !before.has(p));
  return { mf, url: url.toString().replace(/\/$/, ""), pid: pids[0] ?? null };
}

/** CPU seconds (user + system) a process has used so far, or null. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * VmRSS and its parts in MB: anonymous (heaps), file-backed (e.g. SQLite files mapped by D1 and
 * the Durable Objects, which grow with the data, not with a leak) and shared memory.
 */
export function memMb(pid) {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)\\s+kB`).exec(status)?.[1] ?? NaN);
    const mb = (n) => Math.round(n / 102.4) / 10;
    return { rss: mb(kb("VmRSS")), anon: mb(kb("RssAnon")), file: mb(kb("RssFile")), shmem: mb(kb("RssShmem")) };
  } catch {
    return null;
  }
}

/** The baseline's tables (one statement per line: D1's exec splits on lines). */
const BASELINE_SCHEMA = [
  "CREATE TABLE rows (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, mobile TEXT NOT NULL, content TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL);",
  "CREATE TABLE accounts (id TEXT PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0), updated_at INTEGER NOT NULL);",
  "INSERT INTO accounts VALUES ('tn_bench', 1000000000000, 0);",
  "CREATE TABLE ledger (id INTEGER PRIMARY KEY, tenant_id TEXT NOT NULL, amount INTEGER NOT NULL, reason TEXT NOT NULL, batch_id TEXT, created_at INTEGER NOT NULL);",
  "CREATE TABLE batches (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, size INTEGER NOT NULL, amount INTEGER NOT NULL, created_at INTEGER NOT NULL);",
  "CREATE TABLE stats (tenant_id TEXT NOT NULL, hour INTEGER NOT NULL, status TEXT NOT NULL, messages INTEGER NOT NULL, amount INTEGER NOT NULL, PRIMARY KEY (tenant_id, hour, status));",
  "CREATE TABLE apps (id TEXT PRIMARY KEY, spent_total INTEGER NOT NULL);",
  "INSERT INTO apps VALUES ('app_bench', 0);",
].join("\n");

/** `inspectorPort` opens the V8 inspector of edgesms's workerd (for profiling a row by hand). */
export async function startAll({ inspectorPort } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), "edgesms-bench-"));
  const started = [];
  const close = async () => {
    await Promise.allSettled(started.map((mf) => mf.dispose()));
    rmSync(tmp, { recursive: true, force: true });
  };
  const common = {
    host: "127.0.0.1",
    port: 0,
    log: new Log(LogLevel.WARN),
    handleRuntimeStdio: keepStdio,
    handleStructuredLogs: ({ level, message }) => keepLine(`${level}: ${message}`),
  };
  try {
    const root = sourceTree(tmp);
    const { workerOptions } = unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
    const modules = buildBundle(root, join(tmp, "bundle"));
    const edge = await startOne(started, {
      ...common,
      ...workerOptions,
      name: "edgesms",
      modules,
      modulesRoot: join(tmp, "bundle"),
      bindings: { ...workerOptions.bindings, ...VARS, ...SECRETS },
      defaultPersistRoot: join(tmp, "edgesms"),
      ...(inspectorPort ? { inspectorPort } : {}),
    });
    const db = await edge.mf.getD1Database("DB");
    const migrations = await migrate(root, db);
    const base = await startOne(started, {
      ...common,
      name: "baseline",
      compatibilityDate: workerOptions.compatibilityDate,
      compatibilityFlags: workerOptions.compatibilityFlags,
      modules: true,
      scriptPath: BASELINE,
      d1Databases: { DB: "baseline" },
      queueProducers: { QUEUE: "baseline-floor" },
      queueConsumers: { "baseline-floor": { maxBatchSize: 100, maxBatchTimeout: 0 } },
      defaultPersistRoot: join(tmp, "baseline"),
    });
    await (await base.mf.getD1Database("DB")).exec(BASELINE_SCHEMA);
    return { edge, base, db, migrations, close };
  } catch (e) {
    await close();
    throw e;
  }
}
