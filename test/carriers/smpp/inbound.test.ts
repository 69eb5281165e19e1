// What comes back over a bind: receipts (deliver_sm, esm_class 0x04) become reports on the carrier
// events queue and are applied by its real consumer; replies (MO), concatenated ones reassembled in
// the bind, reach the tenant by extension, opt-out words included; a redelivered reply is one reply.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeSignature, makeTenant, mobile } from "../../helpers/fixtures";
import { messagesOf, queuedIds, rows, sender } from "../../jobs/support";
import { control, eventually, makeSmppCarrier, outbound, records, type TestSmpp } from "./support";

/** A real accepted message, submitted over SMPP, stored as submitted with the SMSC's ref (as dispatch records it). */
async function submittedOverSmpp(t: TestSmpp, national: string, text = "您的包裹已签收") {
  const s = await sender();
  const [id] = await queuedIds(s, [national]);
  const m = outbound(`【${s.signature}】${text}`, { id: id!, mobile: `+86${national}` });
  const r = (await t.carrier.submit([m]))[0]!;
  if (r.outcome !== "sent") throw new Error(`not sent: ${JSON.stringify(r)}`);
  await env.DB.prepare("UPDATE messages SET status = 'submitted', carrier = ?2, carrier_ref = ?3, submitted_at = ?4 WHERE id = ?1")
    .bind(id, t.name, r.refs[0], Date.now())
    .run();
  return { id: id!, refs: r.refs };
}

const statusOf = async (id: string, want: string) => eventually(async () => ((await messagesOf([id]))[0]?.status === want ? (await messagesOf([id]))[0] : undefined));

describe("SMPP receipts", () => {
  it("a DELIVRD receipt reaches the queue and the message is delivered; a duplicate changes nothing", async () => {
    const t = await makeSmppCarrier();
    await control("/faults", { systemId: t.systemId, noReceipts: true });
    const { id, refs } = await submittedOverSmpp(t, mobile());
    expect((await control<{ status: number }>("/receipt", { systemId: t.systemId, id: refs[0], stat: "DELIVRD" })).status).toBe(0);
    expect(await statusOf(id, "delivered")).toMatchObject({ result_code: "10000" });
    expect((await control<{ status: number }>("/receipt", { systemId: t.systemId, id: refs[0], stat: "UNDELIV" })).status).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await messagesOf([id]))[0]).toMatchObject({ status: "delivered", result_code: "10000" });
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", id)).toEqual([{ code: "10000" }]);
  });

  it("the SMSC's own receipt for an undeliverable number: UNDELIV → code 4", async () => {
    const t = await makeSmppCarrier();
    await control("/faults", { systemId: t.systemId, noReceipts: true });
    const { id, refs } = await submittedOverSmpp(t, "13900000004");
    await control("/receipt", { systemId: t.systemId, id: refs[0], stat: "UNDELIV" });
    expect(await statusOf(id, "undelivered")).toMatchObject({ result_code: "4" });
    const rec = await records(t.systemId);
    expect(rec.delivers.map((d) => [d.esmClass, d.status])).toEqual([[4, 0]]);
  });

  it("receipts sent by the SMSC on its own after the delay are answered ESME_ROK, one per part", async () => {
    const t = await makeSmppCarrier();
    const m = outbound("x".repeat(200));
    const [r] = await t.carrier.submit([m]);
    expect(r).toMatchObject({ outcome: "sent", refs: [expect.any(String), expect.any(String)] });
    const rec = await eventually(async () => {
      const x = await records(t.systemId);
      return x.delivers.length === 2 ? x : undefined;
    });
    expect(rec.delivers.every((d) => d.esmClass === 4 && d.status === 0)).toBe(true);
  });
});

describe("SMPP replies", () => {
  it("a reply to source address + extension reaches the tenant; TD opts the mobile out", async () => {
    const t = await makeSmppCarrier({ start: true });
    const tenant = await makeTenant();
    const sig = await makeSignature(tenant);
    const from = `86${mobile()}`;
    const res = await control<{ statuses: number[] }>("/mo", { systemId: t.systemId, from, to: `${t.sourceAddr}${sig.id}`, text: "TD" });
    expect(res.statuses).toEqual([0]);
    const got = await eventually(async () => (await rows("SELECT tenant_id, mobile, content, extension, carrier FROM inbound WHERE carrier = ?1", t.name))[0]);
    expect(got).toEqual({ tenant_id: tenant.id, mobile: `+${from}`, content: "TD", extension: String(sig.id), carrier: t.name });
    expect(await eventually(async () => (await rows("SELECT mobile FROM opt_outs WHERE tenant_id = ?1", tenant.id))[0])).toEqual({ mobile: `+${from}` });
  });

  it("a concatenated UCS-2 reply is reassembled from its parts, and a redelivery of the same PDU is not a second reply", async () => {
    const t = await makeSmppCarrier({ start: true });
    const tenant = await makeTenant();
    const sig = await makeSignature(tenant);
    const from = `86${mobile()}`;
    const text = "谢谢，我已经收到了您的包裹通知，请明天上午送到前台，谢谢配合！".repeat(3);
    const res = await control<{ statuses: number[] }>("/mo", { systemId: t.systemId, from, to: `${t.sourceAddr}${sig.id}`, text, parts: 3 });
    expect(res.statuses).toEqual([0, 0, 0]);
    const got = await eventually(async () => (await rows<{ content: string }>("SELECT content FROM inbound WHERE carrier = ?1", t.name))[0]);
    expect(got.content).toBe(text);
    await control("/mo", { systemId: t.systemId, from, to: `${t.sourceAddr}${sig.id}`, text: "好的" });
    await control("/mo", { systemId: t.systemId, from, to: `${t.sourceAddr}${sig.id}`, text: "好的" });
    await eventually(async () => ((await rows("SELECT id FROM inbound WHERE carrier = ?1", t.name)).length >= 2 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    expect((await rows("SELECT content FROM inbound WHERE carrier = ?1 ORDER BY id", t.name)).map((r) => r.content)).toEqual([text, "好的"]);
  });
});
