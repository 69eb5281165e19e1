// Cron via createScheduledController: due scheduled sends released (not-yet-due untouched), stuck
// ones re-enqueued once per sweep, unreported ones marked unknown after 72 h, retention purges.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cronTick } from "../helpers/cron";
import { mobile, money } from "../helpers/fixtures";
import { cancelScheduled } from "../../src/core/cancel";
import { insertOptOut } from "../../src/store/opt-outs";
import { accept, messagesOf, rows, sender, waitFor } from "./support";
import { tenantDb } from "../../src/store/db";

const tick = async (): Promise<void> => void (await cronTick());

const setCol = (col: "send_at" | "updated_at" | "submitted_at", value: number, ids: string[]) =>
  env.DB.prepare(`UPDATE messages SET ${col} = ?1 WHERE id IN (SELECT value FROM json_each(?2))`).bind(value, JSON.stringify(ids)).run();

describe("cron", () => {
  it("releases due scheduled messages (they get delivered) and leaves not-yet-due ones alone", async () => {
    const s = await sender();
    const due = (await accept(s, [mobile(), mobile()], { scheduled: true })).items.map((i) => i.messageId);
    const later = (await accept(s, [mobile()], { scheduled: true })).items.map((i) => i.messageId);
    await setCol("send_at", Date.now() - 1000, due);
    await tick();
    expect((await messagesOf(later))[0]!.status).toBe("scheduled");
    await waitFor(async () => (await messagesOf(due)).every((m) => m.status === "delivered"), 15_000, "released messages delivered");
    expect((await messagesOf(due)).map((m) => m.attempts)).toEqual([1, 1]);
  });

  it("a cancel and the release racing give exactly one outcome per message", async () => {
    const s = await sender({ balance: 1000 });
    const ids = (await accept(s, Array.from({ length: 20 }, () => mobile()), { scheduled: true })).items.map((i) => i.messageId);
    await setCol("send_at", Date.now() - 1000, ids);
    const [, outcomes] = await Promise.all([tick(), cancelScheduled(env, s.tenant.id, ids)]);
    const after = await messagesOf(ids);
    for (const o of outcomes) {
      const m = after.find((r) => r.id === o.id)!;
      if (o.outcome === "canceled") expect(m.status).toBe("canceled");
      else expect([o.outcome, m.status]).not.toContain("canceled");
    }
    const canceled = outcomes.filter((o) => o.outcome === "canceled").length;
    const refunds = await rows("SELECT message_id FROM ledger WHERE tenant_id = ?1 AND reason = 'refund'", s.tenant.id);
    expect(refunds).toHaveLength(canceled);
    expect(await money(s.tenant.id)).toEqual({ balance: 1000 - 10 * (20 - canceled), ledger: 1000 - 10 * (20 - canceled) });
  });

  it("re-enqueues a message stuck in queued once per sweep, and it is delivered once", async () => {
    const s = await sender();
    // Scheduled then flipped: queued with no queue message (a lost enqueue), and old.
    const ids = (await accept(s, [mobile()], { scheduled: true })).items.map((i) => i.messageId);
    await env.DB.prepare("UPDATE messages SET status = 'queued', updated_at = ?1 WHERE id = ?2").bind(Date.now() - 6 * 60_000, ids[0]).run();
    const fresh = (await accept(s, [mobile()], { scheduled: true })).items.map((i) => i.messageId);
    await env.DB.prepare("UPDATE messages SET status = 'queued', updated_at = ?1 WHERE id = ?2").bind(Date.now() - 30_000, fresh[0]).run();
    await tick();
    const touched = await rows<{ updated_at: number }>("SELECT updated_at FROM messages WHERE id = ?1", ids[0]);
    expect(Date.now() - touched[0]!.updated_at).toBeLessThan(60_000);
    await tick(); // touched: not re-enqueued again
    await waitFor(async () => (await messagesOf(ids))[0]!.status === "delivered", 15_000, "stuck message delivered");
    expect((await messagesOf(ids))[0]!.attempts).toBe(1);
    expect((await messagesOf(fresh))[0]!.status).toBe("queued");
  });

  it("a claim left without a carrier reference by a crashed consumer goes back to queued and is delivered once", async () => {
    const s = await sender();
    const ids = (await accept(s, [mobile()], { scheduled: true })).items.map((i) => i.messageId);
    await env.DB.prepare("UPDATE messages SET status = 'submitted', attempts = 1, carrier_ref = NULL, submitted_at = ?1 WHERE id = ?2")
      .bind(Date.now() - 6 * 60_000, ids[0])
      .run();
    await tick();
    await waitFor(async () => (await messagesOf(ids))[0]!.status === "delivered", 15_000, "crashed claim delivered");
    expect((await messagesOf(ids))[0]).toMatchObject({ attempts: 2, carrier_ref: `sim-${ids[0]}` });
    expect(await rows("SELECT message_id FROM simulator_inbox WHERE message_id = ?1", ids[0])).toHaveLength(1);
  });

  it("a scheduled marketing message to a mobile that opted out after acceptance is not sent: undelivered 7, refunded, reported", async () => {
    const s = await sender({ balance: 1000 });
    const m = mobile();
    const marketing = (await accept(s, [m], { scheduled: true, kind: "marketing" })).items.map((i) => i.messageId);
    const notice = (await accept(s, [m], { scheduled: true })).items.map((i) => i.messageId);
    expect(await money(s.tenant.id)).toEqual({ balance: 980, ledger: 980 });
    await insertOptOut(tenantDb(env, s.tenant.id), `+86${m}`, "reply", Date.now());
    await setCol("send_at", Date.now() - 1000, [...marketing, ...notice]);
    await tick();
    expect((await messagesOf(marketing))[0]).toMatchObject({ status: "undelivered", result_code: "7", carrier_ref: null });
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", marketing[0])).toEqual([{ code: "7" }]);
    await waitFor(async () => (await messagesOf(notice))[0]!.status === "delivered", 15_000, "the notification delivered");
    expect(await money(s.tenant.id)).toEqual({ balance: 990, ledger: 990 });
    expect(await rows("SELECT message_id FROM simulator_inbox WHERE message_id = ?1", marketing[0])).toEqual([]);
  });

  it("a message submitted 72 h ago without a report ends unknown (code 9, not undelivered) with a report", async () => {
    const s = await sender();
    const ids = (await accept(s, [mobile()], { scheduled: true })).items.map((i) => i.messageId);
    await env.DB.prepare("UPDATE messages SET status = 'submitted', carrier = 'simulator', carrier_ref = 'x-' || id, submitted_at = ?1 WHERE id = ?2")
      .bind(Date.now() - 73 * 3_600_000, ids[0])
      .run();
    await tick();
    expect((await messagesOf(ids))[0]).toMatchObject({ status: "unknown", result_code: "9" });
    expect(await rows("SELECT code, message FROM reports WHERE message_id = ?1", ids[0])).toEqual([{ code: "9", message: "unknown" }]);
  });

  it("purges expired tokens, old inbox rows and reports past retention, and nothing recent", async () => {
    const s = await sender();
    const old = Date.now() - 31 * 86_400_000;
    const tag = crypto.randomUUID();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO simulator_inbox (message_id, mobile, channel, content, received_at) VALUES (?1, '+8613900000000', 'sms', 'x', ?2)").bind(`old-${tag}`, old),
      env.DB.prepare("INSERT INTO simulator_inbox (message_id, mobile, channel, content, received_at) VALUES (?1, '+8613900000000', 'sms', 'x', ?2)").bind(`new-${tag}`, Date.now()),
      env.DB.prepare(
        "INSERT INTO reports (tenant_id, app_id, message_id, batch_id, mobile, code, message, segments, sent_at, reported_at, created_at) VALUES (?1, ?2, ?3, 'b', '+86', '10000', 'delivered', 1, ?4, ?4, ?4)",
      ).bind(s.tenant.id, s.app.id, `old-${tag}`, old),
      env.DB.prepare("INSERT INTO tokens (token_hash, app_id, tenant_id, secret_version, issued_at, expires_at) VALUES (?1, ?2, ?3, 1, ?4, ?4)").bind(`old-${tag}`, s.app.id, s.tenant.id, old),
    ]);
    await tick();
    expect(await rows("SELECT message_id FROM simulator_inbox WHERE message_id LIKE ?1", `%${tag}`)).toEqual([{ message_id: `new-${tag}` }]);
    expect(await rows("SELECT id FROM reports WHERE message_id = ?1", `old-${tag}`)).toEqual([]);
    expect(await rows("SELECT token_hash FROM tokens WHERE token_hash = ?1", `old-${tag}`)).toEqual([]);
  });
});
