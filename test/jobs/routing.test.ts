// Dispatch along routes: the first matching rule (tenant, kind, destination prefix) names the
// carriers in failover order; a disabled carrier, an open circuit or a transient failure passes the
// message on within the same attempt; no matching rule leaves it queued for a retry.
import { describe, expect, it } from "vitest";
import { randomDigits, randomHex } from "../../src/core/crypto";
import { env } from "cloudflare:workers";
import { FAILURE_RUN, OPEN_MS } from "../../src/carriers/gate";
import { admin } from "../admin/helpers";
import { mobile } from "../helpers/fixtures";
import { queuedIds, rows, runQueue, sender, special } from "./support";

async function carrier(extra: Record<string, unknown> = {}): Promise<string> {
  const name = `r-${randomHex(4)}`;
  const res = await admin("POST", "/carriers", { name, type: "simulator", simulator: {}, ...extra });
  expect(res.status).toBe(201);
  return name;
}

const carriersOf = async (ids: string[]) =>
  (await rows<{ id: string; carrier: string | null; status: string }>(
    "SELECT id, carrier, status FROM messages WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
    JSON.stringify(ids),
  )).map((r) => [r.carrier, r.status]);

const dispatch = (ids: string[], attempts = 1) => runQueue("edgesms-dispatch", [{ id: `q-${randomHex(3)}`, attempts, body: { ids } }]);

describe("routing", () => {
  it("picks the first rule matching tenant, kind and destination prefix", async () => {
    const [byTenant, byKind, byPrefix] = [await carrier(), await carrier(), await carrier()];
    const s = await sender();
    const other = await sender();
    await admin("PUT", "/routes", [
      { tenant: s.tenant.id, prefix: "861380", carriers: [byTenant] },
      { kind: "marketing", carriers: [byKind] },
      { prefix: "+861381", carriers: [byPrefix] },
      { carriers: ["simulator"] },
    ]);
    const tenantHit = await queuedIds(s, [`1380${randomDigits(7)}`]);
    const prefixHit = await queuedIds(other, [`1381${randomDigits(7)}`, `1380${randomDigits(7)}`]);
    await dispatch([...tenantHit, ...prefixHit]);
    expect(await carriersOf(tenantHit)).toEqual([[byTenant, "submitted"]]);
    const [a, b] = await rows<{ mobile: string; carrier: string }>(
      "SELECT mobile, carrier FROM messages WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY mobile",
      JSON.stringify(prefixHit),
    );
    expect([a!.carrier, b!.carrier]).toEqual(["simulator", byPrefix]);

    const marketing = await queuedIds(other, [mobile()], "marketing");
    await dispatch(marketing);
    expect((await carriersOf(marketing))[0]![0]).toBe(byKind);
    await admin("PUT", "/routes", []);
  });

  it("a disabled carrier passes its messages to the next carrier of the rule", async () => {
    const off = await carrier({ enabled: false });
    const next = await carrier();
    const s = await sender();
    await admin("PUT", "/routes", [{ tenant: s.tenant.id, carriers: [off, next] }, { carriers: ["simulator"] }]);
    const ids = await queuedIds(s, [mobile(), mobile()]);
    const res = await dispatch(ids);
    expect(res.explicitAcks).toHaveLength(1);
    expect(await carriersOf(ids)).toEqual([[next, "submitted"], [next, "submitted"]]);
    await admin("PUT", "/routes", []);
  });

  it("no matching rule: the message stays queued and the queue message is retried", async () => {
    const s = await sender();
    const stranger = await sender();
    await admin("PUT", "/routes", [{ tenant: stranger.tenant.id, carriers: ["simulator"] }]);
    const ids = await queuedIds(s, [mobile()]);
    const res = await dispatch(ids);
    expect(res.retryMessages).toHaveLength(1);
    expect(await carriersOf(ids)).toEqual([[null, "queued"]]);
    await admin("PUT", "/routes", []);
  });

  it("a run of transient failures opens the carrier's circuit", async () => {
    const flaky = await carrier();
    const s = await sender();
    await admin("PUT", "/routes", [{ tenant: s.tenant.id, carriers: [flaky] }, { carriers: ["simulator"] }]);
    // …0098 fails transiently on its first two attempts.
    const ids = await queuedIds(s, Array.from({ length: FAILURE_RUN }, () => special("0098")));
    const res = await dispatch(ids);
    expect(res.retryMessages).toHaveLength(1);
    const status = await admin("GET", `/carriers/${flaky}/status`);
    expect(status.body).toMatchObject({ circuit: { state: "open", consecutive_failures: FAILURE_RUN }, recent: { outcomes: FAILURE_RUN, error_rate: 1 } });
    expect(status.body.last_error).toMatch(/transient failure/);
    await admin("PUT", "/routes", []);
  });

  it("an open circuit passes messages to the next carrier; after the pause one probe goes through and its success closes it", async () => {
    const flaky = await carrier();
    const backup = await carrier();
    const gate = env.CARRIER_GATE.get(env.CARRIER_GATE.idFromName(flaky));
    await gate.report(0, FAILURE_RUN, 10, "down");
    const s = await sender();
    await admin("PUT", "/routes", [{ tenant: s.tenant.id, carriers: [flaky, backup] }, { carriers: ["simulator"] }]);
    const ids = await queuedIds(s, [mobile(), mobile()]);
    expect((await dispatch(ids)).explicitAcks).toHaveLength(1);
    expect(await carriersOf(ids)).toEqual([[backup, "submitted"], [backup, "submitted"]]);
    expect((await admin("GET", `/carriers/${flaky}/status`)).body.recent.outcomes).toBe(FAILURE_RUN);

    const later = Date.now() + OPEN_MS + 1;
    expect(await gate.admit([1, 1], null, later)).toEqual({ allowed: true, admitted: 1, retryAfterMs: 0 });
    expect((await gate.admit([1], null, later)).allowed).toBe(false);
    expect(await gate.report(1, 0, 10, null, later)).toBe("closed");
    expect(await gate.admit([1, 1], null, later)).toEqual({ allowed: true, admitted: 2, retryAfterMs: 0 });
    await admin("PUT", "/routes", []);
  });

  it("a throughput cap meters parts per second across calls", async () => {
    const gate = env.CARRIER_GATE.get(env.CARRIER_GATE.idFromName(`cap-${randomHex(4)}`));
    const t = Date.now();
    expect(await gate.admit([2, 2, 2], 5, t)).toEqual({ allowed: true, admitted: 2, retryAfterMs: 200 });
    expect((await gate.admit([2], 5, t + 100)).admitted).toBe(0);
    expect((await gate.admit([2], 5, t + 400)).admitted).toBe(1);
  });
});
