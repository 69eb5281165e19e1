#!/usr/bin/env node
// Writes the gateway's /openapi.json to a file (default .vitest/openapi.json) without a running
// Worker: src/routes.ts is bundled with esbuild for Node ("cloudflare:*" modules stubbed: only the
// route documentation is evaluated) and asked for /openapi.json. `npm test` lints the result with
// `redocly lint` (recommended rules).
import { build } from "esbuild";
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const out = resolve(process.argv[2] ?? ".vitest/openapi.json");
const bundle = resolve(".vitest/openapi-bundle.mjs");
mkdirSync(dirname(bundle), { recursive: true });

const stubCloudflare = {
  name: "stub-cloudflare",
  setup(b) {
    b.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: "cf-stub" }));
    b.onLoad({ filter: /.*/, namespace: "cf-stub" }, () => ({
      contents: "export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } } export const env = {};",
      loader: "js",
    }));
  },
};

await build({
  entryPoints: ["src/routes.ts"],
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outfile: bundle,
  plugins: [stubCloudflare],
  logLevel: "error",
});
const { route } = await import(pathToFileURL(bundle).href);
const res = await route(new Request("http://localhost:8787/openapi.json"), {}, { waitUntil() {}, passThroughOnException() {} });
if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(await res.json(), null, 2));
rmSync(bundle, { force: true });
console.log(`wrote ${out}`);
