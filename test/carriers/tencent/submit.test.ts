// The Tencent Cloud SMS adapter against the loopback fake: SendSms grouping (≤200 numbers, one
// parameter set, mainland and international apart), per-number codes, timeouts as "unknown", and
// PullSmsSendStatusByPhoneNumber (which lists receipts only, so it never says "not found").
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tencentKind } from "../../../src/carriers/tencent/kind";
import { TencentSettings } from "../../../src/carriers/tencent/settings";
import { paramSet } from "../../../src/carriers/tencent/client";
import { randomDigits, randomHex } from "../../../src/core/crypto";
import { batch, byId, config, fakeRequests, fakeUrl, message, mobile } from "../fakes";

function account(over: Record<string, unknown> = {}) {
  const secretId = `AKID${randomHex(10)}`;
  const settings = TencentSettings.parse({ secretId, secretKey: `secret-${secretId}`, smsSdkAppId: "1400000001", callbackToken: `tok${randomHex(10)}`, endpoint: fakeUrl("tencent"), ...over });
  const carrier = tencentKind.create(env, config("tencent", settings));
  return { secretId, carrier, sent: () => fakeRequests("tencent", secretId) };
}

const tpl = { code: "1234567", signName: "边缘短信", params: ["code", "minutes"] };

describe("tencent submit", () => {
  it("sends with SendSms: E.164 numbers, TemplateId, SignName, positional TemplateParamSet, SessionContext = the id, ExtendCode; ref = SerialNo", async () => {
    const t = account();
    const m = message({ providerTemplate: tpl, params: { minutes: "5", code: "123456" }, extension: "12" });
    const [r] = await t.carrier.submit([m]);
    expect(r).toEqual({ id: m.id, outcome: "sent", refs: [expect.stringMatching(/^2433:[0-9a-f]{16}$/)] });
    const [req] = await t.sent();
    expect(req!.action).toBe("SendSms");
    expect(req!.headers["x-tc-region"]).toBe("ap-guangzhou");
    expect(req!.params).toEqual({ PhoneNumberSet: [m.mobile], SmsSdkAppId: "1400000001", TemplateId: "1234567", SignName: "边缘短信", TemplateParamSet: ["123456", "5"], SessionContext: m.id, ExtendCode: "12" });
  });

  it("without an order in the mapping, numeric parameter names go in numeric order", () => {
    expect(paramSet(message({ providerTemplate: { code: "1", signName: "s" }, params: { "10": "c", "2": "b", "1": "a" } }))).toEqual(["a", "b", "c"]);
  });

  it("groups identical messages up to 200 numbers a call, keeps mainland and international apart", async () => {
    const t = account({ concurrency: 8 });
    const cn = batch(201, () => ({ providerTemplate: tpl }));
    const intl = batch(2, (i) => ({ providerTemplate: tpl, mobile: `+8529${randomDigits(3)}${2000 + i}` }));
    const results = await t.carrier.submit([...cn, ...intl]);
    expect(results.filter((r) => r.outcome === "sent")).toHaveLength(203);
    const sizes = (await t.sent()).map((r) => (r.params.PhoneNumberSet as string[]).length).sort((a, b) => b - a);
    expect(sizes).toEqual([200, 2, 1]);
    expect((await t.sent()).find((r) => r.params.PhoneNumberSet.length === 200)!.params.SessionContext).toBe(`${cn[0]!.id}-${cn[199]!.id}`);
  });

  it("maps per-number codes within one call: only the bad number fails", async () => {
    const t = account();
    const ms = batch(3, (i) => ({ providerTemplate: tpl, ...(i === 0 ? { mobile: mobile("invalid") } : i === 1 ? { mobile: mobile("frequency") } : {}) }));
    const r = byId(await t.carrier.submit(ms));
    expect(r.get(ms[0]!.id)).toMatchObject({ outcome: "permanent", code: "1", reason: expect.stringContaining("IncorrectPhoneNumber") });
    expect(r.get(ms[1]!.id)).toMatchObject({ outcome: "permanent", code: "8", reason: expect.stringContaining("PhoneNumberThirtySecondLimit") });
    expect(r.get(ms[2]!.id)!.outcome).toBe("sent");
    expect(await t.sent()).toHaveLength(1);
  });

  it("a call refused as a whole for one number is sent again number by number, so only that one fails", async () => {
    const t = account();
    const ms = batch(3, (i) => ({ providerTemplate: tpl, ...(i === 1 ? { mobile: mobile("refuseCall") } : {}) }));
    const r = byId(await t.carrier.submit(ms));
    expect(r.get(ms[0]!.id)!.outcome).toBe("sent");
    expect(r.get(ms[1]!.id)).toMatchObject({ outcome: "permanent", code: "1", reason: expect.stringContaining("IncorrectPhoneNumber") });
    expect(r.get(ms[2]!.id)!.outcome).toBe("sent");
    expect((await t.sent()).map((q) => q.params.PhoneNumberSet.length)).toEqual([3, 1, 1, 1]);
  });

  it("maps whole-call errors: package balance and rate limit transient, internal timeout and a proxy's 502 unknown", async () => {
    const t = account();
    const ms = {
      account: message({ providerTemplate: tpl, mobile: mobile("account") }),
      rate: message({ providerTemplate: tpl, mobile: mobile("rate") }),
      server: message({ providerTemplate: tpl, mobile: mobile("server") }),
      proxy: message({ providerTemplate: tpl, mobile: mobile("proxy") }),
    };
    const r = byId(await t.carrier.submit(Object.values(ms)));
    expect(r.get(ms.account.id)).toMatchObject({ outcome: "transient", reason: expect.stringContaining("InsufficientBalanceInSmsPackage") });
    expect(r.get(ms.rate.id)).toMatchObject({ outcome: "transient", reason: expect.stringContaining("RequestLimitExceeded") });
    expect(r.get(ms.server.id)).toMatchObject({ outcome: "unknown", reason: expect.stringContaining("InternalError.Timeout") });
    expect(r.get(ms.proxy.id)).toMatchObject({ outcome: "unknown" });
  });

  it("a wrong key is refused by the fake's signature check and is transient", async () => {
    const secretId = `AKID${randomHex(10)}`;
    const c = tencentKind.create(env, config("tencent", TencentSettings.parse({ secretId, secretKey: "wrong", smsSdkAppId: "1400000001", callbackToken: "0123456789abcdef", endpoint: fakeUrl("tencent") })));
    const m = message({ providerTemplate: tpl });
    expect(await c.submit([m])).toEqual([{ id: m.id, outcome: "transient", reason: expect.stringContaining("AuthFailure.SignatureFailure") }]);
  });

  it("refuses before any call: no mapping, voice, a parameter over maxParamLength", async () => {
    const t = account({ maxParamLength: 6 });
    const noMap = message({ providerTemplate: null });
    const long = message({ providerTemplate: tpl, params: { code: "1234567", minutes: "5" } });
    const r = byId(await t.carrier.submit([noMap, long, message({ providerTemplate: tpl, channel: "voice" })]));
    expect(r.get(noMap.id)!.outcome).toBe("transient");
    expect(r.get(long.id)).toMatchObject({ outcome: "permanent", code: "1" });
    expect(await t.sent()).toHaveLength(0);
  });
});

describe("tencent unknown outcome → PullSmsSendStatusByPhoneNumber", () => {
  it("finds a timed-out message Tencent did send by its SessionContext (final with its SerialNo)", async () => {
    const t = account({ timeoutMs: 300 });
    const m = message({ providerTemplate: tpl, mobile: mobile("hangSent") });
    const submittedAt = Date.now();
    expect((await t.carrier.submit([m]))[0]).toMatchObject({ outcome: "unknown", reason: expect.stringContaining("no answer within 300 ms") });
    expect(await t.carrier.query!([{ id: m.id, mobile: m.mobile, refs: [], submittedAt }])).toEqual([
      { id: m.id, state: "final", code: "10000", refs: [expect.stringMatching(/^2433:/)] },
    ]);
    const pull = (await t.sent()).find((r) => r.action === "PullSmsSendStatusByPhoneNumber")!;
    expect(pull.params).toMatchObject({ PhoneNumber: m.mobile, SmsSdkAppId: "1400000001", Offset: 0, Limit: 100 });
  });

  it("never answers not_found (the pull lists receipts, not submits): a lost message stays pending, so it is never resubmitted", async () => {
    const t = account({ timeoutMs: 300 });
    const m = message({ providerTemplate: tpl, mobile: mobile("hangLost") });
    expect((await t.carrier.submit([m]))[0]!.outcome).toBe("unknown");
    expect(await t.carrier.query!([{ id: m.id, mobile: m.mobile, refs: [], submittedAt: Date.now() - 3600_000 }])).toEqual([{ id: m.id, state: "pending" }]);
  });

  it("reports an undelivered one by its SerialNo", async () => {
    const t = account();
    const m = message({ providerTemplate: tpl, mobile: mobile("undelivered") });
    const [r] = await t.carrier.submit([m]);
    const refs = r!.outcome === "sent" ? r!.refs : [];
    expect(await t.carrier.query!([{ id: m.id, mobile: m.mobile, refs, submittedAt: Date.now() }])).toEqual([{ id: m.id, state: "final", code: "4", refs }]);
  });
});
