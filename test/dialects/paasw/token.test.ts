// paasw tokens through the real Worker: issue, reuse while valid, expiry on a controllable clock,
// secret rotation killing old tokens at once, and every parameter rule in query, form and JSON.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { rotateCredential } from "../../../src/core/credentials";
import { updateApp } from "../../../src/store/apps";
import { getAppByKey } from "../../helpers/domain";
import { insertTokenUnlessLive } from "../../../src/store/tokens";
import { makeCredential, makeTenant } from "../../helpers/fixtures";
import { call, expectOk, expectRefused, FORMS, setup } from "./helpers";
import { tenantDb } from "../../../src/store/db";

afterEach(() => vi.useRealTimers());

const balance = (token: string) => call(null, "GET", "/sms/balance", { token });

describe("GET /api/token", () => {
  it("issues an unguessable token valid 7200 s, in the documented shape", async () => {
    const s = await setup();
    const res = await call(null, "GET", "/api/token", { appId: s.appKey, secret: s.secret });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = expectOk(res);
    expect(body).toMatchInlineSnapshot(
      { token: expect.stringMatching(/^[A-Za-z0-9]{48,}$/), expires_in: expect.any(Number) },
      `
      {
        "code": "10000",
        "expires_in": Any<Number>,
        "message": "操作成功",
        "token": StringMatching /\\^\\[A-Za-z0-9\\]\\{48,\\}\\$/,
      }
    `,
    );
    expect(body.expires_in).toBeLessThanOrEqual(7200);
    expect(body.expires_in).toBeGreaterThan(7100);
    const row = await env.DB.prepare("SELECT token_hash FROM tokens WHERE app_id = ?1").bind(s.appId).first<{ token_hash: string }>();
    expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.token_hash).not.toContain(body.token);
  });

  it("racing logins that derived different tokens end with one stored, and both answered with it", async () => {
    // A fresh app with no token yet.
    const tenant = await makeTenant();
    const { app } = await makeCredential(tenant, "paasw");
    const t0 = Date.now();
    const candidate = (i: number) => ({
      token_hash: `${"0".repeat(63)}${i}`,
      app_id: app.id,
      tenant_id: tenant.id,
      secret_version: 1,
      issued_at: t0 + i,
      expires_at: t0 + i + 7_200_000,
    });
    const won = await Promise.all([1, 2, 3].map((i) => insertTokenUnlessLive(env.DB, candidate(i))));
    expect(new Set(won.map((w) => w.token_hash)).size).toBe(1);
    const { n } = (await env.DB.prepare("SELECT COUNT(*) AS n FROM tokens WHERE app_id = ?1").bind(app.id).first<{ n: number }>())!;
    expect(n).toBe(1);
  });

  it("gives the same token back while it is valid, with the seconds it has left; a new one after expiry", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    const s = await setup();
    const get = async () => expectOk(await call(null, "POST", "/api/token", { appId: s.appKey, secret: s.secret }));
    vi.setSystemTime(t0 + 1000_000);
    const again = await get();
    expect(again.token).toBe(s.token);
    expect(again.expires_in).toBeGreaterThanOrEqual(6199);
    expect(again.expires_in).toBeLessThanOrEqual(6200);
    expectOk(await balance(s.token));

    vi.setSystemTime(t0 + 7201_000);
    expectRefused(await balance(s.token), "20003", /expired/);
    const fresh = await get();
    expect(fresh.token).not.toBe(s.token);
    expect(fresh.expires_in).toBe(7200);
    expectOk(await balance(fresh.token));
  });

  it("rotating the secret invalidates the old token at once; the old secret no longer works", async () => {
    const s = await setup();
    expectOk(await balance(s.token));
    const app = (await getAppByKey(env.DB, "paasw", s.appKey))!;
    const secret = (await rotateCredential(env, app, Date.now()))!;
    expectRefused(await balance(s.token), "20003", /revoked/);
    expectRefused(await call(null, "GET", "/api/token", { appId: s.appKey, secret: s.secret }), "20004");
    const fresh = expectOk(await call(null, "GET", "/api/token", { appId: s.appKey, secret }));
    expect(fresh.token).not.toBe(s.token);
    expectOk(await balance(fresh.token));
  });

  it("a wrong secret and an unknown appId get the same answer", async () => {
    const s = await setup();
    const wrong = expectRefused(await call(null, "GET", "/api/token", { appId: s.appKey, secret: "0".repeat(32) }), "20004");
    const unknown = expectRefused(await call(null, "GET", "/api/token", { appId: "0000000000", secret: s.secret }), "20004");
    expect(wrong.message).toBe(unknown.message);
    expect(wrong.message).toBe("appId或secret错误");
  });

  for (const form of FORMS) {
    it(`parameter rules (${form})`, async () => {
      const s = await setup();
      expectOk(await call(null, "POST", "/api/token", { appId: s.appKey, secret: s.secret }, { form }));
      expectRefused(await call(null, "POST", "/api/token", { secret: s.secret }, { form }), "10001", /appId is required/);
      expectRefused(await call(null, "POST", "/api/token", { appId: s.appKey }, { form }), "10001", /secret is required/);
      expectRefused(await call(null, "POST", "/api/token", { appId: "", secret: s.secret }, { form }), "10001", /appId/);
      expectRefused(await call(null, "POST", "/api/token", { appId: s.appKey.slice(1), secret: s.secret }, { form }), "10002", /appId must be 10 digits/);
      expectRefused(await call(null, "POST", "/api/token", { appId: `${s.appKey.slice(1)}x`, secret: s.secret }, { form }), "10002", /appId/);
      expectRefused(await call(null, "POST", "/api/token", { appId: s.appKey, secret: `${s.secret}0` }, { form }), "10003", /secret is longer than 32/);
      expectRefused(await call(null, "POST", "/api/token", { appId: s.appKey, secret: "zz" + s.secret.slice(2) }, { form }), "10002", /secret must be hexadecimal/);
    });
  }

  it("a blocked app gets no token, and its live token stops working", async () => {
    const s = await setup();
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { blocked: true }, Date.now());
    expectRefused(await call(null, "GET", "/api/token", { appId: s.appKey, secret: s.secret }), "20005");
    expectRefused(await balance(s.token), "20005");
  });

  it("an IP allow-list applies to the token and to its use", async () => {
    const tenant = await makeTenant();
    const cred = await makeCredential(tenant, "paasw");
    await updateApp(tenantDb(env, tenant.id), cred.app.id, { ipAllowlist: ["203.0.113.0/24"] }, Date.now());
    expectRefused(await call(null, "GET", "/api/token", { appId: cred.app.key, secret: cred.secret }), "20006", /127\.0\.0\.1/);
  });
});

describe("token on the other endpoints", () => {
  it("missing → 20001, garbage → 20002, an over-long one → 10003", async () => {
    expectRefused(await call(null, "GET", "/sms/balance"), "20001", /token is required/);
    expectRefused(await balance("x".repeat(64)), "20002");
    expectRefused(await balance("short"), "20002");
    expectRefused(await balance("x".repeat(201)), "10003");
  });
});
