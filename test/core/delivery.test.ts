// Reports and replies in the core: opt-out words, routing between tenants sharing a signature name,
// several reports per push, and rows left for the pull APIs when no URL is set.
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { applyReplies, applyReports, isOptOut } from "../../src/core/delivery";
import { makeSignature, mobile } from "../helpers/fixtures";
import { accept, deliveriesOf, mockReceiver, queuedIds, rows, sender, waitFor } from "../jobs/support";

afterEach(() => vi.restoreAllMocks());

const submit = async (ids: string[]) =>
  env.DB.prepare("UPDATE messages SET status = 'submitted', carrier = 'simulator', submitted_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(ids), Date.now())
    .run();

describe("replies", () => {
  it.each(["TD", "td", " T ", "R", "n", "退订"])("%j is an opt-out word", (w) => expect(isOptOut(w)).toBe(true));
  it.each(["TD please", "退订了", "OK", "TDD"])("%j is not", (w) => expect(isOptOut(w)).toBe(false));

  it("an opt-out reply blocks a later marketing send to that mobile, not a notification", async () => {
    const s = await sender();
    const m = mobile();
    const res = await exports.default.fetch("http://gw/simulator/v1/replies", {
      method: "POST",
      body: JSON.stringify({ mobile: m, content: "退订", signature: s.signature }),
    });
    expect(await res.json()).toMatchObject({ stored: true, opt_out: true });
    expect(await rows("SELECT mobile, source FROM opt_outs WHERE tenant_id = ?1", s.tenant.id)).toEqual([{ mobile: `+86${m}`, source: "reply:退订" }]);
    const marketing = await accept(s, [m, mobile()], { kind: "marketing" });
    expect(marketing.items.map((i) => (i.ok ? "ok" : i.error.code))).toEqual(["opted_out", "ok"]);
    const notification = await accept(s, [m], { kind: "notification" });
    expect(notification.items[0]!.ok).toBe(true);
  });

  it("two tenants with the same approved signature: the reply goes to the one that last messaged the mobile", async () => {
    const a = await sender();
    const b = await sender();
    const name = `同名${crypto.randomUUID().slice(0, 6)}`;
    await makeSignature(a.tenant, name);
    await makeSignature(b.tenant, name);
    const m = mobile();
    await queuedIds(b, [m]);
    const out = await applyReplies(env, "simulator", [{ ref: `r-${m}`, mobile: m, content: "TD", signature: name }]);
    expect(out).toEqual({ stored: 1, duplicates: 0, unroutable: 0, optOuts: 1 });
    expect(await rows("SELECT tenant_id FROM inbound WHERE carrier_ref = ?1", `r-${m}`)).toEqual([{ tenant_id: b.tenant.id }]);
    expect(await rows("SELECT 1 FROM opt_outs WHERE tenant_id = ?1", a.tenant.id)).toEqual([]);
  });

  it("a pending or rejected signature does not route replies", async () => {
    const s = await sender();
    const pending = await makeSignature(s.tenant, `待审${crypto.randomUUID().slice(0, 6)}`, "pending");
    const out = await applyReplies(env, "simulator", [{ ref: `r-${pending.uid}`, mobile: mobile(), content: "hi", signature: pending.name }]);
    expect(out.unroutable).toBe(1);
  });
});

describe("reports", () => {
  it("a consumer's receipts beyond one transaction's thousand are all applied, each message once", async () => {
    const s = await sender({ balance: 1_000_000 });
    const ids = (await accept(s, Array.from({ length: 2500 }, () => mobile()), { scheduled: true })).items.map((i) => i.messageId);
    expect(ids).toHaveLength(2500);
    await submit(ids);
    const delivered = ids.map((id) => ({ message_id: id, code: "10000" as const }));
    expect(await applyReports(env, "simulator", delivered)).toEqual({ applied: 2500, receipts: 0, ignored: 0 });
    expect(await rows("SELECT status, COUNT(*) AS n FROM messages WHERE tenant_id = ?1 GROUP BY status", s.tenant.id)).toEqual([{ status: "delivered", n: 2500 }]);
    expect(await rows("SELECT COUNT(DISTINCT message_id) AS n FROM reports WHERE tenant_id = ?1", s.tenant.id)).toEqual([{ n: 2500 }]);
    // The same receipts again (a retried consumer batch) move nothing.
    expect(await applyReports(env, "simulator", delivered)).toEqual({ applied: 0, receipts: 0, ignored: 2500 });
  });

  it("reports ready together travel in one push; without a URL they stay pullable (push_id NULL)", async () => {
    const calls = mockReceiver(() => new Response("ok"));
    const pushed = await sender({ reportUrl: "https://hooks.example.com/batch" });
    const pulled = await sender();
    const ids = await queuedIds(pushed, [mobile(), mobile(), mobile()]);
    const pullIds = await queuedIds(pulled, [mobile()]);
    await submit([...ids, ...pullIds]);
    const out = await applyReports(env, "simulator", [...ids, ...pullIds].map((id) => ({ message_id: id, code: "10000" as const })));
    expect(out).toEqual({ applied: 4, receipts: 0, ignored: 0 });
    const d = await deliveriesOf(pushed.tenant.id);
    expect(d).toHaveLength(1);
    await waitFor(async () => calls.length === 1, 15_000, "one push");
    const body = JSON.parse(calls[0]!.body) as { topic: string; reports: Array<{ message_id: string; status: string; code: string }> };
    expect(body.topic).toBe("reports");
    expect(body.reports.map((r) => r.message_id).sort()).toEqual([...ids].sort());
    expect(body.reports[0]).toEqual({
      message_id: expect.any(String),
      batch_id: expect.any(String),
      mobile: expect.stringMatching(/^\+86139\d{8}$/),
      status: "delivered",
      code: "10000",
      message: "delivered",
      segments: 1,
      sent_at: expect.any(Number),
      reported_at: expect.any(Number),
    });
    expect(await rows("SELECT push_id, pulled_at, pushed_at FROM reports WHERE tenant_id = ?1", pulled.tenant.id)).toEqual([
      { push_id: null, pulled_at: null, pushed_at: null },
    ]);
  });

  it("a report only moves a submitted message (not queued, not final)", async () => {
    const s = await sender();
    const ids = await queuedIds(s, [mobile()]);
    expect(await applyReports(env, "simulator", [{ message_id: ids[0]!, code: "10000" }])).toEqual({ applied: 0, receipts: 0, ignored: 1 });
    expect(await rows("SELECT status FROM messages WHERE id = ?1", ids[0])).toEqual([{ status: "queued" }]);
  });
});
