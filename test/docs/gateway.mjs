// globalSetup of the "docs" vitest project: a local gateway started as `npm start` starts one, for
// the examples of README.md and docs/*.md to run against; stopped when the run ends.
import { spawnSync } from "node:child_process";
import { startSmsc } from "../../scripts/smsc.mjs";
import { startGateway } from "../setup/local-gateway.mjs";

export default async function setup({ provide }) {
  // The examples read JSON answers with jq, as a reader pasting them would.
  if (spawnSync("jq", ["--version"]).status !== 0) throw new Error("the docs' examples need jq: apt-get install -y jq");
  // docs/smpp.md points the demo tenant at the local SMSC (`npm run smsc`): one runs here too.
  const smsc = await startSmsc({});
  const gw = await startGateway("docs").catch(async (e) => {
    await smsc.close();
    throw e;
  });
  // The banner alone: from "Console:" to its last command (wrangler's own log lines come before).
  const out = gw.output();
  const from = out.lastIndexOf("Console: ");
  const last = out.indexOf("\n", out.indexOf("__scheduled?cron=", from));
  provide("docsGateway", { base: gw.base, port: gw.port, state: gw.state, banner: out.slice(from, last < 0 ? undefined : last),
    smsc: { smppPort: smsc.smppPort, controlPort: smsc.controlPort },
  });
  return async () => {
    await gw.stop();
    await smsc.close();
  };
}
