// GET/POST /sms/query through the real pipeline (sends dispatched to the simulator and reported
// back): a bizId's messages, optionally one number, as often as asked, with the send's outId;
// another tenant's bizId gives an empty list. (Moved from test/dialects/status-queries.test.ts.)
import { describe, expect, it } from "vitest";
import { mobile } from "../../helpers/fixtures";
import { call, type Json, setup, waitReports } from "./helpers";

describe("paasw /sms/query", () => {
  it("answers a bizId's messages (optionally one number) as often as asked, with outId; other tenants get nothing", async () => {
    const s = await setup();
    const stranger = await setup();
    const a = mobile();
    const sent = await call(s, "POST", "/sms/send", { phoneNumbers: `${a},13900000005`, sign: s.sign.name, content: "您的快件已签收", kind: "2", outId: "order-42" });
    expect(sent).toMatchObject({ status: 200, body: { code: "10000" } });
    const bizId = sent.body.bizId as string;
    await waitReports(s.tenant.id, 2);
    for (let i = 0; i < 2; i++) {
      const res = await call(s, "GET", "/sms/query", { bizId });
      expect(res).toMatchObject({ status: 200, body: { code: "10000", bizId } });
      const byPhone = Object.fromEntries((res.body.data as Json[]).map((x) => [x.phoneNumber, x]));
      expect(byPhone[a]).toEqual({
        bizId,
        phoneNumber: a,
        status: "delivered",
        success: true,
        code: "10000",
        message: expect.any(String),
        sendTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        reportTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        smsSize: "1",
        outId: "order-42",
      });
      expect(byPhone["13900000005"]).toMatchObject({ status: "undelivered", success: false, code: "5", outId: "order-42" });
    }
    const one = await call(s, "POST", "/sms/query", { bizId, mobile: `+86${a}` }, { form: "form" });
    expect(one).toMatchObject({ status: 200, body: { code: "10000" } });
    expect((one.body.data as Json[]).map((x) => x.phoneNumber)).toEqual([a]);
    const foreign = await call(stranger, "POST", "/sms/query", { bizId }, { form: "json" });
    expect(foreign).toMatchObject({ status: 200, body: { code: "10000", data: [] } });
    expect(foreign.body.data).toEqual([]);
    // The report pull carries the outId too.
    const pulled = await call(s, "GET", "/sms/deliver");
    expect((pulled.body as Json[]).map((r) => r.outId)).toEqual(["order-42", "order-42"]);
    const missing = await call(s, "GET", "/sms/query");
    expect(missing.body.code).toBe("10001");
  });

  it("an invalid phoneNumber is refused as /sms/send refuses it (30001); a bizId that is not one, 10002", async () => {
    const s = await setup();
    const bad = await call(s, "GET", "/sms/query", { bizId: "123", phoneNumber: "12345" });
    expect(bad).toMatchObject({ status: 200, body: { code: "30001", message: expect.stringContaining("12345") } });
    const notBiz = await call(s, "GET", "/sms/query", { bizId: "abc" });
    expect(notBiz).toMatchObject({ status: 200, body: { code: "10002", message: expect.stringContaining("bizId") } });
    const noToken = await call(s, "GET", "/sms/query", { bizId: "123" }, { token: false });
    expect(noToken).toMatchObject({ status: 200, body: { code: "20001" } });
  });
});
