// paasw's push bodies and acknowledgement rule, through the registry the delivery engine uses.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { formatFor } from "../../../src/core/webhooks";
import { formatLocalDateTime } from "../../../src/core/time";
import type { ReplyItem, ReportItem } from "../../../src/core/push";
import { getAppByKey } from "../../helpers/domain";
import { makeCredential, makeTenant } from "../../helpers/fixtures";

const format = formatFor("paasw");
// 2017-01-01 00:00:00 in Shanghai (UTC+8).
const T0 = Date.UTC(2016, 11, 31, 16, 0, 0);

async function ctx(timezone = "Asia/Shanghai") {
  const tenant = await makeTenant({ timezone });
  const cred = await makeCredential(tenant, "paasw");
  return { env, tenant, app: (await getAppByKey(env.DB, "paasw", cred.app.key))! };
}

const report = (over: Partial<ReportItem> = {}): ReportItem => ({
  reportId: 1,
  messageId: "1000000000000000001",
  batchId: "1000000000000000000",
  mobile: "+8613900000001",
  signature: "圆通快递",
  code: "10000",
  message: "delivered",
  segments: 1,
  sentAt: T0,
  reportedAt: T0 + 5000,
  ...over,
});

describe("paasw push format", () => {
  it("reports: the document's array, several per push, times in the tenant's timezone", async () => {
    const req = await format.build("reports", [report(), report({ reportId: 2, mobile: "+447911123456", code: "8", segments: 2 })], await ctx());
    expect(req.contentType).toBe("application/json;charset=utf-8");
    expect(JSON.parse(req.body)).toEqual([
      { phoneNumber: "13900000001", sendTime: "2017-01-01 00:00:00", reportTime: "2017-01-01 00:00:05", success: true, code: "10000", message: "请求成功", smsSize: "1", bizId: "1000000000000000000" },
      { phoneNumber: "+447911123456", sendTime: "2017-01-01 00:00:00", reportTime: "2017-01-01 00:00:05", success: false, code: "8", message: "超频", smsSize: "2", bizId: "1000000000000000000" },
    ]);
    // Key order as the document shows it.
    expect(Object.keys(JSON.parse(req.body)[0])).toEqual(["phoneNumber", "sendTime", "reportTime", "success", "code", "message", "smsSize", "bizId"]);
  });

  it("replies: the document's push array, with sign and a numeric sequenceId", async () => {
    const reply: ReplyItem = { replyId: 1234567890, mobile: "+8618612345678", content: "内容", signature: "签名", extension: null, receivedAt: T0 };
    const req = await format.build("replies", [reply], await ctx("UTC"));
    expect(req.body).toBe('[{"phoneNumber":"18612345678","sendTime":"2016-12-31 16:00:00","content":"内容","sign":"签名","sequenceId":1234567890}]');
  });

  it("acknowledged: 2xx with code \"10000\" or 10000, nothing else", () => {
    const ack = format.acknowledged!;
    expect(ack(200, '{"code":10000,"msg":"操作成功"}')).toBe(true);
    expect(ack(200, '{"code":"10000","msg":"请求成功"}')).toBe(true);
    expect(ack(204, '{"code":"10000"}')).toBe(true);
    expect(ack(200, '{"code":0}')).toBe(false);
    expect(ack(200, '{"code":"10001"}')).toBe(false);
    expect(ack(200, "OK")).toBe(false);
    expect(ack(200, "")).toBe(false);
    expect(ack(200, "[10000]")).toBe(false);
    expect(ack(200, "null")).toBe(false);
    expect(ack(500, '{"code":"10000"}')).toBe(false);
    expect(ack(302, '{"code":"10000"}')).toBe(false);
  });
});

describe("formatLocalDateTime", () => {
  it("YYYY-MM-DD HH:mm:ss in the given IANA zone; midnight is 00, not 24; unknown zones fall back to Shanghai", () => {
    expect(formatLocalDateTime(T0, "Asia/Shanghai")).toBe("2017-01-01 00:00:00");
    expect(formatLocalDateTime(T0, "UTC")).toBe("2016-12-31 16:00:00");
    expect(formatLocalDateTime(Date.UTC(2024, 6, 1, 3, 4, 5, 999), "America/New_York")).toBe("2024-06-30 23:04:05");
    expect(formatLocalDateTime(T0, "Not/AZone")).toBe("2017-01-01 00:00:00");
  });
});
