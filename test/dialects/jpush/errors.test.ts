// Every documented JPush error code that a request can raise, with its HTTP status and the
// document's `{"error": {"code", "message"}}` shape; nothing refused is written or billed.
// (50009–50012, 50015, 50024, 50026, 50030/50031 and 50038–50041 are exercised with their
// endpoints in codes, valid, voice-codes, messages and batch .test.ts.)
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { router } from "../../../src/dialects/jpush/router";
import { updateApp } from "../../../src/store/apps";
import { makeSignature, makeTemplate, mobile, money } from "../../helpers/fixtures";
import { basic, call, err, setup } from "./helpers";
import { tenantDb } from "../../../src/store/db";

const notice = (s: { noticeTpl: number }, extra: Record<string, unknown> = {}) => ({
  mobile: mobile(),
  temp_id: s.noticeTpl,
  temp_para: { number: "1", place: "A" },
  ...extra,
});

describe("authentication", () => {
  it("no Authorization header or a non-Basic one: 400/50001", async () => {
    const s = await setup();
    expect(await call(null, "POST", "/v1/messages", notice(s), { auth: null })).toEqual({ status: 400, body: err(50001) });
    expect(await call(null, "POST", "/v1/messages", notice(s), { auth: `Bearer ${s.secret}` })).toEqual({ status: 400, body: err(50001) });
    // Auth is checked before the body.
    expect(await call(null, "POST", "/v1/messages", "{oops", { auth: null })).toEqual({ status: 400, body: err(50001) });
  });

  it("wrong secret, unknown key, undecodable or colon-less credentials: 401/50002", async () => {
    const s = await setup();
    for (const auth of [basic(s.appKey, "0".repeat(24)), basic("f".repeat(24), s.secret), "Basic !!!notbase64", `Basic ${btoa(s.appKey)}`]) {
      expect(await call(null, "POST", "/v1/messages", notice(s), { auth })).toEqual({ status: 401, body: err(50002) });
    }
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000, ledger: 100_000 });
  });

  it("SMS disabled for the app, or the kind not enabled: 403/50008", async () => {
    const s = await setup();
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { kinds: "notification" }, Date.now());
    expect(await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl })).toEqual({ status: 403, body: err(50008) });
    expect((await call(s, "POST", "/v1/messages", notice(s))).status).toBe(200);
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { smsEnabled: false }, Date.now());
    expect(await call(s, "POST", "/v1/messages", notice(s))).toEqual({ status: 403, body: err(50008) });
  });

  it("a caller outside the app's IP allow-list: 403/50035", async () => {
    const s = await setup();
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { ipAllowlist: ["10.0.0.0/8"] }, Date.now());
    expect(await call(s, "POST", "/v1/messages", notice(s), { headers: { "cf-connecting-ip": "192.0.2.7" } })).toEqual({ status: 403, body: err(50035) });
    expect((await call(s, "POST", "/v1/messages", notice(s), { headers: { "cf-connecting-ip": "10.1.2.3" } })).status).toBe(200);
  });

  it("a blacklisted app: 403/50036", async () => {
    const s = await setup();
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { blocked: true }, Date.now());
    expect(await call(s, "POST", "/v1/messages", notice(s))).toEqual({ status: 403, body: err(50036) });
  });
});

describe("bodies", () => {
  it("no body or a blank one: 400/50003", async () => {
    const s = await setup();
    expect(await call(s, "POST", "/v1/messages", undefined)).toEqual({ status: 400, body: err(50003) });
    expect(await call(s, "POST", "/v1/codes", "  \n")).toEqual({ status: 400, body: err(50003) });
  });

  it.each([
    ["malformed JSON", '{"mobile": "13800138000",'],
    ["an array", "[]"],
    ["a number", "42"],
    ["temp_id of the wrong type", { mobile: "13800138000", temp_id: true }],
    ["mobile of the wrong type", { mobile: { n: 1 }, temp_id: 1 }],
    ["temp_para not an object", { mobile: "13800138000", temp_id: 1, temp_para: "x=1" }],
    ["a temp_para value that is an object", { mobile: "13800138000", temp_id: 1, temp_para: { number: { a: 1 } } }],
  ])("%s: 403/50007", async (_, body) => {
    const s = await setup();
    expect(await call(s, "POST", "/v1/messages", body)).toEqual({ status: 403, body: err(50007) });
  });

  it("recipients that is not a list: 403/50007", async () => {
    const s = await setup();
    expect(await call(s, "POST", "/v1/messages/batch", { temp_id: s.noticeTpl, recipients: "13800138000" })).toEqual({ status: 403, body: err(50007) });
  });

  it("XML or a form: 415/50017; JSON as application/json, text/plain, +json or with no type is read", async () => {
    const s = await setup();
    expect(await call(s, "POST", "/v1/messages", "<xml><mobile>13800138000</mobile></xml>", { headers: { "content-type": "application/xml" } })).toEqual({
      status: 415,
      body: err(50017),
    });
    expect(await call(s, "POST", "/v1/messages", "mobile=13800138000&temp_id=1", { headers: { "content-type": "application/x-www-form-urlencoded" } })).toEqual({
      status: 415,
      body: err(50017),
    });
    for (const type of ["application/json; charset=utf-8", "text/plain", "application/vnd.api+json", null]) {
      expect((await call(s, "POST", "/v1/messages", notice(s), { headers: { "content-type": type } })).status).toBe(200);
    }
  });
});

describe("fields", () => {
  it.each([
    ["/v1/codes", {}],
    ["/v1/codes", { mobile: "" }],
    ["/v1/messages", { mobile: null }],
    ["/v1/voice_codes", { mobile: "  " }],
  ])("%s %j without mobile: 400/50004", async (path, body) => {
    const s = await setup();
    expect(await call(s, "POST", path, { temp_id: s.codeTpl, ...body })).toEqual({ status: 400, body: err(50004) });
  });

  it("missing temp_id: 400/50005 on /v1/codes, /v1/messages and the batch", async () => {
    const s = await setup();
    expect(await call(s, "POST", "/v1/codes", { mobile: mobile() })).toEqual({ status: 400, body: err(50005) });
    expect(await call(s, "POST", "/v1/messages", { mobile: mobile(), temp_id: "" })).toEqual({ status: 400, body: err(50005) });
    expect(await call(s, "POST", "/v1/messages/batch", { recipients: [{ mobile: mobile() }] })).toEqual({ status: 400, body: err(50005) });
  });

  it.each(["12345", "abc", "+8612345", "1380013800012345678"])("mobile %s: 403/50006", async (m) => {
    const s = await setup();
    expect(await call(s, "POST", "/v1/messages", notice(s, { mobile: m }))).toEqual({ status: 403, body: err(50006) });
    expect(await call(s, "POST", "/v1/codes", { mobile: m, temp_id: s.codeTpl })).toEqual({ status: 403, body: err(50006) });
  });

  it.each([999_999_999, "abc", 0, -1, 1.5, "12x"])("temp_id %j: 403/50013", async (t) => {
    const s = await setup();
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_id: t }))).toEqual({ status: 403, body: err(50013) });
  });
});

describe("templates and signatures", () => {
  it("pending 50020, rejected 50021 (single sends and codes)", async () => {
    const s = await setup();
    const pending = await makeTemplate(s.tenant, { kind: "verification", content: "码{{code}}", signatureId: s.sign.id, status: "pending" });
    const rejected = await makeTemplate(s.tenant, { kind: "notification", content: "x{{number}}", signatureId: s.sign.id, status: "rejected" });
    expect(await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: pending })).toEqual({ status: 403, body: err(50020) });
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_id: rejected }))).toEqual({ status: 403, body: err(50021) });
  });

  it("a parameter without a value 50022; no temp_para or an empty value 50023", async () => {
    const s = await setup();
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_para: { number: "1" } }))).toEqual({ status: 403, body: err(50022) });
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_para: { number: "1", place: null } }))).toEqual({ status: 403, body: err(50022) });
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_para: undefined }))).toEqual({ status: 403, body: err(50023) });
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_para: {} }))).toEqual({ status: 403, body: err(50023) });
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_para: { number: " ", place: "A" } }))).toEqual({ status: 403, body: err(50023) });
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000, ledger: 100_000 });
  });

  it("the wrong template type: 50025 (a notification template on /v1/codes, a code template on /v1/messages)", async () => {
    const s = await setup();
    expect(await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.noticeTpl })).toEqual({ status: 403, body: err(50025) });
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_id: s.codeTpl, temp_para: { code: "1234" } }))).toEqual({ status: 403, body: err(50025) });
  });

  it("no signature on the template nor the app: 50046; another tenant's or an unapproved sign_id: 50102", async () => {
    const s = await setup();
    const bare = await makeTemplate(s.tenant, { kind: "notification", content: "x{{number}}" });
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_id: bare, temp_para: { number: "1" } }))).toEqual({ status: 403, body: err(50046) });
    // The app's default signature stands in for a template without one.
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { defaultSignatureId: s.sign.id }, Date.now());
    expect((await call(s, "POST", "/v1/messages", notice(s, { temp_id: bare, temp_para: { number: "1" } }))).status).toBe(200);
    const other = await setup();
    const pendingSign = await makeSignature(s.tenant, "待审核签名", "pending");
    // A template whose own signature is not approved yet cannot be sent under it.
    const underPending = await makeTemplate(s.tenant, { kind: "notification", content: "x{{number}}", signatureId: pendingSign.id });
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_id: underPending, temp_para: { number: "1" } }))).toEqual({ status: 403, body: err(50102) });
    for (const id of [other.sign.id, pendingSign.id, 2_000_000_000]) {
      expect(await call(s, "POST", "/v1/messages", notice(s, { sign_id: id }))).toEqual({ status: 403, body: err(50102) });
    }
  });
});

describe("policy", () => {
  it("no money: 403/50014, nothing written", async () => {
    const s = await setup({ balance: 5, price: 10 });
    expect(await call(s, "POST", "/v1/messages", notice(s))).toEqual({ status: 403, body: err(50014) });
    expect(await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl })).toEqual({ status: 403, body: err(50014) });
    expect(await money(s.tenant.id)).toEqual({ balance: 5, ledger: 5 });
  });

  it("over frequency: 403/50009 with Retry-After", async () => {
    const s = await setup();
    const m = mobile();
    expect((await call(s, "POST", "/v1/codes", { mobile: m, temp_id: s.codeTpl })).status).toBe(200);
    const res = await call(s, "POST", "/v1/codes", { mobile: m, temp_id: s.codeTpl });
    expect(res).toEqual({ status: 403, body: err(50009) });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("the same content to the same mobile inside the tenant's repeat window: 403/50034", async () => {
    const s = await setup({ settings: { repeatWindowSeconds: 120 } });
    const body = notice(s);
    expect((await call(s, "POST", "/v1/messages", body)).status).toBe(200);
    expect(await call(s, "POST", "/v1/messages", body)).toEqual({ status: 403, body: err(50034) });
    expect((await call(s, "POST", "/v1/messages", { ...body, temp_para: { number: "2", place: "A" } })).status).toBe(200);
  });

  it("a blocked word of the tenant in the rendered text: 403/50037", async () => {
    const s = await setup({ settings: { blockedWords: ["赌场"] } });
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_para: { number: "1", place: "澳门赌场" } }))).toEqual({ status: 403, body: err(50037) });
    // The global list applies to every tenant.
    expect(await call(s, "POST", "/v1/messages", notice(s, { temp_para: { number: "1", place: "博彩中心" } }))).toEqual({ status: 403, body: err(50037) });
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000, ledger: 100_000 });
  });
});

describe("routes", () => {
  it("an unknown API: 404/50016", async () => {
    const s = await setup();
    expect(await call(s, "POST", "/v1/nothing", {})).toEqual({ status: 404, body: err(50016) });
    expect(await call(s, "POST", "/v1/codes/123/invalid", {})).toEqual({ status: 404, body: err(50016) });
  });

  it("a wrong method: 405/50018 with Allow", async () => {
    for (const [method, path] of [
      ["GET", "/v1/codes"],
      ["PUT", "/v1/messages"],
      ["DELETE", "/v1/messages/batch"],
      ["GET", "/v1/codes/123/valid"],
    ] as const) {
      const res = await call(null, method, path);
      expect(res).toEqual({ status: 405, body: err(50018) });
      expect(res.headers.get("allow")).toBe("POST");
    }
  });

  it("a real server fault (the database binding is gone): 500/50019 without internals", async () => {
    const s = await setup();
    const broken = { ...env, DB: undefined } as unknown as Env;
    const ctx = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext;
    // The real reason goes to the log (asserted below), not to the caller.
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = await router.fetch(
      new Request("http://gw/v1/messages", { method: "POST", headers: { authorization: s.auth }, body: JSON.stringify(notice(s)) }),
      broken,
      ctx,
    );
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 50019, message: "server error" } });
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject({ level: "error", event: "unhandled", where: "jpush", path: "/v1/messages" });
    log.mockRestore();
  });
});

describe("/openapi.json", () => {
  it("documents the five JPush routes with request schemas from the validating zod schemas", async () => {
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as Record<string, any>;
    for (const path of ["/v1/codes", "/v1/voice_codes", "/v1/codes/{msg_id}/valid", "/v1/messages", "/v1/messages/batch"]) {
      const op = doc.paths[path]?.post;
      expect(op, path).toBeDefined();
      expect(op.security).toEqual([{ jpushBasic: [] }]);
      expect(op.requestBody.content["text/plain"].schema.type).toBe("object");
      expect(op.responses["403"] ?? op.responses["400"]).toBeDefined();
    }
    const batch = doc.paths["/v1/messages/batch"].post.requestBody.content["application/json"].schema;
    expect(batch.properties.recipients).toMatchObject({ type: "array", minItems: 1, maxItems: 1000 });
    expect(batch.properties.recipients.items.properties).toHaveProperty("temp_para");
  });
});
