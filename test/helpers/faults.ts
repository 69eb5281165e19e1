// Real server faults for error-path tests, without mocking our own code: D1 states confined to one
// test-only tenant. A trigger that aborts every message insert of the tenant (the accept pipeline's
// one atomic batch then fails in the middle), and a malformed stored row that the store cannot read.
import { env } from "cloudflare:workers";

/** What a fault must never leak into a response body. */
export const INTERNALS = /SQLITE|D1_|sql|INSERT|SELECT|trigger|SyntaxError|TypeError|JSON\.parse|\bat .*:\d+|\.ts\b|stack/i;

/**
 * Until the returned function is called, every INSERT into messages for `tenantId` aborts with a
 * D1 error (as a full disk or a schema drift would). Other tenants are untouched.
 */
export async function failMessageInserts(tenantId: string): Promise<() => Promise<void>> {
  const name = `test_fault_${tenantId.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const quoted = tenantId.replace(/'/g, "''");
  await env.DB.prepare(
    `CREATE TRIGGER ${name} BEFORE INSERT ON messages WHEN NEW.tenant_id = '${quoted}' BEGIN SELECT RAISE(ABORT, 'SQLITE_FULL: database or disk is full (test fault)'); END`,
  ).run();
  return async () => {
    await env.DB.prepare(`DROP TRIGGER IF EXISTS ${name}`).run();
  };
}

/** Stores settings JSON for the tenant that no reader can parse (a half-written row). */
export async function corruptTenantSettings(tenantId: string): Promise<void> {
  await env.DB.prepare(`UPDATE tenants SET settings = '{"limits": {"verification": [' WHERE id = ?1`).bind(tenantId).run();
}

/** Rows of the tenant that an accept writes: all must stay as they were after a refusal or a fault. */
export async function written(tenantId: string): Promise<{ messages: number; batches: number; ledger: number; balance: number }> {
  const row = await env.DB.prepare(
    `SELECT (SELECT COUNT(*) FROM messages WHERE tenant_id = ?1) AS messages,
            (SELECT COUNT(*) FROM batches WHERE tenant_id = ?1) AS batches,
            (SELECT COUNT(*) FROM ledger WHERE tenant_id = ?1) AS ledger,
            (SELECT balance FROM tenants WHERE id = ?1) AS balance`,
  )
    .bind(tenantId)
    .first<{ messages: number; batches: number; ledger: number; balance: number }>();
  return row!;
}
