// Per-app spending caps: set and shown by the operator API, enforced inside the accept batch
// (exact under 50 concurrent sends), refused with each dialect's no-balance error while the
// tenant's other apps keep sending, reset with the tenant's day, given back by refunds, and
// reported by JPush /v1/accounts/app.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { capsState } from "../../src/core/app-caps";
import { cancelBatch } from "../../src/core/cancel";
import { finishUnsent } from "../../src/core/delivery";
import { acceptSend } from "../../src/core/send";
import { parseLocalDateTime } from "../../src/core/time";
import type { Tenant } from "../../src/core/types";
import { getApp } from "../helpers/domain";
import { admin, paths } from "../admin/helpers";
import { followRevision, makeCredential, mobile, money } from "../helpers/fixtures";
import { basic, call as jpushCall, err, setup as jpushSetup } from "../dialects/jpush/helpers";
import * as paasw from "../dialects/paasw/helpers";
import * as huawei from "../dialects/huawei/helpers";
import type { Json } from "../dialects/huawei/helpers";
import { setup as smsapiSetup, call as smsapiCall, expectEnvelope } from "../dialects/smsapi/helpers";
import { tenantDb } from "../../src/store/db";

const appUrl = (tenantId: string, appId: string) => `/tenants/${tenantId}/apps/${appId}`;

/** Sets an app's caps; `tenant` follows the revision stamp the change moved (it is passed to acceptSend below). */
async function setCaps(tenant: Tenant, appId: string, caps: { cap_daily?: number | null; cap_total?: number | null }) {
  const res = await admin("PATCH", appUrl(tenant.id, appId), caps);
  expect(res.status).toBe(200);
  await followRevision(tenant);
  return res.body.caps;
}

const counters = async (tenantId: string, appId: string) =>
  (await env.DB.prepare("SELECT spent_day, spent_total FROM apps WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, appId).first<{ spent_day: number; spent_total: number }>())!;
const messageCount = async (tenantId: string, appId?: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1 AND (?2 IS NULL OR app_id = ?2)").bind(tenantId, appId ?? null).first<{ n: number }>())!.n;

/** An smsapi industry send (one notification to one mobile). */
const industry = (s: { apiKey: string; sign: { name: string } }, m = mobile()) => smsapiCall(s, "POST", "industry", { mobile: m, content: `【${s.sign.name}】您的包裹已签收` });

describe("caps in the operator API", () => {
  it("PATCH sets and clears caps; every view shows them with what was spent and what remains", async () => {
    const s = await smsapiSetup({ price: 10, balance: 10_000 });
    const none = { daily: null, total: null, spent_today: 0, spent_total: 0, remaining_today: null, remaining_total: null };
    expect((await admin("GET", appUrl(s.tenant.id, s.appId))).body.caps).toEqual(none);
    expect(await setCaps(s.tenant, s.appId, { cap_daily: 100, cap_total: 1000 })).toEqual({ ...none, daily: 100, total: 1000, remaining_today: 100, remaining_total: 1000 });
    expectEnvelope(await industry(s), 200, 0);
    expectEnvelope(await industry(s), 200, 0);
    const spent = { daily: 100, total: 1000, spent_today: 20, spent_total: 20, remaining_today: 80, remaining_total: 980 };
    expect((await admin("GET", appUrl(s.tenant.id, s.appId))).body.caps).toEqual(spent);
    const list = await admin("GET", `/tenants/${s.tenant.id}/apps`);
    expect(list.body.items.find((a: Json) => a.id === s.appId).caps).toEqual(spent);
    // Only the named cap changes; null removes it; other fields alone leave both.
    expect(await setCaps(s.tenant, s.appId, { cap_total: null })).toEqual({ ...spent, total: null, remaining_total: null });
    expect(await setCaps(s.tenant, s.appId, {})).toEqual({ ...spent, total: null, remaining_total: null });
    expect((await admin("PATCH", appUrl(s.tenant.id, s.appId), { name: "shop" })).body.caps.daily).toBe(100);
  });

  it("refuses caps that are not whole non-negative minor units, changing nothing", async () => {
    const s = await smsapiSetup();
    await setCaps(s.tenant, s.appId, { cap_daily: 50 });
    for (const [body, expected] of [
      [{ cap_daily: -1 }, ["cap_daily"]],
      [{ cap_total: 1.5 }, ["cap_total"]],
      [{ cap_daily: "100" }, ["cap_daily"]],
      [{ cap_total: 1e13 }, ["cap_total"]],
    ] as const) {
      const res = await admin("PATCH", appUrl(s.tenant.id, s.appId), body);
      expect({ status: res.status, paths: paths(res) }).toEqual({ status: 400, paths: expected });
    }
    expect((await admin("GET", appUrl(s.tenant.id, s.appId))).body.caps).toMatchObject({ daily: 50, total: null });
  });
});

describe("caps at send time", () => {
  it("50 concurrent sends against a daily cap for exactly 10: 10 accepted, 40 refused 402/40200, ledger == balance", async () => {
    const s = await smsapiSetup({ price: 10, balance: 100_000 });
    await setCaps(s.tenant, s.appId, { cap_daily: 100 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => industry(s)));
    const bodies = answers.map((r) => ({ status: r.status, code: r.body.code }));
    expect(bodies.filter((b) => b.status === 200 && b.code === 0)).toHaveLength(10);
    expect(bodies.filter((b) => b.status === 402 && b.code === 40200)).toHaveLength(40);
    expect(await money(s.tenant.id)).toEqual({ balance: 99_900, ledger: 99_900 });
    expect(await messageCount(s.tenant.id)).toBe(10);
    expect(await counters(s.tenant.id, s.appId)).toEqual({ spent_day: 100, spent_total: 100 });
  });

  it("50 concurrent JPush sends against a total cap for exactly 7 (and a daily cap above it): 7 accepted, 43 refused 403/50014", async () => {
    const s = await jpushSetup({ price: 10, balance: 100_000 });
    await setCaps(s.tenant, s.appId, { cap_daily: 1000, cap_total: 75 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => jpushCall(s, "POST", "/v1/messages", { mobile: mobile(), temp_id: s.noticeTpl, temp_para: { number: "1", place: "A" } })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(7);
    const refusedOnes = answers.filter((a) => a.status !== 200);
    expect(refusedOnes).not.toHaveLength(0);
    expect(refusedOnes.filter((a) => !(a.status === 403 && a.body.error.code === 50014))).toEqual([]);
    expect(refusedOnes[0]!.body.error.message).toMatch(/no money: .*spending cap/);
    expect(await money(s.tenant.id)).toEqual({ balance: 99_930, ledger: 99_930 });
    expect(await counters(s.tenant.id, s.appId)).toEqual({ spent_day: 70, spent_total: 70 });
  });

  it("a batch that would pass the cap is refused whole (nothing billed); the tenant's other apps keep sending", async () => {
    const s = await smsapiSetup({ price: 10, balance: 10_000 });
    await setCaps(s.tenant, s.appId, { cap_daily: 30 });
    const batch = (n: number, key = s.apiKey) =>
      smsapiCall(null, "POST", "batch", { mobiles: Array.from({ length: n }, () => mobile()).join(","), content: `【${s.sign.name}】通知`, sendTime: 0 }, { apiKey: key });
    expectEnvelope(await batch(4), 402, 40200, /spending cap/);
    expect(await money(s.tenant.id)).toEqual({ balance: 10_000, ledger: 10_000 });
    expect(await messageCount(s.tenant.id)).toBe(0);
    expectEnvelope(await batch(3), 200, 0);
    expectEnvelope(await industry(s), 402, 40200);

    const other = await makeCredential(s.tenant, "smsapi");
    const otherKey = `${other.app.key}.${other.secret}`;
    expectEnvelope(await batch(5, otherKey), 200, 0);
    expect(await messageCount(s.tenant.id, other.app.id)).toBe(5);
    expect(await money(s.tenant.id)).toEqual({ balance: 9_920, ledger: 9_920 });
    // A cap lowered below what was spent refuses at once; removing it lets the app send again.
    await setCaps(s.tenant, other.app.id, { cap_total: 10 });
    expectEnvelope(await batch(1, otherKey), 402, 40200);
    await setCaps(s.tenant, other.app.id, { cap_total: null });
    expectEnvelope(await batch(1, otherKey), 200, 0);
  });

  it("the tenant's balance still rules inside a cap: an overdraft is insufficient balance, not the cap", async () => {
    const s = await smsapiSetup({ price: 10, balance: 15 });
    await setCaps(s.tenant, s.appId, { cap_daily: 10 });
    expectEnvelope(await industry(s), 200, 0);
    expectEnvelope(await industry(s), 402, 40200, /balance does not cover/);
    expect(await money(s.tenant.id)).toEqual({ balance: 5, ledger: 5 });
  });

  it("every dialect answers a capped app with its no-balance error", async () => {
    const p = await paasw.setup({ price: 10 });
    await setCaps(p.tenant, p.appId, { cap_total: 0 });
    paasw.expectRefused(await paasw.call(p, "POST", "/sms/send", { phoneNumbers: mobile(), sign: p.sign.name, content: "你好", kind: "2" }), "40001", /spending cap/);

    const h = await huawei.setup({ price: 10, login: true });
    await setCaps(h.tenant, h.appId, { cap_daily: 5 });
    const res = await huawei.call(h, "POST", huawei.SMS, { endpoint: mobile(), message: "内容", sign_id: h.sign.uid, message_include_sign_flag: false }, { goSdk: true });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "SMN.0261" });

    const j = await jpushSetup({ price: 10 });
    await setCaps(j.tenant, j.appId, { cap_daily: 0 });
    expect(await jpushCall(j, "POST", "/v1/codes", { mobile: mobile(), temp_id: j.codeTpl })).toEqual({ status: 403, body: err(50014) });
    for (const t of [p.tenant, h.tenant, j.tenant]) expect(await messageCount(t.id)).toBe(0);
  });
});

describe("the day and refunds", () => {
  /** A tenant-local wall time as epoch ms. */
  const at = (tenant: Tenant, local: string) => parseLocalDateTime(local, tenant.timezone)!;

  it("the daily cap starts again at midnight in the tenant's timezone; the total cap does not", async () => {
    const s = await smsapiSetup({ price: 10, balance: 10_000 });
    // A zone far from the default, so that the day is visibly the tenant's, not UTC's or Shanghai's.
    expect((await admin("PATCH", `/tenants/${s.tenant.id}`, { timezone: "America/New_York" })).status).toBe(200);
    await setCaps(s.tenant, s.appId, { cap_daily: 20, cap_total: 50 });
    const tenant = { ...s.tenant, timezone: "America/New_York" };
    const app = (await getApp(tenantDb(env, s.tenant.id), s.appId))!;
    const send = (local: string) =>
      acceptSend(env, [{ mobile: mobile(), text: `【${s.sign.name}】通知`, signature: s.sign.name }], { tenant, app, kind: "notification", mode: "all", now: at(tenant, local) });
    await send("2026-11-20 23:10:00");
    await send("2026-11-20 23:20:00");
    await expect(send("2026-11-20 23:59:59")).rejects.toMatchObject({ code: "app_cap_exceeded" });
    await send("2026-11-21 00:00:01");
    await send("2026-11-21 08:00:00");
    await expect(send("2026-11-21 20:00:00")).rejects.toMatchObject({ code: "app_cap_exceeded" });
    // Day three: the daily cap would allow 2 more, the total (50) only 1.
    await send("2026-11-22 09:00:00");
    await expect(send("2026-11-22 09:01:00")).rejects.toMatchObject({ code: "app_cap_exceeded" });
    const fresh = (await getApp(tenantDb(env, s.tenant.id), s.appId))!;
    expect(capsState(fresh, tenant.timezone, at(tenant, "2026-11-22 12:00:00"))).toMatchObject({ spentToday: 10, spentTotal: 50, remainingToday: 10, remainingTotal: 0 });
    expect(capsState(fresh, tenant.timezone, at(tenant, "2026-11-23 00:00:00"))).toMatchObject({ spentToday: 0, remainingToday: 20, remainingTotal: 0 });
    expect(await money(s.tenant.id)).toEqual({ balance: 9_950, ledger: 9_950 });
  });

  it("a cancel gives the allowance back (today's and the total); a refund of an earlier day gives back the total only", async () => {
    const s = await smsapiSetup({ price: 10, balance: 10_000 });
    const schedule = async (appId: string, now?: number) =>
      acceptSend(env, [{ mobile: mobile(), text: `【${s.sign.name}】通知`, signature: s.sign.name }], {
        tenant: s.tenant,
        app: (await getApp(tenantDb(env, s.tenant.id), appId))!,
        kind: "notification",
        mode: "all",
        now,
        sendAt: Date.now() + 3_600_000,
      });
    await setCaps(s.tenant, s.appId, { cap_daily: 20, cap_total: 100 });
    const a = await schedule(s.appId);
    await schedule(s.appId);
    await expect(schedule(s.appId)).rejects.toMatchObject({ code: "app_cap_exceeded" });
    await cancelBatch(env, s.tenant.id, a.batchId!);
    expect(await counters(s.tenant.id, s.appId)).toEqual({ spent_day: 10, spent_total: 10 });
    await schedule(s.appId);
    expect(await counters(s.tenant.id, s.appId)).toEqual({ spent_day: 20, spent_total: 20 });

    // Debited two days ago, then today's first send starts a new day: the old message's refund
    // frees the total, not today's counter, which it was never part of.
    const other = await makeCredential(s.tenant, "smsapi");
    await setCaps(s.tenant, other.app.id, { cap_daily: 20 });
    const old = await schedule(other.app.id, Date.now() - 2 * 86_400_000);
    await schedule(other.app.id);
    expect(await counters(s.tenant.id, other.app.id)).toEqual({ spent_day: 10, spent_total: 20 });
    await cancelBatch(env, s.tenant.id, old.batchId!);
    expect(await counters(s.tenant.id, other.app.id)).toEqual({ spent_day: 10, spent_total: 10 });
    expect(await money(s.tenant.id)).toEqual({ balance: 9_970, ledger: 9_970 });
  });

  it("modifying a JPush schedule at the cap: the old message's refund and the new debit in one batch fit it; deleting frees it", async () => {
    const s = await jpushSetup({ price: 10, balance: 10_000 });
    await setCaps(s.tenant, s.appId, { cap_total: 10 });
    const at = new Date(Date.now() + 8 * 3_600_000 + 2 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
    const body = { send_time: at, temp_id: s.noticeTpl, mobile: mobile(), temp_para: { number: "1", place: "A" } };
    const created = await jpushCall(s, "POST", "/v1/schedule", body);
    expect(created.status).toBe(200);
    const id = created.body.schedule_id;
    expect(await jpushCall(s, "POST", "/v1/schedule", { ...body, mobile: mobile() })).toEqual({ status: 403, body: err(50014) });
    expect((await jpushCall(s, "PUT", `/v1/schedule/${id}`, { ...body, mobile: mobile() })).status).toBe(200);
    expect(await counters(s.tenant.id, s.appId)).toEqual({ spent_day: 10, spent_total: 10 });
    expect((await jpushCall(s, "DELETE", `/v1/schedule/${id}`)).status).toBe(200);
    expect(await counters(s.tenant.id, s.appId)).toEqual({ spent_day: 0, spent_total: 0 });
    expect(await money(s.tenant.id)).toEqual({ balance: 10_000, ledger: 10_000 });
  });

  it("a carrier's refusal and a gateway-side failure give the allowance back, once", async () => {
    const s = await smsapiSetup({ price: 10, balance: 10_000 });
    await setCaps(s.tenant, s.appId, { cap_total: 20 });
    expectEnvelope(await industry(s), 200, 0);
    // The simulator refuses 13900000001 at submit (code 1): the dispatch consumer refunds it.
    const rejected = expectEnvelope(await industry(s, "13900000001"), 200, 0);
    const end = Date.now() + 15_000;
    while ((await counters(s.tenant.id, s.appId)).spent_total !== 10 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(await counters(s.tenant.id, s.appId)).toEqual({ spent_day: 10, spent_total: 10 });
    const row = await env.DB.prepare("SELECT status, result_code FROM messages WHERE id = ?1").bind(rejected.data.messages[0].id).first<Json>();
    expect(row).toEqual({ status: "undelivered", result_code: "1" });
    expectEnvelope(await industry(s), 200, 0);
    expectEnvelope(await industry(s), 402, 40200);

    await setCaps(s.tenant, s.appId, { cap_total: 30 });
    const queued = await acceptSend(env, [{ mobile: mobile(), text: `【${s.sign.name}】通知`, signature: s.sign.name }], {
      tenant: s.tenant,
      app: (await getApp(tenantDb(env, s.tenant.id), s.appId))!,
      kind: "notification",
      mode: "all",
      sendAt: Date.now() + 3_600_000,
    });
    const id = queued.items[0]!.messageId;
    await env.DB.prepare("UPDATE messages SET status = 'queued' WHERE id = ?1").bind(id).run();
    await finishUnsent(env, "fail", [id], "retries exhausted");
    await finishUnsent(env, "fail", [id], "retries exhausted");
    expect(await counters(s.tenant.id, s.appId)).toEqual({ spent_day: 20, spent_total: 20 });
    expect(await money(s.tenant.id)).toEqual({ balance: 9_980, ledger: 9_980 });
  });
});

describe("JPush /v1/accounts/app", () => {
  const balance = async (auth: string) => (await jpushCall(null, "GET", "/v1/accounts/app", undefined, { auth })).body.app_balance;

  it("reports what the app's caps leave of the tenant's balance; the tenant's other apps see the whole balance", async () => {
    const s = await jpushSetup({ price: 10, balance: 1000 });
    const other = await makeCredential(s.tenant, "jpush");
    const otherAuth = basic(other.app.key, other.secret);
    expect(await balance(s.auth)).toBe(100);
    await setCaps(s.tenant, s.appId, { cap_daily: 50, cap_total: 200 });
    expect(await balance(s.auth)).toBe(5);
    for (let i = 0; i < 3; i++) {
      expect((await jpushCall(s, "POST", "/v1/messages", { mobile: mobile(), temp_id: s.noticeTpl, temp_para: { number: "1", place: "A" } })).status).toBe(200);
    }
    expect(await balance(s.auth)).toBe(2);
    expect(await balance(otherAuth)).toBe(97);
    await setCaps(s.tenant, s.appId, { cap_daily: null, cap_total: 35 });
    expect(await balance(s.auth)).toBe(0);
    await setCaps(s.tenant, s.appId, { cap_total: null });
    expect(await balance(s.auth)).toBe(97);
  });
});
