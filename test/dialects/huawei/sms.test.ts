// The three SMN publish forms on both paths: documented request/response reproduced, request order,
// endpoint echo, per-item results with atomic billing of the accepted items, signature rules.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeSignature, mobile, money } from "../../helpers/fixtures";
import { login, sms, smnSetup, type Json } from "./helpers";

const rows = async (batchId: string) =>
  (
    await env.DB.prepare("SELECT id, mobile, content, signature, kind, status, price, dialect FROM messages WHERE batch_id = ?1 ORDER BY id")
      .bind(batchId)
      .all<Json>()
  ).results;

describe("POST /v2/{project_id}/notifications/sms — sms_message (different contents)", () => {
  it("reproduces the document's example: sign_id prefixed, or the message's own 【signature】", async () => {
    const s = await smnSetup();
    const token = await login(s);
    const [a, b] = [mobile(), mobile()];
    const res = await sms(s, token, {
      sms_message: [
        { endpoint: `86${a}`, message: "Sms message test", sign_id: s.sign.uid, message_include_sign_flag: "false" },
        { endpoint: `86${b}`, message: `【${s.sign.name}】Sms message test`, message_include_sign_flag: "true" },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body).toMatchInlineSnapshot(
      {
        request_id: expect.any(String),
        result: [
          { endpoint: expect.any(String), message_id: expect.any(String) },
          { endpoint: expect.any(String), message_id: expect.any(String) },
        ],
      }, `
      {
        "request_id": Any<String>,
        "result": [
          {
            "endpoint": Any<String>,
            "message_id": Any<String>,
          },
          {
            "endpoint": Any<String>,
            "message_id": Any<String>,
          },
        ],
      }
    `);
    expect(body.result.map((r: Json) => r.endpoint)).toEqual([`86${a}`, `86${b}`]);
    const stored = await rows(body.request_id);
    expect(stored.map((r) => [r.id, r.mobile, r.content, r.signature, r.kind, r.dialect])).toEqual(
      [
        [body.result[0].message_id, `+86${a}`, `【${s.sign.name}】Sms message test`, s.sign.name, "notification", "huawei"],
        [body.result[1].message_id, `+86${b}`, `【${s.sign.name}】Sms message test`, s.sign.name, "notification", "huawei"],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  it("a repeated endpoint is answered per item like the document's SMN.0190 result; the rest are sent", async () => {
    const s = await smnSetup();
    const token = await login(s);
    const [a, b] = [mobile(), mobile()];
    const res = await sms(s, token, {
      sms_message: [
        { endpoint: a, message: "first", sign_id: s.sign.uid },
        { endpoint: `+86${a}`, message: "again", sign_id: s.sign.uid },
        { endpoint: b, message: "other", sign_id: s.sign.uid },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.result).toEqual([
      { endpoint: a, message_id: expect.any(String) },
      { endpoint: `+86${a}`, code: "SMN.0190", message: "This endpoint already exists." },
      { endpoint: b, message_id: expect.any(String) },
    ]);
  });

  it("per-item refusals keep their place and cost nothing; the accepted items are billed in one debit", async () => {
    const s = await smnSetup({ balance: 1000, price: 10 });
    const token = await login(s);
    const pending = await makeSignature(s.tenant, `待审${Date.now() % 10000}`, "pending");
    const rejected = await makeSignature(s.tenant, `驳回${Date.now() % 10000}`, "rejected");
    const m = Array.from({ length: 10 }, () => mobile());
    const items = [
      { endpoint: m[0], message: "ok one", sign_id: s.sign.uid },
      { endpoint: "12345", message: "bad number", sign_id: s.sign.uid },
      { endpoint: m[2], message: "unknown sign", sign_id: "0".repeat(32) },
      { endpoint: m[3], message: "pending sign", sign_id: pending.uid },
      { endpoint: m[4], message: "rejected sign", sign_id: rejected.uid },
      { endpoint: m[5], message: "no signature in text", message_include_sign_flag: true },
      { endpoint: m[6], message: "no sign_id" },
      { endpoint: m[7], message: "x".repeat(501), sign_id: s.sign.uid },
      { endpoint: m[8], message: "   ", sign_id: s.sign.uid },
      { endpoint: m[9], message: "ok two", sign_id: s.sign.uid, message_include_sign_flag: false },
    ];
    const res = await sms(s, token, { sms_message: items });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.result.map((r: Json) => r.endpoint)).toEqual(items.map((i) => i.endpoint));
    expect(body.result.map((r: Json) => r.code ?? "ok")).toEqual([
      "ok",
      "SMN.0160",
      "SMN.9901",
      "SMN.9902",
      "SMN.9903",
      "SMN.9904",
      "SMN.9904",
      "SMN.0024",
      "SMN.9900",
      "ok",
    ]);
    for (const r of body.result as Json[]) {
      if (r.code) {
        expect(typeof r.code).toBe("string");
        expect(r.message).toEqual(expect.any(String));
        expect(r.message_id).toBeUndefined();
      }
    }
    expect(body.result[1].message).toBe("Invalid endpoint.");
    expect(await money(s.tenant.id)).toEqual({ balance: 980, ledger: 980 });
    const stored = await rows(body.request_id);
    expect(stored.map((r) => r.id).sort()).toEqual([body.result[0].message_id, body.result[9].message_id].sort());
    const debits = await env.DB.prepare("SELECT amount, batch_id FROM ledger WHERE tenant_id = ?1 AND reason = 'send'").bind(s.tenant.id).all<Json>();
    expect(debits.results).toEqual([{ amount: -20, batch_id: body.request_id }]);
  });

  it("when every item is refused nothing is written and the answer still lists each item", async () => {
    const s = await smnSetup({ balance: 500 });
    const token = await login(s);
    const res = await sms(s, token, { sms_message: [{ endpoint: "123", message: "x", sign_id: s.sign.uid }, { endpoint: mobile(), message: "y", sign_id: "f".repeat(32) }] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body).toEqual({
      request_id: expect.any(String),
      result: [
        { endpoint: "123", code: "SMN.0160", message: "Invalid endpoint." },
        { endpoint: expect.any(String), code: "SMN.9901", message: expect.any(String) },
      ],
    });
    expect(await money(s.tenant.id)).toEqual({ balance: 500, ledger: 500 });
  });

  it("signature rules: flag true needs an approved 【name】 (matching sign_id if given); flag false refuses a foreign 【】", async () => {
    const s = await smnSetup();
    const token = await login(s);
    const other = await makeSignature(s.tenant);
    const res = await sms(s, token, {
      sms_message: [
        { endpoint: mobile(), message: `【${s.sign.name}】match`, sign_id: s.sign.uid, message_include_sign_flag: "TRUE" },
        { endpoint: mobile(), message: `【${s.sign.name}】mismatch`, sign_id: other.uid, message_include_sign_flag: true },
        { endpoint: mobile(), message: "【不存在的签名】unknown", message_include_sign_flag: true },
        { endpoint: mobile(), message: `【${other.name}】foreign`, sign_id: s.sign.uid, message_include_sign_flag: false },
        { endpoint: mobile(), message: `【${s.sign.name}】same tag not doubled`, sign_id: s.sign.uid },
      ],
    });
    const body = (await res.json()) as Json;
    expect(body.result.map((r: Json) => r.code ?? "ok")).toEqual(["ok", "SMN.9901", "SMN.9901", "SMN.9900", "ok"]);
    const stored = await rows(body.request_id);
    expect(stored.map((r) => r.content).sort()).toEqual([`【${s.sign.name}】match`, `【${s.sign.name}】same tag not doubled`].sort());
  });
});

describe("per-mobile limits and blocked words", () => {
  it("are answered per item in a batch (SMN.9429, SMN.9908) and for the whole single request", async () => {
    const s = await smnSetup({ balance: 1000, price: 10, settings: { limits: { notification: [{ seconds: 60, max: 1 }] }, blockedWords: ["违禁词"] } });
    const token = await login(s);
    const m = mobile();
    expect((await sms(s, token, { endpoint: m, message: "first", sign_id: s.sign.uid })).status).toBe(200);
    const res = await sms(s, token, {
      sms_message: [
        { endpoint: m, message: "second", sign_id: s.sign.uid },
        { endpoint: mobile(), message: "含违禁词的内容", sign_id: s.sign.uid },
        { endpoint: mobile(), message: "fine", sign_id: s.sign.uid },
      ],
    });
    const body = (await res.json()) as Json;
    expect(body.result.map((r: Json) => r.code ?? "ok")).toEqual(["SMN.9429", "SMN.9908", "ok"]);
    expect(body.result[0].message).toMatch(/retry in \d+ s/);
    const single = await sms(s, token, { endpoint: m, message: "third", sign_id: s.sign.uid });
    expect(single.status).toBe(429);
    expect(await single.json()).toMatchObject({ code: "SMN.9429" });
    expect(await money(s.tenant.id)).toEqual({ balance: 980, ledger: 980 });
  });
});

describe("the other forms and paths", () => {
  it("single form answers {request_id, message_id}; the message is stored queued with 【name】 prefixed", async () => {
    const s = await smnSetup({ balance: 100, price: 10 });
    const token = await login(s);
    const m = mobile();
    const res = await sms(s, token, { endpoint: `+86${m}`, message: "您的订单已发货", sign_id: s.sign.uid });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body).toMatchInlineSnapshot({ request_id: expect.any(String), message_id: expect.any(String) }, `
      {
        "message_id": Any<String>,
        "request_id": Any<String>,
      }
    `);
    const [row] = await rows(body.request_id);
    expect(row).toMatchObject({ id: body.message_id, mobile: `+86${m}`, content: `【${s.sign.name}】您的订单已发货`, kind: "notification", price: 10 });
    expect(["queued", "submitted", "delivered", "undelivered"]).toContain(row!.status);
    expect(await money(s.tenant.id)).toEqual({ balance: 90, ledger: 90 });
  });

  it("endpoints form (one text, many numbers) answers per endpoint in order, echoing each as sent", async () => {
    const s = await smnSetup();
    const token = await login(s);
    const [a, b, c] = [mobile(), mobile(), mobile()];
    const endpoints = [`86${a}`, `+86${b}`, c, "not-a-number"];
    const res = await sms(s, token, { endpoints, message: "同一内容", sign_id: s.sign.uid, message_include_sign_flag: false });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.result).toEqual([
      { endpoint: `86${a}`, message_id: expect.any(String) },
      { endpoint: `+86${b}`, message_id: expect.any(String) },
      { endpoint: c, message_id: expect.any(String) },
      { endpoint: "not-a-number", code: "SMN.0160", message: "Invalid endpoint." },
    ]);
    const stored = await rows(body.request_id);
    expect(stored.map((r) => r.mobile).sort()).toEqual([`+86${a}`, `+86${b}`, `+86${c}`].sort());
  });

  it("batch_sms (the Go SDK's path) takes the sms_message form", async () => {
    const s = await smnSetup();
    const token = await login(s);
    const res = await sms(s, token, { sms_message: [{ endpoint: mobile(), message: "a", sign_id: s.sign.uid }, { endpoint: mobile(), message: "b", sign_id: s.sign.uid }] }, "batch_sms");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.result).toHaveLength(2);
    expect(body.result).not.toHaveLength(0);
    expect(body.result.filter((r: Json) => !(typeof r.message_id === "string"))).toEqual([]);
    expect(await rows(body.request_id)).toHaveLength(2);
  });

  it("999 different contents are accepted in one request", async () => {
    const s = await smnSetup({ balance: 100_000, price: 10 });
    const token = await login(s);
    const sms_message = Array.from({ length: 999 }, (_, i) => ({ endpoint: `1390${String(i).padStart(7, "0")}`, message: `内容 ${i}`, sign_id: s.sign.uid }));
    const res = await sms(s, token, { sms_message }, "batch_sms");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.result).toHaveLength(999);
    expect(body.result).not.toHaveLength(0);
    expect(body.result.filter((r: Json) => !(r.message_id))).toEqual([]);
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - 9990, ledger: 100_000 - 9990 });
  });
});
