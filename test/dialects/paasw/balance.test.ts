// GET /sms/balance through the real Worker: yuan with two decimals as the document spells them
// (100.00 in the JSON text), after sends and after a refund.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cancelBatch } from "../../../src/core/cancel";
import { acceptSend } from "../../../src/core/send";
import { getAppByKey } from "../../helpers/domain";
import { getTenant } from "../../helpers/domain";
import { yuan } from "../../../src/dialects/paasw/balance";
import { mobile, money } from "../../helpers/fixtures";
import { call, expectOk, FORMS, setup } from "./helpers";
import { tenantDb } from "../../../src/store/db";

describe("GET /sms/balance", () => {
  it("answers the documented text, 100.00 with its trailing zeros", async () => {
    const s = await setup({ balance: 100_000 });
    const res = await call(s, "GET", "/sms/balance", {}, { text: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body).toBe('{"code":"10000","message":"请求成功","balance":100.00}');
  });

  for (const form of FORMS) {
    it(`reads the token from the ${form}`, async () => {
      const s = await setup({ balance: 12_345 });
      expect(await call(s, "POST", "/sms/balance", {}, { form })).toEqual({
        status: 200,
        headers: expect.any(Headers),
        body: { code: "10000", message: "请求成功", balance: 12.34 },
      });
      expect(await call(s, "POST", "/sms/balance", {}, { form, token: false })).toEqual({
        status: 200,
        headers: expect.any(Headers),
        body: { code: "20001", message: expect.stringContaining("token is required") },
      });
    });
  }

  it("goes down by the price of each segment sent, and back up after a refund", async () => {
    const s = await setup({ balance: 100_000, price: 45 });
    expectOk(await call(s, "POST", "/sms/send", { phoneNumbers: [mobile(), mobile()].join(","), sign: s.sign.name, content: "通知", kind: "2" }));
    const after = await call(s, "GET", "/sms/balance", {}, { text: true });
    expect(after.body).toBe('{"code":"10000","message":"请求成功","balance":99.91}');

    // A scheduled batch (through the core: paasw has no send time) canceled: refunded in full.
    const tenant = (await getTenant(tenantDb(env, s.tenant.id)))!;
    const app = (await getAppByKey(env.DB, "paasw", s.appKey))!;
    const accepted = await acceptSend(env, [{ mobile: mobile(), text: `【${s.sign.name}】later`, signature: s.sign.name }], {
      tenant,
      app,
      kind: "notification",
      mode: "all",
      sendAt: Date.now() + 3600_000,
    });
    expect(expectOk(await call(s, "POST", "/sms/balance")).balance).toBe(99.86); // 99 865 units: rounded down
    await cancelBatch(env, s.tenant.id, accepted.batchId!);
    expect((await call(s, "GET", "/sms/balance", {}, { text: true })).body).toBe('{"code":"10000","message":"请求成功","balance":99.91}');
    expect(await money(s.tenant.id)).toEqual({ balance: 99_910, ledger: 99_910 });
  });

  it("yuan(): minor units (0.001 CNY) rounded down to the fen", () => {
    expect([0, 9, 10, 999, 1000, 12_345, 100_000, 123_456_789].map(yuan)).toEqual(["0.00", "0.00", "0.01", "0.99", "1.00", "12.34", "100.00", "123456.78"]);
  });
});
