// The messages statements that address "these ids of this tenant" (store/messages/rows.ts tenantIds)
// must find the rows by primary key on the real schema: an index on tenant_id would read every
// message the tenant ever sent to find a handful (docs/bench.md, the claims' query plan).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tenantIds } from "../../src/store/messages/rows";

const plan = async (sql: string): Promise<string[]> =>
  (await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind("t", '["a","b"]').all<{ detail: string }>()).results.map((r) => r.detail);

describe("tenantIds", () => {
  it("finds the messages by primary key, the tenant a condition on each (select, claim, cancel)", async () => {
    for (const sql of [
      `SELECT id FROM messages WHERE ${tenantIds("?1", "?2")}`,
      `UPDATE messages SET status = 'submitted' WHERE ${tenantIds("?1", "?2")} AND status = 'queued'`,
      `UPDATE messages SET status = 'canceled' WHERE ${tenantIds("?1", "?2")} AND status = 'scheduled'`,
    ]) {
      const messagesScan = (await plan(sql)).filter((d) => / messages /.test(`${d} `));
      expect({ sql, messagesScan }).toEqual({ sql, messagesScan: [expect.stringMatching(/^SEARCH messages USING INDEX sqlite_autoindex_messages_1 \(id=\?\)$/)] });
    }
  });

  it("without the unary plus the planner takes the tenant's index (what the fragment prevents)", async () => {
    const bare = (await plan("SELECT id FROM messages WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))")).filter((d) => d.includes("messages"));
    expect(bare).toEqual([expect.stringMatching(/USING INDEX messages_tenant/)]);
  });
});
