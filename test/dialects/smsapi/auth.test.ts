// smsapi authentication (src/dialects/smsapi/auth.ts): the bearer key, the tenantId bound to the
// key's tenant on every route, and the app's state (blocked, IP allow-list, SMS disabled).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { updateApp } from "../../../src/store/apps";
import { tenantDb } from "../../../src/store/db";
import { mobile } from "../../helpers/fixtures";
import { setup, call, expectEnvelope, messageRows } from "./helpers";

describe("auth and tenant binding", () => {
  it("401 40100 without a key, with a malformed one, or a wrong secret", async () => {
    const s = await setup();
    const body = { mobile: mobile(), content: `【${s.sign.name}】x` };
    expectEnvelope(await call(null, "POST", "industry", body), 401, 40100);
    expectEnvelope(await call(s, "POST", "industry", body, { apiKey: "no-dot-here" }), 401, 40100);
    expectEnvelope(await call(s, "POST", "industry", body, { apiKey: `${s.apiKey.split(".")[0]}.wrong` }), 401, 40100);
    expect(await messageRows(s.tenant.id)).toEqual([]);
  });

  it("403 40300 when tenantId names another tenant (on every route)", async () => {
    const s = await setup();
    const other = await setup();
    const m = mobile();
    expectEnvelope(await call(s, "POST", "industry", { mobile: m, content: `【${s.sign.name}】x`, tenantId: other.tenant.id }), 403, 40300);
    expectEnvelope(await call(s, "POST", "personality", { smses: [{ mobile: m, content: "x" }], sendTime: 0, tenantId: other.tenant.id }), 403, 40300);
    expectEnvelope(await call(s, "POST", "batch", { mobiles: m, content: "x", sendTime: 0, tenantId: other.tenant.id }), 403, 40300);
    expectEnvelope(await call(s, "POST", "cancel", { id: "1", tenantId: other.tenant.id }), 403, 40300);
    expect(await messageRows(s.tenant.id)).toEqual([]);
  });

  it("403 for a blocked key (40301), an IP outside the allow-list (40302), SMS disabled (40303)", async () => {
    const s = await setup();
    const body = () => ({ mobile: mobile(), content: `【${s.sign.name}】x` });
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { blocked: true }, Date.now());
    expectEnvelope(await call(s, "POST", "industry", body()), 403, 40301);
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { blocked: false, ipAllowlist: ["192.0.2.7"] }, Date.now());
    expectEnvelope(await call(s, "POST", "industry", body()), 403, 40302);
    expectEnvelope(await call(s, "POST", "industry", body(), { headers: { "cf-connecting-ip": "192.0.2.7" } }), 200, 0);
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { ipAllowlist: null, smsEnabled: false }, Date.now());
    expectEnvelope(await call(s, "POST", "industry", body()), 403, 40303);
    expect(await messageRows(s.tenant.id)).toHaveLength(1);
  });
});
