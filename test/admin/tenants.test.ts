// Tenants through the operator API: create (client id, defaults, validation), list with cursor, get, patch, webhook secret.
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { randomHex } from "../../src/core/crypto";
import { updateApp } from "../../src/store/apps";
import { hmacHex, mockReceiver, waitFor } from "../jobs/support";
import { admin, newTenant, paths, type Answer } from "./helpers";
import { tenantDb } from "../../src/store/db";

afterEach(() => vi.restoreAllMocks());

describe("POST /admin/v1/tenants", () => {
  it("creates a tenant with defaults and shows the webhook secret", async () => {
    const id = `acme-${randomHex(4)}`;
    const res = await admin("POST", "/tenants", { id, name: "Acme Express" });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id,
      name: "Acme Express",
      balance: 0,
      prices: { verification: 45, notification: 45, marketing: 55 },
      timezone: "Asia/Shanghai",
      settings: {
        limits: {
          verification: [
            { seconds: 60, max: 1 },
            { seconds: 3600, max: 5 },
            { seconds: 86400, max: 10 },
          ],
          notification: [],
          marketing: [],
        },
        repeatWindowSeconds: 0,
        quietHours: null,
        sourceAddr: null,
        blockedWords: [],
      },
      guard_buckets: 64,
      guard_buckets_before: null,
      guard_moved_at: null,
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
      webhook_secret: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const got = await admin("GET", `/tenants/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty("webhook_secret");
    expect(JSON.stringify(got.body)).not.toContain(res.body.webhook_secret);
  });

  it("generates an id when none is given, and takes timezone, prices and settings", async () => {
    const res = await admin("POST", "/tenants", {
      name: "Beta",
      timezone: "Europe/Berlin",
      prices: { verification: 30, marketing: 70 },
      settings: { repeatWindowSeconds: 120, blockedWords: ["赌博"] },
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^tn_[0-9a-f]{16}$/);
    expect(res.body.timezone).toBe("Europe/Berlin");
    expect(res.body.prices).toEqual({ verification: 30, notification: 45, marketing: 70 });
    expect(res.body.settings).toMatchObject({ repeatWindowSeconds: 120, blockedWords: ["赌博"] });
  });

  it("refuses a taken id with 409 and leaves the first tenant as it was", async () => {
    const t = await newTenant({ name: "First" });
    const res = await admin("POST", "/tenants", { id: t.id, name: "Second" });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "conflict", issues: [{ path: "id", message: expect.any(String) }] });
    expect((await admin("GET", `/tenants/${t.id}`)).body.name).toBe("First");
  });

  it("names every bad field in a 400", async () => {
    const res = await admin("POST", "/tenants", {
      id: "AB",
      name: "",
      timezone: "Mars/Olympus",
      prices: { verification: -1, marketing: 1.5 },
      settings: { limits: { verification: [{ seconds: 0, max: 1 }] }, colour: "red" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    expect(paths(res).sort()).toEqual(
      ["id", "name", "timezone", "prices.verification", "prices.marketing", "settings.limits.verification.0.seconds", "settings.colour"].sort(),
    );
  });

  it("refuses a body that is not JSON, and unknown fields", async () => {
    const bad = await admin("POST", "/tenants", "{nope");
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(["(body)"]);
    const extra = await admin("POST", "/tenants", { name: "x", balance: 1000 });
    expect(extra.status).toBe(400);
    expect(paths(extra)).toEqual(["balance"]);
  });
});

describe("GET /admin/v1/tenants", () => {
  it("pages by id with an opaque cursor", async () => {
    const prefix = `pg-${randomHex(3)}`;
    for (const n of [1, 2, 3]) await admin("POST", "/tenants", { id: `${prefix}-${n}`, name: `P${n}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Answer = await admin("GET", `/tenants?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((t: { id: string }) => t.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor && pages < 10_000);
    expect(seen.filter((id) => id.startsWith(prefix))).toEqual([`${prefix}-1`, `${prefix}-2`, `${prefix}-3`]);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
  });

  it("caps limit at 500 and refuses a forged cursor", async () => {
    expect(paths(await admin("GET", "/tenants?limit=501"))).toEqual(["limit"]);
    expect(paths(await admin("GET", "/tenants?limit=0"))).toEqual(["limit"]);
    expect(paths(await admin("GET", "/tenants?cursor=not-ours"))).toEqual(["cursor"]);
    expect(paths(await admin("GET", "/tenants?colour=red"))).toEqual(["colour"]);
  });

  it("GET of an unknown tenant is 404", async () => {
    const res = await admin("GET", "/tenants/no-such-tenant");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});

describe("PATCH /admin/v1/tenants/{id}", () => {
  it("changes what it names and merges settings", async () => {
    const t = await newTenant({ settings: { repeatWindowSeconds: 60, limits: { marketing: [{ seconds: 3600, max: 2 }] } } });
    const res = await admin("PATCH", `/tenants/${t.id}`, {
      name: "Renamed",
      timezone: "UTC",
      prices: { notification: 40 },
      settings: { blockedWords: ["spam"], limits: { verification: [] } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "Renamed",
      timezone: "UTC",
      prices: { verification: 45, notification: 40, marketing: 55 },
      settings: {
        repeatWindowSeconds: 60,
        blockedWords: ["spam"],
        limits: { verification: [], notification: [], marketing: [{ seconds: 3600, max: 2 }] },
      },
    });
    expect((await admin("GET", `/tenants/${t.id}`)).body).toEqual(res.body);
  });

  it("400 with paths and nothing changed; 404 for an unknown tenant", async () => {
    const t = await newTenant();
    const res = await admin("PATCH", `/tenants/${t.id}`, { name: "ok", timezone: "Nowhere/Land", settings: { repeatWindowSeconds: -5 } });
    expect(res.status).toBe(400);
    expect(paths(res).sort()).toEqual(["settings.repeatWindowSeconds", "timezone"]);
    expect((await admin("GET", `/tenants/${t.id}`)).body.name).toBe("Acme");
    expect((await admin("PATCH", "/tenants/no-such-tenant", { name: "x" })).status).toBe(404);
  });
});

describe("the webhook secret at rest", () => {
  it("is stored sealed, never in clear, and pushes are signed with the secret the operator was shown", async () => {
    const t = await newTenant({ prices: { verification: 1, notification: 1, marketing: 1 } });
    const stored = async () => (await env.DB.prepare("SELECT webhook_secret FROM tenants WHERE id = ?1").bind(t.id).first<{ webhook_secret: string }>())!.webhook_secret;
    expect(await stored()).toMatch(/^v1\./);
    expect(await stored()).not.toContain(t.webhook_secret);
    const rotated = (await admin("POST", `/tenants/${t.id}/webhook-secret`)).body.webhook_secret as string;
    expect(await stored()).not.toContain(rotated);

    const calls = mockReceiver(() => new Response("ok"));
    expect((await admin("POST", `/tenants/${t.id}/balance`, { amount: 100, reason: "topup", note: "test" })).status).toBe(200);
    const app = await admin("POST", `/tenants/${t.id}/apps`, { dialect: "smsapi" });
    await updateApp(tenantDb(env, t.id), app.body.id, { reportUrl: "https://hooks.example.com/sealed" }, Date.now());
    const sig = await admin("POST", `/tenants/${t.id}/signatures`, { name: "封存测试", status: "approved" });
    expect(sig.status).toBe(201);
    const send = await exports.default.fetch("http://gw/smsapi/v1/sms/industry", {
      method: "POST",
      headers: { authorization: `Bearer ${app.body.credentials.api_key}`, "content-type": "application/json" },
      body: JSON.stringify({ mobile: "13912345678", content: "【封存测试】您的包裹已签收" }),
    });
    expect(send.status).toBe(200);
    const [push] = await waitFor(async () => calls.length > 0 && calls, 20_000, "the report push");
    const h = new Headers(push!.init.headers);
    expect(h.get("x-edgesms-signature")).toBe(await hmacHex(rotated, `${h.get("x-edgesms-timestamp")}.${push!.body}`));
  });
});

describe("POST /admin/v1/tenants/{id}/webhook-secret", () => {
  it("rotates the secret and shows the new one only in its answer", async () => {
    const t = await newTenant();
    const res = await admin("POST", `/tenants/${t.id}/webhook-secret`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ webhook_secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(res.body.webhook_secret).not.toBe(t.webhook_secret);
    expect(JSON.stringify((await admin("GET", `/tenants/${t.id}`)).body)).not.toContain(res.body.webhook_secret);
    expect((await admin("POST", "/tenants/no-such-tenant/webhook-secret")).status).toBe(404);
  });
});
