// POST /smsapi/v1/sms/personality through the real Worker: a text per mobile, refused items answered
// in place and free, the rest billed once.
import { describe, expect, it } from "vitest";
import { mobile, money } from "../../helpers/fixtures";
import { setup, call, expectEnvelope, messageRows } from "./helpers";

describe("POST /smsapi/v1/sms/personality", () => {
  it("personality: a text per mobile, refused items listed in place and free, the rest billed once", async () => {
    const s = await setup({ balance: 1000, price: 10 });
    const [a, b, c] = [mobile(), mobile(), mobile()];
    const smses = [
      { mobile: a, content: `【${s.sign.name}】给 A` },
      { mobile: "555", content: `【${s.sign.name}】bad` },
      { mobile: b, content: "没有签名" },
      { mobile: a, content: `【${s.sign.name}】A again` },
      { mobile: c, content: `【${s.sign.name}】给 C` },
      { mobile: mobile(), content: `【${s.sign.name}】${"长".repeat(500)}` },
    ];
    const res = await call(s, "POST", "personality", { smses, sendTime: 0, tenantId: s.tenant.id });
    const body = expectEnvelope(res, 200, 0);
    expect(body.data).toMatchObject({ scheduled: false, amount: 20, accepted: 2 });
    expect(body.data.messages).toEqual([
      { mobile: a, id: expect.any(String) },
      { mobile: "555", code: 40002, message: expect.any(String) },
      { mobile: b, code: 40006, message: expect.any(String) },
      { mobile: a, code: 40013, message: expect.stringMatching(/more than once/) },
      { mobile: c, id: expect.any(String) },
      { mobile: expect.any(String), code: 40003, message: expect.stringMatching(/500 characters/) },
    ]);
    expect(await money(s.tenant.id)).toEqual({ balance: 980, ledger: 980 });
    const rows = await messageRows(s.tenant.id);
    expect(rows.map((r) => r.id).sort()).toEqual([body.data.messages[0].id, body.data.messages[4].id].sort());
  });
});
