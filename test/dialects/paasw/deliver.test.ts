// GET/POST /sms/deliver through the real pipeline: sends are dispatched to the simulator carrier in
// the background and reported back. Each report is handed out once, ≤ 500 per call, oldest first,
// filtered by sign, never to another tenant or app, never when it was pushed.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatLocalDateTime } from "../../../src/core/time";
import { makeCredential, makeSignature, mobile } from "../../helpers/fixtures";
import { call, customerHook, expectOk, type Json, many, pull, sendText, setup, waitReports, waitRows } from "./helpers";

afterEach(() => vi.restoreAllMocks());

describe("GET /sms/deliver", () => {
  it("returns each report once, in the documented shape, times in the tenant's timezone", async () => {
    const s = await setup({ timezone: "America/New_York" });
    const ok1 = mobile();
    const bizId = await sendText(s, [ok1, "13900000004", "13900000008"]);
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
    const s = await setup();
    await sendText(s, many(600));
    await waitReports(s.tenant.id, 600);
    const first = await pull("/sms/deliver", s.token);
    expect(first).toHaveLength(500);
    const ids = await env.DB.prepare("SELECT mobile FROM reports WHERE tenant_id = ?1 ORDER BY id").bind(s.tenant.id).all<Json>();
    expect(first.map((r) => `+86${r.phoneNumber}`)).toEqual(ids.results.slice(0, 500).map((r) => r.mobile));
    expect(await pull("/sms/deliver", s.token)).toHaveLength(100);
    expect(await pull("/sms/deliver", s.token)).toEqual([]);

    await sendText(s, many(700));
    await waitReports(s.tenant.id, 1300);
    const [a, b, c] = await Promise.all([pull("/sms/deliver", s.token), pull("/sms/deliver", s.token), pull("/sms/deliver", s.token)]);
    const all = [...a!, ...b!, ...c!].map((r) => r.phoneNumber);
    expect(all).toHaveLength(700);
    expect(new Set(all).size).toBe(700);
  });

  it("sign filters: only that signature's reports are handed out", async () => {
    const s = await setup();
    const other = await makeSignature(s.tenant, `另一个${crypto.randomUUID().slice(0, 8)}`);
    const [a, b] = [mobile(), mobile()];
    await sendText(s, [a]);
    await sendText(s, [b], other.name);
    await waitReports(s.tenant.id, 2);
    expect((await pull("/sms/deliver", s.token, other.name)).map((r) => r.phoneNumber)).toEqual([b]);
    expect(await pull("/sms/deliver", s.token, other.name)).toEqual([]);
    expect((await pull("/sms/deliver", s.token)).map((r) => r.phoneNumber)).toEqual([a]);
  });

  it("a token never reads another tenant's reports, nor another app's", async () => {
    const s = await setup();
    const t = await setup();
    const m = mobile();
    await sendText(s, [m]);
    await waitReports(s.tenant.id, 1);
    expect(await pull("/sms/deliver", t.token)).toEqual([]);
    expect(await pull("/sms/deliver", t.token, s.sign.name)).toEqual([]);
    // A second paasw app of the same tenant pulls its own reports only.
    const second = await makeCredential(s.tenant, "paasw");
    const token2 = expectOk(await call(null, "GET", "/api/token", { appId: second.app.key, secret: second.secret })).token as string;
    expect(await pull("/sms/deliver", token2)).toEqual([]);
    expect((await pull("/sms/deliver", s.token)).map((r) => r.phoneNumber)).toEqual([m]);
  });

  it("reports assigned to a push are not pulled; the push carries the document's array and needs code 10000", async () => {
    const s = await setup();
    // The first answer is not an acknowledgement (HTTP 200, wrong code): the push must stay pending.
    const { bodies } = await customerHook(s, "reportUrl", (n) => (n === 1 ? '{"code":"500","msg":"busy"}' : '{"code":10000,"msg":"操作成功"}'));
    const m = mobile();
    const bizId = await sendText(s, [m]);
    await waitRows("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE tenant_id = ?1 AND attempts >= 1", s.tenant.id, 1);
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
