// The accept pipeline through the real D1, MobileGuard and queue: atomic billing, no overdraft,
// per-item outcomes, opt-outs and per-mobile limits.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { acceptSend, type Draft } from "../../src/core/send";
import { CoreError } from "../../src/core/errors";
import { getTenant } from "../helpers/domain";
import { getAppByKey } from "../helpers/domain";
import { makeCredential, makeTenant, mobile, money } from "../helpers/fixtures";
import type { Tenant } from "../../src/core/types";
import { tenantDb } from "../../src/store/db";

async function setup(balance: number, settings?: Record<string, unknown>) {
  const tenant = await makeTenant({ balance, settings, prices: { notification: 10, marketing: 10, verification: 10 } });
  const cred = await makeCredential(tenant, "smsapi");
  const app = (await getAppByKey(env.DB, "smsapi", cred.app.key))!;
  return { tenant, app };
}

const draft = (m = mobile(), text = "【测试】您的包裹已签收"): Draft => ({ mobile: m, text, signature: "测试" });
const fresh = async (t: Tenant) => (await getTenant(tenantDb(env, t.id)))!;

describe("acceptSend", () => {
  it("commits messages, debit and ledger row together and returns ids in input order", async () => {
    const { tenant, app } = await setup(1000);
    const res = await acceptSend(env, [draft(), draft("+86 139 0000 1234"), draft("008613900005678")], { tenant, app, kind: "notification", mode: "all" });
    expect(res.batchId).toMatch(/^\d{19}$/);
    expect(res.items.map((i) => i.ok)).toEqual([true, true, true]);
    expect(res.amount).toBe(30);
    expect(await money(tenant.id)).toEqual({ balance: 970, ledger: 970 });
    const { results } = await env.DB.prepare("SELECT mobile, status, segments, price, encoding FROM messages WHERE batch_id = ?1 ORDER BY id")
      .bind(res.batchId)
      .all();
    expect(results).toHaveLength(3);
    expect(results.map((r) => r.mobile)).toContain("+8613900001234");
    expect(results).not.toHaveLength(0);
    expect(results.filter((r) => !(r.encoding === "ucs2" && r.segments === 1 && r.price === 10))).toEqual([]);
  });

  it("50 concurrent accepts against a balance for exactly 10: 10 accepted, balance 0, ledger == balance", async () => {
    const { tenant, app } = await setup(100);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => acceptSend(env, [draft()], { tenant, app, kind: "notification", mode: "all" })),
    );
    const ok = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(ok).toHaveLength(10);
    expect(refused).not.toHaveLength(0);
    expect(refused.filter((r) => !(r.reason instanceof CoreError && r.reason.code === "insufficient_balance"))).toEqual([]);
    expect(await money(tenant.id)).toEqual({ balance: 0, ledger: 0 });
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(tenant.id).first<{ n: number }>();
    expect(count!.n).toBe(10);
  });

  it("an overdraft rolls the whole batch back: no messages, no ledger row, balance unchanged", async () => {
    const { tenant, app } = await setup(25);
    await expect(acceptSend(env, [draft(), draft(), draft()], { tenant, app, kind: "notification", mode: "all" })).rejects.toMatchObject({
      code: "insufficient_balance",
    });
    expect(await money(tenant.id)).toEqual({ balance: 25, ledger: 25 });
    const n = await env.DB.prepare("SELECT (SELECT COUNT(*) FROM messages WHERE tenant_id = ?1) + (SELECT COUNT(*) FROM batches WHERE tenant_id = ?1) AS n")
      .bind(tenant.id)
      .first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it("mode 'all' refuses the request on the first bad item and writes nothing", async () => {
    const { tenant, app } = await setup(1000);
    await expect(acceptSend(env, [draft(), draft("010-12345678")], { tenant, app, kind: "notification", mode: "all" })).rejects.toMatchObject({
      code: "invalid_mobile",
    });
    expect((await money(tenant.id)).balance).toBe(1000);
  });

  it("mode 'each' reports bad items with their own ids and bills only the good ones", async () => {
    const { tenant, app } = await setup(1000);
    const pre = new CoreError("signature_not_found", "no such signature");
    const res = await acceptSend(env, [draft(), draft("12345"), pre, draft()], { tenant, app, kind: "notification", mode: "each" });
    expect(res.items.map((i) => (i.ok ? "ok" : i.error.code))).toEqual(["ok", "invalid_mobile", "signature_not_found", "ok"]);
    expect(new Set(res.items.map((i) => i.messageId)).size).toBe(4);
    expect(res.amount).toBe(20);
    expect(await money(tenant.id)).toEqual({ balance: 980, ledger: 980 });
  });

  it("mode 'each' with every item refused writes nothing and returns no batch", async () => {
    const { tenant, app } = await setup(1000);
    const res = await acceptSend(env, [draft("1"), draft("2")], { tenant, app, kind: "notification", mode: "each" });
    expect(res.batchId).toBeNull();
    expect(res.items).not.toHaveLength(0);
    expect(res.items.filter((i) => !(!i.ok))).toEqual([]);
    expect(await money(tenant.id)).toEqual({ balance: 1000, ledger: 1000 });
  });

  it("a segment count above one multiplies the price, signature included", async () => {
    const { tenant, app } = await setup(1000);
    const text = `【测试】${"长".repeat(67)}`; // 71 UCS-2 units with the signature: 2 parts of 67
    const res = await acceptSend(env, [{ mobile: mobile(), text, signature: "测试" }], { tenant, app, kind: "notification", mode: "all" });
    expect(res.amount).toBe(20);
  });

  it("future sendAt stores the messages as scheduled (billed now, not enqueued)", async () => {
    const { tenant, app } = await setup(1000);
    const sendAt = Date.now() + 3600_000;
    const res = await acceptSend(env, [draft()], { tenant, app, kind: "notification", mode: "all", sendAt });
    expect(res.scheduled).toBe(true);
    const row = await env.DB.prepare("SELECT status, send_at FROM messages WHERE batch_id = ?1").bind(res.batchId).first();
    expect(row).toEqual({ status: "scheduled", send_at: sendAt });
    expect((await money(tenant.id)).balance).toBe(990);
  });

  it("marketing to an opted-out mobile is refused; notification to it still goes", async () => {
    const { tenant, app } = await setup(1000);
    const m = mobile();
    await env.DB.prepare("INSERT INTO opt_outs (tenant_id, mobile, source, created_at) VALUES (?1, ?2, 'reply', ?3)").bind(tenant.id, `+86${m}`, Date.now()).run();
    await expect(acceptSend(env, [draft(m)], { tenant, app, kind: "marketing", mode: "all" })).rejects.toMatchObject({ code: "opted_out" });
    const res = await acceptSend(env, [draft(m)], { tenant, app, kind: "notification", mode: "all" });
    expect(res.items[0]!.ok).toBe(true);
  });

  it("per-mobile limits hold under concurrency: 20 parallel sends with 1/min → exactly 1 accepted", async () => {
    const { tenant, app } = await setup(10_000, { limits: { notification: [{ seconds: 60, max: 1 }] } });
    const m = mobile();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => acceptSend(env, [draft(m)], { tenant, app, kind: "notification", mode: "all" })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const reasons = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected").map((o) => (o.reason as CoreError).code);
    expect(new Set(reasons)).toEqual(new Set(["rate_limited"]));
    expect((await money(tenant.id)).balance).toBe(9990);
  });

  it("a guard admission is given back when the balance refuses the send", async () => {
    const { tenant, app } = await setup(5, { limits: { notification: [{ seconds: 60, max: 1 }] } });
    const m = mobile();
    await expect(acceptSend(env, [draft(m)], { tenant, app, kind: "notification", mode: "all" })).rejects.toMatchObject({ code: "insufficient_balance" });
    await env.DB.prepare("UPDATE tenants SET balance = 100 WHERE id = ?1").bind(tenant.id).run();
    const res = await acceptSend(env, [draft(m)], { tenant: await fresh(tenant), app, kind: "notification", mode: "all" });
    expect(res.items[0]!.ok).toBe(true);
  });

  it("a request refused in mode 'all' for one limited mobile gives the others' admissions back before it answers", async () => {
    const { tenant, app } = await setup(10_000, { limits: { notification: [{ seconds: 60, max: 1 }] } });
    const [limited, others] = [mobile(), [mobile(), mobile(), mobile()]];
    await acceptSend(env, [draft(limited)], { tenant, app, kind: "notification", mode: "all" });
    await expect(acceptSend(env, [...others.map((m) => draft(m)), draft(limited)], { tenant, app, kind: "notification", mode: "all" })).rejects.toMatchObject({
      code: "rate_limited",
    });
    // Each of the others still has its one message a minute: the refused request used none of them.
    const res = await acceptSend(env, others.map((m) => draft(m)), { tenant, app, kind: "notification", mode: "all" });
    expect(res.items).not.toHaveLength(0);
    expect(res.items.filter((i) => !(i.ok))).toEqual([]);
    expect((await money(tenant.id)).balance).toBe(10_000 - 4 * 10);
  });

  it("an app may only send the kinds it is allowed", async () => {
    const tenant = await makeTenant({ balance: 1000 });
    const cred = await makeCredential(tenant, "smsapi", { kinds: "verification" });
    const app = (await getAppByKey(env.DB, "smsapi", cred.app.key))!;
    await expect(acceptSend(env, [draft()], { tenant, app, kind: "marketing", mode: "all" })).rejects.toMatchObject({ code: "kind_not_allowed" });
  });

  it("blocked words (global and the tenant's) refuse the content", async () => {
    const { tenant, app } = await setup(1000, { blockedWords: ["秒杀"] });
    await expect(acceptSend(env, [draft(mobile(), "【测试】限时秒杀")], { tenant, app, kind: "marketing", mode: "all" })).rejects.toMatchObject({
      code: "blocked_word",
    });
    await expect(acceptSend(env, [draft(mobile(), "【测试】代开发票")], { tenant, app, kind: "marketing", mode: "all" })).rejects.toMatchObject({
      code: "blocked_word",
    });
  });
});
