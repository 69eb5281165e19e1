// GET /admin/v1/carriers/{name}/status for the HTTP providers: one read-only signed call tells the
// operator whether the endpoint answers and takes the credentials, before any traffic is routed.
import { describe, expect, it } from "vitest";
import { randomHex } from "../../src/core/crypto";
import { admin } from "../admin/helpers";
import { fakeRequests, fakeUrl } from "./fakes";

async function statusOf(type: string, settings: Record<string, unknown>) {
  const name = `st-${randomHex(3)}`;
  expect((await admin("POST", "/carriers", { name, type, [type]: settings })).status).toBe(201);
  const res = await admin("GET", `/carriers/${name}/status`);
  expect(res.status).toBe(200);
  return res.body.details as { endpoint: string; probe: { ok: boolean; latency_ms: number; answer: string } };
}

describe("provider settings through the operator API", () => {
  it("refuses bad settings with 400 naming each field, never a 500", async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["aliyun", { accessKeyId: "LTAIx", accessKeySecret: "s", callbackToken: "0123456789abcdef", endpoint: "not a url" }, "aliyun.endpoint"],
      ["aliyun", { accessKeyId: "LTAIx", accessKeySecret: "s", callbackToken: "0123456789abcdef", endpoint: "http://dysmsapi.aliyuncs.com" }, "aliyun.endpoint"],
      ["tencent", { secretId: "AKIDx", secretKey: "k", smsSdkAppId: "app", callbackToken: "0123456789abcdef" }, "tencent.smsSdkAppId"],
      ["twilio", { accountSid: `AC${"0".repeat(32)}`, authToken: "0123456789abcdef", callbackUrl: "https://gw.example/cb" }, "twilio.from"],
      ["twilio", { accountSid: `AC${"0".repeat(32)}`, authToken: "0123456789abcdef", from: "+15005550006", callbackUrl: "https://gw.example/cb", timeoutMs: 60_000 }, "twilio.timeoutMs"],
    ];
    for (const [type, settings, path] of cases) {
      const res = await admin("POST", "/carriers", { name: `bad-${randomHex(3)}`, type, [type]: settings });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
  });
});

describe("provider status probe", () => {
  it("aliyun: QuerySendDetails signed with the stored secret; a wrong secret shows Aliyun's code", async () => {
    const id = `LTAI${randomHex(8)}`;
    const good = await statusOf("aliyun", { accessKeyId: id, accessKeySecret: `secret-${id}`, callbackToken: `tok${randomHex(10)}`, endpoint: fakeUrl("aliyun") });
    expect(good).toEqual({ endpoint: fakeUrl("aliyun"), probe: { ok: true, latency_ms: expect.any(Number), answer: "OK" } });
    expect((await fakeRequests("aliyun", id)).map((r) => r.action)).toEqual(["QuerySendDetails"]);
    const bad = await statusOf("aliyun", { accessKeyId: id, accessKeySecret: "wrong", callbackToken: `tok${randomHex(10)}`, endpoint: fakeUrl("aliyun") });
    expect(bad.probe).toMatchObject({ ok: false, answer: "SignatureDoesNotMatch" });
  });

  it("tencent: a pull signed with TC3; a wrong key shows AuthFailure", async () => {
    const id = `AKID${randomHex(8)}`;
    const base = { secretId: id, smsSdkAppId: "1400000003", callbackToken: `tok${randomHex(10)}`, endpoint: fakeUrl("tencent") };
    expect((await statusOf("tencent", { ...base, secretKey: `secret-${id}` })).probe).toMatchObject({ ok: true, answer: "OK" });
    expect((await statusOf("tencent", { ...base, secretKey: "wrong" })).probe).toMatchObject({ ok: false, answer: "AuthFailure.SignatureFailure" });
  });

  it("twilio: the message list with Basic auth; a wrong token shows 401 20003; an unreachable endpoint is not ok", async () => {
    const sid = `AC${randomHex(16)}`;
    const base = { accountSid: sid, from: "+15005550006", callbackUrl: "https://gw.example/webhooks/carriers/x", endpoint: fakeUrl("twilio") };
    expect((await statusOf("twilio", { ...base, authToken: `token-${sid}` })).probe).toMatchObject({ ok: true, answer: "OK" });
    expect((await statusOf("twilio", { ...base, authToken: "wrong-token-000000" })).probe).toMatchObject({ ok: false, answer: "HTTP 401 20003" });
    expect((await statusOf("twilio", { ...base, authToken: `token-${sid}`, endpoint: "http://127.0.0.1:1", timeoutMs: 300 })).probe.ok).toBe(false);
  });
});
