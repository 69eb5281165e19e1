// globalSetup of the "browser" vitest project: a real local gateway, started exactly as `npm start`
// starts one (scripts/start.mjs: migrations, wrangler dev, the demo tenant), on a free loopback
// port with its own state directory, stopped (its whole process group) when the run ends.
// Without Chromium the browser tests are skipped, and this says so on the console.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

const devVar = (name) => {
  const file = existsSync(".dev.vars") ? ".dev.vars" : ".dev.vars.example";
  const line = readFileSync(file, "utf8").split("\n").find((l) => l.startsWith(`${name}=`));
  return line?.slice(name.length + 1).trim();
};

export default async function setup({ provide }) {
  if (!existsSync(CHROMIUM)) {
    console.warn(
      `\n[browser tests] SKIPPED: no Chromium at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` ` +
        "(Debian's package; Playwright never downloads a browser here), or set CHROMIUM_PATH.\n",
    );
    provide("consoleGateway", null);
    return;
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "edgesms-console-"));
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, PORT: String(port), EDGESMS_PERSIST: dir },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const stop = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      for (let i = 0; i < 50 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // exited on SIGTERM
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const end = Date.now() + 170_000;
  while (!output.includes("Console: ")) {
    if (child.exitCode !== null || output.includes("demo seed failed") || Date.now() > end) {
      await stop();
      throw new Error(`the local gateway did not start:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const demo = JSON.parse(readFileSync(join(dir, "demo-credentials.json"), "utf8"));
  provide("consoleGateway", { base: `http://127.0.0.1:${port}`, adminToken: devVar("ADMIN_TOKEN"), demo, chromium: CHROMIUM });
  return stop;
}
