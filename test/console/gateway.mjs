// globalSetup of the "browser" vitest project: a real local gateway (test/setup/local-gateway.mjs,
// started as `npm start` starts one), stopped when the run ends. Without Chromium the browser tests
// are skipped, and this says so on the console.
import { existsSync } from "node:fs";
import { startGateway } from "../setup/local-gateway.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default async function setup({ provide }) {
  if (!existsSync(CHROMIUM)) {
    console.warn(
      `\n[browser tests] SKIPPED: no Chromium at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` ` +
        "(Debian's package; Playwright never downloads a browser here), or set CHROMIUM_PATH.\n",
    );
    provide("consoleGateway", null);
    return;
  }
  const gw = await startGateway("console");
  provide("consoleGateway", { base: gw.base, adminToken: gw.adminToken, demo: gw.demo, chromium: CHROMIUM });
  return gw.stop;
}
