#!/usr/bin/env node
// `npm test`: typecheck, check the generated Env against wrangler.toml, lint (eslint.config.js), check
// for unused exports (knip.jsonc), lint /openapi.json, then run vitest: project "workers" in the
// Workers runtime, "browser" in Node driving Chromium against a local gateway, "docs" running the
// examples of README.md and docs/*.md against another one. Closes with "tests: N passed, M failed"
// computed from vitest's JSON report (all projects). Extra arguments go to vitest (e.g.
// `npm test -- test/core`).
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { copyFileSync, existsSync, readFileSync, rmSync, mkdirSync } from "node:fs";

process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
// wrangler reads wrangler.toml and .dev.vars for the Workers pool and says so ("Using secrets defined
// in .dev.vars") once per test file; the tests set their own secrets, so only its warnings are shown.
process.env.WRANGLER_LOG ??= "warn";
const run = (cmd, args) => spawnSync(cmd, args, { stdio: "inherit", env: process.env }).status ?? 1;
const extra = process.argv.slice(2);

// wrangler's `types --check` only agrees with the committed file when a .dev.vars exists (it ignores
// --env-file while checking), so a fresh clone gets the example's, as `npm start` does.
if (!existsSync(".dev.vars")) copyFileSync(".dev.vars.example", ".dev.vars");
const types = run("npx", ["wrangler", "types", "--strict-vars=false", "--env-file", ".dev.vars.example", "--check"]);
if (types !== 0) {
  console.error("worker-configuration.d.ts is out of date: run `npm run types` and commit it.");
  process.exit(types);
}
const tsc = run("npx", ["tsc", "--noEmit", "-p", "."]);
if (tsc !== 0) process.exit(tsc);

// Lint (eslint.config.js: type-aware, no floating or misused promises) and the unused-export check
// (knip.jsonc): either failing fails the run, before any test starts.
const eslint = run("npx", ["--offline", "eslint", "--max-warnings=0", "."]);
if (eslint !== 0) {
  console.error("eslint found problems (see above): fix them, or `npx eslint --fix .` for the fixable ones.");
  process.exit(eslint);
}
const knip = run("npx", ["--offline", "knip", "--no-progress"]);
if (knip !== 0) {
  console.error("knip found unused files, exports or dependencies (see above): delete the dead code.");
  process.exit(knip);
}

// The published contract: /openapi.json as the Worker serves it, linted with Redocly's recommended
// rules (errors fail the run; warnings are shown). Offline: no telemetry, no update check.
process.env.REDOCLY_TELEMETRY = "off";
process.env.REDOCLY_SUPPRESS_UPDATE_NOTICE = "true";
const doc = run("node", ["scripts/openapi.mjs", ".vitest/openapi.json"]);
if (doc !== 0) process.exit(doc);
// info-license is skipped: edgesms publishes no licence, and a warning every run would be noise.
// Its report is shown when it finds something; a clean pass is one line (Redocly 2.77 also prints a
// Node 20 end-of-life banner on every run, which says nothing about the document).
const lint = spawnSync("npx", ["--offline", "redocly", "lint", "--extends=recommended", "--skip-rule=info-license", ".vitest/openapi.json"], {
  encoding: "utf8",
  env: process.env,
});
const lintReport = `${lint.stdout ?? ""}${lint.stderr ?? ""}`;
if (lint.status !== 0 || /warning/i.test(lintReport.replace(/Deprecation warning: Node\.js 20[^\n]*/g, ""))) {
  process.stdout.write(lintReport);
  if (lint.status !== 0) {
    console.error("/openapi.json does not pass `redocly lint` (recommended rules).");
    process.exit(lint.status ?? 1);
  }
} else console.log("/openapi.json passes `redocly lint` (recommended rules)");

mkdirSync(".vitest", { recursive: true });
const report = ".vitest/report.json";
rmSync(report, { force: true });
// workerd prints this one line per test file when @cloudflare/vitest-pool-workers 0.15.1 closes its
// runner's WebSocket at teardown (the pool filters it from 0.15.2, which needs a newer wrangler than
// the pinned 4.86.0). Only that exact line is dropped; everything else the tests print is shown.
const TEARDOWN_NOISE = /^exception = workerd\/api\/web-socket\.c\+\+:\d+: disconnected: WebSocket peer disconnected$/;
const vitest = spawn("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra], {
  stdio: ["inherit", "pipe", "inherit"],
  env: process.env,
});
createInterface({ input: vitest.stdout }).on("line", (line) => {
  if (!TEARDOWN_NOISE.test(line)) process.stdout.write(`${line}\n`);
});
const status = await new Promise((resolve) => vitest.on("close", (code) => resolve(code ?? 1)));

if (!existsSync(report)) {
  console.log("tests: 0 passed, 1 failed");
  process.exit(status || 1);
}
const r = JSON.parse(readFileSync(report, "utf8"));
// A file that fails to load counts as a failure even though it has no test results.
const brokenFiles = (r.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults ?? []).length === 0).length;
const failed = r.numFailedTests + brokenFiles;
// The console's browser tests need Debian's Chromium; without it they are skipped, said here too.
if (!existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium")) {
  console.log("browser tests (test/console/*.browser.test.ts) were SKIPPED: install Chromium with `apt-get install -y chromium`");
}
console.log(`tests: ${r.numPassedTests} passed, ${failed} failed`);
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
