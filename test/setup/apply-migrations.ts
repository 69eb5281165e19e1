import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { registerDialects } from "../../src/dialects/registrations";

// Applies the real migrations once per test file's storage (idempotent).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// The wiring src/index.ts does, for tests that call core directly before the Worker served anything.
registerDialects();
