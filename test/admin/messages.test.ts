// Message lookups through the operator API, over messages accepted by the real pipeline (scheduled a
// day ahead, so the background dispatch consumer leaves them as they are).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { acceptSend } from "../../src/core/send";
import { getAppByKey } from "../helpers/domain";
import { getTenant } from "../helpers/domain";
import { makeCredential, mobile } from "../helpers/fixtures";
import { admin, newTenant, paths, type Answer } from "./helpers";
import { tenantDb } from "../../src/store/db";

const DAY = 86_400_000;

async function tenantWithApp() {
  const t = await newTenant();
  await admin("POST", `/tenants/${t.id}/balance`, { amount: 100_000, reason: "topup", note: "test" });
  const tenant = (await getTenant(tenantDb(env, t.id)))!;
  const cred = await makeCredential(tenant, "smsapi");
  const app = (await getAppByKey(env.DB, "smsapi", cred.app.key))!;
  return { tenant, app };
}

type Ctx = Awaited<ReturnType<typeof tenantWithApp>>;

/** One scheduled batch of `mobiles`, created at `now`. */
async function send({ tenant, app }: Ctx, mobiles: string[], now: number) {
  const drafts = mobiles.map((m) => ({ mobile: m, text: "【测试】您的包裹已签收", signature: "测试" }));
  const res = await acceptSend(env, drafts, { tenant, app, kind: "notification", mode: "all", now, sendAt: Date.now() + DAY });
  return { batchId: res.batchId!, ids: res.items.map((i) => i.messageId) };
}

describe("GET /admin/v1/tenants/{id}/messages/{messageId}", () => {
  it("shows one message; another tenant's is 404", async () => {
    const ctx = await tenantWithApp();
    const m = mobile();
    const { batchId, ids } = await send(ctx, [m], Date.now());
    const res = await admin("GET", `/tenants/${ctx.tenant.id}/messages/${ids[0]}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: ids[0],
      batch_id: batchId,
      app_id: ctx.app.id,
      dialect: "smsapi",
      kind: "notification",
      mobile: `+86${m}`,
      content: "【测试】您的包裹已签收",
      status: "scheduled",
      segments: 1,
      price: 45,
    });
    const other = await newTenant();
    const foreign = await admin("GET", `/tenants/${other.id}/messages/${ids[0]}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("not_found");
    expect((await admin("GET", `/tenants/${ctx.tenant.id}/messages/1234`)).status).toBe(404);
  });
});

describe("GET /admin/v1/tenants/{id}/batches/{batchId}/messages", () => {
  it("pages a batch's messages by id; another tenant's batch is 404", async () => {
    const ctx = await tenantWithApp();
    const { batchId, ids } = await send(ctx, [mobile(), mobile(), mobile()], Date.now());
    const first: Answer = await admin("GET", `/tenants/${ctx.tenant.id}/batches/${batchId}/messages?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const second: Answer = await admin("GET", `/tenants/${ctx.tenant.id}/batches/${batchId}/messages?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.next_cursor).toBeNull();
    expect([...first.body.items, ...second.body.items].map((m: { id: string }) => m.id)).toEqual([...ids].sort());
    const other = await newTenant();
    expect((await admin("GET", `/tenants/${other.id}/batches/${batchId}/messages`)).status).toBe(404);
    expect((await admin("GET", `/tenants/${ctx.tenant.id}/batches/999/messages`)).status).toBe(404);
  });
});

describe("GET /admin/v1/tenants/{id}/messages", () => {
  it("newest first, filtered by status, mobile and time, paged with an opaque cursor", async () => {
    const ctx = await tenantWithApp();
    const base = Date.now() - 10 * 60_000;
    const a = mobile();
    const b = mobile();
    const m1 = await send(ctx, [a], base);
    const m2 = await send(ctx, [b], base + 1000);
    const m3 = await send(ctx, [a], base + 2000);
    const url = `/tenants/${ctx.tenant.id}/messages`;
    const all = await admin("GET", url);
    expect(all.body.items.map((m: { id: string }) => m.id)).toEqual([m3.ids[0], m2.ids[0], m1.ids[0]]);
    expect(all.body.next_cursor).toBeNull();

    const byMobile = await admin("GET", `${url}?mobile=%2B86${a}`);
    expect(byMobile.body.items.map((m: { id: string }) => m.id)).toEqual([m3.ids[0], m1.ids[0]]);
    const byNational = await admin("GET", `${url}?mobile=${a}`);
    expect(byNational.body.items).toHaveLength(2);

    const window = await admin("GET", `${url}?from=${base + 1000}&to=${base + 2000}`);
    expect(window.body.items.map((m: { id: string }) => m.id)).toEqual([m2.ids[0]]);
    expect((await admin("GET", `${url}?status=scheduled`)).body.items).toHaveLength(3);
    expect((await admin("GET", `${url}?status=delivered`)).body.items).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page: Answer = await admin("GET", `${url}?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.body.items.map((m: { id: string }) => m.id));
      cursor = page.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([m3.ids[0], m2.ids[0], m1.ids[0]]);

    const other = await newTenant();
    expect((await admin("GET", `/tenants/${other.id}/messages`)).body.items).toEqual([]);
  });

  it("400 names bad filters", async () => {
    const t = await newTenant();
    const res = await admin("GET", `/tenants/${t.id}/messages?status=lost&from=yesterday&limit=1000`);
    expect(res.status).toBe(400);
    expect(paths(res).sort()).toEqual(["from", "limit", "status"]);
    expect(paths(await admin("GET", `/tenants/${t.id}/messages?mobile=12345`))).toEqual(["mobile"]);
    expect(paths(await admin("GET", `/tenants/${t.id}/messages?cursor=eyJ4IjoxfQ`))).toEqual(["cursor"]);
    expect((await admin("GET", "/tenants/no-such-tenant/messages")).status).toBe(404);
  });
});
