// Tencent Cloud SMS pushes (status reports, replies) through the carrier type's callback.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tencentKind } from "../../../src/carriers/tencent/kind";
import { TencentSettings } from "../../../src/carriers/tencent/settings";
import { config } from "../fakes";

const settings = TencentSettings.parse({ secretId: "AKIDcb", secretKey: "k", smsSdkAppId: "1400000001", callbackToken: "cb-token-0123456789" });
const cfg = config("tencent", settings, "tc1");

const push = (body: unknown, token: string | null = settings.callbackToken) =>
  tencentKind.callback!(
    new Request(`https://gw.example/webhooks/carriers/tc1${token === null ? "" : `?token=${token}`}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    env,
    cfg,
  );

const report = (over: Record<string, unknown> = {}) => ({
  user_receive_time: "2026-12-01 10:00:05",
  nationcode: "86",
  mobile: "13800138000",
  report_status: "SUCCESS",
  errmsg: "DELIVRD",
  description: "用户短信送达成功",
  sid: "2433:abcdef0123456789",
  ...over,
});

describe("tencent callback", () => {
  it("refuses a push without the right token", async () => {
    for (const token of [null, "nope-nope-nope-nope"]) {
      const r = await push([report()], token);
      expect(r instanceof Response && r.status).toBe(401);
    }
  });

  it("turns status reports into reports by SerialNo (sid), with the delivery code", async () => {
    const r = await push([report(), report({ sid: "2433:2", report_status: "FAIL", errmsg: "REJECTD" }), report({ sid: "2433:3", report_status: "FAIL", errmsg: "MK:0012", ext: { msg: "1234567890123456789" } })]);
    if (r instanceof Response) throw new Error(await r.text());
    expect(r.events.reports).toEqual([
      { ref: "2433:abcdef0123456789", code: "10000", reported_at: Date.parse("2026-12-01T10:00:05+08:00") },
      { ref: "2433:2", code: "6", reported_at: Date.parse("2026-12-01T10:00:05+08:00") },
      { ref: "2433:3", message_id: "1234567890123456789", code: "4", reported_at: Date.parse("2026-12-01T10:00:05+08:00") },
    ]);
    expect(await r.ack.json()).toEqual({ result: 0, errmsg: "OK" });
  });

  it("turns a reply push into a reply; the same push again has the same ref", async () => {
    const reply = { extend: "12", mobile: "13800138000", nationcode: "86", sign: "边缘短信", text: "TD", time: 1764554400 };
    const a = await push(reply);
    const b = await push([reply]);
    if (a instanceof Response || b instanceof Response) throw new Error("refused");
    expect(a.events.replies).toEqual([{ ref: expect.stringMatching(/^up:[0-9a-f]{40}$/), mobile: "+8613800138000", content: "TD", extension: "12", received_at: 1764554400000 }]);
    expect(b.events).toEqual(a.events);
    const other = await push({ ...reply, time: reply.time + 1 });
    if (other instanceof Response) throw new Error("refused");
    expect(other.events.replies[0]!.ref).not.toBe(a.events.replies[0]!.ref);
  });

  it("answers 400 to what is not Tencent's format", async () => {
    for (const body of ["{", 5, [{ report_status: "SUCCESS" }], { mobile: "x", text: "hi" }]) {
      const r = await push(body);
      expect(r instanceof Response && r.status).toBe(400);
    }
  });
});
