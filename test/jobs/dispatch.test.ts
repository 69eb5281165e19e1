// The dispatch consumer driven directly: ack, retry with backoff, redelivery without a double
// submit, the last attempt (failed + refund + DLQ), the DLQ consumer, malformed bodies.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mobile, money } from "../helpers/fixtures";
import { messagesOf, queuedIds, rows, runQueue as run, sender, special } from "./support";
import { CLAIM_LEASE_MS } from "../../src/jobs/dispatch";
import { applyReports } from "../../src/core/delivery";
import { enqueueDispatchRows, type DispatchBody } from "../../src/core/dispatch-queue";

const inboxCount = async (ids: string[]) =>
  (await rows("SELECT message_id FROM simulator_inbox WHERE message_id IN (SELECT value FROM json_each(?1))", JSON.stringify(ids))).length;

describe("dispatch consumer", () => {
  it("claims, submits once and acks; references are stored", async () => {
    const s = await sender();
    const ids = await queuedIds(s, [mobile(), mobile(), mobile()]);
    const res = await run("edgesms-dispatch", [{ id: "q1", attempts: 1, body: { ids } }]);
    expect(res.explicitAcks).toEqual(["q1"]);
    expect(res.retryMessages).toEqual([]);
    const m = await messagesOf(ids);
    expect(m).not.toHaveLength(0);
    expect(m.filter((r) => !(["submitted", "delivered"].includes(r.status) && r.carrier_ref === `sim-${r.id}` && r.attempts === 1))).toEqual([]);
    expect(await inboxCount(ids)).toBe(3);
  });

  it("a transient carrier failure puts the message back to queued and retries with backoff", async () => {
    const s = await sender();
    const [id] = await queuedIds(s, [special("0098")]);
    const res = await run("edgesms-dispatch", [{ id: "q1", attempts: 1, body: { ids: [id] } }]);
    expect(res.explicitAcks).toEqual([]);
    expect(res.retryMessages).toEqual([{ msgId: "q1", delaySeconds: 2 }]);
    expect(await messagesOf([id!])).toMatchObject([{ status: "queued", attempts: 1, carrier_ref: null }]);
    const second = await run("edgesms-dispatch", [{ id: "q1", attempts: 2, body: { ids: [id] } }]);
    expect(second.retryMessages).toEqual([{ msgId: "q1", delaySeconds: 4 }]);
    const third = await run("edgesms-dispatch", [{ id: "q1", attempts: 3, body: { ids: [id] } }]);
    expect(third.explicitAcks).toEqual(["q1"]);
    expect((await messagesOf([id!]))[0]).toMatchObject({ attempts: 3, carrier_ref: `sim-${id}` });
  });

  it("a body carrying its tenant claims only that tenant's messages; a body without one (queued before) is routed by its ids' tenants", async () => {
    const [a, b] = [await sender(), await sender()];
    const [aIds, bIds] = [await queuedIds(a, [mobile(), mobile()]), await queuedIds(b, [mobile()])];
    // Another tenant's id in a body is not this tenant's to claim: it stays queued, nothing is retried.
    const scoped = await run("edgesms-dispatch", [{ id: "q1", attempts: 1, body: { tenant: a.tenant.id, ids: [...aIds, ...bIds] } }]);
    expect(scoped.explicitAcks).toEqual(["q1"]);
    // Keyed by id: message ids of two tenants need not sort in the order they were created.
    const queued = Object.fromEntries((await messagesOf([...aIds, ...bIds])).map((m) => [m.id, m.status === "queued"]));
    expect(queued).toEqual(Object.fromEntries([...aIds.map((id) => [id, false]), [bIds[0], true]]));
    expect(await inboxCount(aIds)).toBe(2);
    expect(await inboxCount(bIds)).toBe(0);

    // An old body mixing both tenants, beside a new one: every id is claimed once, through its own tenant.
    const [aMore, bMore] = [await queuedIds(a, [mobile()]), await queuedIds(b, [mobile()])];
    const mixed = await run("edgesms-dispatch", [
      { id: "old", attempts: 1, body: { ids: [...bIds, ...aMore] } },
      { id: "new", attempts: 1, body: { tenant: b.tenant.id, ids: bMore } },
    ]);
    expect(mixed.explicitAcks.sort()).toEqual(["new", "old"]);
    expect(await inboxCount([...bIds, ...aMore, ...bMore])).toBe(3);
    expect((await messagesOf([...bIds, ...aMore, ...bMore])).filter((m) => m.status === "queued" || m.attempts !== 1)).toEqual([]);
  });

  it("the sweeps' producer never mixes tenants in one body and names each body's tenant", async () => {
    const sent: Array<{ body: DispatchBody }> = [];
    const queue = { sendBatch: async (msgs: Iterable<MessageSendRequest<DispatchBody>>) => void sent.push(...[...msgs].map((m) => ({ body: m.body }))) };
    await enqueueDispatchRows({ ...env, DISPATCH_QUEUE: queue as unknown as Queue }, [
      { id: "11", tenant_id: "ta" },
      { id: "12", tenant_id: "tb" },
      { id: "13", tenant_id: "ta" },
    ]);
    expect(sent).toEqual([{ body: { tenant: "ta", ids: ["11", "13"] } }, { body: { tenant: "tb", ids: ["12"] } }]);
  });

  it("a redelivered queue message never submits twice; a claim without reference is resubmitted under the same key", async () => {
    const s = await sender();
    const ids = await queuedIds(s, [mobile(), mobile()]);
    await run("edgesms-dispatch", [{ id: "q1", attempts: 1, body: { ids } }]);
    const again = await run("edgesms-dispatch", [{ id: "q1", attempts: 2, body: { ids } }]);
    expect(again.explicitAcks).toEqual(["q1"]);
    expect((await messagesOf(ids)).map((m) => m.attempts)).toEqual([1, 1]);
    expect(await inboxCount(ids)).toBe(2);

    // A consumer that crashed between the claim and storing the reference, longer ago than the lease:
    await env.DB.prepare("UPDATE messages SET status = 'submitted', carrier_ref = NULL, submitted_at = ?2 WHERE id = ?1")
      .bind(ids[0], Date.now() - CLAIM_LEASE_MS - 1000)
      .run();
    const redo = await run("edgesms-dispatch", [{ id: "q1", attempts: 3, body: { ids } }]);
    expect(redo.explicitAcks).toEqual(["q1"]);
    const [first, second] = await messagesOf(ids);
    expect(first).toMatchObject({ carrier_ref: `sim-${ids[0]}`, attempts: 2 });
    expect(second!.attempts).toBe(1);
    expect(await inboxCount(ids)).toBe(2);
  });

  it("a claim within its lease belongs to the run submitting it: a duplicate queue message waits out the lease, never submits alongside", async () => {
    const s = await sender();
    const ids = await queuedIds(s, [mobile(), mobile()]);
    // Another run claimed the first one a moment ago and is still talking to the carrier.
    await env.DB.prepare("UPDATE messages SET status = 'submitted', attempts = 1, submitted_at = ?2 WHERE id = ?1").bind(ids[0], Date.now()).run();
    const dup = await run("edgesms-dispatch", [{ id: "q1", attempts: 1, body: { ids } }]);
    expect(dup.explicitAcks).toEqual([]);
    expect(dup.retryMessages).toEqual([{ msgId: "q1", delaySeconds: CLAIM_LEASE_MS / 1000 }]);
    const [busy, other] = await messagesOf(ids);
    expect(busy).toMatchObject({ status: "submitted", attempts: 1, carrier_ref: null });
    expect(other).toMatchObject({ carrier_ref: `sim-${ids[1]}`, attempts: 1 });
    expect(await inboxCount(ids)).toBe(1);
    // Even on its last attempt the duplicate does not fail a message another run owns.
    const last = await run("edgesms-dispatch", [{ id: "q1", attempts: 6, body: { ids } }]);
    expect(last.retryMessages).toEqual([{ msgId: "q1" }]);
    expect((await messagesOf([ids[0]!]))[0]).toMatchObject({ status: "submitted", attempts: 1 });
  });

  it("the last attempt fails and refunds the message, hands the body to the DLQ, and the DLQ refunds nothing twice", async () => {
    const s = await sender({ balance: 1000 });
    const [bad] = await queuedIds(s, [special("0098")]);
    const [good] = await queuedIds(s, [mobile()]);
    expect(await money(s.tenant.id)).toEqual({ balance: 980, ledger: 980 });
    const body = { ids: [bad, good] };
    const res = await run("edgesms-dispatch", [{ id: "q9", attempts: 6, body }]);
    // A retry without delay at the last attempt: the queue moves it to edgesms-dispatch-dlq.
    expect(res.retryMessages).toEqual([{ msgId: "q9" }]);
    expect((await messagesOf([bad!]))[0]).toMatchObject({ status: "failed", result_code: "1" });
    expect(await money(s.tenant.id)).toEqual({ balance: 990, ledger: 990 });
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", bad)).toEqual([{ code: "1" }]);

    const dlq = await run("edgesms-dispatch-dlq", [{ id: "d1", attempts: 1, body }]);
    expect(dlq.ackAll).toBe(true);
    expect(await rows("SELECT queue, body FROM dead_letters WHERE body = ?1", JSON.stringify(body))).toEqual([
      { queue: "edgesms-dispatch-dlq", body: JSON.stringify(body) },
    ]);
    expect(await money(s.tenant.id)).toEqual({ balance: 990, ledger: 990 });
    expect(await rows("SELECT message_id FROM ledger WHERE tenant_id = ?1 AND reason = 'refund'", s.tenant.id)).toEqual([{ message_id: bad }]);
    expect((await messagesOf([good!]))[0]!.status).not.toBe("failed");
  });

  it("the DLQ fails and refunds messages still queued", async () => {
    const s = await sender({ balance: 1000 });
    const ids = await queuedIds(s, [mobile()]);
    await run("edgesms-dispatch-dlq", [{ id: "d1", attempts: 1, body: { ids } }]);
    expect((await messagesOf(ids))[0]).toMatchObject({ status: "failed" });
    expect(await money(s.tenant.id)).toEqual({ balance: 1000, ledger: 1000 });
  });

  it("a malformed body is acked and kept in dead_letters; the good ones in the batch still go", async () => {
    const s = await sender();
    const ids = await queuedIds(s, [mobile()]);
    const marker = `bogus-${crypto.randomUUID()}`;
    const res = await run("edgesms-dispatch", [
      { id: "bad", attempts: 1, body: { ids: [marker] } },
      { id: "good", attempts: 1, body: { ids } },
    ]);
    expect(res.explicitAcks.sort()).toEqual(["bad", "good"]);
    expect(await rows("SELECT queue FROM dead_letters WHERE body LIKE ?1", `%${marker}%`)).toEqual([{ queue: "edgesms-dispatch" }]);
  });

  it("a receipt that arrives before its reference is recorded is kept and applied when dispatch records the reference", async () => {
    const s = await sender();
    const ids = await queuedIds(s, [mobile()]);
    const early = await applyReports(env, "simulator", [{ ref: `sim-${ids[0]}`, code: "4" }]);
    expect(early).toEqual({ applied: 0, receipts: 1, ignored: 0 });
    await run("edgesms-dispatch", [{ id: "q1", attempts: 1, body: { ids } }]);
    expect((await messagesOf(ids))[0]).toMatchObject({ status: "undelivered", result_code: "4", carrier_ref: `sim-${ids[0]}` });
    expect(await rows("SELECT ref, part FROM carrier_refs WHERE message_id = ?1", ids[0])).toEqual([{ ref: `sim-${ids[0]}`, part: 1 }]);
  });
});
