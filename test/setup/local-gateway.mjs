// A real local gateway for the Node-side test projects (the console's browser tests, the docs'
// examples), started exactly as `npm start` starts one (scripts/start.mjs: migrations, wrangler dev,
// the demo tenant) on a free loopback port with its own state directory. `stop()` ends its whole
// process group and removes the state.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

export const devVar = (name) => {
  const file = existsSync(".dev.vars") ? ".dev.vars" : ".dev.vars.example";
  const line = readFileSync(file, "utf8").split("\n").find((l) => l.startsWith(`${name}=`));
  return line?.slice(name.length + 1).trim();
};

/**
 * Starts the gateway and waits for the demo tenant. `output()` is what `npm start` printed (the
 * banner included), kept for the error message when it fails and for the tests that read it.
 */
export async function startGateway(label) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `edgesms-${label}-`));
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
  // The banner's last line: the seed is done and every command above it is printed.
  while (!/__scheduled\?cron=/.test(output)) {
    if (child.exitCode !== null || output.includes("demo seed failed") || Date.now() > end) {
      await stop();
      throw new Error(`the local gateway did not start:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const state = join(dir, "demo-credentials.json");
  const demo = JSON.parse(readFileSync(state, "utf8"));
  return { base: `http://127.0.0.1:${port}`, port, dir, state, demo, adminToken: devVar("ADMIN_TOKEN"), output: () => output, stop };
}
