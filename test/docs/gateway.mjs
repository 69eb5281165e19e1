// globalSetup of the "docs" vitest project: a local gateway started as `npm start` starts one, for
// the examples of README.md and docs/*.md to run against; stopped when the run ends.
import { spawnSync } from "node:child_process";
import { startGateway } from "../setup/local-gateway.mjs";

export default async function setup({ provide }) {
  // The examples read JSON answers with jq, as a reader pasting them would.
  if (spawnSync("jq", ["--version"]).status !== 0) throw new Error("the docs' examples need jq: apt-get install -y jq");
  const gw = await startGateway("docs");
  // The banner alone: from "Console:" to its last command (wrangler's own log lines come before).
  const out = gw.output();
  const from = out.lastIndexOf("Console: ");
  const last = out.indexOf("\n", out.indexOf("__scheduled?cron=", from));
  provide("docsGateway", { base: gw.base, port: gw.port, state: gw.state, banner: out.slice(from, last < 0 ? undefined : last) });
  return gw.stop;
}
