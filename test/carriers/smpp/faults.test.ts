// A bind under trouble, against the real SMSC told to misbehave: a dropped connection mid-window (no
// message written twice, none lost), a submit never answered (unknown, never resent), throttling
// (the bind slows down), the window and the rate never exceeded, keep-alive, unbind on a change.
import { describe, expect, it } from "vitest";
import { admin } from "../../admin/helpers";
import type { SubmitResult } from "../../../src/carriers/types";
import { randomHex } from "../../../src/core/crypto";
import { mobile } from "../../helpers/fixtures";
import { queuedIds, rows, runQueue, sender } from "../../jobs/support";
import { control, eventually, makeSmppCarrier, outbound, records } from "./support";

/** The SMPP figures of GET /admin/v1/carriers/{name}/status. */
const status = async (name: string) => (await admin("GET", `/carriers/${name}/status`)).body.details;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("SMPP faults", () => {
  it("the SMSC drops the connection mid-window: unanswered ones are unknown and never written again, the rest go once", async () => {
    const t = await makeSmppCarrier();
    await control("/faults", { systemId: t.systemId, responseDelayMs: 300, dropAfter: 3 });
    const ms = Array.from({ length: 8 }, (_, i) => outbound(`window ${i}`));
    const first = await t.carrier.submit(ms);
    expect(first.map((r) => r.outcome)).toContain("unknown");
    expect(first).not.toHaveLength(0);
    expect(first.filter((r) => !(r.outcome === "unknown" || r.outcome === "transient"))).toEqual([]);

    await control("/faults", { systemId: t.systemId, responseDelayMs: 0 });
    const second = await t.carrier.submit(ms.map((m) => ({ ...m, attempts: 2 })));
    const byId = new Map<string, SubmitResult>(second.map((r) => [r.id, r]));
    for (const r of first) {
      // Unknown stays unknown (reconciled by a receipt or ending unknown); transient is sent now.
      expect(byId.get(r.id)!.outcome).toBe(r.outcome === "unknown" ? "unknown" : "sent");
    }
    const subs = (await records(t.systemId)).submits;
    for (const m of ms) expect(subs.filter((s) => s.destAddr === m.mobile.slice(1)).length).toBeLessThanOrEqual(1);
    const sent = second.filter((r) => r.outcome === "sent").length;
    expect(subs.filter((s) => s.answer === 0).length).toBe(sent);
    expect(await status(t.name)).toMatchObject({ bindsUp: 1 });
  });

  it("a submit never answered is unknown: not written again on resubmit, pending without refs to a query", async () => {
    const t = await makeSmppCarrier();
    await control("/faults", { systemId: t.systemId, silent: 1 });
    const m = outbound("no answer");
    const [r] = await t.carrier.submit([m]);
    expect(r).toMatchObject({ id: m.id, outcome: "unknown" });
    const [again] = await t.carrier.submit([{ ...m, attempts: 2 }]);
    expect(again).toMatchObject({ id: m.id, outcome: "unknown" });
    expect((await records(t.systemId)).submits).toHaveLength(1);
    expect(await t.carrier.query!([{ id: m.id, mobile: m.mobile, refs: [], submittedAt: Date.now() }])).toEqual([{ id: m.id, state: "pending" }]);
  });

  it("ESME_RTHROTTLED slows the bind: the part is retried after growing pauses and sent once accepted", async () => {
    const t = await makeSmppCarrier();
    await control("/faults", { systemId: t.systemId, throttle: 3 });
    const m = outbound("slow down");
    const [r] = await t.carrier.submit([m]);
    expect(r).toMatchObject({ outcome: "sent" });
    const subs = (await records(t.systemId)).submits;
    expect(subs.map((s) => s.answer)).toEqual([0x58, 0x58, 0x58, 0]);
    const gaps = subs.slice(1).map((s, i) => s.at - subs[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(200);
    expect(gaps[1]).toBeGreaterThanOrEqual(450);
    expect(gaps[2]).toBeGreaterThanOrEqual(900);
  });

  it("the window is never exceeded, and is used", async () => {
    const t = await makeSmppCarrier({ settings: { window: 3, tps: 1000 } });
    await control("/faults", { systemId: t.systemId, responseDelayMs: 150 });
    const rs = await t.carrier.submit(Array.from({ length: 15 }, (_, i) => outbound(`w ${i}`)));
    expect(rs).not.toHaveLength(0);
    expect(rs.filter((r) => !(r.outcome === "sent"))).toEqual([]);
    const rec = await records(t.systemId);
    expect(rec.submits).toHaveLength(15);
    expect(rec.maxOutstanding).toBe(3);
    expect((await status(t.name)).perBind).toEqual([expect.objectContaining({ peakInFlight: 3 })]);
  });

  it("the rate cap spaces parts at 1/tps", async () => {
    const t = await makeSmppCarrier({ settings: { tps: 10 } });
    const rs = await t.carrier.submit([outbound("x".repeat(400)), outbound("rate"), outbound("cap")]);
    expect(rs).not.toHaveLength(0);
    expect(rs.filter((r) => !(r.outcome === "sent"))).toEqual([]);
    const subs = (await records(t.systemId)).submits;
    expect(subs).toHaveLength(5);
    const ats = subs.map((s) => s.at).sort((a, b) => a - b);
    expect(ats[4]! - ats[0]!).toBeGreaterThanOrEqual(4 * 100 - 20);
  });

  it("enquire_link keeps an idle bind up", { timeout: 20_000 }, async () => {
    const t = await makeSmppCarrier({ settings: { enquireLinkSeconds: 5 } });
    await eventually(async () => ((await records(t.systemId)).enquireLinks >= 1 ? true : undefined), 12_000);
    const rec = await records(t.systemId);
    expect(rec.connected).toBe(1);
    expect(rec.binds).toHaveLength(1);
    expect(await status(t.name)).toMatchObject({ bindsUp: 1 });
  });

  it("binds refused for a while: submits answer transient, the alarm keeps retrying with backoff, then it is up", { timeout: 20_000 }, async () => {
    const t = await makeSmppCarrier({ refuseBinds: true });
    const m = outbound("waits");
    const [r] = await t.carrier.submit([m]);
    expect(r).toMatchObject({ outcome: "transient", reason: "bind refused: ESME_RBINDFAIL" });
    await control("/faults", { systemId: t.systemId, refuseBinds: false });
    // Nothing is submitted meanwhile: the object's alarm rebinds on its own.
    await eventually(async () => ((await status(t.name)).bindsUp === 1 ? true : undefined), 15_000);
    const binds = (await records(t.systemId)).binds.map((b) => b.status);
    expect(binds.at(-1)).toBe(0);
    // Every bind before the last was refused with ESME_RBINDFAIL (0x0d).
    expect(binds.length).toBeGreaterThan(1);
    expect(binds.slice(0, -1).filter((s) => s !== 0x0d)).toEqual([]);
    const [again] = await t.carrier.submit([{ ...m, attempts: 2 }]);
    expect(again).toMatchObject({ outcome: "sent" });
    expect((await records(t.systemId)).submits).toHaveLength(1);
  });

  it("after the SMSC drops an idle bind, it rebinds and sends", async () => {
    const t = await makeSmppCarrier();
    await control("/drop", { systemId: t.systemId });
    await sleep(100);
    const [r] = await t.carrier.submit([outbound("after the drop")]);
    expect(r).toMatchObject({ outcome: "sent" });
    expect((await records(t.systemId)).binds).toHaveLength(2);
    expect((await status(t.name)).lastError).toBe("connection closed by the SMSC");
  });

  it("disabling the carrier (PATCH) unbinds: the SMSC sees unbind, further submits are transient", async () => {
    const t = await makeSmppCarrier();
    expect((await admin("PATCH", `/carriers/${t.name}`, { enabled: false })).status).toBe(200);
    await eventually(async () => ((await records(t.systemId)).connected === 0 ? true : undefined));
    expect((await records(t.systemId)).unbinds).toBe(1);
    const [r] = await t.carrier.submit([outbound("not any more")]);
    expect(r).toMatchObject({ outcome: "transient" });
    expect((r as { reason: string }).reason).toContain("disabled");
    expect((await records(t.systemId)).submits).toHaveLength(0);
  });

  it("a carrier whose bind cannot come up passes its messages to the next carrier of the rule", async () => {
    const t = await makeSmppCarrier({ wrongPassword: true });
    const s = await sender();
    expect((await admin("PUT", "/routes", [{ tenant: s.tenant.id, carriers: [t.name, "simulator"] }, { carriers: ["simulator"] }])).status).toBe(200);
    const ids = await queuedIds(s, [mobile()]);
    await runQueue("edgesms-dispatch", [{ id: `q-${randomHex(4)}`, attempts: 1, body: { ids } }]);
    expect(await rows("SELECT carrier, status FROM messages WHERE id = ?1", ids[0])).toEqual([{ carrier: "simulator", status: expect.stringMatching(/submitted|delivered/) }]);
    expect((await records(t.systemId)).submits).toHaveLength(0);
    expect(await status(t.name)).toMatchObject({ bindsUp: 0, lastError: "bind refused: ESME_RINVPASWD" });
  });
});
