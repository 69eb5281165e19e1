// Per-destination prices: the operator's table (GET/PUT /admin/v1/tenants/{id}/prices), the price
// each dialect's sends are billed and stored at, and refusals (nothing billed, nothing written) for
// destinations without a price, per item where the dialect answers per item.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomDigits } from "../../src/core/crypto";
import { acceptSend } from "../../src/core/send";
import type { Kind } from "../../src/core/types";
import { getAppByKey } from "../helpers/domain";
import { getTenant } from "../helpers/domain";
import { admin, paths } from "../admin/helpers";
import { makeCredential, makeTenant, mobile, money } from "../helpers/fixtures";
import { call as jpushCall, err, setup as jpushSetup } from "../dialects/jpush/helpers";
import * as paasw from "../dialects/paasw/helpers";
import * as huawei from "../dialects/huawei/helpers";
import type { Json } from "../dialects/huawei/helpers";
import { setup as smsapiSetup, call as smsapiCall, expectEnvelope } from "../dialects/smsapi/helpers";
import { tenantDb } from "../../src/store/db";

// Mobiles of each country as libphonenumber's mobile metadata places them.
const us = () => `+1212555${randomDigits(4)}`;
const ca = () => `+1416555${randomDigits(4)}`;
const gb = () => `+447400${randomDigits(6)}`;
const hk = () => `+85261${randomDigits(6)}`;
const jp = () => `+819012${randomDigits(6)}`;

/** US 300 whatever the kind; +44 (GB…) 250 for marketing, 200 otherwise; nothing else abroad. */
const TABLE = [
  { destination: "US", price: 300 },
  { destination: "+44", kind: "marketing", price: 250 },
  { destination: "+44", price: 200 },
];

async function putPrices(tenantId: string, prices: unknown[], extra: Record<string, unknown> = {}) {
  const res = await admin("PUT", `/tenants/${tenantId}/prices`, { prices, ...extra });
  expect(res.status).toBe(200);
  return res.body;
}

const stored = async (id: string) =>
  (await env.DB.prepare("SELECT mobile, price, segments, kind FROM messages WHERE id = ?1").bind(id).first<{ mobile: string; price: number; segments: number; kind: string }>())!;
const messageCount = async (tenantId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(tenantId).first<{ n: number }>())!.n;

describe("GET/PUT /admin/v1/tenants/{id}/prices", () => {
  it("a tenant starts with home CN at its per-kind prices and no other row", async () => {
    const t = await makeTenant({ prices: { verification: 40, notification: 45, marketing: 55 } });
    expect(await admin("GET", `/tenants/${t.id}/prices`)).toEqual({
      status: 200,
      body: { home_country: "CN", home_prices: { verification: 40, notification: 45, marketing: 55 }, prices: [] },
    });
  });

  it("PUT replaces the whole table (codes normalised, kind null when omitted) and GET shows it", async () => {
    const t = await makeTenant();
    const body = await putPrices(t.id, [{ destination: " us ", price: 300 }, { destination: "+44", kind: "marketing", price: 250 }, { destination: "*", kind: null, price: 900 }]);
    const table = [
      { destination: "US", kind: null, price: 300 },
      { destination: "+44", kind: "marketing", price: 250 },
      { destination: "*", kind: null, price: 900 },
    ];
    expect(body).toEqual({ home_country: "CN", home_prices: { verification: 45, notification: 45, marketing: 55 }, prices: table });
    expect((await admin("GET", `/tenants/${t.id}/prices`)).body.prices).toEqual(table);
    expect((await putPrices(t.id, [{ destination: "JP", price: 0 }])).prices).toEqual([{ destination: "JP", kind: null, price: 0 }]);
    expect((await putPrices(t.id, [], { home_country: "hk" })).home_country).toBe("HK");
    // Omitted, the home country stays.
    expect(await putPrices(t.id, [])).toMatchObject({ home_country: "HK", prices: [] });
  });

  it("refuses bad tables naming each bad row, and changes nothing", async () => {
    const t = await makeTenant();
    await putPrices(t.id, TABLE);
    const url = `/tenants/${t.id}/prices`;
    const cases: Array<[unknown, string[]]> = [
      [{ prices: [{ destination: "XX", price: 1 }] }, ["prices.0.destination"]],
      [{ prices: [{ destination: "44", price: 1 }] }, ["prices.0.destination"]],
      [{ prices: [{ destination: "+999", price: 1 }] }, ["prices.0.destination"]],
      [{ prices: [{ destination: "+0", price: 1 }] }, ["prices.0.destination"]],
      [{ prices: [{ destination: "US", price: -1 }, { destination: "GB", price: 1.5 }, { destination: "FR", price: 1_000_001 }] }, ["prices.0.price", "prices.1.price", "prices.2.price"]],
      [{ prices: [{ destination: "US", kind: "sms", price: 1 }] }, ["prices.0.kind"]],
      [{ prices: [{ destination: "US", price: 1, currency: "CNY" }] }, ["prices.0.currency"]],
      [{ prices: [{ destination: "US", price: 1 }, { destination: "us", price: 2 }] }, ["prices.1.destination"]],
      [{ prices: [{ destination: "CN", price: 1 }, { destination: "+86", kind: "marketing", price: 1 }] }, ["prices.0.destination", "prices.1.destination"]],
      [{ prices: [{ destination: "US", price: 1 }], home_country: "US" }, ["prices.0.destination"]],
      [{ prices: [], home_country: "ZZ" }, ["home_country"]],
      [{ prices: Array.from({ length: 1001 }, (_, i) => ({ destination: "*", price: i })) }, ["prices"]],
      [{}, ["prices"]],
    ];
    for (const [body, expected] of cases) {
      const res = await admin("PUT", url, body);
      expect({ body, status: res.status, code: res.body.error.code, paths: paths(res) }).toEqual({ body, status: 400, code: "invalid_input", paths: expected });
    }
    expect((await admin("GET", url)).body.prices).toEqual(TABLE.map((r) => ({ kind: null, ...r })));
  });

  it("a calling code shared with other countries may be priced besides the home country (+1 with home US)", async () => {
    const t = await makeTenant();
    expect((await putPrices(t.id, [{ destination: "+1", price: 7 }], { home_country: "US" })).prices).toEqual([{ destination: "+1", kind: null, price: 7 }]);
  });

  it("404 for an unknown tenant, 401 without the token, 405 for other methods", async () => {
    expect((await admin("GET", "/tenants/nobody-here/prices")).status).toBe(404);
    expect((await admin("PUT", "/tenants/nobody-here/prices", { prices: [] })).status).toBe(404);
    const t = await makeTenant();
    expect((await admin("GET", `/tenants/${t.id}/prices`, undefined, null)).status).toBe(401);
    expect((await admin("POST", `/tenants/${t.id}/prices`, { prices: [] })).status).toBe(405);
  });
});

describe("the price of a send (core)", () => {
  async function setup(table: unknown[], extra: Record<string, unknown> = {}) {
    const t = await makeTenant({ balance: 100_000, prices: { verification: 11, notification: 12, marketing: 13 } });
    await putPrices(t.id, table, extra);
    const cred = await makeCredential(t, "smsapi");
    return { tenant: (await getTenant(tenantDb(env, t.id)))!, app: (await getAppByKey(env.DB, "smsapi", cred.app.key))! };
  }
  const send = async (s: Awaited<ReturnType<typeof setup>>, kind: Kind, to: string, text = "【测试】你好") => {
    const res = await acceptSend(env, [{ mobile: to, text, signature: "测试" }], { tenant: s.tenant, app: s.app, kind, mode: "all" });
    return (await stored(res.items[0]!.messageId)).price;
  };

  it("most specific row first: country+kind, country, calling code+kind, calling code, *+kind, *; home at the tenant's prices", async () => {
    const s = await setup([
      { destination: "*", price: 6 },
      { destination: "*", kind: "marketing", price: 5 },
      { destination: "+1", price: 4 },
      { destination: "+1", kind: "notification", price: 3 },
      { destination: "US", price: 2 },
      { destination: "US", kind: "verification", price: 1 },
    ]);
    expect(await send(s, "verification", us())).toBe(1);
    expect(await send(s, "notification", us())).toBe(2);
    expect(await send(s, "notification", ca())).toBe(3);
    expect(await send(s, "verification", ca())).toBe(4);
    expect(await send(s, "marketing", hk())).toBe(5);
    expect(await send(s, "notification", hk())).toBe(6);
    expect(await send(s, "verification", mobile())).toBe(11);
    expect(await send(s, "marketing", `+86${mobile()}`)).toBe(13);
  });

  it("segments × the destination's price; a price of 0 is free, not missing", async () => {
    const s = await setup([{ destination: "US", price: 300 }, { destination: "JP", price: 0 }]);
    expect(await send(s, "notification", us(), `【测试】${"长".repeat(80)}`)).toBe(600);
    expect(await send(s, "notification", jp())).toBe(0);
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - 600, ledger: 100_000 - 600 });
  });

  it("another home country: its mobiles at the tenant's prices, China then needs a row", async () => {
    const s = await setup([{ destination: "+1", price: 50 }], { home_country: "US" });
    expect(await send(s, "notification", us())).toBe(12);
    expect(await send(s, "notification", ca())).toBe(50);
    await expect(send(s, "notification", mobile())).rejects.toMatchObject({ code: "no_price" });
    const withCn = await setup([{ destination: "CN", price: 70 }], { home_country: "US" });
    expect(await send(withCn, "notification", mobile())).toBe(70);
  });

  it("a tenant that never set a table (as before this change) sends home and nowhere else", async () => {
    const t = await makeTenant({ balance: 1000, prices: { notification: 45 } });
    const cred = await makeCredential(t, "smsapi");
    const s = { tenant: t, app: (await getAppByKey(env.DB, "smsapi", cred.app.key))! };
    expect(await send(s, "notification", mobile())).toBe(45);
    await expect(send(s, "notification", us())).rejects.toMatchObject({ code: "no_price", message: expect.stringContaining("US (+1)") });
    expect(await money(t.id)).toEqual({ balance: 955, ledger: 955 });
  });

  it("mode all names every unpriced mobile in one refusal; mode each refuses them per item", async () => {
    const s = await setup([{ destination: "US", price: 300 }]);
    const [a, b] = [hk(), jp()];
    const drafts = [mobile(), a, us(), b].map((m) => ({ mobile: m, text: "【测试】你好", signature: "测试" }));
    await expect(acceptSend(env, drafts, { tenant: s.tenant, app: s.app, kind: "notification", mode: "all" })).rejects.toMatchObject({
      code: "no_price",
      message: expect.stringMatching(new RegExp(`^2 mobiles .*: \\${a}, \\${b}$`)),
    });
    expect(await messageCount(s.tenant.id)).toBe(0);
    const res = await acceptSend(env, drafts, { tenant: s.tenant, app: s.app, kind: "notification", mode: "each" });
    expect(res.items.map((i) => (i.ok ? "ok" : i.error.code))).toEqual(["ok", "no_price", "ok", "no_price"]);
    expect(res.amount).toBe(12 + 300);
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - 312, ledger: 100_000 - 312 });
  });
});

describe("prices through every dialect's send", () => {
  it("JPush /v1/messages, /v1/codes and /v1/messages/batch: the destination's price stored; unpriced 403/50006, nothing billed", async () => {
    const s = await jpushSetup({ price: 10 });
    await putPrices(s.tenant.id, [...TABLE, { destination: "US", kind: "verification", price: 500 }]);
    const para = { number: "SF1", place: "东门" };
    const home = await jpushCall(s, "POST", "/v1/messages", { mobile: mobile(), temp_id: s.noticeTpl, temp_para: para });
    expect((await stored(home.body.msg_id)).price).toBe(10);
    const abroad = await jpushCall(s, "POST", "/v1/messages", { mobile: us(), temp_id: s.noticeTpl, temp_para: para });
    expect(await stored(abroad.body.msg_id)).toMatchObject({ price: 300, kind: "notification" });
    const promo = await jpushCall(s, "POST", "/v1/messages", { mobile: gb(), temp_id: s.marketingTpl, temp_para: { name: "Ann" } });
    expect(await stored(promo.body.msg_id)).toMatchObject({ price: 250, kind: "marketing" });
    const code = await jpushCall(s, "POST", "/v1/codes", { mobile: us(), temp_id: s.codeTpl });
    expect(await stored(code.body.msg_id)).toMatchObject({ price: 500, kind: "verification" });
    const spent = 10 + 300 + 250 + 500;
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - spent, ledger: 100_000 - spent });

    for (const [path, body] of [
      ["/v1/messages", { mobile: hk(), temp_id: s.noticeTpl, temp_para: para }],
      ["/v1/codes", { mobile: jp(), temp_id: s.codeTpl }],
    ] as const) {
      const res = await jpushCall(s, "POST", path, body);
      expect(res).toEqual({ status: 403, body: err(50006) });
      expect(res.body.error.message).toMatch(/no (notification|verification) price for destination (HK|JP)/);
    }
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - spent, ledger: 100_000 - spent });

    const [cn, u, h, g] = [mobile(), us(), hk(), gb()];
    const batch = await jpushCall(s, "POST", "/v1/messages/batch", { temp_id: s.noticeTpl, recipients: [cn, u, h, g].map((m) => ({ mobile: m, temp_para: para })) });
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ success_count: 3, failure_count: 1, failure_recipients: [{ mobile: h, error_code: "50006" }] });
    const ids = batch.body.recipients.filter((r: Json) => r.msg_id && !r.error_code).map((r: Json) => r.msg_id);
    expect(await Promise.all(ids.map(async (id: string) => (await stored(id)).price))).toEqual([10, 300, 200]);
    const total = spent + 510;
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - total, ledger: 100_000 - total });
  });

  it("paasw /sms/send: any unpriced number refuses the request with 30001 naming each, nothing written", async () => {
    const s = await paasw.setup({ price: 10, balance: 10_000 });
    await putPrices(s.tenant.id, TABLE);
    const [h, j] = [hk(), jp()];
    const params = { sign: s.sign.name, content: "你的快件已签收", kind: "2" };
    const body = paasw.expectRefused(await paasw.call(s, "POST", "/sms/send", { ...params, phoneNumbers: `${mobile()},${us()},${h},${j}` }), "30001");
    expect(body.message).toContain(`${h}, ${j}`);
    expect(await messageCount(s.tenant.id)).toBe(0);
    expect(await money(s.tenant.id)).toEqual({ balance: 10_000, ledger: 10_000 });

    const [cn, u, g] = [mobile(), us(), gb()];
    const sent = paasw.expectOk(await paasw.call(s, "POST", "/sms/send", { ...params, phoneNumbers: `${cn},${u},${g}` }));
    const rows = (await env.DB.prepare("SELECT mobile, price FROM messages WHERE batch_id = ?1").bind(sent.bizId).all<Json>()).results;
    expect(Object.fromEntries(rows.map((r) => [r.mobile, r.price]))).toEqual({ [`+86${cn}`]: 10, [u]: 300, [g]: 200 });
    const promo = paasw.expectOk(await paasw.call(s, "POST", "/sms/send", { ...params, kind: "3", content: "周末5折 回TD退订", phoneNumbers: gb() }));
    expect((await env.DB.prepare("SELECT price FROM messages WHERE batch_id = ?1").bind(promo.bizId).first<Json>())!.price).toBe(250);
    expect(await money(s.tenant.id)).toEqual({ balance: 10_000 - 760, ledger: 10_000 - 760 });
  });

  it("Huawei SMN: unpriced endpoints are refused per item (SMN.0160), a single one with 400", async () => {
    const s = await huawei.setup({ price: 10, balance: 10_000, login: true });
    await putPrices(s.tenant.id, TABLE);
    const [cn, u, h] = [mobile(), us(), hk()];
    const publish = (body: Json) => huawei.call(s, "POST", huawei.SMS, body, { goSdk: true });
    const res = await publish({ endpoints: [cn, u, h], message: "同一内容", sign_id: s.sign.uid, message_include_sign_flag: false });
    expect(res.status).toBe(200);
    const body = res.body as Json;
    expect(body.result).toEqual([
      { endpoint: cn, message_id: expect.any(String) },
      { endpoint: u, message_id: expect.any(String) },
      { endpoint: h, code: "SMN.0160", message: expect.stringContaining("no notification price for destination HK") },
    ]);
    expect((await stored(body.result[1].message_id)).price).toBe(300);
    const single = await publish({ endpoint: jp(), message: "内容", sign_id: s.sign.uid, message_include_sign_flag: false });
    expect(single.status).toBe(400);
    expect(single.body).toMatchObject({ code: "SMN.0160", message: expect.stringContaining("JP (+81)") });
    expect(await money(s.tenant.id)).toEqual({ balance: 10_000 - 310, ledger: 10_000 - 310 });
  });

  it("smsapi: per item 40002 in batch and personality, 400/40002 for industry; prices by kind", async () => {
    const s = await smsapiSetup({ price: 10, balance: 10_000 });
    await putPrices(s.tenant.id, TABLE);
    const [cn, u, h] = [mobile(), us(), hk()];
    const batch = expectEnvelope(await smsapiCall(s, "POST", "batch", { mobiles: [cn, u, h].join(","), content: `【${s.sign.name}】通知`, sendTime: 0 }), 200, 0);
    expect(batch.data).toMatchObject({ amount: 310, accepted: 2 });
    expect(batch.data.messages[2]).toEqual({ mobile: h, code: 40002, message: expect.stringContaining("HK (+852)") });
    expect((await stored(batch.data.messages[1].id)).price).toBe(300);
    const g = gb();
    const personal = expectEnvelope(
      await smsapiCall(s, "POST", "personality", { smses: [{ mobile: g, content: `【${s.sign.name}】促销` }, { mobile: jp(), content: `【${s.sign.name}】促销` }], sendTime: 0, marketing: true }),
      200,
      0,
    );
    expect(personal.data.messages.map((m: Json) => m.code ?? "ok")).toEqual(["ok", 40002]);
    expect((await stored(personal.data.messages[0].id)).price).toBe(250);
    expectEnvelope(await smsapiCall(s, "POST", "industry", { mobile: hk(), content: `【${s.sign.name}】验证码 1234` }), 400, 40002, /no notification price/);
    expect(await money(s.tenant.id)).toEqual({ balance: 10_000 - 560, ledger: 10_000 - 560 });
  });

  it("a 1000-recipient batch with 100 unpriced numbers: 900 billed at their prices in one batch, 100 refused per item", async () => {
    const s = await smsapiSetup({ price: 10, balance: 1_000_000 });
    await putPrices(s.tenant.id, TABLE);
    // Distinct numbers: us() draws 4 digits, so 100 of them would collide now and then (a duplicate is refused as such).
    const distinct = (draw: () => string) => [...new Set(Array.from({ length: 400 }, draw))].slice(0, 100);
    const [hks, uss] = [distinct(hk), distinct(us)];
    const mobiles = Array.from({ length: 1000 }, (_, i) => (i % 10 === 3 ? hks[(i - 3) / 10]! : i % 10 === 7 ? uss[(i - 7) / 10]! : `+86${mobile()}`));
    const res = expectEnvelope(await smsapiCall(s, "POST", "batch", { mobiles: mobiles.join(","), content: `【${s.sign.name}】通知`, sendTime: 0 }), 200, 0);
    expect(res.data.accepted).toBe(900);
    expect(res.data.messages.filter((m: Json) => m.code === 40002).map((m: Json) => m.mobile)).toEqual(mobiles.filter((_, i) => i % 10 === 3));
    expect(res.data.amount).toBe(800 * 10 + 100 * 300);
    expect(await money(s.tenant.id)).toEqual({ balance: 1_000_000 - 38_000, ledger: 1_000_000 - 38_000 });
    const sums = await env.DB.prepare("SELECT COUNT(*) AS n, SUM(price) AS total FROM messages WHERE batch_id = ?1").bind(res.data.batchId).first<Json>();
    expect(sums).toEqual({ n: 900, total: 38_000 });
  });
});
