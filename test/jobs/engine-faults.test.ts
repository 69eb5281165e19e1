// Delivery-engine fault paths through the real consumers and D1: the simulator exists only when it
// is the configured carrier; a carrier that throws or has no adapter leaves messages queued for a
// retry (nothing lost, nothing sent twice); the carrier-events consumer retries a failed apply.
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { mobile, money } from "../helpers/fixtures";
import { messagesOf, queuedIds, rows, runQueue, sender } from "./support";

/** Until the returned function runs, inserts into `table` abort (a real D1 failure, no mock). */
async function failInserts(table: "simulator_inbox" | "reports", when: string): Promise<() => Promise<void>> {
  const name = `test_fault_${table}_${Math.random().toString(36).slice(2, 8)}`;
  await env.DB.prepare(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'test fault'); END`).run();
  return async () => void (await env.DB.prepare(`DROP TRIGGER IF EXISTS ${name}`).run());
}

describe("the simulator's routes", () => {
  it("exist only while the simulator is the configured carrier", async () => {
    const call = async (carrier: string) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request("http://gw/simulator/v1/inbox/13912345678"), { ...env, SIMULATOR: carrier === "simulator" ? "true" : "false" }, ctx);
      await waitOnExecutionContext(ctx);
      return res.status;
    };
    expect(await call("simulator")).toBe(200);
    expect(await call("carrier")).toBe(404);
  });
});

describe("carrier faults at dispatch", () => {
  it("a carrier with no adapter fails transiently: queued again, retried with backoff, failed and refunded only at the last attempt", async () => {
    const s = await sender({ balance: 1000 });
    const ids = await queuedIds(s, [mobile()]);
    const first = await runQueue("edgesms-dispatch", [{ id: "c1", attempts: 1, body: { ids } }], { SIMULATOR: "false" });
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toEqual([{ msgId: "c1", delaySeconds: 2 }]);
    expect((await messagesOf(ids))[0]).toMatchObject({ status: "queued", carrier_ref: null, attempts: 1 });
    expect(await money(s.tenant.id)).toEqual({ balance: 990, ledger: 990 });
    const last = await runQueue("edgesms-dispatch", [{ id: "c1", attempts: 6, body: { ids } }], { SIMULATOR: "false" });
    expect(last.retryMessages).toEqual([{ msgId: "c1" }]);
    expect((await messagesOf(ids))[0]).toMatchObject({ status: "failed", result_code: "1" });
    expect(await money(s.tenant.id)).toEqual({ balance: 1000, ledger: 1000 });
  });

  it("a carrier that throws leaves every message of the call queued for the retry; the retry delivers each once", async () => {
    const s = await sender();
    const [a, b] = [mobile(), mobile()];
    const ids = await queuedIds(s, [a, b]);
    const heal = await failInserts("simulator_inbox", `NEW.mobile = '+86${a}'`);
    const first = await runQueue("edgesms-dispatch", [{ id: "t1", attempts: 1, body: { ids } }]);
    expect(first.retryMessages).toEqual([{ msgId: "t1", delaySeconds: 2 }]);
    expect((await messagesOf(ids)).map((m) => [m.status, m.carrier_ref])).toEqual([
      ["queued", null],
      ["queued", null],
    ]);
    await heal();
    const second = await runQueue("edgesms-dispatch", [{ id: "t1", attempts: 2, body: { ids } }]);
    expect(second.explicitAcks).toEqual(["t1"]);
    expect((await messagesOf(ids)).map((m) => [m.carrier_ref, m.attempts])).toEqual([...ids].sort().map((id) => [`sim-${id}`, 2]));
    const inbox = await rows("SELECT message_id FROM simulator_inbox WHERE message_id IN (SELECT value FROM json_each(?1))", JSON.stringify(ids));
    expect(inbox).toHaveLength(2);
  });
});

describe("carrier-events consumer", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a failed apply is retried with backoff and applied once afterwards; a malformed body is kept as a dead letter", async () => {
    const s = await sender();
    const ids = await queuedIds(s, [mobile()]);
    await env.DB.prepare("UPDATE messages SET status = 'submitted', carrier = 'simulator', carrier_ref = 'sim-' || id, submitted_at = ?2 WHERE id = ?1")
      .bind(ids[0], Date.now())
      .run();
    const body = { carrier: "simulator", events: { reports: [{ message_id: ids[0], code: "10000", segments: 1 }], replies: [] } };
    const heal = await failInserts("reports", `NEW.message_id = '${ids[0]}'`);
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const failed = await runQueue("edgesms-carrier-events", [{ id: "e1", attempts: 1, body }]);
    expect(failed.retryMessages).toEqual([{ msgId: "e1", delaySeconds: 5 }]);
    expect((await messagesOf(ids))[0]!.status).toBe("submitted");
    const again = await runQueue("edgesms-carrier-events", [{ id: "e1", attempts: 2, body }]);
    expect(again.retryMessages).toEqual([{ msgId: "e1", delaySeconds: 10 }]);
    // Each failed apply is logged with its reason (the consumer's only trace of it).
    expect(log.mock.calls.map((c) => JSON.parse(String(c[0])) as unknown)).toEqual([
      expect.objectContaining({ event: "carrier_events_failed", carrier: "simulator", error: expect.stringContaining("test fault") }),
      expect.objectContaining({ event: "carrier_events_failed", carrier: "simulator", error: expect.stringContaining("test fault") }),
    ]);
    await heal();
    const ok = await runQueue("edgesms-carrier-events", [{ id: "e1", attempts: 3, body }]);
    expect(ok.explicitAcks).toEqual(["e1"]);
    expect((await messagesOf(ids))[0]!.status).toBe("delivered");
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", ids[0])).toEqual([{ code: "10000" }]);
    await runQueue("edgesms-carrier-events", [{ id: "e2", attempts: 1, body }]);
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", ids[0])).toHaveLength(1);

    const bad = { carrier: "simulator", events: { reports: [{ code: "12345" }] } };
    const dead = await runQueue("edgesms-carrier-events", [{ id: "e3", attempts: 1, body: bad }]);
    expect(dead.explicitAcks).toEqual(["e3"]);
    expect(await rows("SELECT queue FROM dead_letters WHERE body = ?1", JSON.stringify(bad))).toEqual([{ queue: "edgesms-carrier-events" }]);
  });
});
