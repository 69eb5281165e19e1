// smsapi scheduling and cancel: sendTime in seconds or milliseconds, past = now, the horizon,
// scheduled rows billed at acceptance, cancel per id with the refund in the ledger, isolation.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cronTick } from "../../helpers/cron";
import { mobile, money } from "../../helpers/fixtures";
import { apiSetup, call, expectEnvelope, messageRows, type Json } from "./helpers";

const HOUR = 3_600_000;

afterEach(() => {
  vi.useRealTimers();
});


describe("sendTime", () => {
  it("a future time in seconds (10 digits) stores the messages scheduled, billed at acceptance", async () => {
    const s = await apiSetup({ balance: 100, price: 10 });
    const at = Math.floor((Date.now() + 2 * HOUR) / 1000);
    const res = await call("batch", { mobiles: `${mobile()},${mobile()}`, content: `【${s.sign.name}】定时`, sendTime: at }, s.apiKey);
    const body = await expectEnvelope(res, 200, 0);
    expect(body.data).toMatchObject({ scheduled: true, sendTime: at * 1000, amount: 20 });
    const rows = await messageRows(s.tenant.id);
    expect(rows.map((r) => [r.status, r.send_at])).toEqual([
      ["scheduled", at * 1000],
      ["scheduled", at * 1000],
    ]);
    expect(await money(s.tenant.id)).toEqual({ balance: 80, ledger: 80 });
  });

  it("milliseconds (13 digits) and numeric strings are taken; a past time sends now", async () => {
    const s = await apiSetup();
    const at = Date.now() + HOUR;
    const ms = await expectEnvelope(await call("personality", { smses: [{ mobile: mobile(), content: `【${s.sign.name}】ms` }], sendTime: String(at) }, s.apiKey), 200, 0);
    expect(ms.data).toMatchObject({ scheduled: true, sendTime: at });
    const past = await expectEnvelope(await call("personality", { smses: [{ mobile: mobile(), content: `【${s.sign.name}】past` }], sendTime: 1_500_000_000 }, s.apiKey), 200, 0);
    expect(past.data.scheduled).toBe(false);
    const statuses = (await messageRows(s.tenant.id)).map((r) => r.status);
    expect(statuses).toContain("scheduled");
    expect(statuses.filter((x) => x !== "scheduled")).toHaveLength(1);
  });

  it("refuses a time beyond the horizon and malformed timestamps (400 40001 / 40000), nothing billed", async () => {
    const s = await apiSetup({ balance: 100 });
    const content = `【${s.sign.name}】x`;
    const days = Number(env.SCHEDULE_HORIZON_DAYS);
    const far = Math.floor((Date.now() + (days + 1) * 24 * HOUR) / 1000);
    await expectEnvelope(await call("batch", { mobiles: mobile(), content, sendTime: far }, s.apiKey), 400, 40001, new RegExp(`${days} days`));
    await expectEnvelope(await call("batch", { mobiles: mobile(), content, sendTime: 12345 }, s.apiKey), 400, 40001, /10 digits/);
    await expectEnvelope(await call("batch", { mobiles: mobile(), content, sendTime: -5 }, s.apiKey), 400, 40001);
    await expectEnvelope(await call("batch", { mobiles: mobile(), content, sendTime: "tomorrow" }, s.apiKey), 400, 40000, /sendTime/);
    expect(await money(s.tenant.id)).toEqual({ balance: 100, ledger: 100 });
  });
});

describe("POST /smsapi/v1/sms/cancel", () => {
  it("cancels scheduled messages with a refund per message and answers per id", async () => {
    const s = await apiSetup({ balance: 100, price: 10 });
    const at = Math.floor((Date.now() + HOUR) / 1000);
    const sched = await expectEnvelope(await call("batch", { mobiles: `${mobile()},${mobile()},${mobile()}`, content: `【${s.sign.name}】later`, sendTime: at }, s.apiKey), 200, 0);
    const now = await expectEnvelope(await call("industry", { mobile: mobile(), content: `【${s.sign.name}】now` }, s.apiKey), 200, 0);
    expect(await money(s.tenant.id)).toEqual({ balance: 60, ledger: 60 });
    const [a, b] = sched.data.messages.map((m: Json) => m.id as string);
    const sent = now.data.messages[0].id as string;

    const res = await call("cancel", { id: `${a},${b},${sent},1234567890123456789` }, s.apiKey);
    const body = await expectEnvelope(res, 200, 0);
    expect(body.data).toEqual({
      canceled: 2,
      results: [
        { id: a, status: "canceled", message: "canceled and refunded" },
        { id: b, status: "canceled", message: "canceled and refunded" },
        { id: sent, status: "not_cancelable", message: expect.stringMatching(/already sent/) },
        { id: "1234567890123456789", status: "not_found", message: "no such message" },
      ],
    });
    expect(await money(s.tenant.id)).toEqual({ balance: 80, ledger: 80 });
    const refunds = await env.DB.prepare("SELECT message_id, amount FROM ledger WHERE tenant_id = ?1 AND reason = 'refund' ORDER BY message_id").bind(s.tenant.id).all<Json>();
    expect(refunds.results).toEqual([a, b].sort().map((id) => ({ message_id: id, amount: 10 })));

    // A second cancel refunds nothing more.
    const again = await expectEnvelope(await call("cancel", { id: [a] }, s.apiKey), 200, 0);
    expect(again.data.results).toEqual([{ id: a, status: "not_cancelable", message: expect.any(String) }]);
    expect(await money(s.tenant.id)).toEqual({ balance: 80, ledger: 80 });
  });

  it("another tenant's scheduled id is not found and stays scheduled", async () => {
    const s = await apiSetup();
    const other = await apiSetup({ balance: 100, price: 10 });
    const at = Math.floor((Date.now() + HOUR) / 1000);
    const sched = await expectEnvelope(await call("batch", { mobiles: mobile(), content: `【${other.sign.name}】x`, sendTime: at }, other.apiKey), 200, 0);
    const id = sched.data.messages[0].id as string;
    const res = await expectEnvelope(await call("cancel", { id }, s.apiKey), 200, 0);
    expect(res.data).toEqual({ canceled: 0, results: [{ id, status: "not_found", message: "no such message" }] });
    expect((await messageRows(other.tenant.id))[0]!.status).toBe("scheduled");
    expect(await money(other.tenant.id)).toEqual({ balance: 90, ledger: 90 });
  });

  it("refuses an empty id list and needs the key", async () => {
    const s = await apiSetup();
    await expectEnvelope(await call("cancel", { id: " , " }, s.apiKey), 400, 40001);
    await expectEnvelope(await call("cancel", {}, s.apiKey), 400, 40000, /id/);
    await expectEnvelope(await call("cancel", { id: "1" }, null), 401, 40100);
  });
});

describe("release by the cron, and cancel before and after it", () => {
  it("the cron releases due messages only; a released one is no longer cancelable, a waiting one is refunded", async () => {
    const s = await apiSetup({ balance: 100, price: 10 });
    const start = Date.now();
    const soon = Math.floor((start + 10 * 60_000) / 1000);
    const later = Math.floor((start + 5 * HOUR) / 1000);
    const due = await expectEnvelope(await call("batch", { mobiles: `${mobile()},${mobile()}`, content: `【${s.sign.name}】十分钟后`, sendTime: soon }, s.apiKey), 200, 0);
    const wait = await expectEnvelope(await call("personality", { smses: [{ mobile: mobile(), content: `【${s.sign.name}】五小时后` }], sendTime: later }, s.apiKey), 200, 0);
    expect(await money(s.tenant.id)).toEqual({ balance: 70, ledger: 70 });
    const dueIds = due.data.messages.map((m: Json) => m.id as string);
    const waitId = wait.data.messages[0].id as string;

    // Before its time the cron leaves everything scheduled.
    await cronTick();
    const scheduled = await messageRows(s.tenant.id);
    expect(scheduled).not.toHaveLength(0);
    expect(scheduled.filter((r) => r.status !== "scheduled")).toEqual([]);

    vi.setSystemTime(start + 11 * 60_000);
    await cronTick();
    const byId = new Map((await messageRows(s.tenant.id)).map((r) => [r.id as string, r.status as string]));
    for (const id of dueIds) expect(byId.get(id)).not.toBe("scheduled");
    expect(byId.get(waitId)).toBe("scheduled");

    const res = await expectEnvelope(await call("cancel", { id: [...dueIds, waitId].join(",") }, s.apiKey), 200, 0);
    expect(res.data.results.map((r: Json) => r.status)).toEqual(["not_cancelable", "not_cancelable", "canceled"]);
    expect(await money(s.tenant.id)).toEqual({ balance: 80, ledger: 80 });
    const refunds = await env.DB.prepare("SELECT message_id, amount FROM ledger WHERE tenant_id = ?1 AND reason = 'refund'").bind(s.tenant.id).all<Json>();
    expect(refunds.results).toEqual([{ message_id: waitId, amount: 10 }]);

    // A canceled message is never released.
    vi.setSystemTime(start + 6 * HOUR);
    await cronTick();
    expect((await messageRows(s.tenant.id)).find((r) => r.id === waitId)!.status).toBe("canceled");
  });
});
