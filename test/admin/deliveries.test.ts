// Read-only views of delivery problems: a tenant's webhook pushes by status, and the dead letters.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomHex } from "../../src/core/crypto";
import { admin, newTenant, paths, type Answer } from "./helpers";

// The delivery engine writes these rows; here they are planted directly as its output would be.
async function plant(tenantId: string, status: "pending" | "delivered" | "dead", createdAt: number): Promise<string> {
  const id = `wh_${randomHex(8)}`;
  await env.DB.prepare(
    `INSERT INTO webhook_deliveries (id, tenant_id, app_id, topic, url, content_type, body, status, attempts, last_error, created_at, updated_at)
     VALUES (?1, ?2, 'app_x', 'reports', 'https://example.com/hook', 'application/json', '[]', ?3, ?4, ?5, ?6, ?6)`,
  )
    .bind(id, tenantId, status, status === "pending" ? 0 : 5, status === "dead" ? "HTTP 500" : null, createdAt)
    .run();
  return id;
}

describe("GET /admin/v1/tenants/{id}/webhook-deliveries", () => {
  it("lists newest first, filters by status, pages, and keeps to the tenant", async () => {
    const t = await newTenant();
    const now = Date.now();
    const d1 = await plant(t.id, "dead", now - 3000);
    const d2 = await plant(t.id, "delivered", now - 2000);
    const d3 = await plant(t.id, "dead", now - 1000);
    const url = `/tenants/${t.id}/webhook-deliveries`;
    const dead = await admin("GET", `${url}?status=dead`);
    expect(dead.status).toBe(200);
    expect(dead.body.items.map((d: { id: string }) => d.id)).toEqual([d3, d1]);
    expect(dead.body.items[0]).toEqual({
      id: d3,
      app_id: "app_x",
      topic: "reports",
      url: "https://example.com/hook",
      content_type: "application/json",
      body: "[]",
      status: "dead",
      attempts: 5,
      last_error: "HTTP 500",
      created_at: now - 1000,
      updated_at: now - 1000,
    });
    const first: Answer = await admin("GET", `${url}?limit=2`);
    const second: Answer = await admin("GET", `${url}?limit=2&cursor=${first.body.next_cursor}`);
    expect([...first.body.items, ...second.body.items].map((d: { id: string }) => d.id)).toEqual([d3, d2, d1]);
    expect(second.body.next_cursor).toBeNull();
    expect(paths(await admin("GET", `${url}?status=lost`))).toEqual(["status"]);
    const other = await newTenant();
    expect((await admin("GET", `/tenants/${other.id}/webhook-deliveries`)).body.items).toEqual([]);
    expect((await admin("GET", "/tenants/no-such-tenant/webhook-deliveries")).status).toBe(404);
  });
});

describe("GET /admin/v1/dead-letters", () => {
  it("lists newest first with a cursor", async () => {
    const queue = `test-${randomHex(4)}`;
    for (const n of [1, 2, 3]) {
      await env.DB.prepare("INSERT INTO dead_letters (queue, body, created_at) VALUES (?1, ?2, ?3)").bind(queue, `{"n":${n}}`, Date.now()).run();
    }
    const mine: Array<{ body: string }> = [];
    let cursor: string | null = null;
    for (let i = 0; i < 1000; i++) {
      const page: Answer = await admin("GET", `/dead-letters?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      mine.push(...page.body.items.filter((d: { queue: string }) => d.queue === queue));
      cursor = page.body.next_cursor;
      if (!cursor) break;
    }
    expect(mine.map((d) => d.body)).toEqual(['{"n":3}', '{"n":2}', '{"n":1}']);
    expect(mine[0]).toEqual({ id: expect.any(Number), queue, body: '{"n":3}', created_at: expect.any(Number) });
  });
});
