/// <reference types="vite/client" />
// The Huawei router's own answers (src/dialects/huawei/errors.ts, router.ts): unknown paths and
// wrong methods in each realm's shape, real server faults (SMN.9500 and IAM's 500) answered without
// internals and with nothing half-written, the documentation of every route, and a check that every
// SMN/APIGW code of the table is named by some Huawei test.
import { describe, expect, it, vi, afterEach } from "vitest";
import { SMN_ERRORS, SMN_OWN } from "../../../src/dialects/huawei/errors";
import { mobile, money } from "../../helpers/fixtures";
import { corruptTenantSettings, failMessageInserts, INTERNALS, written } from "../../helpers/faults";
import self from "./errors.test.ts?raw";
import { type Answer, BATCH_SMS, call, expectSmn, type Json, loginBody, setup, type SmnSetup, SMS } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const one = (s: SmnSetup, endpoint: string, message: string) => ({ endpoint, message, sign_id: s.sign.uid });

describe("the router's own answers", () => {
  it("unknown paths are 404 APIGW.0101, other methods 405 with Allow", async () => {
    const s = await setup({ login: true });
    expectSmn(await call(s, "POST", "/v2/{project_id}/notifications/nope", {}), 404, "APIGW.0101");
    const res = await call(s, "GET", BATCH_SMS);
    expect(res.headers.get("allow")).toBe("POST");
    expectSmn(res, 405, "SMN.9405");
  });
});

describe("server faults", () => {
  // Read as text: no internals anywhere in what is sent, not only in the fields a parse keeps.
  const serverError = (res: Answer) => {
    expect(res.body).not.toMatch(INTERNALS);
    expectSmn({ ...res, body: JSON.parse(res.body as string) as Json }, 500, "SMN.9500", "Internal server error.");
  };

  it("a D1 failure inside the accept batch: 500 SMN.9500 for every body form, nothing debited or written, logged", async () => {
    const s = await setup({ balance: 1000, price: 10, login: true });
    const before = await written(s.tenant.id);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const restore = await failMessageInserts(s.tenant.id);
    try {
      serverError(await call(s, "POST", SMS, one(s, mobile(), "单条"), { goSdk: true, text: true }));
      serverError(await call(s, "POST", SMS, { sms_message: [one(s, mobile(), "甲"), one(s, mobile(), "乙")] }, { goSdk: true, text: true }));
      serverError(await call(s, "POST", BATCH_SMS, { endpoints: [mobile(), mobile()], message: "群发", sign_id: s.sign.uid }, { goSdk: true, text: true }));
    } finally {
      await restore();
    }
    expect(await written(s.tenant.id)).toEqual(before);
    expect(await money(s.tenant.id)).toEqual({ balance: 1000, ledger: 1000 });
    const logged = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"where":"huawei"'));
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/disk is full/);
    // The request itself was fine.
    expect((await call(s, "POST", SMS, one(s, mobile(), "单条"), { goSdk: true })).status).toBe(200);
  });

  it("a stored tenant row that cannot be read: SMN.9500 on sends, IAM's 500 in Keystone's shape at login", async () => {
    const s = await setup({ login: true });
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await corruptTenantSettings(s.tenant.id);
    serverError(await call(s, "POST", SMS, one(s, mobile(), "x"), { goSdk: true, text: true }));
    const res = await call(null, "POST", "/v3/auth/tokens", loginBody(s.user, s.password, { name: "cn-north-4" }), { text: true });
    expect(res.body).not.toMatch(INTERNALS);
    expect({ status: res.status, body: JSON.parse(res.body as string) }).toEqual({
      status: 500,
      body: { error: { code: 500, title: "Internal Server Error", message: "An unexpected error prevented the server from fulfilling your request." } },
    });
    expect(res.headers.get("x-subject-token")).toBeNull();
    expect(await money(s.tenant.id)).toEqual({ balance: 10_000, ledger: 10_000 });
  });
});

describe("documentation", () => {
  it("/openapi.json lists the IAM and both SMS routes with their request schemas", async () => {
    const doc = (await call(null, "GET", "/openapi.json")).body as Json;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v3/auth/tokens", SMS, BATCH_SMS]));
    const sms = doc.paths[SMS].post;
    expect(sms.security).toEqual([{ huaweiToken: [] }]);
    expect(JSON.stringify(sms.requestBody)).toContain("sms_message");
    expect(doc.paths["/v3/auth/tokens"].post.responses["201"]).toBeDefined();
  });
});

describe("the code table", () => {
  it("every code in src/dialects/huawei/errors.ts is asserted by some Huawei test, except those no route can raise", () => {
    const sources = import.meta.glob(["./*.test.ts", "!./errors.test.ts"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;
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
