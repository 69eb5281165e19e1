import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { configDefaults, defineConfig } from "vitest/config";
// Copies the charting library into console/vendor/ (gitignored) before the tests serve the console.
import { copyConsoleAssets } from "./scripts/console-assets.mjs";

// Three projects: "workers" runs every test inside the Workers runtime; "browser" runs the console's
// browser tests in Node, driving Chromium against a real local gateway (npm start); "docs" runs the
// shell examples of README.md and docs/*.md against another such gateway.
const BROWSER_TESTS = "test/console/**/*.browser.test.ts";
const DOCS_TESTS = "test/docs/**/*.test.ts";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  copyConsoleAssets();
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              main: "./src/index.ts",
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                // Test-only bindings (typed in test/env.d.ts); secrets get fixed test values.
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: "test-admin-token",
                  SECRETS_KEY: "dGVzdC1zZWNyZXRzLWtleS0zMi1ieXRlcy1sb25nISE=",
                  CARRIER_CALLBACK_SECRET: "test-carrier-secret",
                  SIMULATOR_REPORT_DELAY_SECONDS: "0",
                  ALLOW_PRIVATE_WEBHOOKS: "false",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            exclude: [...configDefaults.exclude, BROWSER_TESTS, DOCS_TESTS],
            setupFiles: ["./test/setup/apply-migrations.ts"],
            // Third parties the tests talk to on loopback: the local SMSC (SMPP over TCP) and the
            // HTTP providers' fakes, which check signatures the way the providers do.
            globalSetup: ["./test/setup/smsc.ts", "./test/setup/provider-fakes.ts"],
            testTimeout: 30_000,
            hookTimeout: 30_000,
          },
        },
        {
          test: {
            name: "browser",
            environment: "node",
            include: [BROWSER_TESTS],
            globalSetup: ["./test/console/gateway.mjs"],
            // One gateway, one browser: the files share them, so they run one after another.
            fileParallelism: false,
            testTimeout: 60_000,
            hookTimeout: 180_000,
          },
        },
        {
          test: {
            name: "docs",
            environment: "node",
            include: [DOCS_TESTS],
            globalSetup: ["./test/docs/gateway.mjs"],
            // One gateway and one demo tenant: the files' examples run one after another, and only
            // after the other projects, so that the delivery reports they wait for are not slowed
            // down by the rest of the suite.
            fileParallelism: false,
            sequence: { groupOrder: 1 },
            testTimeout: 600_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
