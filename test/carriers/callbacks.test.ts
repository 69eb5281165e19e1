// POST /webhooks/carriers/{carrier}: secret checked in constant time, body validated, reports and
// replies applied idempotently; a refused call changes nothing.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mobile } from "../helpers/fixtures";
import { messagesOf, queuedIds, rows, runQueue, sender } from "../jobs/support";

const post = (body: unknown, opts: { secret?: string | null; carrier?: string; raw?: string; type?: string } = {}) =>
  exports.default.fetch(`http://gw/webhooks/carriers/${opts.carrier ?? "simulator"}`, {
    method: "POST",
    headers: {
      "content-type": opts.type ?? "application/json",
      ...(opts.secret === null ? {} : { "x-carrier-secret": opts.secret ?? "test-carrier-secret" }),
    },
    body: opts.raw ?? JSON.stringify(body),
  });

/** A message the simulator took, with its references recorded as dispatch records them (one per part), not reported yet. */
async function submitted(parts = 1) {
  const s = await sender();
  const ids = await queuedIds(s, [mobile()]);
  const id = ids[0]!;
  await env.DB.prepare("UPDATE messages SET status = 'submitted', carrier = 'simulator', carrier_ref = ?2, submitted_at = ?3 WHERE id = ?1")
    .bind(id, `ref-${id}`, Date.now())
    .run();
  for (let part = 1; part <= parts; part++) {
    await env.DB.prepare("INSERT INTO carrier_refs (carrier, ref, message_id, part, created_at) VALUES ('simulator', ?1, ?2, ?3, 0)")
      .bind(part === 1 ? `ref-${id}` : `ref-${id}-${part}`, id, part)
      .run();
  }
  return { s, id };
}

describe("carrier callbacks", () => {
  it("applies a report by carrier ref: status, code, report row; a repeat changes nothing", async () => {
    const { id } = await submitted();
    const body = { reports: [{ ref: `ref-${id}`, code: "6", reported_at: 1_700_000_000_000 }] };
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reports: { applied: 1, receipts: 1, ignored: 0 }, replies: { stored: 0, duplicates: 0, unroutable: 0, optOuts: 0 } });
    expect((await messagesOf([id]))[0]).toMatchObject({ status: "undelivered", result_code: "6" });
    const m = await rows("SELECT segments, reported_at, result_message FROM messages WHERE id = ?1", id);
    expect(m).toEqual([{ segments: 1, reported_at: 1_700_000_000_000, result_message: "rejected" }]);

    const again = await post({ reports: [{ ref: `ref-${id}`, code: "10000" }] });
    expect(await again.json()).toMatchObject({ reports: { applied: 0, receipts: 0, ignored: 1 } });
    expect((await messagesOf([id]))[0]!.status).toBe("undelivered");
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", id)).toEqual([{ code: "6" }]);
  });

  it("a wrong, missing or empty secret is 401 and changes nothing", async () => {
    const { id } = await submitted();
    for (const secret of ["wrong", null, "", "test-carrier-secreT", "test-carrier-secret-and-more"]) {
      const res = await post({ reports: [{ message_id: id, code: "10000" }] }, { secret });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "missing or wrong X-Carrier-Secret" } });
    }
    expect((await messagesOf([id]))[0]!.status).toBe("submitted");
  });

  it("refuses bad input with a clear 4xx and applies nothing", async () => {
    const { id } = await submitted();
    const cases: Array<[unknown, { raw?: string; type?: string; carrier?: string }, number, string]> = [
      [null, { raw: "{not json" }, 400, "invalid_input"],
      [null, { raw: "" }, 400, "invalid_input"],
      [null, { raw: "a=1", type: "application/x-www-form-urlencoded" }, 415, "unsupported_media_type"],
      [{ reports: [{ message_id: id, code: "2" }] }, {}, 400, "invalid_input"],
      [{ reports: [{ code: "10000" }] }, {}, 400, "invalid_input"],
      [{ reports: "x" }, {}, 400, "invalid_input"],
      [{ reports: [] }, {}, 400, "invalid_input"],
      [{ replies: [{ ref: "r1", mobile: "139", content: "" }] }, {}, 400, "invalid_input"],
      [{ reports: [{ message_id: id, code: "10000" }] }, { carrier: "cmcc" }, 404, "unknown_carrier"],
    ];
    for (const [body, opts, status, code] of cases) {
      const res = await post(body, opts);
      expect(res.status, JSON.stringify(body ?? opts)).toBe(status);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe(code);
      expect(json.error.message.length).toBeGreaterThan(5);
    }
    const bad = (await (await post({ reports: [{ message_id: id, code: "2" }] })).json()) as { error: { message: string } };
    expect(bad.error.message).toMatch(/^reports\.0\.code: /);
    expect((await messagesOf([id]))[0]!.status).toBe("submitted");
    const get = await exports.default.fetch("http://gw/webhooks/carriers/simulator", { headers: { "x-carrier-secret": "test-carrier-secret" } });
    expect(get.status).toBe(405);
  });

  it("a report for another carrier's message is ignored; a receipt for an unknown ref is kept for later", async () => {
    const { id } = await submitted();
    await env.DB.prepare("UPDATE messages SET carrier = 'cmcc' WHERE id = ?1").bind(id).run();
    const ref = `nope-${id}`;
    const res = await post({ reports: [{ message_id: id, code: "10000" }, { ref, code: "10000" }] });
    expect(await res.json()).toMatchObject({ reports: { applied: 0, receipts: 1, ignored: 1 } });
    expect((await messagesOf([id]))[0]!.status).toBe("submitted");
    expect(await rows("SELECT code FROM receipts WHERE carrier = 'simulator' AND ref = ?1", ref)).toEqual([{ code: "10000" }]);
  });

  it("a multipart message is final when every part has its receipt: the first part that failed gives the code; duplicates change nothing", async () => {
    const { id } = await submitted(3);
    const first = await post({ reports: [{ ref: `ref-${id}`, code: "10000" }, { ref: `ref-${id}-3`, code: "10000" }] });
    expect(await first.json()).toMatchObject({ reports: { applied: 0, receipts: 2, ignored: 0 } });
    expect((await messagesOf([id]))[0]!.status).toBe("submitted");
    const dup = await post({ reports: [{ ref: `ref-${id}-3`, code: "4" }] });
    expect(await dup.json()).toMatchObject({ reports: { applied: 0, receipts: 0, ignored: 1 } });
    const last = await post({ reports: [{ ref: `ref-${id}-2`, code: "4" }] });
    expect(await last.json()).toMatchObject({ reports: { applied: 1, receipts: 1, ignored: 0 } });
    expect((await messagesOf([id]))[0]).toMatchObject({ status: "undelivered", result_code: "4" });
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", id)).toEqual([{ code: "4" }]);
  });

  it("stores a reply once per carrier ref, routed by signature or extension", async () => {
    const s = await sender();
    const m = mobile();
    const sig = await rows<{ id: number }>("SELECT id FROM signatures WHERE tenant_id = ?1", s.tenant.id);
    const replies = [
      { ref: `mo-${m}-1`, mobile: m, content: "好的", signature: s.signature },
      { ref: `mo-${m}-2`, mobile: `+86${m}`, content: "收到", extension: String(sig[0]!.id) },
      { ref: `mo-${m}-3`, mobile: m, content: "?", signature: "没有这个签名" },
    ];
    const res = await post({ replies });
    expect(await res.json()).toMatchObject({ replies: { stored: 2, duplicates: 0, unroutable: 1, optOuts: 0 } });
    const again = await post({ replies: replies.slice(0, 2) });
    expect(await again.json()).toMatchObject({ replies: { stored: 0, duplicates: 2 } });
    const inbound = await rows("SELECT mobile, content, signature, extension, carrier FROM inbound WHERE tenant_id = ?1 ORDER BY id", s.tenant.id);
    expect(inbound).toEqual([
      { mobile: `+86${m}`, content: "好的", signature: s.signature, extension: null, carrier: "simulator" },
      { mobile: `+86${m}`, content: "收到", signature: s.signature, extension: String(sig[0]!.id), carrier: "simulator" },
    ]);
  });

  it("a reply naming no signature or extension goes to the tenant that last messaged that mobile through this carrier", async () => {
    const older = await sender();
    const newer = await sender();
    const m = mobile();
    for (const s of [older, newer]) {
      const [id] = await queuedIds(s, [m]);
      await env.DB.prepare("UPDATE messages SET status = 'submitted', carrier = 'simulator', created_at = ?2 WHERE id = ?1")
        .bind(id, s === older ? 1_000 : 2_000)
        .run();
    }
    const res = await post({ replies: [{ ref: `bare-${m}`, mobile: m, content: "TD" }] });
    expect(await res.json()).toMatchObject({ replies: { stored: 1, unroutable: 0, optOuts: 1 } });
    expect(await rows("SELECT tenant_id, signature FROM inbound WHERE carrier_ref = ?1", `bare-${m}`)).toEqual([
      { tenant_id: newer.tenant.id, signature: newer.signature },
    ]);
    expect(await rows("SELECT tenant_id FROM opt_outs WHERE mobile = ?1", `+86${m}`)).toEqual([{ tenant_id: newer.tenant.id }]);
  });

  it("the simulator's own reports travel through the carrier-events queue with the same effect", async () => {
    const { id } = await submitted();
    const res = await runQueue("edgesms-carrier-events", [
      { id: "e1", attempts: 1, body: { carrier: "simulator", events: { reports: [{ message_id: id, code: "10000" }] } } },
      { id: "e2", attempts: 1, body: { carrier: "simulator", events: { reports: [{ message_id: "x", code: "10000" }] } } },
    ]);
    expect(res.explicitAcks.sort()).toEqual(["e1", "e2"]);
    expect((await messagesOf([id]))[0]!.status).toBe("delivered");
    expect(await rows("SELECT queue FROM dead_letters WHERE body LIKE ?1", `%"message_id":"x"%`)).toEqual([{ queue: "edgesms-carrier-events" }]);
  });
});
