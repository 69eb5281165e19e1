import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
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
      setupFiles: ["./test/setup/apply-migrations.ts"],
      globalSetup: ["./test/setup/provider-fakes.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
