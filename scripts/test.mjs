#!/usr/bin/env node
// `npm test`: typecheck, check the generated Env against wrangler.toml, lint (eslint.config.js), check
// for unused exports (knip.jsonc), lint /openapi.json, then run vitest: project "workers" in the
// Workers runtime, "browser" in Node driving Chromium against a local gateway, "docs" running the
// examples of README.md and docs/*.md against another one. Closes with "tests: N passed, M failed"
// computed from vitest's JSON report (all projects). Extra arguments go to vitest (e.g.
// `npm test -- test/core`).
import { spawnSync } from "node:child_process";
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
const lint = run("npx", ["--offline", "redocly", "lint", "--extends=recommended", "--skip-rule=info-license", ".vitest/openapi.json"]);
if (lint !== 0) {
  console.error("/openapi.json does not pass `redocly lint` (recommended rules).");
  process.exit(lint);
}

mkdirSync(".vitest", { recursive: true });
const report = ".vitest/report.json";
rmSync(report, { force: true });
const status = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra]);

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
