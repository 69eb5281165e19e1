// Credentials through the operator API: formats per dialect, the secret shown once, rotation, changes, isolation.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authenticate } from "../../src/core/credentials";
import { getApp } from "../helpers/domain";
import { admin, newTenant, paths } from "./helpers";
import { tenantDb } from "../../src/store/db";

const create = (tenantId: string, body: Record<string, unknown>) => admin("POST", `/tenants/${tenantId}/apps`, body);

describe("POST /admin/v1/tenants/{id}/apps", () => {
  it("jpush: appKey and masterSecret are 24 lowercase hex; the app authenticates with them", async () => {
    const t = await newTenant();
    const res = await create(t.id, { dialect: "jpush", name: "shop" });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^app_[0-9a-f]{16}$/),
      tenant_id: t.id,
      dialect: "jpush",
      key: res.body.credentials.appKey,
      project_id: null,
      name: "shop",
      kinds: ["verification", "notification", "marketing"],
      sms_enabled: true,
      blocked: false,
      ip_allowlist: null,
      default_signature_id: null,
      report_url: null,
      reply_url: null,
      secret_version: 1,
      caps: { daily: null, total: null, spent_today: 0, spent_total: 0, remaining_today: null, remaining_total: null },
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
      credentials: { appKey: expect.stringMatching(/^[0-9a-f]{24}$/), masterSecret: expect.stringMatching(/^[0-9a-f]{24}$/) },
    });
    const { app } = await authenticate(env, "jpush", res.body.credentials.appKey, res.body.credentials.masterSecret, "1.2.3.4");
    expect(app.id).toBe(res.body.id);
  });

  it("the other dialects' credential shapes", async () => {
    const t = await newTenant();
    const dev = await create(t.id, { dialect: "jpush_dev" });
    expect(dev.body.credentials).toEqual({ devKey: expect.stringMatching(/^[0-9a-f]{24}$/), devSecret: expect.stringMatching(/^[0-9a-f]{24}$/) });
    const paasw = await create(t.id, { dialect: "paasw" });
    expect(paasw.body.credentials).toEqual({ appId: expect.stringMatching(/^\d{10}$/), secret: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const huawei = await create(t.id, { dialect: "huawei" });
    expect(huawei.body.credentials).toEqual({ user_name: huawei.body.key, password: expect.any(String), project_id: huawei.body.project_id, domain_name: huawei.body.tenant_id });
    expect(huawei.body.project_id).toMatch(/^[0-9a-f]{32}$/);
    const smsapi = await create(t.id, { dialect: "smsapi", kinds: ["marketing", "notification"] });
    expect(smsapi.body.credentials.api_key).toMatch(new RegExp(`^${smsapi.body.key}\\.[A-Za-z0-9]{40}$`));
    expect(smsapi.body.kinds).toEqual(["notification", "marketing"]);
    const [key, secret] = smsapi.body.credentials.api_key.split(".");
    await expect(authenticate(env, "smsapi", key, secret, "1.2.3.4")).resolves.toBeDefined();
    await expect(authenticate(env, "paasw", paasw.body.key, paasw.body.credentials.secret, "1.2.3.4")).resolves.toBeDefined();
    await expect(authenticate(env, "huawei", huawei.body.key, huawei.body.credentials.password, "1.2.3.4")).resolves.toBeDefined();
  });

  it("the secret is shown once: never in GET, the list or the update answer", async () => {
    const t = await newTenant();
    const res = await create(t.id, { dialect: "paasw" });
    const secret: string = res.body.credentials.secret;
    const stored = (await getApp(tenantDb(env, t.id), res.body.id))!;
    const got = await admin("GET", `/tenants/${t.id}/apps/${res.body.id}`);
    const list = await admin("GET", `/tenants/${t.id}/apps`);
    const patched = await admin("PATCH", `/tenants/${t.id}/apps/${res.body.id}`, { name: "renamed" });
    const { credentials: _, ...view } = res.body;
    expect(got.body).toEqual({ ...view, updated_at: expect.any(Number) });
    for (const answer of [got, list, patched]) {
      expect(answer.status).toBe(200);
      const text = JSON.stringify(answer.body);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(stored.secretHash);
      expect(text).not.toContain("credentials");
    }
    expect(list.body).toEqual({ items: [expect.objectContaining({ id: res.body.id })], next_cursor: null });
  });

  it("400 for a bad dialect, kinds or another tenant's default signature", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const sig = await admin("POST", `/tenants/${other.id}/signatures`, { name: "别人家" });
    expect(paths(await create(t.id, { dialect: "twilio" }))).toEqual(["dialect"]);
    expect(paths(await create(t.id, { dialect: "jpush", kinds: [] }))).toEqual(["kinds"]);
    expect(paths(await create(t.id, { dialect: "jpush", kinds: ["spam"] }))).toEqual(["kinds.0"]);
    const foreign = await create(t.id, { dialect: "jpush", default_signature_id: sig.body.id });
    expect(foreign.status).toBe(400);
    expect(paths(foreign)).toEqual(["default_signature_id"]);
    expect((await admin("GET", `/tenants/${t.id}/apps`)).body.items).toEqual([]);
  });
});

describe("POST /admin/v1/tenants/{id}/apps/{appId}/rotate", () => {
  it("a new secret once; the old one no longer authenticates", async () => {
    const t = await newTenant();
    const res = await create(t.id, { dialect: "jpush" });
    const { appKey, masterSecret } = res.body.credentials;
    const rotated = await admin("POST", `/tenants/${t.id}/apps/${res.body.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: res.body.id, key: appKey, secret_version: 2 });
    expect(rotated.body.credentials).toEqual({ appKey, masterSecret: expect.stringMatching(/^[0-9a-f]{24}$/) });
    expect(rotated.body.credentials.masterSecret).not.toBe(masterSecret);
    await expect(authenticate(env, "jpush", appKey, masterSecret, "1.2.3.4")).rejects.toMatchObject({ code: "auth_failed" });
    await expect(authenticate(env, "jpush", appKey, rotated.body.credentials.masterSecret, "1.2.3.4")).resolves.toBeDefined();
    expect(JSON.stringify((await admin("GET", `/tenants/${t.id}/apps/${res.body.id}`)).body)).not.toContain(rotated.body.credentials.masterSecret);
  });
});

describe("PATCH /admin/v1/tenants/{id}/apps/{appId}", () => {
  it("changes every field and null clears", async () => {
    const t = await newTenant();
    const sig = await admin("POST", `/tenants/${t.id}/signatures`, { name: "自家店", status: "approved" });
    const app = await create(t.id, { dialect: "smsapi" });
    const url = `/tenants/${t.id}/apps/${app.body.id}`;
    const res = await admin("PATCH", url, {
      name: "backend",
      kinds: ["verification"],
      sms_enabled: false,
      blocked: true,
      ip_allowlist: ["203.0.113.7", "10.0.0.0/8", "2001:db8::/32"],
      default_signature_id: sig.body.id,
      report_url: "https://example.com/reports",
      reply_url: "http://example.com/replies?x=1",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "backend",
      kinds: ["verification"],
      sms_enabled: false,
      blocked: true,
      ip_allowlist: ["203.0.113.7", "10.0.0.0/8", "2001:db8::/32"],
      default_signature_id: sig.body.id,
      report_url: "https://example.com/reports",
      reply_url: "http://example.com/replies?x=1",
    });
    const [key, secret] = app.body.credentials.api_key.split(".");
    await expect(authenticate(env, "smsapi", key, secret, "1.2.3.4")).rejects.toMatchObject({ code: "app_blocked" });
    const cleared = await admin("PATCH", url, { blocked: false, ip_allowlist: null, default_signature_id: null, report_url: null, reply_url: null });
    expect(cleared.body).toMatchObject({ name: "backend", blocked: false, ip_allowlist: null, default_signature_id: null, report_url: null, reply_url: null });
  });

  it("400 names each bad field and changes nothing", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const foreignSig = await admin("POST", `/tenants/${other.id}/signatures`, { name: "别人家" });
    const app = await create(t.id, { dialect: "paasw" });
    const url = `/tenants/${t.id}/apps/${app.body.id}`;
    const res = await admin("PATCH", url, {
      ip_allowlist: ["1.2.3.4", "999.1.1.1", "10.0.0.0/33x"],
      report_url: "https://user:pw@example.com/hook",
      reply_url: "ftp://example.com/",
      blocked: "yes",
    });
    expect(res.status).toBe(400);
    expect(paths(res).sort()).toEqual(["blocked", "ip_allowlist.1", "ip_allowlist.2", "reply_url", "report_url"]);
    expect(paths(await admin("PATCH", url, { report_url: `https://example.com/${"a".repeat(2048)}` }))).toEqual(["report_url"]);
    expect(paths(await admin("PATCH", url, { default_signature_id: foreignSig.body.id }))).toEqual(["default_signature_id"]);
    // Internal addresses are refused when set, not only when pushed (ALLOW_PRIVATE_WEBHOOKS is false in tests).
    expect(paths(await admin("PATCH", url, { report_url: "http://169.254.169.254/latest/meta-data" }))).toEqual(["report_url"]);
    expect(paths(await admin("PATCH", url, { reply_url: "http://localhost:8080/replies" }))).toEqual(["reply_url"]);
    expect((await admin("GET", url)).body).toMatchObject({ blocked: false, ip_allowlist: null, report_url: null, default_signature_id: null });
  });
});

describe("another tenant's app", () => {
  it("is not found through every app route", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const app = await create(a.id, { dialect: "jpush" });
    const base = `/tenants/${b.id}/apps/${app.body.id}`;
    for (const [method, path, body] of [
      ["GET", base, undefined],
      ["PATCH", base, { blocked: true }],
      ["POST", `${base}/rotate`, undefined],
    ] as const) {
      const res = await admin(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    expect((await admin("GET", `/tenants/${b.id}/apps`)).body.items).toEqual([]);
    await expect(authenticate(env, "jpush", app.body.key, app.body.credentials.masterSecret, "1.2.3.4")).resolves.toBeDefined();
    expect((await admin("GET", `/tenants/${a.id}/apps/${app.body.id}`)).body.blocked).toBe(false);
  });
});
