// What every send route shares (src/dialects/smsapi/send.ts and sendTime in schemas.ts): scheduled
// sends billed at acceptance, the horizon and malformed timestamps, the first refusal when nothing is
// accepted, and a balance that does not cover the batch.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mobile, money } from "../../helpers/fixtures";
import { setup, call, expectEnvelope, messageRows, type Json } from "./helpers";

const HOUR = 3_600_000;

describe("sendTime", () => {
  it("a future time in seconds (10 digits) stores the messages scheduled, billed at acceptance", async () => {
    const s = await setup({ balance: 100, price: 10 });
    const at = Math.floor((Date.now() + 2 * HOUR) / 1000);
    const res = await call(s, "POST", "batch", { mobiles: `${mobile()},${mobile()}`, content: `【${s.sign.name}】定时`, sendTime: at });
    const body = expectEnvelope(res, 200, 0);
    expect(body.data).toMatchObject({ scheduled: true, sendTime: at * 1000, amount: 20 });
    const rows = await messageRows(s.tenant.id);
    expect(rows.map((r) => [r.status, r.send_at])).toEqual([
      ["scheduled", at * 1000],
      ["scheduled", at * 1000],
    ]);
    expect(await money(s.tenant.id)).toEqual({ balance: 80, ledger: 80 });
  });

  it("milliseconds (13 digits) and numeric strings are taken; a past time sends now", async () => {
    const s = await setup();
    const at = Date.now() + HOUR;
    const ms = expectEnvelope(await call(s, "POST", "personality", { smses: [{ mobile: mobile(), content: `【${s.sign.name}】ms` }], sendTime: String(at) }), 200, 0);
    expect(ms.data).toMatchObject({ scheduled: true, sendTime: at });
    const past = expectEnvelope(await call(s, "POST", "personality", { smses: [{ mobile: mobile(), content: `【${s.sign.name}】past` }], sendTime: 1_500_000_000 }), 200, 0);
    expect(past.data.scheduled).toBe(false);
    const statuses = (await messageRows(s.tenant.id)).map((r) => r.status);
    expect(statuses).toContain("scheduled");
    expect(statuses.filter((x) => x !== "scheduled")).toHaveLength(1);
  });

  it("refuses a time beyond the horizon and malformed timestamps (400 40001 / 40000), nothing billed", async () => {
    const s = await setup({ balance: 100 });
    const content = `【${s.sign.name}】x`;
    const days = Number(env.SCHEDULE_HORIZON_DAYS);
    const far = Math.floor((Date.now() + (days + 1) * 24 * HOUR) / 1000);
    expectEnvelope(await call(s, "POST", "batch", { mobiles: mobile(), content, sendTime: far }), 400, 40001, new RegExp(`${days} days`));
    expectEnvelope(await call(s, "POST", "batch", { mobiles: mobile(), content, sendTime: 12345 }), 400, 40001, /10 digits/);
    expectEnvelope(await call(s, "POST", "batch", { mobiles: mobile(), content, sendTime: -5 }), 400, 40001);
    expectEnvelope(await call(s, "POST", "batch", { mobiles: mobile(), content, sendTime: "tomorrow" }), 400, 40000, /sendTime/);
    expect(await money(s.tenant.id)).toEqual({ balance: 100, ledger: 100 });
  });
});

describe("the send envelope", () => {
  it("when no item is accepted the envelope carries the first refusal and nothing is billed", async () => {
    const s = await setup({ balance: 500 });
    const res = await call(s, "POST", "batch", { mobiles: "1,2", content: `【${s.sign.name}】x`, sendTime: 0 });
    const body = expectEnvelope(res, 400, 40002);
    expect(body.data.messages.map((m: Json) => m.code)).toEqual([40002, 40002]);
    expect(body.data.batchId).toBeNull();
    expect(await money(s.tenant.id)).toEqual({ balance: 500, ledger: 500 });
  });

  it("402 40200 when the balance does not cover the accepted items: nothing sent", async () => {
    const s = await setup({ balance: 15, price: 10 });
    const res = await call(s, "POST", "batch", { mobiles: `${mobile()},${mobile()}`, content: `【${s.sign.name}】x`, sendTime: 0 });
    expectEnvelope(res, 402, 40200);
    expect(await money(s.tenant.id)).toEqual({ balance: 15, ledger: 15 });
    expect(await messageRows(s.tenant.id)).toEqual([]);
  });
});
