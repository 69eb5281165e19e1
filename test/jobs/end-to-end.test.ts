// Accept → dispatch → simulator → report → delivered, with the signed push, through the real queues.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mobile, money } from "../helpers/fixtures";
import { accept, messagesOf, rows, sender, special, waitFor } from "./support";

const hmacHex = async (key: string, msg: string) => {
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(msg)))].map((b) => b.toString(16).padStart(2, "0")).join("");
};

afterEach(() => vi.restoreAllMocks());

describe("simulator end to end", () => {
  it("delivers, writes one report row per message, and pushes them signed to the app's report URL", async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (!url.startsWith("https://hooks.example.com/")) return realFetch(input, init);
      calls.push({ url, init: init! });
      return new Response("ok");
    });
    const s = await sender({ reportUrl: "https://hooks.example.com/reports" });
    const res = await accept(s, [mobile(), mobile(), special("0004")]);
    const ids = res.items.map((i) => i.messageId);

    const final = await waitFor(async () => {
      const m = await messagesOf(ids);
      return m.every((r) => r.status === "delivered" || r.status === "undelivered") && m;
    }, 15_000, "final statuses");
    expect(final.map((m) => m.status).sort()).toEqual(["delivered", "delivered", "undelivered"]);
    expect(final.find((m) => m.status === "undelivered")!.result_code).toBe("4");
    expect(final).not.toHaveLength(0);
    expect(final.filter((m) => !(m.carrier_ref === `sim-${m.id}` && m.attempts === 1))).toEqual([]);

    const reports = await rows<{ message_id: string; code: string }>("SELECT message_id, code FROM reports WHERE tenant_id = ?1 ORDER BY message_id", s.tenant.id);
    expect(reports.map((r) => r.message_id)).toEqual([...ids].sort());

    const pushed = await waitFor(async () => {
      const r = await rows<{ pushed_at: number | null }>("SELECT pushed_at FROM reports WHERE tenant_id = ?1", s.tenant.id);
      return r.every((x) => x.pushed_at !== null) && r;
    }, 15_000, "pushed reports");
    expect(pushed).toHaveLength(3);

    const items = calls.flatMap((c) => (JSON.parse(String(c.init.body)) as { reports: Array<{ message_id: string; status: string; code: string }> }).reports);
    expect(items.map((i) => i.message_id).sort()).toEqual([...ids].sort());
    for (const c of calls) {
      const h = new Headers(c.init.headers);
      expect(c.init.redirect).toBe("manual");
      expect(c.init.signal).toBeInstanceOf(AbortSignal);
      expect(h.get("content-type")).toBe("application/json");
      const ts = h.get("x-edgesms-timestamp")!;
      expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
      expect(h.get("x-edgesms-signature")).toBe(await hmacHex(s.tenant.webhookSecret, `${ts}.${String(c.init.body)}`));
    }
    expect(items.find((i) => i.code === "4")).toMatchObject({ status: "undelivered" });
    // The handset inbox holds what was delivered, not what was not.
    const inbox = await rows("SELECT message_id FROM simulator_inbox WHERE message_id IN (SELECT value FROM json_each(?1))", JSON.stringify(ids));
    expect(inbox).toHaveLength(2);
  });

  it("a carrier refusal (…0001) is undelivered with code 1, refunded, and reported", async () => {
    const s = await sender();
    const res = await accept(s, [special("0001"), mobile()]);
    const ids = res.items.map((i) => i.messageId);
    await waitFor(async () => (await messagesOf(ids)).every((m) => m.status !== "queued" && m.status !== "submitted"), 15_000, "final");
    const [refused] = await messagesOf([ids[0]!]);
    expect(refused).toMatchObject({ status: "undelivered", result_code: "1", carrier_ref: null });
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - 10, ledger: 100_000 - 10 });
    const refunds = await rows("SELECT message_id, amount FROM ledger WHERE tenant_id = ?1 AND reason = 'refund'", s.tenant.id);
    expect(refunds).toEqual([{ message_id: ids[0], amount: 10 }]);
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", ids[0])).toEqual([{ code: "1" }]);
  });

  it("a number that fails transiently twice (…0098) is delivered once on the third attempt", async () => {
    const s = await sender();
    const res = await accept(s, [special("0098")]);
    const id = res.items[0]!.messageId;
    const [m] = await waitFor(async () => {
      const r = await messagesOf([id]);
      return r[0]!.status === "delivered" && r;
    }, 25_000, "delivered after retries");
    expect(m!.attempts).toBe(3);
    expect(await rows("SELECT message_id FROM simulator_inbox WHERE message_id = ?1", id)).toHaveLength(1);
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", id)).toEqual([{ code: "10000" }]);
    expect((await money(s.tenant.id)).balance).toBe(100_000 - 10);
  });
});
