// Balance top-ups and adjustments: ledger rows, the never-negative rule, and the paged ledger.
import { describe, expect, it } from "vitest";
import { money } from "../helpers/fixtures";
import { admin, newTenant, paths, type Answer } from "./helpers";

describe("POST /admin/v1/tenants/{id}/balance", () => {
  it("tops up and adjusts; the ledger sums to the balance", async () => {
    const t = await newTenant();
    expect(await admin("POST", `/tenants/${t.id}/balance`, { amount: 10_000, reason: "topup", note: "invoice 1" })).toEqual({
      status: 200,
      body: { balance: 10_000 },
    });
    expect((await admin("POST", `/tenants/${t.id}/balance`, { amount: 2_500, reason: "topup", note: "invoice 2" })).body).toEqual({ balance: 12_500 });
    expect((await admin("POST", `/tenants/${t.id}/balance`, { amount: -500, reason: "adjust", note: "correction" })).body).toEqual({ balance: 12_000 });
    expect(await money(t.id)).toEqual({ balance: 12_000, ledger: 12_000 });
    expect((await admin("GET", `/tenants/${t.id}`)).body.balance).toBe(12_000);
  });

  it("refuses an adjustment below zero with 409 and changes nothing", async () => {
    const t = await newTenant();
    await admin("POST", `/tenants/${t.id}/balance`, { amount: 100, reason: "topup", note: "start" });
    const res = await admin("POST", `/tenants/${t.id}/balance`, { amount: -101, reason: "adjust", note: "too much" });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "insufficient_balance", message: expect.any(String) });
    expect(await money(t.id)).toEqual({ balance: 100, ledger: 100 });
    const ledger = await admin("GET", `/tenants/${t.id}/ledger`);
    expect(ledger.body.items).toHaveLength(1);
    // Exactly to zero is fine.
    expect((await admin("POST", `/tenants/${t.id}/balance`, { amount: -100, reason: "adjust", note: "close" })).body).toEqual({ balance: 0 });
    expect(await money(t.id)).toEqual({ balance: 0, ledger: 0 });
  });

  it("400 for a zero, fractional or negative top-up, an unknown reason, a missing note", async () => {
    const t = await newTenant();
    expect(paths(await admin("POST", `/tenants/${t.id}/balance`, { amount: 0, reason: "topup", note: "x" }))).toEqual(["amount"]);
    expect(paths(await admin("POST", `/tenants/${t.id}/balance`, { amount: 1.5, reason: "topup", note: "x" }))).toEqual(["amount"]);
    expect(paths(await admin("POST", `/tenants/${t.id}/balance`, { amount: -5, reason: "topup", note: "x" }))).toEqual(["amount"]);
    expect(paths(await admin("POST", `/tenants/${t.id}/balance`, { amount: 5, reason: "gift" }))).toEqual(["reason", "note"]);
    expect(await money(t.id)).toEqual({ balance: 0, ledger: 0 });
  });

  it("404 for an unknown tenant", async () => {
    const res = await admin("POST", "/tenants/no-such-tenant/balance", { amount: 5, reason: "topup", note: "x" });
    expect(res.status).toBe(404);
  });
});

describe("GET /admin/v1/tenants/{id}/ledger", () => {
  it("lists newest first in pages that add up to the balance", async () => {
    const t = await newTenant();
    for (const amount of [100, 200, 300, -50, 400]) {
      await admin("POST", `/tenants/${t.id}/balance`, { amount, reason: amount > 0 ? "topup" : "adjust", note: `n${amount}` });
    }
    const first: Answer = await admin("GET", `/tenants/${t.id}/ledger?limit=3`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((l: { amount: number }) => l.amount)).toEqual([400, -50, 300]);
    expect(first.body.items[0]).toEqual({
      id: expect.any(Number),
      amount: 400,
      reason: "topup",
      batch_id: null,
      message_id: null,
      note: "n400",
      created_at: expect.any(Number),
    });
    const second: Answer = await admin("GET", `/tenants/${t.id}/ledger?limit=3&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((l: { amount: number }) => l.amount)).toEqual([200, 100]);
    expect(second.body.next_cursor).toBeNull();
    const sum = [...first.body.items, ...second.body.items].reduce((s: number, l: { amount: number }) => s + l.amount, 0);
    expect(sum).toBe((await admin("GET", `/tenants/${t.id}`)).body.balance);
    expect((await admin("GET", "/tenants/no-such-tenant/ledger")).status).toBe(404);
  });
});
