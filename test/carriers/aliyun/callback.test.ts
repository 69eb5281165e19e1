// Aliyun's HTTP batch pushes (SmsReport, SmsUp) through the carrier type's callback: the token in
// the push URL, the mapping onto edgesms delivery codes and replies, Aliyun's acknowledgement.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { aliyunKind } from "../../../src/carriers/aliyun/kind";
import { AliyunSettings } from "../../../src/carriers/aliyun/settings";
import { config } from "../fakes";

const settings = AliyunSettings.parse({ accessKeyId: "LTAIcb", accessKeySecret: "s", callbackToken: "cb-token-0123456789" });
const cfg = config("aliyun", settings, "ali1");

const push = (body: unknown, token: string | null = settings.callbackToken) =>
  aliyunKind.callback!(
    new Request(`https://gw.example/webhooks/carriers/ali1${token === null ? "" : `?token=${token}`}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    env,
    cfg,
  );

const report = (over: Record<string, unknown> = {}) => ({
  phone_number: "13800138000",
  send_time: "2026-12-01 10:00:00",
  report_time: "2026-12-01 10:00:05",
  success: true,
  err_code: "DELIVERED",
  err_msg: "用户接收成功",
  sms_size: "1",
  biz_id: "932702304080415357^0",
  out_id: "1234567890123456789",
  ...over,
});

describe("aliyun callback", () => {
  it("refuses a push without the token or with a wrong one (Aliyun does not sign its pushes)", async () => {
    for (const token of [null, "cb-token-0123456780", ""]) {
      const r = await push([report()], token);
      expect(r).toBeInstanceOf(Response);
      expect((r as Response).status).toBe(401);
    }
  });

  it("turns SmsReport into reports: ref BizId:number, the OutId's message id, code and China-time report time", async () => {
    const r = await push([
      report(),
      report({ phone_number: "13800138001", success: false, err_code: "MBBLACK", out_id: "100-200" }),
      report({ phone_number: "13800138002", success: false, err_code: "IC:0015", out_id: "" }),
    ]);
    if (r instanceof Response) throw new Error(await r.text());
    expect(r.events.replies).toEqual([]);
    expect(r.events.reports).toEqual([
      { ref: "932702304080415357^0:13800138000", message_id: "1234567890123456789", code: "10000", reported_at: Date.parse("2026-12-01T10:00:05+08:00") },
      { ref: "932702304080415357^0:13800138001", code: "7", reported_at: Date.parse("2026-12-01T10:00:05+08:00") },
      { ref: "932702304080415357^0:13800138002", code: "4", reported_at: Date.parse("2026-12-01T10:00:05+08:00") },
    ]);
    expect(r.ack.status).toBe(200);
    expect(await r.ack.json()).toEqual({ code: 0, msg: "成功" });
  });

  it("turns SmsUp into replies routed by our extension (dest_code), else the sign name, else bare; one ref per sequence_id", async () => {
    const up = { phone_number: "13800138000", send_time: "2026-12-01 10:01:00", content: "TD", sign_name: "边缘短信", dest_code: "12", sequence_id: 1234567890 };
    const r = await push([up, { ...up, dest_code: "", sequence_id: 2 }, { ...up, sign_name: "", dest_code: "", sequence_id: 3 }]);
    if (r instanceof Response) throw new Error(await r.text());
    expect(r.events.reports).toEqual([]);
    const at = Date.parse("2026-12-01T10:01:00+08:00");
    expect(r.events.replies).toEqual([
      { ref: "up:1234567890", mobile: "+8613800138000", content: "TD", extension: "12", received_at: at },
      { ref: "up:2", mobile: "+8613800138000", content: "TD", signature: "边缘短信", received_at: at },
      { ref: "up:3", mobile: "+8613800138000", content: "TD", received_at: at },
    ]);
  });

  it("the same push twice gives the same events (applying them is idempotent by ref)", async () => {
    const a = await push([report()]);
    const b = await push([report()]);
    if (a instanceof Response || b instanceof Response) throw new Error("refused");
    expect(b.events).toEqual(a.events);
  });

  it("answers 400 to what is not Aliyun's array of SmsReport/SmsUp", async () => {
    for (const body of ["not json", { biz_id: "x" }, [{ biz_id: "1", phone_number: "1" }], [{ phone_number: "138" }]]) {
      const r = await push(body);
      expect(r instanceof Response && r.status).toBe(400);
    }
  });
});
