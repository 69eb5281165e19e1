// The recovery sweep (issue 14): reports lost after the carrier took messages are recovered by a
// status query, submits with an unknown outcome are reconciled before anything is sent again,
// carrier-event dead letters are replayed, the end of the window reports "unknown" (not
// undelivered), and leftovers of a crash move again once the claim lease has passed.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cronTick } from "../helpers/cron";
import { mobile } from "../helpers/fixtures";
import { insertInbox } from "../../src/store/simulator";
import { accept, messagesOf, rows, sender, special, waitFor, type Sender } from "./support";

const tick = cronTick;

const json = (v: unknown) => JSON.stringify(v);

/** Accepted (scheduled, so nothing is enqueued), then put where a crash left them. */
async function crashed(s: Sender, mobiles: string[], state: { submittedAgoMs: number; withRef: boolean; received: boolean }): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < mobiles.length; i += 1000) {
    const res = await accept(s, mobiles.slice(i, i + 1000), { scheduled: true });
    ids.push(...res.items.map((it) => it.messageId));
  }
  const at = Date.now() - state.submittedAgoMs;
  await env.DB.prepare(
    `UPDATE messages SET status = 'submitted', attempts = 1, carrier = 'simulator', submitted_at = ?2, updated_at = ?2,
       carrier_ref = CASE WHEN ?3 THEN 'sim-' || id END, submit_unknown = CASE WHEN ?3 THEN 0 ELSE 1 END
     WHERE id IN (SELECT value FROM json_each(?1))`,
  )
    .bind(json(ids), at, state.withRef ? 1 : 0)
    .run();
  // Dispatch records every reference per part as well (receipts are matched there).
  if (state.withRef) {
    await env.DB.prepare(
      `INSERT INTO carrier_refs (carrier, ref, message_id, part, created_at)
       SELECT 'simulator', 'sim-' || value, value, 1, ?2 FROM json_each(?1)`,
    )
      .bind(json(ids), at)
      .run();
  }
  if (state.received) {
    const ms = await rows<{ id: string; mobile: string; content: string }>("SELECT id, mobile, content FROM messages WHERE id IN (SELECT value FROM json_each(?1))", json(ids));
    await insertInbox(env.DB, ms.map((m) => ({ messageId: m.id, mobile: m.mobile, channel: "sms", content: m.content, receivedAt: at })));
  }
  return ids;
}

describe("recovery sweep", () => {
  it("messages the carrier took whose reports were lost are finalised from a status query, not left for 72 h", async () => {
    const s = await sender();
    const ids = await crashed(s, [mobile(), mobile(), special("0004")], { submittedAgoMs: 2 * 60_000, withRef: true, received: false });
    // The simulator received the two ordinary ones (its inbox); the third failed by its rule.
    await insertInbox(env.DB, ids.slice(0, 2).map((id) => ({ messageId: id, mobile: "+8613900000000", channel: "sms", content: "x", receivedAt: Date.now() })));
    await tick();
    const after = await messagesOf(ids);
    expect(after.map((m) => [m.status, m.result_code])).toEqual(
      expect.arrayContaining([["delivered", "10000"], ["delivered", "10000"], ["undelivered", "4"]]),
    );
    expect(await rows("SELECT code FROM reports WHERE message_id IN (SELECT value FROM json_each(?1)) ORDER BY code", json(ids))).toEqual([
      { code: "10000" },
      { code: "10000" },
      { code: "4" },
    ]);
  });

  it("end to end: a submit whose answer was lost (…0097) is marked unknown by dispatch, never resent, and settled by the reconcile job's status query", async () => {
    const s = await sender();
    const res = await accept(s, [special("0097")]);
    const id = res.items[0]!.messageId;
    const marked = await waitFor(
      async () => (await rows<{ status: string; submit_unknown: number; carrier_ref: string | null; attempts: number }>("SELECT status, submit_unknown, carrier_ref, attempts FROM messages WHERE id = ?1", id)).find((r) => r.submit_unknown === 1),
      15_000,
      "the unknown submit marked",
    );
    expect(marked).toMatchObject({ status: "submitted", carrier_ref: null, attempts: 1 });
    await tick(); // inside the claim lease: left alone
    expect((await messagesOf([id]))[0]).toMatchObject({ status: "submitted", attempts: 1 });
    await env.DB.prepare("UPDATE messages SET submitted_at = ?1, updated_at = ?1 WHERE id = ?2").bind(Date.now() - 61_000, id).run();
    await tick();
    expect((await messagesOf([id]))[0]).toMatchObject({ status: "delivered", result_code: "10000", attempts: 1 });
    expect(await rows("SELECT message_id FROM simulator_inbox WHERE message_id = ?1", id)).toHaveLength(1);
  });

  it("a message still inside its carrier's report window is not asked about", async () => {
    const s = await sender();
    const ids = await crashed(s, [mobile()], { submittedAgoMs: 10_000, withRef: true, received: true });
    await tick();
    expect(await rows("SELECT status, recovery_at FROM messages WHERE id = ?1", ids[0])).toEqual([{ status: "submitted", recovery_at: null }]);
  });

  it("a submit with an unknown outcome the carrier never received goes back to queued and is sent once; one it received is not resent", async () => {
    const s = await sender();
    const lost = await crashed(s, [mobile()], { submittedAgoMs: 90_000, withRef: false, received: false });
    const got = await crashed(s, [mobile()], { submittedAgoMs: 90_000, withRef: false, received: true });
    await tick();
    await waitFor(async () => (await messagesOf(lost))[0]!.status === "delivered", 15_000, "resent message delivered");
    expect((await messagesOf(lost))[0]).toMatchObject({ attempts: 2, carrier_ref: `sim-${lost[0]}` });
    expect((await messagesOf(got))[0]).toMatchObject({ status: "delivered", attempts: 1, result_code: "10000" });
    expect(await rows("SELECT message_id FROM simulator_inbox WHERE message_id IN (?1, ?2)", lost[0], got[0])).toHaveLength(2);
  });

  it("a submit with an unknown outcome inside the claim lease is left alone (not resent, not put back by the stuck sweep)", async () => {
    const s = await sender();
    const ids = await crashed(s, [mobile()], { submittedAgoMs: 10_000, withRef: false, received: false });
    await tick();
    expect((await messagesOf(ids))[0]).toMatchObject({ status: "submitted", attempts: 1 });
    // Past 5 minutes the old stuck sweep would have put it back to queued and resent it blindly.
    // (updated_at stays recent: the reconcile job asks about it only a minute after it last looked.)
    await env.DB.prepare("UPDATE messages SET submitted_at = ?1 WHERE id = ?2").bind(Date.now() - 6 * 60_000, ids[0]).run();
    const out = await tick();
    expect(out.requeueStuck).toBe(0);
    expect((await messagesOf(ids))[0]).toMatchObject({ status: "submitted", attempts: 1 });
  });

  it("a pending answer keeps the message submitted, asks again only after the recheck interval, and the window's end reports it unknown", async () => {
    const s = await sender();
    const ids = await crashed(s, [special("0096")], { submittedAgoMs: 2 * 60_000, withRef: true, received: true });
    await tick();
    const first = await rows<{ status: string; recovery_at: number }>("SELECT status, recovery_at FROM messages WHERE id = ?1", ids[0]);
    expect(first[0]!.status).toBe("submitted");
    expect(first[0]!.recovery_at).toBeGreaterThan(Date.now() - 60_000);
    await tick();
    expect((await rows<{ recovery_at: number }>("SELECT recovery_at FROM messages WHERE id = ?1", ids[0]))[0]!.recovery_at).toBe(first[0]!.recovery_at);
    await env.DB.prepare("UPDATE messages SET submitted_at = ?1 WHERE id = ?2").bind(Date.now() - 73 * 3_600_000, ids[0]).run();
    await tick();
    expect((await messagesOf(ids))[0]).toMatchObject({ status: "unknown", result_code: "9" });
    expect(await rows("SELECT code, message FROM reports WHERE message_id = ?1", ids[0])).toEqual([{ code: "9", message: "unknown" }]);
    // Not refunded: the carrier took it.
    expect(await rows("SELECT 1 FROM ledger WHERE message_id = ?1 AND reason = 'refund'", ids[0])).toEqual([]);
  });

  it("replays carrier-event dead letters once (idempotent), and marks an unparseable one without failing", async () => {
    const s = await sender();
    const ids = await crashed(s, [mobile(), mobile()], { submittedAgoMs: 5_000, withRef: true, received: false });
    const body = { carrier: "simulator", events: { reports: [{ ref: `sim-${ids[0]}`, code: "10000" }, { message_id: ids[1], code: "6" }], replies: [] } };
    await env.DB.batch([
      env.DB.prepare("INSERT INTO dead_letters (queue, body, created_at) VALUES ('edgesms-carrier-events-dlq', ?1, ?2)").bind(json(body), Date.now()),
      env.DB.prepare("INSERT INTO dead_letters (queue, body, created_at) VALUES ('edgesms-carrier-events', '{\"broken\":', ?1)").bind(Date.now()),
    ]);
    await tick();
    expect((await messagesOf(ids)).map((m) => [m.id, m.status, m.result_code])).toEqual(
      [[ids[0], "delivered", "10000"], [ids[1], "undelivered", "6"]].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    expect(await rows("SELECT queue FROM dead_letters WHERE replayed_at IS NULL AND queue LIKE 'edgesms-carrier-events%'")).toEqual([]);
    expect(await rows("SELECT message_id FROM reports WHERE message_id IN (SELECT value FROM json_each(?1))", json(ids))).toHaveLength(2);
  });

  it("queued leftovers move again once the claim lease has passed, as many as the budget allows in one run (10,000 in one tick)", async () => {
    const s = await sender({ balance: 1_000_000 });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(...(await accept(s, Array.from({ length: 1000 }, () => mobile()), { scheduled: true })).items.map((it) => it.messageId));
    const past = Date.now() - 61_000;
    await env.DB.prepare("UPDATE messages SET status = 'queued', updated_at = ?1 WHERE id IN (SELECT value FROM json_each(?2))").bind(past, json(ids)).run();
    const started = Date.now();
    const out = await tick();
    const tickMs = Date.now() - started;
    expect(out.requeueStuck).toBeGreaterThanOrEqual(10_000);
    const left = await rows("SELECT id FROM messages WHERE status = 'queued' AND updated_at = ?1 AND id IN (SELECT value FROM json_each(?2))", past, json(ids));
    expect(left).toEqual([]);
    await waitFor(
      async () => (await rows<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE status = 'delivered' AND id IN (SELECT value FROM json_each(?1))", json(ids)))[0]!.n === ids.length,
      120_000,
      "10,000 leftovers delivered",
    );
    console.log(JSON.stringify({ figure: "leftovers_requeued", count: ids.length, tick_ms: tickMs, delivered_ms: Date.now() - started }));
  }, 180_000);

  it("time to final for 4,000 messages whose reports were lost in a crash", async () => {
    const s = await sender({ balance: 1_000_000 });
    const ms = Array.from({ length: 4000 }, () => mobile());
    const ids = await crashed(s, ms, { submittedAgoMs: 61_000, withRef: true, received: true });
    const started = Date.now();
    let ticks = 0;
    await waitFor(
      async () => {
        ticks++;
        await tick();
        const n = (await rows<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE status = 'delivered' AND id IN (SELECT value FROM json_each(?1))", json(ids)))[0]!.n;
        return n === ids.length;
      },
      120_000,
      "4,000 recovered",
    );
    const elapsed = Date.now() - started;
    console.log(JSON.stringify({ figure: "time_to_final_after_crash", count: ids.length, ticks, sweep_ms: elapsed }));
    expect(ticks).toBe(1);
    expect(await rows("SELECT COUNT(*) AS n FROM reports WHERE message_id IN (SELECT value FROM json_each(?1))", json(ids))).toEqual([{ n: 4000 }]);
  }, 180_000);
});
