// POST /smsapi/v1/sms/batch through the real Worker: the comma list, marketing and opt-outs, and the
// 1000-recipient cap (personality's too).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mobile, money } from "../../helpers/fixtures";
import { setup, call, expectEnvelope, messageRows, type Json } from "./helpers";

describe("POST /smsapi/v1/sms/batch", () => {
  it("batch: one text to a comma list (ASCII or full-width commas), echoing each mobile", async () => {
    const s = await setup({ price: 10 });
    const [a, b, c] = [mobile(), mobile(), mobile()];
    const res = await call(s, "POST", "batch", { mobiles: `${a},${b}， ${c},`, content: `【${s.sign.name}】活动通知`, sendTime: 0 });
    const body = expectEnvelope(res, 200, 0);
    expect(body.data.messages.map((m: Json) => m.mobile)).toEqual([a, b, c]);
    expect(body.data.amount).toBe(30);
    const rows = await messageRows(s.tenant.id);
    expect(rows).not.toHaveLength(0);
    expect(rows.filter((r) => !(r.kind === "notification" && r.batch_id === body.data.batchId))).toEqual([]);
  });

  it("batch: marketing: true sends as marketing; 1000 mobiles accepted, 1001 refused whole", async () => {
    const s = await setup({ balance: 100_000, price: 10 });
    const mobiles = Array.from({ length: 1000 }, (_, i) => `1370${String(i).padStart(7, "0")}`);
    const ok = await call(s, "POST", "batch", { mobiles: mobiles.join(","), content: `【${s.sign.name}】大促`, sendTime: 0, marketing: true });
    const body = expectEnvelope(ok, 200, 0);
    expect(body.data.accepted).toBe(1000);
    expect(await money(s.tenant.id)).toEqual({ balance: 90_000, ledger: 90_000 });
    const kinds = new Set((await messageRows(s.tenant.id)).map((r) => r.kind));
    expect([...kinds]).toEqual(["marketing"]);
    const tooMany = await call(s, "POST", "batch", { mobiles: [...mobiles, "13900000000"].join(","), content: "x", sendTime: 0 });
    expectEnvelope(tooMany, 400, 40004);
    const tooManySmses = await call(s, "POST", "personality", { smses: Array(1001).fill({ mobile: mobile(), content: "x" }), sendTime: 0 });
    expectEnvelope(tooManySmses, 400, 40004);
    expect(await money(s.tenant.id)).toEqual({ balance: 90_000, ledger: 90_000 });
  });

  it("marketing to an opted-out mobile is refused per item (40012); notifications still reach it", async () => {
    const s = await setup({ price: 10 });
    const [out, fine] = [mobile(), mobile()];
    await env.DB.prepare("INSERT INTO opt_outs (tenant_id, mobile, source, created_at) VALUES (?1, ?2, 'reply', ?3)").bind(s.tenant.id, `+86${out}`, Date.now()).run();
    const res = await call(s, "POST", "batch", { mobiles: `${out},${fine}`, content: `【${s.sign.name}】促销 回T退订`, sendTime: 0, marketing: "true" });
    const body = expectEnvelope(res, 200, 0);
    expect(body.data.messages.map((m: Json) => m.code ?? "ok")).toEqual([40012, "ok"]);
    const notice = await call(s, "POST", "batch", { mobiles: out, content: `【${s.sign.name}】账单通知`, sendTime: 0 });
    expectEnvelope(notice, 200, 0);
  });
});
