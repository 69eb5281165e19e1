// Lookups by mobile on the real schema: one index (messages_mobile, migration 0016) serves the reply
// routing's two reads, so accepting a message writes one randomly placed index entry, not three.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { REPLY_ROUTES } from "../../src/store/inbound";
import { INBOX_BY_MOBILE } from "../../src/store/simulator";

const plan = async (sql: string, ...binds: unknown[]): Promise<string[]> =>
  (await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...binds).all<{ detail: string }>()).results.map((r) => r.detail);

describe("messages by mobile", () => {
  it("reply routing reads a mobile's messages through messages_mobile in both branches", async () => {
    const messages = (await plan(REPLY_ROUTES, '[{"mobile":"+8613900000001"}]', "simulator")).filter((d) => / m2? /.test(`${d} `));
    expect(messages).toEqual([
      expect.stringMatching(/^SEARCH m USING (COVERING )?INDEX messages_mobile \(mobile=\?\)$/),
      expect.stringMatching(/^SEARCH m USING INTEGER PRIMARY KEY|^SEARCH m USING INDEX sqlite_autoindex_messages_1 \(id=\?\)$/),
      expect.stringMatching(/^SEARCH m2 USING INDEX messages_mobile \(mobile=\?\)$/),
    ]);
  });

  it("the simulator's inbox is listed through messages_mobile and the inbox's key", async () => {
    expect(await plan(INBOX_BY_MOBILE, "+8613900000001", 10)).toEqual([
      expect.stringMatching(/^SEARCH m USING (COVERING )?INDEX messages_mobile \(mobile=\?\)$/),
      expect.stringMatching(/^SEARCH i USING INDEX sqlite_autoindex_simulator_inbox_1 \(message_id=\?\)$/),
      "USE TEMP B-TREE FOR ORDER BY",
    ]);
  });

  it("the only index keyed by a mobile is messages_mobile", async () => {
    const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%(mobile%'").all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual(["messages_mobile"]);
  });
});
