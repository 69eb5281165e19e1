// What comes back over a bind, end to end: messages routed to an SMPP carrier are dispatched by the
// real consumer, the local SMSC's receipts come back as deliver_sm and finalise them (multipart when
// every part has one; an early receipt is kept and matched; a duplicate changes nothing); replies
// (MO), concatenated ones reassembled in the bind, reach the tenant, opt-out words included.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomHex } from "../../../src/core/crypto";
import { acceptSend } from "../../../src/core/send";
import { countSegments } from "../../../src/core/segments";
import { admin } from "../../admin/helpers";
import { makeSignature, makeTenant, mobile } from "../../helpers/fixtures";
import { messagesOf, queuedIds, rows, runQueue, sender, special, type Sender } from "../../jobs/support";
import { control, eventually, makeSmppCarrier, outbound, records, type TestSmpp } from "./support";

/** A sender whose messages route to the carrier. */
async function routedTo(t: TestSmpp): Promise<Sender> {
  const s = await sender();
  expect((await admin("PUT", "/routes", [{ tenant: s.tenant.id, carriers: [t.name] }, { carriers: ["simulator"] }])).status).toBe(200);
  return s;
}

/** Queued messages with a given text (accepted as scheduled, flipped to queued: the test drives dispatch). */
async function queuedWith(s: Sender, mobiles: string[], text: string): Promise<string[]> {
  const drafts = mobiles.map((m) => ({ mobile: m, text: `【${s.signature}】${text}`, signature: s.signature }));
  const res = await acceptSend(env, drafts, { tenant: s.tenant, app: s.app, kind: "notification", mode: "each", sendAt: Date.now() + 3_600_000 });
  const ids = res.items.filter((i) => i.ok).map((i) => i.messageId);
  await env.DB.prepare("UPDATE messages SET status = 'queued' WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(ids)).run();
  return ids;
}

const dispatch = (ids: string[]) => runQueue("edgesms-dispatch", [{ id: `q-${randomHex(4)}`, attempts: 1, body: { ids } }]);

const statusOf = (id: string, want: string) =>
  eventually(async () => {
    const m = (await messagesOf([id]))[0];
    return m?.status === want ? m : undefined;
  });

describe("SMPP receipts, end to end", () => {
  it("dispatched over the bind, delivered by the SMSC's receipt; a duplicate receipt changes nothing", async () => {
    const t = await makeSmppCarrier();
    const s = await routedTo(t);
    const [id] = await queuedIds(s, [mobile()]);
    await dispatch([id!]);
    expect((await messagesOf([id!]))[0]).toMatchObject({ status: expect.stringMatching(/submitted|delivered/) });
    expect(await statusOf(id!, "delivered")).toMatchObject({ result_code: "10000" });
    const sub = (await records(t.systemId)).submits[0]!;
    expect((await control<{ status: number }>("/receipt", { systemId: t.systemId, id: sub.messageId, stat: "UNDELIV" })).status).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await messagesOf([id!]))[0]).toMatchObject({ status: "delivered", result_code: "10000" });
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", id)).toEqual([{ code: "10000" }]);
    const rec = await records(t.systemId);
    expect(rec.delivers.map((d) => [d.esmClass, d.status])).toEqual([[4, 0], [4, 0]]);
  });

  it("an undeliverable number: UNDELIV → undelivered, code 4", async () => {
    const t = await makeSmppCarrier();
    const s = await routedTo(t);
    const [id] = await queuedIds(s, [special("0004")]);
    await dispatch([id!]);
    expect(await statusOf(id!, "undelivered")).toMatchObject({ result_code: "4" });
  });

  it("a refused number is failed at submit (permanent, refunded)", async () => {
    const t = await makeSmppCarrier();
    const s = await routedTo(t);
    const [id] = await queuedIds(s, [special("0001")]);
    await dispatch([id!]);
    expect((await messagesOf([id!]))[0]).toMatchObject({ status: "undelivered", result_code: "1" });
  });

  it("a multipart message is final only when every part has its receipt", async () => {
    const t = await makeSmppCarrier();
    await control("/faults", { systemId: t.systemId, noReceipts: true });
    const s = await routedTo(t);
    const [id] = await queuedWith(s, [mobile()], "您的订单已发货，请注意查收。".repeat(8));
    await dispatch([id!]);
    const subs = (await records(t.systemId)).submits;
    expect(subs.map((x) => x.udh?.seq)).toEqual([1, 2]);
    await control("/receipt", { systemId: t.systemId, id: subs[1]!.messageId, stat: "DELIVRD" });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await messagesOf([id!]))[0]!.status).toBe("submitted");
    await control("/receipt", { systemId: t.systemId, id: subs[0]!.messageId, stat: "DELIVRD" });
    expect(await statusOf(id!, "delivered")).toMatchObject({ result_code: "10000" });
  });

  it("a receipt before the gateway recorded the refs is kept and matched when they are", async () => {
    const t = await makeSmppCarrier();
    await control("/faults", { systemId: t.systemId, noReceipts: true });
    const s = await routedTo(t);
    const [id] = await queuedIds(s, [mobile()]);
    // The bind sends it (as a dispatch whose answer was lost would), the receipt arrives at once...
    const [row] = await rows<{ mobile: string; content: string }>("SELECT mobile, content FROM messages WHERE id = ?1", id);
    const c = countSegments(row!.content);
    const [r] = await t.carrier.submit([outbound(row!.content, { id: id!, mobile: row!.mobile, encoding: c.encoding, segments: c.segments })]);
    const ref = (r as { refs: string[] }).refs[0]!;
    await control("/receipt", { systemId: t.systemId, id: ref, stat: "DELIVRD" });
    await eventually(async () => (await rows("SELECT ref FROM receipts WHERE carrier = ?1 AND ref = ?2", t.name, ref))[0]);
    expect((await messagesOf([id!]))[0]!.status).toBe("queued");
    // ...then dispatch submits it: the bind answers its recorded refs, the kept receipt finalises it.
    await dispatch([id!]);
    expect(await statusOf(id!, "delivered")).toMatchObject({ result_code: "10000" });
    expect((await records(t.systemId)).submits).toHaveLength(1);
  });
});

describe("SMPP replies", () => {
  it("a reply to source address + extension reaches the tenant; TD opts the mobile out", async () => {
    const t = await makeSmppCarrier();
    const tenant = await makeTenant();
    const sig = await makeSignature(tenant);
    const from = `86${mobile()}`;
    const res = await control<{ statuses: number[] }>("/mo", { systemId: t.systemId, from, to: `${t.sourceAddr}${sig.id}`, text: "TD" });
    expect(res.statuses).toEqual([0]);
    const got = await eventually(async () => (await rows("SELECT tenant_id, mobile, content, extension, carrier FROM inbound WHERE carrier = ?1", t.name))[0]);
    expect(got).toEqual({ tenant_id: tenant.id, mobile: `+${from}`, content: "TD", extension: String(sig.id), carrier: t.name });
    expect(await eventually(async () => (await rows("SELECT mobile FROM opt_outs WHERE tenant_id = ?1", tenant.id))[0])).toEqual({ mobile: `+${from}` });
  });

  it("a reply to the bare source address goes to the tenant that last messaged that mobile", async () => {
    const t = await makeSmppCarrier();
    const s = await routedTo(t);
    const m = mobile();
    const [id] = await queuedIds(s, [m]);
    await dispatch([id!]);
    const res = await control<{ statuses: number[] }>("/mo", { systemId: t.systemId, from: `86${m}`, to: t.sourceAddr, text: "收到" });
    expect(res.statuses).toEqual([0]);
    const got = await eventually(async () => (await rows("SELECT tenant_id, content, extension FROM inbound WHERE carrier = ?1", t.name))[0]);
    expect(got).toEqual({ tenant_id: s.tenant.id, content: "收到", extension: null });
  });

  it("a concatenated UCS-2 reply is reassembled from its parts, and a redelivery of the same PDU is not a second reply", async () => {
    const t = await makeSmppCarrier();
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
