import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Applies the real migrations once per test file's storage (idempotent).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
