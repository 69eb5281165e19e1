// Who a Huawei request acts as (src/dialects/huawei/auth.ts): the IAM token in X-Auth-Token and AK/SK
// signatures (the independent signer of ./helpers) on every route, at the root and under the
// /huawei mounts; good, wrong, stale and malformed credentials; the path's project bound to the
// credential; the credential's state; a token revoked by a password rotation; access keys in the
// operator API. Refusals are 401 APIGW.0301 / 403 APIGW.0302 with nothing written.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { formatSdkDate } from "../../../src/dialects/huawei/aksk";
import { updateApp } from "../../../src/store/apps";
import { tenantDb } from "../../../src/store/db";
import { admin } from "../../admin/helpers";
import { written } from "../../helpers/faults";
import { mobile } from "../../helpers/fixtures";
import { type Answer, call, expectSmn, type Json, loginBody, setup, sign, type SmnSetup, SMS } from "./helpers";

const messageCount = async (tenantId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(tenantId).first<{ n: number }>())!.n;

const one = (s: SmnSetup, endpoint: string, message: string) => ({ endpoint, message, sign_id: s.sign.uid });

interface AkSetup extends SmnSetup {
  ak: string;
  sk: string;
}

async function akSetup(): Promise<AkSetup> {
  const s = await setup({ accessKey: true });
  return { ...s, ...s.accessKey! };
}

const expectApigw = (res: Answer, status: number, code: string, message: RegExp) =>
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { request_id: expect.any(String), code, message: expect.stringMatching(message) } });

const routes = (s: AkSetup, base = "http://gw") => ({
  single: [`${base}/v2/${s.projectId}/notifications/sms`, { endpoint: mobile(), message: `【${s.sign.name}】验证码 1234`, message_include_sign_flag: true }] as const,
  batch: [`${base}/v2/${s.projectId}/notifications/batch_sms`, { sms_message: [{ endpoint: mobile(), message: "hello", sign_id: s.sign.uid }] }] as const,
});

describe("AK/SK through the real Worker", () => {
  it("a signed publish is accepted on every SMN route, at the root and under /huawei and huawei.localhost", async () => {
    const s = await akSetup();
    for (const base of ["http://gw", "http://gw/huawei", "http://huawei.localhost"]) {
      const r = routes(s, base);
      const single = await call(null, "POST", r.single[0], r.single[1], { aksk: { key: s } });
      expect(single.status, base).toBe(200);
      expect(single.body).toEqual({ request_id: expect.any(String), message_id: expect.any(String) });
      const batch = await call(null, "POST", r.batch[0], r.batch[1], { aksk: { key: s } });
      expect(batch.status, base).toBe(200);
      expect((batch.body as Json).result[0]).toEqual({ endpoint: expect.any(String), message_id: expect.any(String) });
    }
  });

  it("every signed Huawei route: a good signature passes, a wrong secret and a stale date are 401 APIGW.0301", async () => {
    const s = await akSetup();
    const sent = (await call(null, "POST", ...routes(s).single, { aksk: { key: s } })).body as Json;
    const all: Array<[string, string, unknown]> = [
      ["POST", ...routes(s).single],
      ["POST", ...routes(s).batch],
      ["GET", `http://gw/v2/${s.projectId}/notifications/sms?message_id=${sent.message_id}`, undefined],
      ["GET", "http://gw/v3/projects?name=cn-north-4", undefined],
    ];
    for (const [method, url, body] of all) {
      expect((await call(null, method, url, body, { aksk: { key: s } })).status, `${method} ${url}`).toBe(200);
      expectApigw(await call(null, method, url, body, { aksk: { key: { ak: s.ak, sk: s.sk.slice(1) } } }), 401, "APIGW.0301", /verify aksk signature fail/);
      expectApigw(await call(null, method, url, body, { aksk: { key: s, date: Date.now() - 16 * 60_000 } }), 401, "APIGW.0301", /signature expired/);
    }
  });


  it("a signed status query works, and its query string is covered by the signature", async () => {
    const s = await akSetup();
    const sent = (await call(null, "POST", ...routes(s).single, { aksk: { key: s } })).body as Json;
    const url = `http://gw/v2/${s.projectId}/notifications/sms?request_id=${sent.request_id}`;
    const res = await call(null, "GET", url, undefined, { aksk: { key: s } });
    expect(res.status).toBe(200);
    expect((res.body as Json).sms[0].message_id).toBe(sent.message_id);
    // Signed for one request_id, sent with another.
    expectApigw(await call(null, "GET", `${url}0`, undefined, { aksk: { key: s, signUrl: url } }), 401, "APIGW.0301", /verify aksk signature fail/);
  });

  it("refuses a wrong secret, a changed body, an unknown AK and a malformed header with APIGW.0301, writing nothing", async () => {
    const s = await akSetup();
    const [url, body] = routes(s).single;
    expectApigw(await call(null, "POST", url, body, { aksk: { key: { ak: s.ak, sk: `${s.sk}x` } } }), 401, "APIGW.0301", /^Incorrect IAM authentication information: verify aksk signature fail$/);
    expectApigw(await call(null, "POST", url, body, { aksk: { key: { ak: "NOSUCHACCESSKEY00000", sk: s.sk } } }), 401, "APIGW.0301", /Get secretKey failed/);
    // The same signature over another body.
    const text = JSON.stringify(body);
    const h = new Headers({ "content-type": "application/json", host: "gw", "x-sdk-date": formatSdkDate(Date.now()) });
    h.set("authorization", await sign(s.ak, s.sk, "POST", new URL(url), Object.fromEntries(h), text));
    const swapped = await call(null, "POST", url, text.replace("1234", "9999"), { headers: Object.fromEntries(h) });
    expectApigw(swapped, 401, "APIGW.0301", /verify aksk signature fail/);
    expectApigw(await call(null, "POST", url, body, { aksk: { key: s, tamper: (hh) => hh.set("authorization", `SDK-HMAC-SHA256 Access=${s.ak}`) } }), 401, "APIGW.0301", /Authorization header is not/);
    // x-sdk-date present but not among the signed headers.
    expectApigw(
      await call(null, "POST", url, body, { aksk: { key: s, tamper: (hh) => hh.set("authorization", hh.get("authorization")!.replace("content-type;host;x-sdk-date", "content-type;host")) } }),
      401,
      "APIGW.0301",
      /x-sdk-date must be sent and signed/,
    );
  });

  it("refuses an X-Sdk-Date more than 15 minutes off either way; within 15 minutes it passes", async () => {
    const s = await akSetup();
    const [url, body] = routes(s).single;
    expectApigw(await call(null, "POST", url, body, { aksk: { key: s, date: Date.now() - 16 * 60_000 } }), 401, "APIGW.0301", /signature expired/);
    expectApigw(await call(null, "POST", url, body, { aksk: { key: s, date: Date.now() + 16 * 60_000 } }), 401, "APIGW.0301", /signature expired/);
    expect((await call(null, "POST", ...routes(s).single, { aksk: { key: s, date: Date.now() - 14 * 60_000 } })).status).toBe(200);
    expectApigw(await call(null, "GET", "http://gw/v3/projects", undefined, { aksk: { key: s, date: Date.now() - 20 * 60_000 } }), 401, "APIGW.0301", /signature expired/);
  });

  it("UNSIGNED-PAYLOAD leaves the body out; a prefixed path must be signed with its prefix", async () => {
    const s = await akSetup();
    expect((await call(null, "POST", ...routes(s).single, { aksk: { key: s, unsignedPayload: true } })).status).toBe(200);
    const [url, body] = routes(s, "http://gw/huawei").single;
    expectApigw(await call(null, "POST", url, body, { aksk: { key: s, signUrl: url.replace("/huawei", "") } }), 401, "APIGW.0301", /verify aksk signature fail/);
    // A client cannot move the signed path by sending the internal mount header itself.
    const [rootUrl, rootBody] = routes(s).single;
    expectApigw(
      await call(null, "POST", rootUrl, rootBody, { aksk: { key: s, signUrl: url, tamper: (h) => h.set("x-edgesms-mount", "/huawei") } }),
      401,
      "APIGW.0301",
      /verify aksk signature fail/,
    );
  });

  it("the key acts as its credential: another project is 403, a blocked credential 403, a deleted key 401", async () => {
    const s = await akSetup();
    const other = await akSetup();
    const res = await call(null, "POST", `http://gw/v2/${other.projectId}/notifications/sms`, routes(s).single[1], { aksk: { key: s } });
    expectApigw(res, 403, "APIGW.0302", /access key is not valid for project/);
    expect((await admin("PATCH", `/tenants/${s.tenant.id}/apps/${s.appId}`, { blocked: true })).status).toBe(200);
    expectApigw(await call(null, "POST", ...routes(s).single, { aksk: { key: s } }), 403, "APIGW.0302", /blocked/);
    expect((await admin("DELETE", `/tenants/${other.tenant.id}/apps/${other.appId}/access-keys/${other.ak}`)).status).toBe(204);
    expectApigw(await call(null, "POST", ...routes(other).single, { aksk: { key: other } }), 401, "APIGW.0301", /Get secretKey failed/);
  });
});

describe("the IAM token and the path's project", () => {
  it("401 APIGW.0301 without a token or with an unknown one", async () => {
    const s = await setup();
    const body = { endpoint: mobile(), message: "x", sign_id: s.sign.uid };
    expectSmn(await call(null, "POST", `/v2/${s.projectId}/notifications/sms`, body), 401, "APIGW.0301", /X-Auth-Token header is missing/);
    expectSmn(await call(s, "POST", SMS, body, { token: "A".repeat(64), goSdk: true }), 401, "APIGW.0301", "Incorrect IAM authentication information: invalid token");
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("403 APIGW.0302 when the path's project or X-Project-Id is not the token's", async () => {
    const s = await setup({ login: true });
    const other = await setup();
    const token = s.token!;
    const body = { endpoint: mobile(), message: "x", sign_id: s.sign.uid };
    expectSmn(await call(s, "POST", `/v2/${other.projectId}/notifications/sms`, body, { goSdk: other.projectId }), 403, "APIGW.0302", /not valid for project/);
    expectSmn(
      await call(null, "POST", `/v2/${s.projectId}/notifications/sms`, body, { headers: { "X-Auth-Token": token, "X-Project-Id": other.projectId } }),
      403,
      "APIGW.0302",
      /X-Project-Id/,
    );
    // Without X-Project-Id (the Python SDK) the path alone decides.
    expect((await call(null, "POST", `/v2/${s.projectId}/notifications/sms`, body, { headers: { "X-Auth-Token": token } })).status).toBe(200);
    expect(await messageCount(other.tenant.id)).toBe(0);
  });
});

describe("credential state", () => {
  it("a blocked user, an IP outside the allow-list or SMS disabled: 403 APIGW.0302 on sends, 403 at login", async () => {
    const s = await setup({ login: true });
    const token = s.token!;
    const body = { endpoint: mobile(), message: "x", sign_id: s.sign.uid };
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { ipAllowlist: ["10.1.0.0/16"] }, Date.now());
    expectSmn(await call(s, "POST", SMS, body, { goSdk: true }), 403, "APIGW.0302", /not allowed/);
    expect((await call(null, "POST", `/v2/${s.projectId}/notifications/sms`, body, { headers: { "X-Auth-Token": token, "cf-connecting-ip": "10.1.2.3" } })).status).toBe(200);
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { ipAllowlist: null, smsEnabled: false }, Date.now());
    expectSmn(await call(s, "POST", SMS, body, { goSdk: true }), 403, "APIGW.0302", /not enabled/);
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { smsEnabled: true, blocked: true }, Date.now());
    expectSmn(await call(s, "POST", SMS, { ...body, endpoint: mobile() }, { goSdk: true }), 403, "APIGW.0302", /blocked/);
    const relogin = await call(null, "POST", "/v3/auth/tokens", { auth: { identity: { methods: ["password"], password: { user: { name: s.user, password: s.password } } }, scope: { project: { id: s.projectId } } } });
    expect(relogin.status).toBe(403);
    expect(relogin.body).toEqual({ error: { code: 403, title: "Forbidden", message: "this app is blocked" } });
    expect(await messageCount(s.tenant.id)).toBe(1);
  });
});

describe("a token revoked by a password rotation in the operator API", () => {
  it("the old X-Auth-Token is 401 APIGW.0301 at once; the old password no longer logs in; the new one does", async () => {
    const s = await setup({ login: true });
    const token = s.token!;
    expect((await call(s, "POST", SMS, one(s, mobile(), "轮换前"), { goSdk: true })).status).toBe(200);

    const rotated = await admin("POST", `/tenants/${s.tenant.id}/apps/${s.appId}/rotate`);
    expect(rotated.status).toBe(200);
    const { user_name, password, project_id } = rotated.body.credentials;
    expect({ user_name, project_id }).toEqual({ user_name: s.user, project_id: s.projectId });
    expect(password).not.toBe(s.password);

    const before = await written(s.tenant.id);
    expectSmn(
      await call(s, "POST", SMS, one(s, mobile(), "轮换后"), { goSdk: true }),
      401,
      "APIGW.0301",
      "Incorrect IAM authentication information: token revoked (the secret was reset): request a new one",
    );
    const batch = await call(s, "POST", SMS, { sms_message: [one(s, mobile(), "轮换后")] }, { goSdk: true });
    expectSmn(batch, 401, "APIGW.0301", /token revoked/);
    expect(await written(s.tenant.id)).toEqual(before);

    const old = await call(null, "POST", "/v3/auth/tokens", loginBody(s.user, s.password, { name: "cn-north-4" }));
    expect(old.status).toBe(401);
    expect(old.headers.get("x-subject-token")).toBeNull();
    expect(old.body).toEqual({ error: { code: 401, title: "Unauthorized", message: "The username or password is wrong." } });

    const relogged = await call(null, "POST", "/v3/auth/tokens", loginBody(s.user, password, { name: "cn-north-4" }, s.tenant.id));
    expect(relogged.status).toBe(201);
    const fresh = relogged.headers.get("X-Subject-Token")!;
    expect(fresh).not.toBe(token);
    expect((await call(s, "POST", SMS, one(s, mobile(), "新令牌"), { token: fresh, goSdk: true })).status).toBe(200);
    expectSmn(await call(s, "POST", SMS, one(s, mobile(), "旧令牌"), { goSdk: true }), 401, "APIGW.0301");
  });
});

describe("access keys in the operator API", () => {
  it("the secret key is shown once, listed never, at most 2 per credential, huawei credentials only", async () => {
    const s = await akSetup();
    const list = await admin("GET", `/tenants/${s.tenant.id}/apps/${s.appId}/access-keys`);
    expect(list.body).toEqual({ access_keys: [{ access_key: s.ak, app_id: s.appId, description: "sdk", created_at: expect.any(Number) }] });
    expect(s.ak).toMatch(/^[A-Z0-9]{20}$/);
    expect(s.sk).toMatch(/^[A-Za-z0-9]{40}$/);
    expect((await admin("POST", `/tenants/${s.tenant.id}/apps/${s.appId}/access-keys`, {})).status).toBe(201);
    const third = await admin("POST", `/tenants/${s.tenant.id}/apps/${s.appId}/access-keys`, {});
    expect(third.status).toBe(409);
    // Stored sealed, never as the secret itself.
    const { env } = await import("cloudflare:workers");
    const row = await env.DB.prepare("SELECT secret_enc FROM access_keys WHERE access_key = ?1").bind(s.ak).first<{ secret_enc: string }>();
    expect(row!.secret_enc).toMatch(/^v1\./);
    expect(row!.secret_enc).not.toContain(s.sk);
    // Another tenant's path finds nothing.
    const stranger = await setup();
    expect((await admin("GET", `/tenants/${stranger.tenant.id}/apps/${s.appId}/access-keys`)).status).toBe(404);
    expect((await admin("DELETE", `/tenants/${s.tenant.id}/apps/${s.appId}/access-keys/NOPE`)).status).toBe(404);
  });
});
