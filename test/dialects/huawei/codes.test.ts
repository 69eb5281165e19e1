/// <reference types="vite/client" />
// Huawei codes not exercised elsewhere: SMN.9430 repeated content, a token revoked by a password
// rotation in the operator API (401 APIGW.0301), IAM 413/415, and real server faults (SMN.9500 and
// IAM's 500) answered in their documented shapes without internals and with nothing half-written.
// The last test checks that every SMN/APIGW code of src/dialects/huawei/errors.ts is named by a test.
import { describe, expect, it, vi, afterEach } from "vitest";
import { exports } from "cloudflare:workers";
import { SMN_ERRORS, SMN_OWN } from "../../../src/dialects/huawei/errors";
import { mobile, money } from "../../helpers/fixtures";
import { corruptTenantSettings, failMessageInserts, INTERNALS, written } from "../../helpers/faults";
import { admin } from "../../admin/helpers";
import self from "./codes.test.ts?raw";
import { login, loginBody, post, sms, smnSetup, type Json, type SmnSetup } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const expectSmn = async (res: Response, status: number, code: string, message?: string | RegExp): Promise<Json> => {
  const text = await res.text();
  const body = JSON.parse(text) as Json;
  expect({ status: res.status, body }).toEqual({ status, body: { request_id: expect.stringMatching(/^\d{19}$/), code, message: expect.any(String) } });
  if (typeof message === "string") expect(body.message).toBe(message);
  else if (message) expect(body.message).toMatch(message);
  return body;
};

const one = (s: SmnSetup, endpoint: string, message: string) => ({ endpoint, message, sign_id: s.sign.uid });

describe("SMN.9430: the same content to the same mobile inside the tenant's repeat window", () => {
  it("429 for the single form; per item in sms_message and endpoints; other content or another mobile goes", async () => {
    const s = await smnSetup({ balance: 1000, price: 10, settings: { repeatWindowSeconds: 300 } });
    const token = await login(s);
    const [m, n] = [mobile(), mobile()];
    expect((await sms(s, token, one(s, m, "您的快件已签收"))).status).toBe(200);

    const single = await expectSmn(await sms(s, token, one(s, m, "您的快件已签收")), 429, "SMN.9430", /same content .* retry in \d+ s/);
    expect(single.message).not.toMatch(INTERNALS);
    expect(await money(s.tenant.id)).toEqual({ balance: 990, ledger: 990 });

    const batch = await sms(s, token, { sms_message: [one(s, m, "您的快件已签收"), one(s, n, "您的快件已签收")] });
    expect(batch.status).toBe(200);
    const body = (await batch.json()) as Json;
    expect(body.result).toEqual([
      { endpoint: m, code: "SMN.9430", message: expect.stringMatching(/retry in \d+ s/) },
      { endpoint: n, message_id: expect.stringMatching(/^\d+$/) },
    ]);

    const endpoints = (await (await sms(s, token, { endpoints: [n, mobile()], message: "您的快件已签收", sign_id: s.sign.uid })).json()) as Json;
    expect(endpoints.result.map((r: Json) => r.code ?? "ok")).toEqual(["SMN.9430", "ok"]);
    // Only what was accepted is billed: the first send, n in the batch, the new mobile.
    expect(await money(s.tenant.id)).toEqual({ balance: 970, ledger: 970 });
    expect((await sms(s, token, one(s, m, "您的快件已派送"))).status).toBe(200);
  });

  it("without a repeat window the same content goes twice", async () => {
    const s = await smnSetup();
    const token = await login(s);
    const m = mobile();
    for (let i = 0; i < 2; i++) expect((await sms(s, token, one(s, m, "同样的内容"))).status).toBe(200);
  });
});

describe("a token revoked by a password rotation in the operator API", () => {
  it("the old X-Auth-Token is 401 APIGW.0301 at once; the old password no longer logs in; the new one does", async () => {
    const s = await smnSetup();
    const token = await login(s);
    expect((await sms(s, token, one(s, mobile(), "轮换前"))).status).toBe(200);

    const rotated = await admin("POST", `/tenants/${s.tenant.id}/apps/${s.appId}/rotate`);
    expect(rotated.status).toBe(200);
    const { user_name, password, project_id } = rotated.body.credentials;
    expect({ user_name, project_id }).toEqual({ user_name: s.user, project_id: s.projectId });
    expect(password).not.toBe(s.password);

    const before = await written(s.tenant.id);
    await expectSmn(
      await sms(s, token, one(s, mobile(), "轮换后")),
      401,
      "APIGW.0301",
      "Incorrect IAM authentication information: token revoked (the secret was reset): request a new one",
    );
    const batch = await sms(s, token, { sms_message: [one(s, mobile(), "轮换后")] });
    await expectSmn(batch, 401, "APIGW.0301", /token revoked/);
    expect(await written(s.tenant.id)).toEqual(before);

    const old = await post("/v3/auth/tokens", loginBody(s.user, s.password, { name: "cn-north-4" }));
    expect(old.status).toBe(401);
    expect(old.headers.get("x-subject-token")).toBeNull();
    expect(await old.json()).toEqual({ error: { code: 401, title: "Unauthorized", message: "The username or password is wrong." } });

    const fresh = await login({ ...s, password });
    expect(fresh).not.toBe(token);
    expect((await sms(s, fresh, one(s, mobile(), "新令牌"))).status).toBe(200);
    await expectSmn(await sms(s, token, one(s, mobile(), "旧令牌")), 401, "APIGW.0301");
  });
});

describe("IAM body refusals", () => {
  it("415 for a content type that is not JSON, 413 past the body cap, in Keystone's shape", async () => {
    const s = await smnSetup();
    const xml = await exports.default.fetch("http://gw/v3/auth/tokens", { method: "POST", headers: { "content-type": "application/xml" }, body: "<auth/>" });
    expect({ status: xml.status, body: await xml.json() }).toEqual({
      status: 415,
      body: { error: { code: 415, title: "Unsupported Media Type", message: "Unsupported content type: application/xml" } },
    });
    const body = loginBody(s.user, s.password, { name: "cn-north-4" }) as Json;
    body.auth.pad = "x".repeat(3 * 1024 * 1024);
    const big = await post("/v3/auth/tokens", body);
    expect({ status: big.status, body: await big.json() }).toEqual({
      status: 413,
      body: { error: { code: 413, title: "Request Entity Too Large", message: "The request body is too large." } },
    });
    expect(big.headers.get("x-subject-token")).toBeNull();
  });
});

describe("server faults", () => {
  const serverError = async (res: Response) => {
    const text = await res.text();
    expect(text).not.toMatch(INTERNALS);
    await expectSmn(new Response(text, { status: res.status }), 500, "SMN.9500", "Internal server error.");
  };

  it("a D1 failure inside the accept batch: 500 SMN.9500 for every body form, nothing debited or written, logged", async () => {
    const s = await smnSetup({ balance: 1000, price: 10 });
    const token = await login(s);
    const before = await written(s.tenant.id);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const restore = await failMessageInserts(s.tenant.id);
    try {
      await serverError(await sms(s, token, one(s, mobile(), "单条")));
      await serverError(await sms(s, token, { sms_message: [one(s, mobile(), "甲"), one(s, mobile(), "乙")] }));
      await serverError(await sms(s, token, { endpoints: [mobile(), mobile()], message: "群发", sign_id: s.sign.uid }, "batch_sms"));
    } finally {
      await restore();
    }
    expect(await written(s.tenant.id)).toEqual(before);
    expect(await money(s.tenant.id)).toEqual({ balance: 1000, ledger: 1000 });
    const logged = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"where":"huawei"'));
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/disk is full/);
    // The request itself was fine.
    expect((await sms(s, token, one(s, mobile(), "单条"))).status).toBe(200);
  });

  it("a stored tenant row that cannot be read: SMN.9500 on sends, IAM's 500 in Keystone's shape at login", async () => {
    const s = await smnSetup();
    const token = await login(s);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await corruptTenantSettings(s.tenant.id);
    await serverError(await sms(s, token, one(s, mobile(), "x")));
    const res = await post("/v3/auth/tokens", loginBody(s.user, s.password, { name: "cn-north-4" }));
    const text = await res.text();
    expect(text).not.toMatch(INTERNALS);
    expect({ status: res.status, body: JSON.parse(text) }).toEqual({
      status: 500,
      body: { error: { code: 500, title: "Internal Server Error", message: "An unexpected error prevented the server from fulfilling your request." } },
    });
    expect(res.headers.get("x-subject-token")).toBeNull();
    expect(await money(s.tenant.id)).toEqual({ balance: 10_000, ledger: 10_000 });
  });
});

describe("the code table", () => {
  it("every code in src/dialects/huawei/errors.ts is asserted by some Huawei test, except those no route can raise", () => {
    const sources = import.meta.glob(["./*.test.ts", "!./codes.test.ts"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;
    expect(Object.keys(sources).length).toBeGreaterThanOrEqual(3);
    const text = [...Object.values(sources), self].join("\n");
    const unreachable = [
      SMN_ERRORS.template_not_found.code, // SMN.0031: these routes take no template
      SMN_ERRORS.opted_out.code, // SMN.9907: every SMN send is a notification; opt-outs stop marketing only
      SMN_ERRORS.not_found.code, // SMN.9404: nothing is looked up by id
    ];
    expect(unreachable).toEqual(["SMN.0031", "SMN.9907", "SMN.9404"]);
    const codes = [...new Set([...Object.values(SMN_ERRORS), ...Object.values(SMN_OWN)].map((e) => e.code))];
    expect(codes.filter((c) => !unreachable.includes(c) && !text.includes(`"${c}"`))).toEqual([]);
  });
});
