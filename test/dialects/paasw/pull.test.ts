// Pull of delivery reports (/sms/deliver) and replies (/sms/smsUp) through the real pipeline:
// sends are dispatched to the simulator carrier in the background and reported back; replies are
// stored by the delivery engine's applyReplies. Each item is handed out once, ≤ 500 per call,
// oldest first, filtered by sign, never to another tenant, never when it was pushed.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { applyReplies } from "../../../src/core/delivery";
import { formatLocalDateTime } from "../../../src/core/time";
import { updateApp } from "../../../src/store/apps";
import { makeCredential, makeSignature, mobile } from "../../helpers/fixtures";
import { call, ok, paaswSetup, type Json, type PaaswSetup } from "./helpers";
import { tenantDb } from "../../../src/store/db";

afterEach(() => vi.restoreAllMocks());

const pull = async (path: "/sms/deliver" | "/sms/smsUp", token: string, sign?: string): Promise<Json[]> => {
  const res = await call(path, { token, ...(sign ? { sign } : {}) }, "query", "GET");
  expect(res.status).toBe(200);
  const body = (await res.json()) as Json[];
  expect(body).toEqual(expect.any(Array));
  return body;
};

/** Polls D1 until `sql` (one ?1 parameter) counts `n`, at most ~20 s. */
async function waitFor(sql: string, arg: string, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const row = await env.DB.prepare(sql).bind(arg).first<{ n: number }>();
    if (row!.n >= n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${n} rows: ${sql}`);
}
const waitReports = (tenantId: string, n: number) => waitFor("SELECT COUNT(*) AS n FROM reports WHERE tenant_id = ?1", tenantId, n);

async function send(s: PaaswSetup, numbers: string[], sign = s.sign.name, token = s.token): Promise<string> {
  const body = await ok(await call("/sms/send", { token, phoneNumbers: numbers.join(","), sign, content: "您的快件已签收", kind: "2" }));
  return body.bizId as string;
}

const many = (n: number): string[] => Array.from(new Set(Array.from({ length: n * 2 }, mobile))).slice(0, n);

async function reply(s: PaaswSetup, from: string, content: string, sign = s.sign.name): Promise<void> {
  const out = await applyReplies(env, "simulator", [{ ref: `r-${crypto.randomUUID()}`, mobile: from, content, signature: sign }]);
  expect(out.stored).toBe(1);
}

describe("GET /sms/deliver", () => {
  it("returns each report once, in the documented shape, times in the tenant's timezone", async () => {
    const s = await paaswSetup({ timezone: "America/New_York" });
    const ok1 = mobile();
    const bizId = await send(s, [ok1, "13900000004", "13900000008"]);
    await waitReports(s.tenant.id, 3);
    const items = await pull("/sms/deliver", s.token);
    expect(items).toHaveLength(3);
    const byPhone = Object.fromEntries(items.map((r) => [r.phoneNumber, r]));
    expect(byPhone[ok1]).toEqual({
      phoneNumber: ok1,
      sendTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      reportTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      success: true,
      code: "10000",
      message: "请求成功",
      smsSize: "1",
      bizId,
    });
    expect(byPhone["13900000004"]).toMatchObject({ success: false, code: "4", message: "失败", bizId });
    expect(byPhone["13900000008"]).toMatchObject({ success: false, code: "8", message: "超频", bizId });
    const row = await env.DB.prepare("SELECT sent_at, reported_at FROM reports WHERE tenant_id = ?1 AND mobile = ?2").bind(s.tenant.id, `+86${ok1}`).first<Json>();
    expect(byPhone[ok1]!.sendTime).toBe(formatLocalDateTime(row!.sent_at, "America/New_York"));
    expect(byPhone[ok1]!.reportTime).toBe(formatLocalDateTime(row!.reported_at, "America/New_York"));

    expect(await pull("/sms/deliver", s.token)).toEqual([]);
    const pending = await env.DB.prepare("SELECT COUNT(*) AS n FROM reports WHERE tenant_id = ?1 AND pulled_at IS NULL").bind(s.tenant.id).first<Json>();
    expect(pending!.n).toBe(0);
  });

  it("at most 500 per call, oldest first; concurrent pulls never return the same report", async () => {
    const s = await paaswSetup();
    await send(s, many(600));
    await waitReports(s.tenant.id, 600);
    const first = await pull("/sms/deliver", s.token);
    expect(first).toHaveLength(500);
    const ids = await env.DB.prepare("SELECT mobile FROM reports WHERE tenant_id = ?1 ORDER BY id").bind(s.tenant.id).all<Json>();
    expect(first.map((r) => `+86${r.phoneNumber}`)).toEqual(ids.results.slice(0, 500).map((r) => r.mobile));
    expect(await pull("/sms/deliver", s.token)).toHaveLength(100);
    expect(await pull("/sms/deliver", s.token)).toEqual([]);

    await send(s, many(700));
    await waitReports(s.tenant.id, 1300);
    const [a, b, c] = await Promise.all([pull("/sms/deliver", s.token), pull("/sms/deliver", s.token), pull("/sms/deliver", s.token)]);
    const all = [...a!, ...b!, ...c!].map((r) => r.phoneNumber);
    expect(all).toHaveLength(700);
    expect(new Set(all).size).toBe(700);
  });

  it("sign filters: only that signature's reports are handed out", async () => {
    const s = await paaswSetup();
    const other = await makeSignature(s.tenant, `另一个${crypto.randomUUID().slice(0, 8)}`);
    const [a, b] = [mobile(), mobile()];
    await send(s, [a]);
    await send(s, [b], other.name);
    await waitReports(s.tenant.id, 2);
    expect((await pull("/sms/deliver", s.token, other.name)).map((r) => r.phoneNumber)).toEqual([b]);
    expect(await pull("/sms/deliver", s.token, other.name)).toEqual([]);
    expect((await pull("/sms/deliver", s.token)).map((r) => r.phoneNumber)).toEqual([a]);
  });

  it("a token never reads another tenant's reports, nor another app's", async () => {
    const s = await paaswSetup();
    const t = await paaswSetup();
    const m = mobile();
    await send(s, [m]);
    await waitReports(s.tenant.id, 1);
    expect(await pull("/sms/deliver", t.token)).toEqual([]);
    expect(await pull("/sms/deliver", t.token, s.sign.name)).toEqual([]);
    // A second paasw app of the same tenant pulls its own reports only.
    const second = await makeCredential(s.tenant, "paasw");
    const token2 = (await ok(await call("/api/token", { appId: second.app.key, secret: second.secret }, "query", "GET"))).token as string;
    expect(await pull("/sms/deliver", token2)).toEqual([]);
    expect((await pull("/sms/deliver", s.token)).map((r) => r.phoneNumber)).toEqual([m]);
  });

  it("reports assigned to a push are not pulled; the push carries the document's array and needs code 10000", async () => {
    const s = await paaswSetup();
    const url = `https://hooks.example.com/paasw/${crypto.randomUUID()}`;
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { reportUrl: url }, Date.now());
    const bodies: string[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const target = input instanceof Request ? input.url : String(input);
      if (!target.startsWith(url)) return realFetch(input, init);
      bodies.push(String(init?.body));
      // The first answer is not an acknowledgement (HTTP 200, wrong code): the push must stay pending.
      return new Response(bodies.length === 1 ? '{"code":"500","msg":"busy"}' : '{"code":10000,"msg":"操作成功"}', { status: 200 });
    });
    const m = mobile();
    const bizId = await send(s, [m]);
    await waitFor("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE tenant_id = ?1 AND attempts >= 1", s.tenant.id, 1);
    const push = await env.DB.prepare("SELECT id, status, attempts FROM webhook_deliveries WHERE tenant_id = ?1").bind(s.tenant.id).first<Json>();
    expect(push).toMatchObject({ status: "pending", attempts: 1 });
    expect(JSON.parse(bodies[0]!)).toEqual([
      { phoneNumber: m, sendTime: expect.any(String), reportTime: expect.any(String), success: true, code: "10000", message: "请求成功", smsSize: "1", bizId },
    ]);
    expect(await pull("/sms/deliver", s.token)).toEqual([]);

    const { sendPushes } = await import("../../../src/core/webhooks");
    expect(await sendPushes(env, [push!.id])).toEqual([{ id: push!.id, outcome: "delivered" }]);
    expect(bodies[1]).toBe(bodies[0]);
    expect(await pull("/sms/deliver", s.token)).toEqual([]);
  });
});

describe("GET /sms/smsUp", () => {
  it("returns each reply once, oldest first, in the documented pull shape", async () => {
    const s = await paaswSetup();
    const [a, b] = [mobile(), mobile()];
    await send(s, [a, b]);
    await reply(s, a, "收到，谢谢");
    await reply(s, `+86${b}`, "几点送到？");
    const items = await pull("/sms/smsUp", s.token, s.sign.name);
    expect(items).toEqual([
      { phoneNumber: a, sendTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/), content: "收到，谢谢", sequenceId: expect.any(Number) },
      { phoneNumber: b, sendTime: expect.any(String), content: "几点送到？", sequenceId: expect.any(Number) },
    ]);
    expect(items[0]!.sequenceId).toBeLessThan(items[1]!.sequenceId);
    expect(await pull("/sms/smsUp", s.token, s.sign.name)).toEqual([]);
  });

  it("sign filters (and may be left out, as the vendor's demo does); another tenant sees nothing", async () => {
    const s = await paaswSetup();
    const t = await paaswSetup();
    const other = await makeSignature(s.tenant, `回复${crypto.randomUUID().slice(0, 8)}`);
    const [a, b] = [mobile(), mobile()];
    await reply(s, a, "一");
    await reply(s, b, "二", other.name);
    expect(await pull("/sms/smsUp", t.token)).toEqual([]);
    expect(await pull("/sms/smsUp", t.token, s.sign.name)).toEqual([]);
    expect((await pull("/sms/smsUp", s.token, other.name)).map((r) => r.content)).toEqual(["二"]);
    expect((await pull("/sms/smsUp", s.token)).map((r) => r.content)).toEqual(["一"]);
    expect(await pull("/sms/smsUp", s.token)).toEqual([]);
  });

  it("replies pushed to the tenant's reply URL are not pulled", async () => {
    const s = await paaswSetup();
    const url = `https://hooks.example.com/paasw-up/${crypto.randomUUID()}`;
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { replyUrl: url }, Date.now());
    const bodies: string[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const target = input instanceof Request ? input.url : String(input);
      if (!target.startsWith(url)) return realFetch(input, init);
      bodies.push(String(init?.body));
      return new Response('{"code":"10000","msg":"请求成功"}');
    });
    const a = mobile();
    await reply(s, a, "好的");
    await waitFor("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE tenant_id = ?1 AND status = 'delivered'", s.tenant.id, 1);
    expect(JSON.parse(bodies[0]!)).toEqual([{ phoneNumber: a, sendTime: expect.any(String), content: "好的", sign: s.sign.name, sequenceId: expect.any(Number) }]);
    expect(await pull("/sms/smsUp", s.token)).toEqual([]);
  });
});
