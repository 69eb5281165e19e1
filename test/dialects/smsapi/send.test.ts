// smsapi sends through the real Worker: industry, personality and batch, the envelope, signature
// rules, kinds, per-item results with atomic billing, and every refusal with its status and code.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { updateApp } from "../../../src/store/apps";
import { makeSignature, mobile, money } from "../../helpers/fixtures";
import { apiSetup, call, expectEnvelope, messageRows, type Json } from "./helpers";
import { tenantDb } from "../../../src/store/db";

describe("POST /smsapi/v1/sms/industry", () => {
  it("sends one text carrying an approved 【signature】 and answers the envelope with batch and message ids", async () => {
    const s = await apiSetup({ balance: 100, price: 10 });
    const m = mobile();
    const res = await call("industry", { mobile: m, content: `【${s.sign.name}】您的验证码是 123456`, tenantId: s.tenant.id }, s.apiKey);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body).toMatchInlineSnapshot(
      { data: { batchId: expect.stringMatching(/^\d{19}$/), sendTime: expect.any(Number), messages: [{ mobile: expect.any(String), id: expect.stringMatching(/^\d{19}$/) }] } }, `
      {
        "code": 0,
        "data": {
          "accepted": 1,
          "amount": 10,
          "batchId": StringMatching /\\^\\\\d\\{19\\}\\$/,
          "messages": [
            {
              "id": StringMatching /\\^\\\\d\\{19\\}\\$/,
              "mobile": Any<String>,
            },
          ],
          "scheduled": false,
          "sendTime": Any<Number>,
        },
        "message": "ok",
      }
    `);
    expect(body.data.messages[0].mobile).toBe(m);
    const [row] = await messageRows(s.tenant.id);
    expect(row).toMatchObject({ id: body.data.messages[0].id, batch_id: body.data.batchId, mobile: `+86${m}`, content: `【${s.sign.name}】您的验证码是 123456`, kind: "notification" });
    expect(await money(s.tenant.id)).toEqual({ balance: 90, ledger: 90 });
  });

  it("prefixes the key's default signature when the content has none", async () => {
    const s = await apiSetup({ defaultSignature: "approved" });
    const res = await call("industry", { mobile: mobile(), content: "您的包裹已签收" }, s.apiKey);
    await expectEnvelope(res, 200, 0);
    expect((await messageRows(s.tenant.id))[0]!.content).toBe(`【${s.sign.name}】您的包裹已签收`);
  });

  it("kind: notification by default, verification when asked or when the key may only send codes", async () => {
    const s = await apiSetup();
    await call("industry", { mobile: mobile(), content: `【${s.sign.name}】a`, kind: "verification" }, s.apiKey);
    const codesOnly = await apiSetup({ kinds: "verification" });
    await call("industry", { mobile: mobile(), content: `【${codesOnly.sign.name}】b` }, codesOnly.apiKey);
    expect((await messageRows(s.tenant.id)).map((r) => r.kind)).toEqual(["verification"]);
    expect((await messageRows(codesOnly.tenant.id)).map((r) => r.kind)).toEqual(["verification"]);
    const refused = await call("industry", { mobile: mobile(), content: `【${codesOnly.sign.name}】c`, kind: "notification" }, codesOnly.apiKey);
    await expectEnvelope(refused, 403, 40304);
  });

  it("verification limits per mobile: the second code within a minute is 429 42900 with Retry-After", async () => {
    const s = await apiSetup({ balance: 100, price: 10 });
    const m = mobile();
    const body = { mobile: m, content: `【${s.sign.name}】验证码 1234`, kind: "verification" };
    await expectEnvelope(await call("industry", body, s.apiKey), 200, 0);
    const res = await call("industry", { ...body, content: `【${s.sign.name}】验证码 5678` }, s.apiKey);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    await expectEnvelope(res, 429, 42900, /retry in/);
    expect(await money(s.tenant.id)).toEqual({ balance: 90, ledger: 90 });
  });

  it("signature refusals: none and no default, unknown, pending, rejected, pending default", async () => {
    const s = await apiSetup();
    const pending = await makeSignature(s.tenant, `审核${Date.now() % 10000}`, "pending");
    const rejected = await makeSignature(s.tenant, `驳回${Date.now() % 10000}`, "rejected");
    await expectEnvelope(await call("industry", { mobile: mobile(), content: "no signature" }, s.apiKey), 400, 40006, /default signature/);
    await expectEnvelope(await call("industry", { mobile: mobile(), content: "【没有这个】x" }, s.apiKey), 400, 40007);
    await expectEnvelope(await call("industry", { mobile: mobile(), content: `【${pending.name}】x` }, s.apiKey), 400, 40008);
    await expectEnvelope(await call("industry", { mobile: mobile(), content: `【${rejected.name}】x` }, s.apiKey), 400, 40009);
    const withPendingDefault = await apiSetup({ defaultSignature: "pending" });
    await expectEnvelope(await call("industry", { mobile: mobile(), content: "x" }, withPendingDefault.apiKey), 400, 40008);
    expect(await messageRows(s.tenant.id)).toEqual([]);
  });

  it("another tenant's signature behaves as unknown", async () => {
    const s = await apiSetup();
    const other = await apiSetup();
    await expectEnvelope(await call("industry", { mobile: mobile(), content: `【${other.sign.name}】x` }, s.apiKey), 400, 40007);
  });
});

describe("POST /smsapi/v1/sms/personality and /batch", () => {
  it("personality: a text per mobile, refused items listed in place and free, the rest billed once", async () => {
    const s = await apiSetup({ balance: 1000, price: 10 });
    const [a, b, c] = [mobile(), mobile(), mobile()];
    const smses = [
      { mobile: a, content: `【${s.sign.name}】给 A` },
      { mobile: "555", content: `【${s.sign.name}】bad` },
      { mobile: b, content: "没有签名" },
      { mobile: a, content: `【${s.sign.name}】A again` },
      { mobile: c, content: `【${s.sign.name}】给 C` },
      { mobile: mobile(), content: `【${s.sign.name}】${"长".repeat(500)}` },
    ];
    const res = await call("personality", { smses, sendTime: 0, tenantId: s.tenant.id }, s.apiKey);
    const body = await expectEnvelope(res, 200, 0);
    expect(body.data).toMatchObject({ scheduled: false, amount: 20, accepted: 2 });
    expect(body.data.messages).toEqual([
      { mobile: a, id: expect.any(String) },
      { mobile: "555", code: 40002, message: expect.any(String) },
      { mobile: b, code: 40006, message: expect.any(String) },
      { mobile: a, code: 40013, message: expect.stringMatching(/more than once/) },
      { mobile: c, id: expect.any(String) },
      { mobile: expect.any(String), code: 40003, message: expect.stringMatching(/500 characters/) },
    ]);
    expect(await money(s.tenant.id)).toEqual({ balance: 980, ledger: 980 });
    const rows = await messageRows(s.tenant.id);
    expect(rows.map((r) => r.id).sort()).toEqual([body.data.messages[0].id, body.data.messages[4].id].sort());
  });

  it("batch: one text to a comma list (ASCII or full-width commas), echoing each mobile", async () => {
    const s = await apiSetup({ price: 10 });
    const [a, b, c] = [mobile(), mobile(), mobile()];
    const res = await call("batch", { mobiles: `${a},${b}， ${c},`, content: `【${s.sign.name}】活动通知`, sendTime: 0 }, s.apiKey);
    const body = await expectEnvelope(res, 200, 0);
    expect(body.data.messages.map((m: Json) => m.mobile)).toEqual([a, b, c]);
    expect(body.data.amount).toBe(30);
    const rows = await messageRows(s.tenant.id);
    expect(rows).not.toHaveLength(0);
    expect(rows.filter((r) => !(r.kind === "notification" && r.batch_id === body.data.batchId))).toEqual([]);
  });

  it("batch: marketing: true sends as marketing; 1000 mobiles accepted, 1001 refused whole", async () => {
    const s = await apiSetup({ balance: 100_000, price: 10 });
    const mobiles = Array.from({ length: 1000 }, (_, i) => `1370${String(i).padStart(7, "0")}`);
    const ok = await call("batch", { mobiles: mobiles.join(","), content: `【${s.sign.name}】大促`, sendTime: 0, marketing: true }, s.apiKey);
    const body = await expectEnvelope(ok, 200, 0);
    expect(body.data.accepted).toBe(1000);
    expect(await money(s.tenant.id)).toEqual({ balance: 90_000, ledger: 90_000 });
    const kinds = new Set((await messageRows(s.tenant.id)).map((r) => r.kind));
    expect([...kinds]).toEqual(["marketing"]);
    const tooMany = await call("batch", { mobiles: [...mobiles, "13900000000"].join(","), content: "x", sendTime: 0 }, s.apiKey);
    await expectEnvelope(tooMany, 400, 40004);
    const tooManySmses = await call("personality", { smses: Array(1001).fill({ mobile: mobile(), content: "x" }), sendTime: 0 }, s.apiKey);
    await expectEnvelope(tooManySmses, 400, 40004);
    expect(await money(s.tenant.id)).toEqual({ balance: 90_000, ledger: 90_000 });
  });

  it("marketing to an opted-out mobile is refused per item (40012); notifications still reach it", async () => {
    const s = await apiSetup({ price: 10 });
    const [out, fine] = [mobile(), mobile()];
    await env.DB.prepare("INSERT INTO opt_outs (tenant_id, mobile, source, created_at) VALUES (?1, ?2, 'reply', ?3)").bind(s.tenant.id, `+86${out}`, Date.now()).run();
    const res = await call("batch", { mobiles: `${out},${fine}`, content: `【${s.sign.name}】促销 回T退订`, sendTime: 0, marketing: "true" }, s.apiKey);
    const body = await expectEnvelope(res, 200, 0);
    expect(body.data.messages.map((m: Json) => m.code ?? "ok")).toEqual([40012, "ok"]);
    const notice = await call("batch", { mobiles: out, content: `【${s.sign.name}】账单通知`, sendTime: 0 }, s.apiKey);
    await expectEnvelope(notice, 200, 0);
  });

  it("when no item is accepted the envelope carries the first refusal and nothing is billed", async () => {
    const s = await apiSetup({ balance: 500 });
    const res = await call("batch", { mobiles: "1,2", content: `【${s.sign.name}】x`, sendTime: 0 }, s.apiKey);
    const body = await expectEnvelope(res, 400, 40002);
    expect(body.data.messages.map((m: Json) => m.code)).toEqual([40002, 40002]);
    expect(body.data.batchId).toBeNull();
    expect(await money(s.tenant.id)).toEqual({ balance: 500, ledger: 500 });
  });

  it("402 40200 when the balance does not cover the accepted items: nothing sent", async () => {
    const s = await apiSetup({ balance: 15, price: 10 });
    const res = await call("batch", { mobiles: `${mobile()},${mobile()}`, content: `【${s.sign.name}】x`, sendTime: 0 }, s.apiKey);
    await expectEnvelope(res, 402, 40200);
    expect(await money(s.tenant.id)).toEqual({ balance: 15, ledger: 15 });
    expect(await messageRows(s.tenant.id)).toEqual([]);
  });
});

describe("auth, tenant binding and bad requests", () => {
  it("401 40100 without a key, with a malformed one, or a wrong secret", async () => {
    const s = await apiSetup();
    const body = { mobile: mobile(), content: `【${s.sign.name}】x` };
    await expectEnvelope(await call("industry", body, null), 401, 40100);
    await expectEnvelope(await call("industry", body, "no-dot-here"), 401, 40100);
    await expectEnvelope(await call("industry", body, `${s.apiKey.split(".")[0]}.wrong`), 401, 40100);
    expect(await messageRows(s.tenant.id)).toEqual([]);
  });

  it("403 40300 when tenantId names another tenant (on every route)", async () => {
    const s = await apiSetup();
    const other = await apiSetup();
    const m = mobile();
    await expectEnvelope(await call("industry", { mobile: m, content: `【${s.sign.name}】x`, tenantId: other.tenant.id }, s.apiKey), 403, 40300);
    await expectEnvelope(await call("personality", { smses: [{ mobile: m, content: "x" }], sendTime: 0, tenantId: other.tenant.id }, s.apiKey), 403, 40300);
    await expectEnvelope(await call("batch", { mobiles: m, content: "x", sendTime: 0, tenantId: other.tenant.id }, s.apiKey), 403, 40300);
    await expectEnvelope(await call("cancel", { id: "1", tenantId: other.tenant.id }, s.apiKey), 403, 40300);
    expect(await messageRows(s.tenant.id)).toEqual([]);
  });

  it("400 40000 for bodies that are not the documented shape; 404 / 405 in the envelope", async () => {
    const s = await apiSetup();
    await expectEnvelope(await call("industry", "{bad", s.apiKey), 400, 40000, /not valid JSON/);
    await expectEnvelope(await call("industry", "[]", s.apiKey), 400, 40000);
    await expectEnvelope(await call("industry", { content: "x" }, s.apiKey), 400, 40000, /mobile/);
    await expectEnvelope(await call("industry", { mobile: mobile(), content: "" }, s.apiKey), 400, 40000, /content/);
    await expectEnvelope(await call("personality", { smses: [], sendTime: 0 }, s.apiKey), 400, 40000, /smses/);
    await expectEnvelope(await call("batch", { mobiles: " , ", content: "x", sendTime: 0 }, s.apiKey), 400, 40005);
    await expectEnvelope(await call("nope", {}, s.apiKey), 404, 40400);
    const { exports } = await import("cloudflare:workers");
    const get = await exports.default.fetch("http://gw/smsapi/v1/sms/batch");
    expect(get.headers.get("allow")).toBe("POST");
    await expectEnvelope(get, 405, 40500);
  });

  it("403 for a blocked key (40301), an IP outside the allow-list (40302), SMS disabled (40303)", async () => {
    const s = await apiSetup();
    const body = () => ({ mobile: mobile(), content: `【${s.sign.name}】x` });
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { blocked: true }, Date.now());
    await expectEnvelope(await call("industry", body(), s.apiKey), 403, 40301);
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { blocked: false, ipAllowlist: ["192.0.2.7"] }, Date.now());
    await expectEnvelope(await call("industry", body(), s.apiKey), 403, 40302);
    await expectEnvelope(await call("industry", body(), s.apiKey, { "cf-connecting-ip": "192.0.2.7" }), 200, 0);
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { ipAllowlist: null, smsEnabled: false }, Date.now());
    await expectEnvelope(await call("industry", body(), s.apiKey), 403, 40303);
    expect(await messageRows(s.tenant.id)).toHaveLength(1);
  });

  it("takes a form-encoded body too", async () => {
    const s = await apiSetup();
    const m = mobile();
    const res = await call("industry", new URLSearchParams({ mobile: m, content: `【${s.sign.name}】form` }).toString(), s.apiKey, {
      "content-type": "application/x-www-form-urlencoded",
    });
    await expectEnvelope(res, 200, 0);
    expect((await messageRows(s.tenant.id))[0]!.mobile).toBe(`+86${m}`);
  });
});

describe("documentation", () => {
  it("/openapi.json lists the four routes with the bearer scheme", async () => {
    const { exports } = await import("cloudflare:workers");
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as Json;
    for (const p of ["industry", "personality", "batch", "cancel"]) {
      expect(doc.paths[`/smsapi/v1/sms/${p}`].post.security).toEqual([{ smsapiBearer: [] }]);
    }
    expect(JSON.stringify(doc.paths["/smsapi/v1/sms/batch"].post.requestBody)).toContain("sendTime");
  });
});
