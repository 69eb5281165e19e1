// POST /v2/{project_id}/notifications/sms and …/batch_sms: the three SMN publish forms on both paths,
// the documented request/response reproduced, request order, endpoint echo, per-item results with
// atomic billing of the accepted items, signature rules, repeated content (SMN.9430), and the
// whole-request refusals (status, SMN code always a JSON string, message, nothing written).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeSignature, mobile, money } from "../../helpers/fixtures";
import { INTERNALS } from "../../helpers/faults";
import { BATCH_SMS, call, expectSmn, type Json, setup, type SmnSetup, SMS } from "./helpers";

const rows = async (batchId: string) =>
  (
    await env.DB.prepare("SELECT id, mobile, content, signature, kind, status, price, dialect FROM messages WHERE batch_id = ?1 ORDER BY id")
      .bind(batchId)
      .all<Json>()
  ).results;

const messageCount = async (tenantId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(tenantId).first<{ n: number }>())!.n;

const one = (s: SmnSetup, endpoint: string, message: string) => ({ endpoint, message, sign_id: s.sign.uid });

describe("POST /v2/{project_id}/notifications/sms — sms_message (different contents)", () => {
  it("reproduces the document's example: sign_id prefixed, or the message's own 【signature】", async () => {
    const s = await setup({ login: true });
    const [a, b] = [mobile(), mobile()];
    const res = await call(s, "POST", SMS, {
      sms_message: [
        { endpoint: `86${a}`, message: "Sms message test", sign_id: s.sign.uid, message_include_sign_flag: "false" },
        { endpoint: `86${b}`, message: `【${s.sign.name}】Sms message test`, message_include_sign_flag: "true" },
      ],
    }, { goSdk: true });
    expect(res.status).toBe(200);
    const body = res.body as Json;
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
    const s = await setup({ login: true });
    const [a, b] = [mobile(), mobile()];
    const res = await call(s, "POST", SMS, {
      sms_message: [
        { endpoint: a, message: "first", sign_id: s.sign.uid },
        { endpoint: `+86${a}`, message: "again", sign_id: s.sign.uid },
        { endpoint: b, message: "other", sign_id: s.sign.uid },
      ],
    }, { goSdk: true });
    expect(res.status).toBe(200);
    const body = res.body as Json;
    expect(body.result).toEqual([
      { endpoint: a, message_id: expect.any(String) },
      { endpoint: `+86${a}`, code: "SMN.0190", message: "This endpoint already exists." },
      { endpoint: b, message_id: expect.any(String) },
    ]);
  });

  it("per-item refusals keep their place and cost nothing; the accepted items are billed in one debit", async () => {
    const s = await setup({ balance: 1000, price: 10, login: true });
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
    const res = await call(s, "POST", SMS, { sms_message: items }, { goSdk: true });
    expect(res.status).toBe(200);
    const body = res.body as Json;
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
    const s = await setup({ balance: 500, login: true });
    const res = await call(s, "POST", SMS, { sms_message: [{ endpoint: "123", message: "x", sign_id: s.sign.uid }, { endpoint: mobile(), message: "y", sign_id: "f".repeat(32) }] }, { goSdk: true });
    expect(res.status).toBe(200);
    const body = res.body as Json;
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
    const s = await setup({ login: true });
    const other = await makeSignature(s.tenant);
    const res = await call(s, "POST", SMS, {
      sms_message: [
        { endpoint: mobile(), message: `【${s.sign.name}】match`, sign_id: s.sign.uid, message_include_sign_flag: "TRUE" },
        { endpoint: mobile(), message: `【${s.sign.name}】mismatch`, sign_id: other.uid, message_include_sign_flag: true },
        { endpoint: mobile(), message: "【不存在的签名】unknown", message_include_sign_flag: true },
        { endpoint: mobile(), message: `【${other.name}】foreign`, sign_id: s.sign.uid, message_include_sign_flag: false },
        { endpoint: mobile(), message: `【${s.sign.name}】same tag not doubled`, sign_id: s.sign.uid },
      ],
    }, { goSdk: true });
    const body = res.body as Json;
    expect(body.result.map((r: Json) => r.code ?? "ok")).toEqual(["ok", "SMN.9901", "SMN.9901", "SMN.9900", "ok"]);
    const stored = await rows(body.request_id);
    expect(stored.map((r) => r.content).sort()).toEqual([`【${s.sign.name}】match`, `【${s.sign.name}】same tag not doubled`].sort());
  });
});

describe("per-mobile limits and blocked words", () => {
  it("are answered per item in a batch (SMN.9429, SMN.9908) and for the whole single request", async () => {
    const s = await setup({ balance: 1000, price: 10, settings: { limits: { notification: [{ seconds: 60, max: 1 }] }, blockedWords: ["违禁词"] }, login: true });
    const m = mobile();
    expect((await call(s, "POST", SMS, { endpoint: m, message: "first", sign_id: s.sign.uid }, { goSdk: true })).status).toBe(200);
    const res = await call(s, "POST", SMS, {
      sms_message: [
        { endpoint: m, message: "second", sign_id: s.sign.uid },
        { endpoint: mobile(), message: "含违禁词的内容", sign_id: s.sign.uid },
        { endpoint: mobile(), message: "fine", sign_id: s.sign.uid },
      ],
    }, { goSdk: true });
    const body = res.body as Json;
    expect(body.result.map((r: Json) => r.code ?? "ok")).toEqual(["SMN.9429", "SMN.9908", "ok"]);
    expect(body.result[0].message).toMatch(/retry in \d+ s/);
    const single = await call(s, "POST", SMS, { endpoint: m, message: "third", sign_id: s.sign.uid }, { goSdk: true });
    expect(single.status).toBe(429);
    expect(single.body).toMatchObject({ code: "SMN.9429" });
    expect(await money(s.tenant.id)).toEqual({ balance: 980, ledger: 980 });
  });
});

describe("the other forms and paths", () => {
  it("single form answers {request_id, message_id}; the message is stored queued with 【name】 prefixed", async () => {
    const s = await setup({ balance: 100, price: 10, login: true });
    const m = mobile();
    const res = await call(s, "POST", SMS, { endpoint: `+86${m}`, message: "您的订单已发货", sign_id: s.sign.uid }, { goSdk: true });
    expect(res.status).toBe(200);
    const body = res.body as Json;
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
    const s = await setup({ login: true });
    const [a, b, c] = [mobile(), mobile(), mobile()];
    const endpoints = [`86${a}`, `+86${b}`, c, "not-a-number"];
    const res = await call(s, "POST", SMS, { endpoints, message: "同一内容", sign_id: s.sign.uid, message_include_sign_flag: false }, { goSdk: true });
    expect(res.status).toBe(200);
    const body = res.body as Json;
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
    const s = await setup({ login: true });
    const res = await call(s, "POST", BATCH_SMS, { sms_message: [{ endpoint: mobile(), message: "a", sign_id: s.sign.uid }, { endpoint: mobile(), message: "b", sign_id: s.sign.uid }] }, { goSdk: true });
    expect(res.status).toBe(200);
    const body = res.body as Json;
    expect(body.result).toHaveLength(2);
    expect(body.result).not.toHaveLength(0);
    expect(body.result.filter((r: Json) => !(typeof r.message_id === "string"))).toEqual([]);
    expect(await rows(body.request_id)).toHaveLength(2);
  });

  it("999 different contents are accepted in one request", async () => {
    const s = await setup({ balance: 100_000, price: 10, login: true });
    const sms_message = Array.from({ length: 999 }, (_, i) => ({ endpoint: `1390${String(i).padStart(7, "0")}`, message: `内容 ${i}`, sign_id: s.sign.uid }));
    const res = await call(s, "POST", BATCH_SMS, { sms_message }, { goSdk: true });
    expect(res.status).toBe(200);
    const body = res.body as Json;
    expect(body.result).toHaveLength(999);
    expect(body.result).not.toHaveLength(0);
    expect(body.result.filter((r: Json) => !(r.message_id))).toEqual([]);
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - 9990, ledger: 100_000 - 9990 });
  });
});

describe("SMN whole-request errors", () => {


  it("another tenant's sign_id behaves as unknown (SMN.9901)", async () => {
    const s = await setup({ login: true });
    const other = await setup();
    expectSmn(await call(s, "POST", SMS, { endpoint: mobile(), message: "x", sign_id: other.sign.uid }, { goSdk: true }), 400, "SMN.9901");
    const batch = (await call(s, "POST", SMS, { sms_message: [{ endpoint: mobile(), message: "x", sign_id: other.sign.uid }] }, { goSdk: true })).body as Json;
    expect(batch.result[0]).toMatchObject({ code: "SMN.9901" });
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("400 SMN.0159 for 1000 or more sms_message items, and for more than 1000 endpoints", async () => {
    const s = await setup({ login: true });
    const item = { endpoint: mobile(), message: "x", sign_id: s.sign.uid };
    expectSmn(await call(s, "POST", SMS, { sms_message: Array(1000).fill(item) }, { goSdk: true }), 400, "SMN.0159", "The number of endpoints has reached the maximum allowed.");
    expectSmn(await call(s, "POST", SMS, { endpoints: Array(1001).fill(mobile()), message: "x", sign_id: s.sign.uid }, { goSdk: true }), 400, "SMN.0159");
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("400 for bodies that are not the documented shape", async () => {
    const s = await setup({ login: true });
    expectSmn(await call(s, "POST", SMS, "{oops", { goSdk: true }), 400, "SMN.9900", /not valid JSON/);
    expectSmn(await call(s, "POST", SMS, "[1,2]", { goSdk: true }), 400, "SMN.9900", /JSON object/);
    expectSmn(await call(s, "POST", SMS, "", { goSdk: true }), 400, "SMN.9900");
    expectSmn(await call(s, "POST", SMS, { sms_message: [] }, { goSdk: true }), 400, "SMN.9900", /sms_message/);
    expectSmn(await call(s, "POST", SMS, { sms_message: [{ message: "no endpoint", sign_id: s.sign.uid }] }, { goSdk: true }), 400, "SMN.0012", /sms_message\.0\.endpoint/);
    expectSmn(await call(s, "POST", SMS, { endpoint: mobile(), message: 42, sign_id: s.sign.uid }, { goSdk: true }), 400, "SMN.0024", /message/);
    expectSmn(await call(s, "POST", SMS, { endpoint: mobile(), message: "x", sign_id: s.sign.uid, message_include_sign_flag: "maybe" }, { goSdk: true }), 400, "SMN.9900", /message_include_sign_flag/);
    expectSmn(await call(s, "POST", SMS, {}, { goSdk: true }), 400, "SMN.0012");
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("the single form answers its item's refusal for the whole request", async () => {
    const s = await setup({ login: true });
    expectSmn(await call(s, "POST", SMS, { endpoint: "0101234", message: "x", sign_id: s.sign.uid }, { goSdk: true }), 400, "SMN.0160", "Invalid endpoint.");
    expectSmn(await call(s, "POST", SMS, { endpoint: mobile(), message: "x" }, { goSdk: true }), 400, "SMN.9904", /sign_id is required/);
    expectSmn(await call(s, "POST", SMS, { endpoint: mobile(), message: "x".repeat(600), sign_id: s.sign.uid }, { goSdk: true }), 400, "SMN.0024", "Parameter: content is invalid.");
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("400 SMN.0261 when the balance does not cover the accepted items: nothing is sent or billed", async () => {
    const s = await setup({ balance: 15, price: 10, login: true });
    const res = await call(s, "POST", SMS, { sms_message: [{ endpoint: mobile(), message: "a", sign_id: s.sign.uid }, { endpoint: mobile(), message: "b", sign_id: s.sign.uid }] }, { goSdk: true });
    expectSmn(res, 400, "SMN.0261", "Check whether your account balance is sufficient.");
    expect(await money(s.tenant.id)).toEqual({ balance: 15, ledger: 15 });
    expect(await messageCount(s.tenant.id)).toBe(0);
  });

  it("403 SMN.9910 when the SMN user may not send notifications", async () => {
    const s = await setup({ kinds: "verification", login: true });
    expectSmn(await call(s, "POST", SMS, { endpoint: mobile(), message: "x", sign_id: s.sign.uid }, { goSdk: true }), 403, "SMN.9910");
  });


  it("415 for a content type that is not JSON, 413 past the body cap", async () => {
    const s = await setup({ login: true });
    const xml = await call(s, "POST", SMS, "<sms/>", { headers: { "content-type": "application/xml" } });
    expectSmn(xml, 415, "SMN.9415");
    const big = await call(s, "POST", SMS, JSON.stringify({ endpoint: mobile(), message: "x".repeat(3 * 1024 * 1024) }), { goSdk: true });
    expectSmn(big, 413, "SMN.9413");
  });
});

describe("SMN.9430: the same content to the same mobile inside the tenant's repeat window", () => {
  it("429 for the single form; per item in sms_message and endpoints; other content or another mobile goes", async () => {
    const s = await setup({ balance: 1000, price: 10, settings: { repeatWindowSeconds: 300 }, login: true });
    const [m, n] = [mobile(), mobile()];
    expect((await call(s, "POST", SMS, one(s, m, "您的快件已签收"), { goSdk: true })).status).toBe(200);

    const single = expectSmn(await call(s, "POST", SMS, one(s, m, "您的快件已签收"), { goSdk: true }), 429, "SMN.9430", /same content .* retry in \d+ s/);
    expect(single.message).not.toMatch(INTERNALS);
    expect(await money(s.tenant.id)).toEqual({ balance: 990, ledger: 990 });

    const batch = await call(s, "POST", SMS, { sms_message: [one(s, m, "您的快件已签收"), one(s, n, "您的快件已签收")] }, { goSdk: true });
    expect(batch.status).toBe(200);
    const body = batch.body as Json;
    expect(body.result).toEqual([
      { endpoint: m, code: "SMN.9430", message: expect.stringMatching(/retry in \d+ s/) },
      { endpoint: n, message_id: expect.stringMatching(/^\d+$/) },
    ]);

    const endpoints = (await call(s, "POST", SMS, { endpoints: [n, mobile()], message: "您的快件已签收", sign_id: s.sign.uid }, { goSdk: true })).body as Json;
    expect(endpoints.result.map((r: Json) => r.code ?? "ok")).toEqual(["SMN.9430", "ok"]);
    // Only what was accepted is billed: the first send, n in the batch, the new mobile.
    expect(await money(s.tenant.id)).toEqual({ balance: 970, ledger: 970 });
    expect((await call(s, "POST", SMS, one(s, m, "您的快件已派送"), { goSdk: true })).status).toBe(200);
  });

  it("without a repeat window the same content goes twice", async () => {
    const s = await setup({ login: true });
    const m = mobile();
    for (let i = 0; i < 2; i++) expect((await call(s, "POST", SMS, one(s, m, "同样的内容"), { goSdk: true })).status).toBe(200);
  });
});
