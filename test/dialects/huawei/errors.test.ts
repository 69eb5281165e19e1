// Whole-request refusals of the SMN routes: status, SMN/APIGW code (always a JSON string), message,
// and nothing written; plus tenant and project isolation.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mobile, money } from "../../helpers/fixtures";
import { updateApp } from "../../../src/store/apps";
import { login, post, sms, smnSetup, type Json } from "./helpers";
import { tenantDb } from "../../../src/store/db";

const expectSmn = async (res: Response, status: number, code: string, message?: string | RegExp) => {
  expect(res.status).toBe(status);
  const body = (await res.json()) as Json;
  expect(body).toEqual({ request_id: expect.stringMatching(/^\d{19}$/), code, message: expect.any(String) });
  if (typeof message === "string") expect(body.message).toBe(message);
  else if (message) expect(body.message).toMatch(message);
};

const messageCount = async (tenantId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(tenantId).first<{ n: number }>())!.n;

describe("SMN whole-request errors", () => {
  it("401 APIGW.0301 without a token or with an unknown one", async () => {
    const s = await smnSetup();
    const body = { endpoint: mobile(), message: "x", sign_id: s.sign.uid };
    await expectSmn(await post(`/v2/${s.projectId}/notifications/sms`, body), 401, "APIGW.0301", /X-Auth-Token header is missing/);
    await expectSmn(await sms(s, "A".repeat(64), body), 401, "APIGW.0301", "Incorrect IAM authentication information: invalid token");
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("403 APIGW.0302 when the path's project or X-Project-Id is not the token's", async () => {
    const s = await smnSetup();
    const other = await smnSetup();
    const token = await login(s);
    const body = { endpoint: mobile(), message: "x", sign_id: s.sign.uid };
    await expectSmn(await sms(s, token, body, "sms", other.projectId), 403, "APIGW.0302", /not valid for project/);
    await expectSmn(
      await post(`/v2/${s.projectId}/notifications/sms`, body, { "X-Auth-Token": token, "X-Project-Id": other.projectId }),
      403,
      "APIGW.0302",
      /X-Project-Id/,
    );
    // Without X-Project-Id (the Python SDK) the path alone decides.
    expect((await post(`/v2/${s.projectId}/notifications/sms`, body, { "X-Auth-Token": token })).status).toBe(200);
    expect(await messageCount(other.tenant.id)).toBe(0);
  });

  it("another tenant's sign_id behaves as unknown (SMN.9901)", async () => {
    const s = await smnSetup();
    const other = await smnSetup();
    const token = await login(s);
    await expectSmn(await sms(s, token, { endpoint: mobile(), message: "x", sign_id: other.sign.uid }), 400, "SMN.9901");
    const batch = (await (await sms(s, token, { sms_message: [{ endpoint: mobile(), message: "x", sign_id: other.sign.uid }] })).json()) as Json;
    expect(batch.result[0]).toMatchObject({ code: "SMN.9901" });
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("400 SMN.0159 for 1000 or more sms_message items, and for more than 1000 endpoints", async () => {
    const s = await smnSetup();
    const token = await login(s);
    const item = { endpoint: mobile(), message: "x", sign_id: s.sign.uid };
    await expectSmn(await sms(s, token, { sms_message: Array(1000).fill(item) }), 400, "SMN.0159", "The number of endpoints has reached the maximum allowed.");
    await expectSmn(await sms(s, token, { endpoints: Array(1001).fill(mobile()), message: "x", sign_id: s.sign.uid }), 400, "SMN.0159");
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("400 for bodies that are not the documented shape", async () => {
    const s = await smnSetup();
    const token = await login(s);
    await expectSmn(await sms(s, token, "{oops"), 400, "SMN.9900", /not valid JSON/);
    await expectSmn(await sms(s, token, "[1,2]"), 400, "SMN.9900", /JSON object/);
    await expectSmn(await sms(s, token, ""), 400, "SMN.9900");
    await expectSmn(await sms(s, token, { sms_message: [] }), 400, "SMN.9900", /sms_message/);
    await expectSmn(await sms(s, token, { sms_message: [{ message: "no endpoint", sign_id: s.sign.uid }] }), 400, "SMN.0012", /sms_message\.0\.endpoint/);
    await expectSmn(await sms(s, token, { endpoint: mobile(), message: 42, sign_id: s.sign.uid }), 400, "SMN.0024", /message/);
    await expectSmn(await sms(s, token, { endpoint: mobile(), message: "x", sign_id: s.sign.uid, message_include_sign_flag: "maybe" }), 400, "SMN.9900", /message_include_sign_flag/);
    await expectSmn(await sms(s, token, {}), 400, "SMN.0012");
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("the single form answers its item's refusal for the whole request", async () => {
    const s = await smnSetup();
    const token = await login(s);
    await expectSmn(await sms(s, token, { endpoint: "0101234", message: "x", sign_id: s.sign.uid }), 400, "SMN.0160", "Invalid endpoint.");
    await expectSmn(await sms(s, token, { endpoint: mobile(), message: "x" }), 400, "SMN.9904", /sign_id is required/);
    await expectSmn(await sms(s, token, { endpoint: mobile(), message: "x".repeat(600), sign_id: s.sign.uid }), 400, "SMN.0024", "Parameter: content is invalid.");
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("400 SMN.0261 when the balance does not cover the accepted items: nothing is sent or billed", async () => {
    const s = await smnSetup({ balance: 15, price: 10 });
    const token = await login(s);
    const res = await sms(s, token, { sms_message: [{ endpoint: mobile(), message: "a", sign_id: s.sign.uid }, { endpoint: mobile(), message: "b", sign_id: s.sign.uid }] });
    await expectSmn(res, 400, "SMN.0261", "Check whether your account balance is sufficient.");
    expect(await money(s.tenant.id)).toEqual({ balance: 15, ledger: 15 });
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("403 SMN.9910 when the SMN user may not send notifications", async () => {
    const s = await smnSetup({ kinds: "verification" });
    const token = await login(s);
    await expectSmn(await sms(s, token, { endpoint: mobile(), message: "x", sign_id: s.sign.uid }), 403, "SMN.9910");
  });

  it("unknown paths are 404 APIGW.0101, other methods 405 with Allow", async () => {
    const s = await smnSetup();
    const token = await login(s);
    await expectSmn(await post(`/v2/${s.projectId}/notifications/nope`, {}, { "X-Auth-Token": token }), 404, "APIGW.0101");
    const res = await exports.default.fetch(`http://gw/v2/${s.projectId}/notifications/batch_sms`, { headers: { "X-Auth-Token": token } });
    expect(res.headers.get("allow")).toBe("POST");
    await expectSmn(res, 405, "SMN.9405");
  });

  it("415 for a content type that is not JSON, 413 past the body cap", async () => {
    const s = await smnSetup();
    const token = await login(s);
    const xml = await exports.default.fetch(`http://gw/v2/${s.projectId}/notifications/sms`, {
      method: "POST",
      headers: { "X-Auth-Token": token, "content-type": "application/xml" },
      body: "<sms/>",
    });
    await expectSmn(xml, 415, "SMN.9415");
    const big = await sms(s, token, JSON.stringify({ endpoint: mobile(), message: "x".repeat(3 * 1024 * 1024) }));
    await expectSmn(big, 413, "SMN.9413");
  });
});

describe("credential state", () => {
  it("a blocked user, an IP outside the allow-list or SMS disabled: 403 APIGW.0302 on sends, 403 at login", async () => {
    const s = await smnSetup();
    const token = await login(s);
    const body = { endpoint: mobile(), message: "x", sign_id: s.sign.uid };
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { ipAllowlist: ["10.1.0.0/16"] }, Date.now());
    await expectSmn(await sms(s, token, body), 403, "APIGW.0302", /not allowed/);
    expect((await post(`/v2/${s.projectId}/notifications/sms`, body, { "X-Auth-Token": token, "cf-connecting-ip": "10.1.2.3" })).status).toBe(200);
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { ipAllowlist: null, smsEnabled: false }, Date.now());
    await expectSmn(await sms(s, token, body), 403, "APIGW.0302", /not enabled/);
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { smsEnabled: true, blocked: true }, Date.now());
    await expectSmn(await sms(s, token, { ...body, endpoint: mobile() }), 403, "APIGW.0302", /blocked/);
    const relogin = await post("/v3/auth/tokens", { auth: { identity: { methods: ["password"], password: { user: { name: s.user, password: s.password } } }, scope: { project: { id: s.projectId } } } });
    expect(relogin.status).toBe(403);
    expect(await relogin.json()).toEqual({ error: { code: 403, title: "Forbidden", message: "this app is blocked" } });
    expect(await messageCount(s.tenant.id)).toBe(1);
  });
});

describe("documentation", () => {
  it("/openapi.json lists the IAM and both SMS routes with their request schemas", async () => {
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as Json;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v3/auth/tokens", "/v2/{project_id}/notifications/sms", "/v2/{project_id}/notifications/batch_sms"]));
    const sms = doc.paths["/v2/{project_id}/notifications/sms"].post;
    expect(sms.security).toEqual([{ huaweiToken: [] }]);
    expect(JSON.stringify(sms.requestBody)).toContain("sms_message");
    expect(doc.paths["/v3/auth/tokens"].post.responses["201"]).toBeDefined();
  });
});
