// SMPP submits through the real bind object talking TCP to the local SMSC: bind, wrong password,
// GSM texts with and without extension characters, a long Chinese text checked on the wire,
// idempotence per message id.
import { describe, expect, it } from "vitest";
import { smppKind } from "../../../src/carriers/smpp/kind";
import { admin } from "../../admin/helpers";
import type { SmppSettings } from "../../../src/carriers/smpp/settings";
import { decodeText } from "../../../src/carriers/smpp/encoding";
import { fromHex, makeSmppCarrier, outbound, records, toHex } from "./support";

/** The SMPP figures of GET /admin/v1/carriers/{name}/status. */
const status = async (name: string) => (await admin("GET", `/carriers/${name}/status`)).body.details;

describe("SMPP submit", () => {
  it("binds as a transceiver and sends a short GSM text: one submit_sm, data_coding 0, receipt asked", async () => {
    const t = await makeSmppCarrier();
    const m = outbound("Your code is 123456");
    const [r] = await t.carrier.submit([m]);
    const rec = await records(t.systemId);
    expect(rec.binds).toEqual([expect.objectContaining({ status: 0 })]);
    expect(rec.submits).toHaveLength(1);
    const s = rec.submits[0]!;
    expect(r).toEqual({ id: m.id, outcome: "sent", refs: [s.messageId] });
    expect(s).toMatchObject({ destAddr: m.mobile.slice(1), destTon: 1, sourceAddr: t.sourceAddr, esmClass: 0, dataCoding: 0, registeredDelivery: 1, udh: null });
    expect(decodeText(fromHex(s.shortMessage), 1)).toBe("Your code is 123456");
    expect(await status(t.name)).toMatchObject({ binds: 1, bindsUp: 1, inFlight: 0, lastError: null });
  });

  it("GSM extension characters go as ESC + code, counted as two septets", async () => {
    const t = await makeSmppCarrier();
    const m = outbound("Price: 5€ {ok} [x]");
    expect(m.encoding).toBe("gsm7");
    const [r] = await t.carrier.submit([m]);
    expect(r!.outcome).toBe("sent");
    const s = (await records(t.systemId)).submits[0]!;
    expect(s.dataCoding).toBe(0);
    const ascii = (t: string) => [...t].map((c) => c.charCodeAt(0));
    expect(s.shortMessage).toBe(toHex([...ascii("Price: 5"), 0x1b, 0x65, 0x20, 0x1b, 0x28, ...ascii("ok"), 0x1b, 0x29, 0x20, 0x1b, 0x3c, 0x78, 0x1b, 0x3e]));
  });

  it("a long Chinese text goes as the billed UCS-2 parts with one concatenation reference", async () => {
    const t = await makeSmppCarrier();
    const text = "【测试】" + "您的订单已发货，请注意查收。".repeat(12);
    const m = outbound(text, { extension: "42" });
    expect(m.segments).toBe(3);
    const [r] = await t.carrier.submit([m]);
    const subs = (await records(t.systemId)).submits;
    expect(subs).toHaveLength(3);
    expect(r).toEqual({ id: m.id, outcome: "sent", refs: subs.map((s) => s.messageId) });
    const ref = subs[0]!.udh!.ref;
    subs.forEach((s, i) => {
      expect(s).toMatchObject({ dataCoding: 8, esmClass: 0x40, sourceAddr: `${t.sourceAddr}42`, udh: { ref, total: 3, seq: i + 1 } });
    });
    // 67 UTF-16 units per full part, the rest in the last: 6 octets of UDH + 2 per unit.
    expect(subs.map((s) => s.smLength)).toEqual([140, 140, 6 + 2 * (text.length - 134)]);
    const joined = subs.map((s) => decodeText(fromHex(s.shortMessage).subarray(6), 8)).join("");
    expect(joined).toBe(text);
  });

  it("a resubmit of an answered id returns the same refs without writing again", async () => {
    const t = await makeSmppCarrier();
    const m = outbound("hello again");
    const [a] = await t.carrier.submit([m]);
    const [b] = await t.carrier.submit([{ ...m, attempts: 2 }]);
    expect(b).toEqual(a);
    expect((await records(t.systemId)).submits).toHaveLength(1);
    const [q] = await t.carrier.query!([{ id: m.id, mobile: m.mobile, refs: [], submittedAt: Date.now() }]);
    expect(q).toEqual({ id: m.id, state: "pending", refs: (a as { refs: string[] }).refs });
    const [n] = await t.carrier.query!([{ id: "1", mobile: m.mobile, refs: [], submittedAt: Date.now() }]);
    expect(n).toEqual({ id: "1", state: "not_found" });
  });

  it("a refused number is permanent, and stays so on resubmit", async () => {
    const t = await makeSmppCarrier();
    const m = outbound("hi", { mobile: "+8613900000001" });
    const [r] = await t.carrier.submit([m]);
    expect(r).toEqual({ id: m.id, outcome: "permanent", reason: "refused by the SMSC: ESME_RINVDSTADR", code: "1" });
    expect(await t.carrier.submit([m])).toEqual([r]);
    expect((await records(t.systemId)).submits).toHaveLength(1);
  });

  it("a wrong password: the submit answers transient, nothing is written, the status shows why", async () => {
    const t = await makeSmppCarrier({ wrongPassword: true });
    const m = outbound("never sent");
    const [r] = await t.carrier.submit([m]);
    expect(r).toMatchObject({ id: m.id, outcome: "transient" });
    expect((r as { reason: string }).reason).toContain("ESME_RINVPASWD");
    const rec = await records(t.systemId);
    expect(rec.submits).toHaveLength(0);
    expect(rec.binds).not.toHaveLength(0);
    expect(rec.binds.filter((b) => !(b.status === 0x0e))).toEqual([]);
    expect(await status(t.name)).toMatchObject({ bindsUp: 0, lastError: "bind refused: ESME_RINVPASWD" });
  });

  it("TLS to an SMSC that does not speak it: transient, nothing written, the status says the connection failed", async () => {
    const t = await makeSmppCarrier({ settings: { tls: true } });
    const [r] = await t.carrier.submit([outbound("over TLS")]);
    expect(r).toMatchObject({ outcome: "transient" });
    expect((await records(t.systemId)).submits).toHaveLength(0);
    const st = await status(t.name);
    expect(st.bindsUp).toBe(0);
    expect(st.lastError).toMatch(/^connect failed: /);
  });

  it("spreads messages over the binds by id, the same id always to the same bind", async () => {
    const t = await makeSmppCarrier({ settings: { binds: 3 } satisfies Partial<SmppSettings> });
    const ms = Array.from({ length: 12 }, (_, i) => outbound(`msg ${i}`));
    const rs = await t.carrier.submit(ms);
    expect(rs).not.toHaveLength(0);
    expect(rs.filter((r) => !(r.outcome === "sent"))).toEqual([]);
    expect(new Set(rs.map((r) => r.id))).toEqual(new Set(ms.map((m) => m.id)));
    const again = await t.carrier.submit(ms);
    expect(again).toEqual(rs);
    const rec = await records(t.systemId);
    expect(rec.submits).toHaveLength(12);
    expect(rec.binds.length).toBeGreaterThan(1);
  });

  it("refuses invalid settings when saved", () => {
    const base = { host: "smsc.example", port: 2775, systemId: "edge", password: "secret", sourceAddr: "1069" };
    expect(smppKind.settings.safeParse(base).error).toBeUndefined();
    expect(smppKind.settings.parse(base)).toMatchObject({ tls: false, binds: 1, window: 10, tps: 50, systemType: "", enquireLinkSeconds: 30 });
    const bad = [{ systemId: "x".repeat(16) }, { password: "123456789" }, { binds: 11 }, { window: 0 }, { window: 101 }, { extra: 1 }, { port: 0 }];
    expect(bad.filter((b) => smppKind.settings.safeParse({ ...base, ...b }).success)).toEqual([]);
  });
});
