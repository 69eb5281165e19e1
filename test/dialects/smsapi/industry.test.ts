// POST /smsapi/v1/sms/industry through the real Worker: the envelope, the signature rule (carried
// 【signature】 or the key's default), the kind, the per-mobile code limit and the signature refusals.
import { describe, expect, it } from "vitest";
import { makeSignature, mobile, money } from "../../helpers/fixtures";
import { setup, call, expectEnvelope, messageRows } from "./helpers";

describe("POST /smsapi/v1/sms/industry", () => {
  it("sends one text carrying an approved 【signature】 and answers the envelope with batch and message ids", async () => {
    const s = await setup({ balance: 100, price: 10 });
    const m = mobile();
    const res = await call(s, "POST", "industry", { mobile: m, content: `【${s.sign.name}】您的验证码是 123456`, tenantId: s.tenant.id });
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body).toMatchInlineSnapshot(
      { data: { batchId: expect.stringMatching(/^\d{19}$/), sendTime: expect.any(Number), messages: [{ mobile: expect.any(String), id: expect.stringMatching(/^\d{19}$/) }] } }, `
      {
        "code": 0,
        "data": {
          "accepted": 1,
          "amount": 10,
          "batchId": StringMatching /\\^\\\\d\\{19\\}\\$/,
          "messages": [
            {
              "id": StringMatching /\\^\\\\d\\{19\\}\\$/,
              "mobile": Any<String>,
            },
          ],
          "scheduled": false,
          "sendTime": Any<Number>,
        },
        "message": "ok",
      }
    `);
    expect(body.data.messages[0].mobile).toBe(m);
    const [row] = await messageRows(s.tenant.id);
    expect(row).toMatchObject({ id: body.data.messages[0].id, batch_id: body.data.batchId, mobile: `+86${m}`, content: `【${s.sign.name}】您的验证码是 123456`, kind: "notification" });
    expect(await money(s.tenant.id)).toEqual({ balance: 90, ledger: 90 });
  });

  it("prefixes the key's default signature when the content has none", async () => {
    const s = await setup({ defaultSignature: "approved" });
    const res = await call(s, "POST", "industry", { mobile: mobile(), content: "您的包裹已签收" });
    expectEnvelope(res, 200, 0);
    expect((await messageRows(s.tenant.id))[0]!.content).toBe(`【${s.sign.name}】您的包裹已签收`);
  });

  it("kind: notification by default, verification when asked or when the key may only send codes", async () => {
    const s = await setup();
    await call(s, "POST", "industry", { mobile: mobile(), content: `【${s.sign.name}】a`, kind: "verification" });
    const codesOnly = await setup({ kinds: "verification" });
    await call(codesOnly, "POST", "industry", { mobile: mobile(), content: `【${codesOnly.sign.name}】b` });
    expect((await messageRows(s.tenant.id)).map((r) => r.kind)).toEqual(["verification"]);
    expect((await messageRows(codesOnly.tenant.id)).map((r) => r.kind)).toEqual(["verification"]);
    const refused = await call(codesOnly, "POST", "industry", { mobile: mobile(), content: `【${codesOnly.sign.name}】c`, kind: "notification" });
    expectEnvelope(refused, 403, 40304);
  });

  it("verification limits per mobile: the second code within a minute is 429 42900 with Retry-After", async () => {
    const s = await setup({ balance: 100, price: 10 });
    const m = mobile();
    const body = { mobile: m, content: `【${s.sign.name}】验证码 1234`, kind: "verification" };
    expectEnvelope(await call(s, "POST", "industry", body), 200, 0);
    const res = await call(s, "POST", "industry", { ...body, content: `【${s.sign.name}】验证码 5678` });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expectEnvelope(res, 429, 42900, /retry in/);
    expect(await money(s.tenant.id)).toEqual({ balance: 90, ledger: 90 });
  });

  it("signature refusals: none and no default, unknown, pending, rejected, pending default", async () => {
    const s = await setup();
    const pending = await makeSignature(s.tenant, `审核${Date.now() % 10000}`, "pending");
    const rejected = await makeSignature(s.tenant, `驳回${Date.now() % 10000}`, "rejected");
    expectEnvelope(await call(s, "POST", "industry", { mobile: mobile(), content: "no signature" }), 400, 40006, /default signature/);
    expectEnvelope(await call(s, "POST", "industry", { mobile: mobile(), content: "【没有这个】x" }), 400, 40007);
    expectEnvelope(await call(s, "POST", "industry", { mobile: mobile(), content: `【${pending.name}】x` }), 400, 40008);
    expectEnvelope(await call(s, "POST", "industry", { mobile: mobile(), content: `【${rejected.name}】x` }), 400, 40009);
    const withPendingDefault = await setup({ defaultSignature: "pending" });
    expectEnvelope(await call(withPendingDefault, "POST", "industry", { mobile: mobile(), content: "x" }), 400, 40008);
    expect(await messageRows(s.tenant.id)).toEqual([]);
  });

  it("another tenant's signature behaves as unknown", async () => {
    const s = await setup();
    const other = await setup();
    expectEnvelope(await call(s, "POST", "industry", { mobile: mobile(), content: `【${other.sign.name}】x` }), 400, 40007);
  });
});
