// Every shell example in README.md and docs/*.md runs as printed, in order, one bash session per
// file, against a local gateway started as `npm start` starts one (test/docs/gateway.mjs); each
// answer is checked against the one the doc shows, by the rule of docs/docs-tests.md.
import { describe, expect, inject, it } from "vitest";
import { docFiles, runFile } from "./examples.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    docsGateway: { base: string; port: number; state: string; banner: string };
  }
}

const gw = inject("docsGateway");

describe("docs: examples run as printed", () => {
  for (const file of docFiles()) {
    it(file, async () => {
      expect(await runFile(file, gw)).toEqual([]);
    });
  }
});
