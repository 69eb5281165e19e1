// The consumers check our own queue bodies by hand (no zod per element): every rule of the
// published schemas (DispatchBody, CarrierEventsBody) must still hold. Each broken body goes
// through the real consumer and ends as a dead letter, and the hand check agrees with the schema
// on every body here, valid or not.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CarrierEventsBody, enqueueReports, readCarrierEventsBody } from "../../src/core/carrier-events";
import { DispatchBody, readDispatchBody } from "../../src/core/dispatch-queue";
import { mobile } from "../helpers/fixtures";
import { queuedIds, rows, runQueue, sender } from "./support";

const id = "1234567890123";
const report = { message_id: id, code: "10000" };

const badDispatch: unknown[] = [
  null, 7, "ids", [id], {}, { ids: [] }, { ids: id }, { ids: [7] }, { ids: ["12a"] }, { ids: [""] }, { ids: ["1".repeat(25)] },
  { ids: Array.from({ length: 101 }, (_, i) => String(i + 1)) }, { ids: [id, null] },
  { tenant: "", ids: [id] }, { tenant: 7, ids: [id] }, { tenant: null, ids: [id] }, { tenant: "t".repeat(101), ids: [id] }, { tenant: "t1" },
];
const goodDispatch: unknown[] = [
  { ids: [id] }, { ids: Array.from({ length: 100 }, (_, i) => String(i + 1)) }, { ids: ["1".repeat(24)], extra: 1 },
  { tenant: "t1", ids: [id] }, { tenant: "t".repeat(100), ids: [id] },
];

const events = (reports: unknown, more: Record<string, unknown> = {}) => ({ carrier: "simulator", events: { reports, replies: [] }, ...more });
const badEvents: unknown[] = [
  null, [], {}, { carrier: "simulator" }, { carrier: "", events: { reports: [report] } }, { carrier: "x".repeat(33), events: { reports: [report] } },
  { carrier: 7, events: { reports: [report] } }, { carrier: "simulator", events: [] },
  events(report), events([null]), events([[]]), events([{ code: "10000" }]), events([{ ...report, code: "12345" }]), events([{ ...report, code: 10000 }]),
  events([{ ...report, message_id: "abc" }]), events([{ ...report, message_id: 1 }]), events([{ ref: "", code: "4" }]), events([{ ref: "r".repeat(129), code: "4" }]),
  events([{ ...report, segments: 0 }]), events([{ ...report, segments: 256 }]), events([{ ...report, segments: 1.5 }]), events([{ ...report, segments: "1" }]),
  events([{ ...report, reported_at: 0 }]), events([{ ...report, reported_at: -5 }]), events([{ ...report, reported_at: 1.5 }]), events([{ ...report, reported_at: 2 ** 53 }]),
  events(Array.from({ length: 5001 }, () => report)), { carrier: "simulator", events: { reports: [report], replies: [{ ref: "x" }] } },
  { carrier: "simulator", events: { reports: [report], replies: null } },
];
const goodEvents: unknown[] = [
  events([report]), events([]), { carrier: "simulator", events: {} }, { carrier: "simulator", events: { reports: [{ ref: "r", code: "4" }] } },
  events([{ ...report, ref: "r".repeat(128), segments: 255, reported_at: Date.now(), extra: true }]), events(Array.from({ length: 5000 }, () => report)),
  { carrier: "simulator", events: { reports: [], replies: [{ ref: "m1", mobile: "+8613900001234", content: "TD" }] } },
];

describe("queue bodies checked by hand", () => {
  it("agree with the schemas on every body, valid or not", () => {
    for (const b of [...badDispatch, ...goodDispatch]) expect([b, readDispatchBody(b) !== null]).toEqual([b, DispatchBody.safeParse(b).success]);
    for (const b of [...badEvents, ...goodEvents]) expect([b, readCarrierEventsBody(b) !== null]).toEqual([b, CarrierEventsBody.safeParse(b).success]);
    // The lists themselves are what they say: the offending bodies are named if not.
    expect(badDispatch.length * goodDispatch.length * badEvents.length * goodEvents.length).toBeGreaterThan(0);
    expect(badDispatch.filter((b) => readDispatchBody(b) !== null)).toEqual([]);
    expect(goodDispatch.filter((b) => readDispatchBody(b) === null)).toEqual([]);
    expect(badEvents.filter((b) => readCarrierEventsBody(b) !== null)).toEqual([]);
    expect(goodEvents.filter((b) => readCarrierEventsBody(b) === null)).toEqual([]);
    // What the consumer gets: the ids and reports as sent, missing lists as empty ones.
    expect(readDispatchBody({ ids: [id] })).toEqual({ ids: [id] });
    expect(readDispatchBody({ tenant: "t1", ids: [id] })).toEqual({ tenant: "t1", ids: [id] });
    expect(readCarrierEventsBody({ carrier: "simulator", events: {} })).toEqual({ carrier: "simulator", events: { reports: [], replies: [] } });
  });

  it("each broken body ends as a dead letter of its queue, acked, through the real consumers", async () => {
    const tag = crypto.randomUUID();
    const dispatch = badDispatch.map((body, i) => ({ id: `d${i}`, attempts: 1, body: { tag, body } }));
    // Wrapped bodies are malformed too (no ids / no events): checked separately below with the bare ones.
    const bare = [
      ...badDispatch.filter((b) => typeof b === "object" && b !== null).map((body, i) => ({ queue: "edgesms-dispatch", id: `bd${i}`, body })),
      ...badEvents.filter((b) => typeof b === "object" && b !== null).map((body, i) => ({ queue: "edgesms-carrier-events", id: `be${i}`, body })),
    ];
    const res = await runQueue("edgesms-dispatch", dispatch);
    expect(res.explicitAcks.sort()).toEqual(dispatch.map((d) => d.id).sort());
    for (const q of ["edgesms-dispatch", "edgesms-carrier-events"]) {
      const mine = bare.filter((b) => b.queue === q);
      const out = await runQueue(q, mine.map((b) => ({ id: b.id, attempts: 1, body: b.body })));
      expect(out.explicitAcks.sort()).toEqual(mine.map((b) => b.id).sort());
      for (const b of mine) expect(await rows("SELECT queue FROM dead_letters WHERE queue = ?1 AND body = ?2", q, JSON.stringify(b.body))).not.toEqual([]);
    }
    expect(await rows("SELECT COUNT(*) AS n FROM dead_letters WHERE body LIKE ?1", `%${tag}%`)).toEqual([{ n: dispatch.length }]);
  });
});

describe("carrier events on the queue", () => {
  it("a dispatch run's worth of reports (6,000, ~360 KB) is sent within sendBatch's 256 KB limit", async () => {
    // Ids no message has: the consumer applies nothing; what matters is that the queue took them.
    const reports = Array.from({ length: 6000 }, (_, i) => ({ message_id: String(9_000_000_000_000 + i), code: "10000" as const, segments: 1 }));
    await expect(enqueueReports(env, "simulator", reports, 0)).resolves.toBeUndefined();
  });
});

describe("dispatch batches of up to 100 bodies", () => {
  it("a batch of 1,200 ids (12 bodies of 100) is handed over whole, in runs of at most 1,000: every body acked, every message with the carrier", async () => {
    const s = await sender();
    const ids = [...(await queuedIds(s, Array.from({ length: 600 }, () => mobile()))), ...(await queuedIds(s, Array.from({ length: 600 }, () => mobile())))];
    expect(ids).toHaveLength(1200);
    const bodies = Array.from({ length: 12 }, (_, i) => ({ id: `b${i}`, attempts: 1, body: { ids: ids.slice(i * 100, i * 100 + 100) } }));
    const res = await runQueue("edgesms-dispatch", bodies);
    expect(res.explicitAcks.sort()).toEqual(bodies.map((b) => b.id).sort());
    const left = await rows<{ status: string; n: number }>(
      "SELECT status, COUNT(*) AS n FROM messages WHERE id IN (SELECT value FROM json_each(?1)) AND (status = 'queued' OR carrier_ref IS NULL) GROUP BY status",
      JSON.stringify(ids),
    );
    expect(left).toEqual([]);
  });

  it("an id in two runs that are in progress at once is claimed and handed over once; the other body waits for the lease", async () => {
    const s = await sender();
    const ids = [...(await queuedIds(s, Array.from({ length: 600 }, () => mobile()))), ...(await queuedIds(s, Array.from({ length: 500 }, () => mobile())))];
    expect(ids).toHaveLength(1100);
    // Bodies 0–9 make the first run (1,000 ids), body 10 and the duplicate of the first id the second.
    const bodies = [
      ...Array.from({ length: 11 }, (_, i) => ({ id: `b${i}`, attempts: 1, body: { ids: ids.slice(i * 100, i * 100 + 100) } })),
      { id: "dup", attempts: 1, body: { ids: [ids[0]!] } },
    ];
    const res = await runQueue("edgesms-dispatch", bodies);
    // Whichever run claimed the id first, the body of the other one (b0 or dup) finds it in flight.
    const retried: string[] = res.retryMessages.map((r: { msgId: string }) => r.msgId);
    expect(retried.length).toBeLessThanOrEqual(1);
    expect(retried.filter((id) => id !== "b0" && id !== "dup")).toEqual([]);
    expect([...res.explicitAcks, ...retried].sort()).toEqual(bodies.map((b) => b.id).sort());
    for (const r of res.retryMessages as Array<{ delaySeconds?: number }>) expect(r.delaySeconds).toBe(60);
    const seen = await rows<{ attempts: number; with_ref: number; n: number }>(
      "SELECT attempts, carrier_ref IS NOT NULL AS with_ref, COUNT(*) AS n FROM messages WHERE id IN (SELECT value FROM json_each(?1)) GROUP BY 1, 2",
      JSON.stringify(ids),
    );
    expect(seen).toEqual([{ attempts: 1, with_ref: 1, n: 1100 }]);
  });
});
