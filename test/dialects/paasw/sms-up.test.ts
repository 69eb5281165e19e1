// GET/POST /sms/smsUp: replies stored by the delivery engine's applyReplies, each handed out once,
// oldest first, filtered by sign (optional), never to another tenant, never when it was pushed.
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeSignature, mobile } from "../../helpers/fixtures";
import { customerHook, pull, reply, sendText, setup, waitRows } from "./helpers";

afterEach(() => vi.restoreAllMocks());

describe("GET /sms/smsUp", () => {
  it("returns each reply once, oldest first, in the documented pull shape", async () => {
    const s = await setup();
    const [a, b] = [mobile(), mobile()];
    await sendText(s, [a, b]);
    await reply(s, a, "收到，谢谢");
    await reply(s, `+86${b}`, "几点送到？");
    const items = await pull("/sms/smsUp", s.token, s.sign.name);
    expect(items).toEqual([
      { phoneNumber: a, sendTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/), content: "收到，谢谢", sequenceId: expect.any(Number) },
      { phoneNumber: b, sendTime: expect.any(String), content: "几点送到？", sequenceId: expect.any(Number) },
    ]);
    expect(items[0]!.sequenceId).toBeLessThan(items[1]!.sequenceId);
    expect(await pull("/sms/smsUp", s.token, s.sign.name)).toEqual([]);
  });

  it("sign filters (and may be left out, as the vendor's demo does); another tenant sees nothing", async () => {
    const s = await setup();
    const t = await setup();
    const other = await makeSignature(s.tenant, `回复${crypto.randomUUID().slice(0, 8)}`);
    const [a, b] = [mobile(), mobile()];
    await reply(s, a, "一");
    await reply(s, b, "二", other.name);
    expect(await pull("/sms/smsUp", t.token)).toEqual([]);
    expect(await pull("/sms/smsUp", t.token, s.sign.name)).toEqual([]);
    expect((await pull("/sms/smsUp", s.token, other.name)).map((r) => r.content)).toEqual(["二"]);
    expect((await pull("/sms/smsUp", s.token)).map((r) => r.content)).toEqual(["一"]);
    expect(await pull("/sms/smsUp", s.token)).toEqual([]);
  });

  it("replies pushed to the tenant's reply URL are not pulled", async () => {
    const s = await setup();
    const { bodies } = await customerHook(s, "replyUrl", () => '{"code":"10000","msg":"请求成功"}');
    const a = mobile();
    await reply(s, a, "好的");
    await waitRows("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE tenant_id = ?1 AND status = 'delivered'", s.tenant.id, 1);
    expect(JSON.parse(bodies[0]!)).toEqual([{ phoneNumber: a, sendTime: expect.any(String), content: "好的", sign: s.sign.name, sequenceId: expect.any(Number) }]);
    expect(await pull("/sms/smsUp", s.token)).toEqual([]);
  });
});
