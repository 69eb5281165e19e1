#!/usr/bin/env node
// Copies the console's one third-party file set (uPlot, from node_modules) into console/vendor/,
// so the committed tree holds no vendored minified code. Run by wrangler's [build] command (so
// `wrangler dev`, `npm start` and every deploy have it) and by vitest.config.ts.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export function copyConsoleAssets() {
  const from = join(root, "node_modules", "uplot", "dist");
  const to = join(root, "console", "vendor");
  mkdirSync(to, { recursive: true });
  for (const f of ["uPlot.iife.min.js", "uPlot.min.css"]) copyFileSync(join(from, f), join(to, f));
  copyFileSync(join(root, "node_modules", "uplot", "LICENSE"), join(to, "uPlot.LICENSE.txt"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) copyConsoleAssets();
