// The Aliyun adapter against the loopback fake of dysmsapi: SendSms / SendBatchSms grouping and
// limits, the code table, timeouts as "unknown", and QuerySendDetails before any resubmit.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { aliyunKind } from "../../../src/carriers/aliyun/kind";
import { AliyunSettings } from "../../../src/carriers/aliyun/settings";
import { randomHex } from "../../../src/core/crypto";
import type { OutboundMessage } from "../../../src/carriers/types";
import { batch, byId, config, fakeRequests, fakeUrl, message, mobile } from "../fakes";

function account(over: Record<string, unknown> = {}) {
  const accessKeyId = `LTAI${randomHex(8)}`;
  const settings = AliyunSettings.parse({ accessKeyId, accessKeySecret: `secret-${accessKeyId}`, callbackToken: `tok${randomHex(10)}`, endpoint: fakeUrl("aliyun"), ...over });
  const carrier = aliyunKind.create(env, config("aliyun", settings));
  return { accessKeyId, settings, carrier, sent: () => fakeRequests("aliyun", accessKeyId) };
}

const national = (m: OutboundMessage) => m.mobile.slice(3);

describe("aliyun submit", () => {
  it("sends one message with SendSms: template, sign, params, OutId = the message id; ref = BizId:number", async () => {
    const a = account();
    const m = message({ extension: "12" });
    const [r] = await a.carrier.submit([m]);
    expect(r).toMatchObject({ id: m.id, outcome: "sent" });
    const reqs = await a.sent();
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.action).toBe("SendSms");
    expect(reqs[0]!.params).toMatchObject({ PhoneNumbers: national(m), SignName: "边缘短信", TemplateCode: "SMS_100001", TemplateParam: '{"code":"123456"}', OutId: m.id, SmsUpExtendCode: "12" });
    expect(r!.outcome === "sent" && r!.refs).toEqual([expect.stringMatching(new RegExp(`^\\d+[0-9a-f]+\\^0:${national(m)}$`))]);
  });

  it("groups identical notifications into one SendSms (OutId = the id range), different params into SendBatchSms", async () => {
    const a = account();
    const same = batch(3);
    const varied = batch(3, (i) => ({ params: { code: `00000${i}` } }));
    const results = await a.carrier.submit([...same, ...varied]);
    expect(results).not.toHaveLength(0);
    expect(results.filter((r) => !(r.outcome === "sent"))).toEqual([]);
    const reqs = await a.sent();
    const sendSms = reqs.filter((r) => r.action === "SendSms");
    const batchSms = reqs.filter((r) => r.action === "SendBatchSms");
    expect(sendSms).toHaveLength(1);
    expect(sendSms[0]!.params.PhoneNumbers.split(",")).toEqual(same.map(national));
    expect(sendSms[0]!.params.OutId).toBe(`${same[0]!.id}-${same[2]!.id}`);
    expect(batchSms).toHaveLength(1);
    expect(JSON.parse(batchSms[0]!.params.PhoneNumberJson)).toEqual(varied.map(national));
    expect(JSON.parse(batchSms[0]!.params.TemplateParamJson)).toEqual(varied.map((m) => m.params));
    expect(JSON.parse(batchSms[0]!.params.SignNameJson)).toEqual(["边缘短信", "边缘短信", "边缘短信"]);
    // Refs stay unique per message even though BizId is per call.
    const refs = results.flatMap((r) => (r.outcome === "sent" ? r.refs : []));
    expect(new Set(refs).size).toBe(6);
  });

  it("honours the per-call limits: 1000 numbers per SendSms, 100 per SendBatchSms, one number once per call", async () => {
    const a = account({ concurrency: 8 });
    const same = batch(1001);
    const varied = batch(150, (i) => ({ params: { code: String(100000 + i) } }));
    const dup = message();
    const dup2 = message({ mobile: dup.mobile, id: String(BigInt(dup.id) + 1n) });
    const results = await a.carrier.submit([...same, ...varied, dup, dup2]);
    expect(results).toHaveLength(1153);
    expect(results.filter((r) => r.outcome === "sent")).toHaveLength(1153);
    const reqs = await a.sent();
    const sizes = reqs.map((r) => (r.action === "SendSms" ? r.params.PhoneNumbers.split(",").length : JSON.parse(r.params.PhoneNumberJson).length)).sort((x, y) => y - x);
    expect(Math.max(...reqs.filter((r) => r.action === "SendSms").map((r) => r.params.PhoneNumbers.split(",").length))).toBe(1000);
    expect(Math.max(...reqs.filter((r) => r.action === "SendBatchSms").map((r) => JSON.parse(r.params.PhoneNumberJson).length))).toBe(100);
    expect(sizes.reduce((x, y) => x + y, 0)).toBe(1153);
    for (const r of reqs) {
      const phones: string[] = r.action === "SendSms" ? r.params.PhoneNumbers.split(",") : JSON.parse(r.params.PhoneNumberJson);
      expect(new Set(phones).size).toBe(phones.length);
    }
  });

  it("sends verification codes alone, as Aliyun recommends", async () => {
    const a = account();
    const codes = batch(3, () => ({ kind: "verification" }));
    await a.carrier.submit(codes);
    const reqs = await a.sent();
    expect(reqs.map((r) => [r.action, r.params.PhoneNumbers])).toEqual(expect.arrayContaining(codes.map((m) => ["SendSms", national(m)])));
    expect(reqs).toHaveLength(3);
  });

  it("maps Aliyun's codes: invalid number and per-number limit permanent, account and throttling transient, server faults unknown", async () => {
    const a = account();
    const ms = {
      invalid: message({ mobile: mobile("invalid") }),
      frequency: message({ mobile: mobile("frequency") }),
      account: message({ mobile: mobile("account") }),
      rate: message({ mobile: mobile("rate") }),
      server: message({ mobile: mobile("server") }),
      proxy: message({ mobile: mobile("proxy") }),
    };
    const r = byId(await a.carrier.submit(Object.values(ms)));
    expect(r.get(ms.invalid.id)).toMatchObject({ outcome: "permanent", code: "1", reason: expect.stringContaining("isv.MOBILE_NUMBER_ILLEGAL") });
    expect(r.get(ms.frequency.id)).toMatchObject({ outcome: "permanent", code: "8" });
    expect(r.get(ms.account.id)).toMatchObject({ outcome: "transient", reason: expect.stringContaining("isv.AMOUNT_NOT_ENOUGH") });
    expect(r.get(ms.rate.id)).toMatchObject({ outcome: "transient", reason: expect.stringContaining("Throttling.User") });
    expect(r.get(ms.server.id)).toMatchObject({ outcome: "unknown", reason: expect.stringContaining("isp.SYSTEM_ERROR") });
    expect(r.get(ms.proxy.id)).toMatchObject({ outcome: "unknown", reason: expect.stringContaining("HTTP 502") });
  });

  it("a call refused for one bad number is sent again message by message, so only that one fails", async () => {
    const a = account();
    const ms = batch(3, (i) => (i === 1 ? { mobile: mobile("invalid") } : {}));
    const r = byId(await a.carrier.submit(ms));
    expect(r.get(ms[0]!.id)!.outcome).toBe("sent");
    expect(r.get(ms[1]!.id)).toMatchObject({ outcome: "permanent", code: "1" });
    expect(r.get(ms[2]!.id)!.outcome).toBe("sent");
    expect((await a.sent()).map((q) => q.params.PhoneNumbers.split(",").length)).toEqual([3, 1, 1, 1]);
  });

  it("refuses before any call what Aliyun cannot take: no mapping or voice (transient: another carrier may), a long parameter (permanent)", async () => {
    const a = account();
    const noMap = message({ providerTemplate: null });
    const voice = message({ channel: "voice" });
    const long = message({ params: { name: "x".repeat(36) } });
    const r = byId(await a.carrier.submit([noMap, voice, long]));
    expect(r.get(noMap.id)).toMatchObject({ outcome: "transient", reason: expect.stringContaining("no template mapping") });
    expect(r.get(voice.id)).toMatchObject({ outcome: "transient" });
    expect(r.get(long.id)).toMatchObject({ outcome: "permanent", code: "1" });
    expect(await a.sent()).toHaveLength(0);
  });

  it("a settings row that no longer parses sends nothing (transient, fails over)", async () => {
    const c = aliyunKind.create(env, config("aliyun", { accessKeyId: "x" } as never));
    const m = message();
    expect(await c.submit([m])).toEqual([{ id: m.id, outcome: "transient", reason: expect.stringContaining("invalid settings") }]);
  });
});

describe("aliyun unknown outcome → QuerySendDetails before any resubmit", () => {
  it("a timeout is unknown; the query finds the message Aliyun did get (pending: waiting for its receipt)", async () => {
    const a = account({ timeoutMs: 300 });
    const m = message({ mobile: mobile("hangSent") });
    const submittedAt = Date.now();
    expect(await a.carrier.submit([m])).toEqual([{ id: m.id, outcome: "unknown", reason: expect.stringContaining("no answer within 300 ms") }]);
    const [q] = await a.carrier.query!([{ id: m.id, mobile: m.mobile, refs: [], submittedAt }]);
    expect(q).toEqual({ id: m.id, state: "pending" });
    // Asked once the listing is complete, it is still found (waiting for its receipt), never not_found.
    expect(await a.carrier.query!([{ id: m.id, mobile: m.mobile, refs: [], submittedAt: submittedAt - 120_000 }])).toEqual([{ id: m.id, state: "pending" }]);
    const query = (await a.sent()).find((r) => r.action === "QuerySendDetails")!;
    expect(query.params).toMatchObject({ PhoneNumber: national(m), PageSize: "50", CurrentPage: "1" });
    expect(query.params.SendDate).toMatch(/^\d{8}$/);
  });

  it("a message Aliyun never got is not_found only once the listing is old enough to be complete", async () => {
    const a = account({ timeoutMs: 300 });
    const m = message({ mobile: mobile("hangLost") });
    expect((await a.carrier.submit([m]))[0]!.outcome).toBe("unknown");
    const target = { id: m.id, mobile: m.mobile, refs: [] };
    expect(await a.carrier.query!([{ ...target, submittedAt: Date.now() }])).toEqual([{ id: m.id, state: "pending" }]);
    expect(await a.carrier.query!([{ ...target, submittedAt: Date.now() - 120_000 }])).toEqual([{ id: m.id, state: "not_found" }]);
  });

  it("finds a grouped message by the OutId range and reports delivered / undelivered", async () => {
    const a = account();
    const ms = batch(3, (i) => (i === 2 ? { mobile: mobile("undelivered") } : {}));
    await a.carrier.submit(ms);
    const old = Date.now() - 120_000;
    const r = byId(await a.carrier.query!(ms.map((m) => ({ id: m.id, mobile: m.mobile, refs: [], submittedAt: old }))));
    expect(r.get(ms[0]!.id)).toEqual({ id: ms[0]!.id, state: "final", code: "10000" });
    expect(r.get(ms[1]!.id)).toEqual({ id: ms[1]!.id, state: "final", code: "10000" });
    expect(r.get(ms[2]!.id)).toEqual({ id: ms[2]!.id, state: "final", code: "4" });
    // Another id to the same number is not taken for one of them.
    const other = String(BigInt(ms[2]!.id) + 5n);
    expect(await a.carrier.query!([{ id: other, mobile: ms[0]!.mobile, refs: [], submittedAt: old }])).toEqual([{ id: other, state: "not_found" }]);
  });

  it("pages through a busy number's day: a record beyond the first 50 is found, not mistaken for absent", async () => {
    const a = account({ concurrency: 16 });
    const first = message();
    const later = Array.from({ length: 60 }, () => message({ mobile: first.mobile }));
    await a.carrier.submit([first]);
    await a.carrier.submit(later);
    const old = Date.now() - 120_000;
    expect(await a.carrier.query!([{ id: first.id, mobile: first.mobile, refs: [], submittedAt: old }])).toEqual([{ id: first.id, state: "final", code: "10000" }]);
    expect((await a.sent()).filter((r) => r.action === "QuerySendDetails").map((r) => r.params.CurrentPage)).toEqual(["1", "2"]);
  });

  it("an unreachable provider is never reported as not_found", async () => {
    const a = account({ endpoint: "http://127.0.0.1:1", timeoutMs: 300 });
    const m = message();
    expect((await a.carrier.submit([m]))[0]!.outcome).toBe("unknown");
    expect(await a.carrier.query!([{ id: m.id, mobile: m.mobile, refs: [], submittedAt: Date.now() - 120_000 }])).toEqual([{ id: m.id, state: "pending" }]);
  });
});

describe("aliyun settings", () => {
  const base = { accessKeyId: "LTAIabc", accessKeySecret: "s", callbackToken: "0123456789abcdef" };
  it("defaults to the official endpoint and takes https or loopback http only", () => {
    expect(AliyunSettings.parse(base).endpoint).toBe("https://dysmsapi.aliyuncs.com");
    expect(AliyunSettings.safeParse({ ...base, endpoint: "https://dysmsapi.ap-southeast-1.aliyuncs.com" }).error).toBeUndefined();
    expect(AliyunSettings.safeParse({ ...base, endpoint: "http://dysmsapi.aliyuncs.com" }).success).toBe(false);
    expect(AliyunSettings.safeParse({ ...base, endpoint: "http://localhost:9000" }).error).toBeUndefined();
    expect(AliyunSettings.safeParse({ ...base, endpoint: "https://u:p@dysmsapi.aliyuncs.com" }).success).toBe(false);
    expect(AliyunSettings.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(AliyunSettings.safeParse({ ...base, callbackToken: "short" }).success).toBe(false);
  });
});
