// POST /smsapi/v1/sms/cancel through the real Worker: cancel per id with the refund in the ledger,
// isolation between tenants, and the cron's release (a released message is no longer cancelable).
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cronTick } from "../../helpers/cron";
import { mobile, money } from "../../helpers/fixtures";
import { setup, call, expectEnvelope, messageRows, type Json } from "./helpers";

const HOUR = 3_600_000;

afterEach(() => {
  vi.useRealTimers();
});

describe("POST /smsapi/v1/sms/cancel", () => {
  it("cancels scheduled messages with a refund per message and answers per id", async () => {
    const s = await setup({ balance: 100, price: 10 });
    const at = Math.floor((Date.now() + HOUR) / 1000);
    const sched = expectEnvelope(await call(s, "POST", "batch", { mobiles: `${mobile()},${mobile()},${mobile()}`, content: `【${s.sign.name}】later`, sendTime: at }), 200, 0);
    const now = expectEnvelope(await call(s, "POST", "industry", { mobile: mobile(), content: `【${s.sign.name}】now` }), 200, 0);
    expect(await money(s.tenant.id)).toEqual({ balance: 60, ledger: 60 });
    const [a, b] = sched.data.messages.map((m: Json) => m.id as string);
    const sent = now.data.messages[0].id as string;

    const res = await call(s, "POST", "cancel", { id: `${a},${b},${sent},1234567890123456789` });
    const body = expectEnvelope(res, 200, 0);
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
    const again = expectEnvelope(await call(s, "POST", "cancel", { id: [a] }), 200, 0);
    expect(again.data.results).toEqual([{ id: a, status: "not_cancelable", message: expect.any(String) }]);
    expect(await money(s.tenant.id)).toEqual({ balance: 80, ledger: 80 });
  });

  it("another tenant's scheduled id is not found and stays scheduled", async () => {
    const s = await setup();
    const other = await setup({ balance: 100, price: 10 });
    const at = Math.floor((Date.now() + HOUR) / 1000);
    const sched = expectEnvelope(await call(other, "POST", "batch", { mobiles: mobile(), content: `【${other.sign.name}】x`, sendTime: at }), 200, 0);
    const id = sched.data.messages[0].id as string;
    const res = expectEnvelope(await call(s, "POST", "cancel", { id }), 200, 0);
    expect(res.data).toEqual({ canceled: 0, results: [{ id, status: "not_found", message: "no such message" }] });
    expect((await messageRows(other.tenant.id))[0]!.status).toBe("scheduled");
    expect(await money(other.tenant.id)).toEqual({ balance: 90, ledger: 90 });
  });

  it("refuses an empty id list and needs the key", async () => {
    const s = await setup();
    expectEnvelope(await call(s, "POST", "cancel", { id: " , " }), 400, 40001);
    expectEnvelope(await call(s, "POST", "cancel", {}), 400, 40000, /id/);
    expectEnvelope(await call(null, "POST", "cancel", { id: "1" }), 401, 40100);
  });
});

describe("release by the cron, and cancel before and after it", () => {
  it("the cron releases due messages only; a released one is no longer cancelable, a waiting one is refunded", async () => {
    const s = await setup({ balance: 100, price: 10 });
    const start = Date.now();
    const soon = Math.floor((start + 10 * 60_000) / 1000);
    const later = Math.floor((start + 5 * HOUR) / 1000);
    const due = expectEnvelope(await call(s, "POST", "batch", { mobiles: `${mobile()},${mobile()}`, content: `【${s.sign.name}】十分钟后`, sendTime: soon }), 200, 0);
    const wait = expectEnvelope(await call(s, "POST", "personality", { smses: [{ mobile: mobile(), content: `【${s.sign.name}】五小时后` }], sendTime: later }), 200, 0);
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

    const res = expectEnvelope(await call(s, "POST", "cancel", { id: [...dueIds, waitId].join(",") }), 200, 0);
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
