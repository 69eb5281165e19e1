// Status and history in every dialect, through the real pipeline (sends dispatched to the simulator
// and reported back): paasw /sms/query, smsapi /sms/status; each tenant-scoped (another tenant's
// ids are not found), and the customer reference (outId / extend) carried from the send to reports,
// pushes and queries. JPush's receipt API is in jpush/inquire.test.ts, Huawei's status query in
// huawei/sms-status.test.ts.
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mobile } from "../helpers/fixtures";
import { admin } from "../admin/helpers";
import { mockReceiver, waitFor } from "../jobs/support";
import { call as paaswCall, ok as paaswOk, paaswSetup } from "./paasw/helpers";
import { apiSetup, call as smsapiCall } from "./smsapi/helpers";

type Json = Record<string, any>;

afterEach(() => vi.restoreAllMocks());

const count = async (sql: string, arg: string) => (await env.DB.prepare(sql).bind(arg).first<{ n: number }>())!.n;
const reportsOf = (tenantId: string, n: number) =>
  waitFor(async () => (await count("SELECT COUNT(*) AS n FROM reports WHERE tenant_id = ?1", tenantId)) >= n, 20_000, `${n} reports`);

describe("paasw /sms/query", () => {
  it("answers a bizId's messages (optionally one number) as often as asked, with outId; other tenants get nothing", async () => {
    const s = await paaswSetup();
    const stranger = await paaswSetup();
    const a = mobile();
    const sent = await paaswOk(await paaswCall("/sms/send", { token: s.token, phoneNumbers: `${a},13900000005`, sign: s.sign.name, content: "您的快件已签收", kind: "2", outId: "order-42" }));
    const bizId = sent.bizId as string;
    await reportsOf(s.tenant.id, 2);
    for (let i = 0; i < 2; i++) {
      const body = await paaswOk(await paaswCall("/sms/query", { token: s.token, bizId }, "query", "GET"));
      expect(body.bizId).toBe(bizId);
      const byPhone = Object.fromEntries((body.data as Json[]).map((x) => [x.phoneNumber, x]));
      expect(byPhone[a]).toEqual({
        bizId,
        phoneNumber: a,
        status: "delivered",
        success: true,
        code: "10000",
        message: expect.any(String),
        sendTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        reportTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        smsSize: "1",
        outId: "order-42",
      });
      expect(byPhone["13900000005"]).toMatchObject({ status: "undelivered", success: false, code: "5", outId: "order-42" });
    }
    const one = await paaswOk(await paaswCall("/sms/query", { token: s.token, bizId, mobile: `+86${a}` }, "form"));
    expect((one.data as Json[]).map((x) => x.phoneNumber)).toEqual([a]);
    const foreign = await paaswOk(await paaswCall("/sms/query", { token: stranger.token, bizId }, "json"));
    expect(foreign.data).toEqual([]);
    // The report pull carries the outId too.
    const pulled = (await (await paaswCall("/sms/deliver", { token: s.token }, "query", "GET")).json()) as Json[];
    expect(pulled.map((r) => r.outId)).toEqual(["order-42", "order-42"]);
    const missing = (await (await paaswCall("/sms/query", { token: s.token }, "query", "GET")).json()) as Json;
    expect(missing.code).toBe("10001");
  });
});

describe("smsapi /smsapi/v1/sms/status", () => {
  it("by ids (GET or POST) and by batchId, with outId per item; other tenants' ids are notFound", async () => {
    const s = await apiSetup();
    const stranger = await apiSetup();
    const m1 = mobile();
    const m2 = mobile();
    const res = await smsapiCall("personality", { smses: [{ mobile: m1, content: `【${s.sign.name}】甲`, outId: "a-1" }, { mobile: m2, content: `【${s.sign.name}】乙` }], sendTime: 0, outId: "all" }, s.apiKey);
    const sent = (await res.json()) as Json;
    const ids = (sent.data.messages as Json[]).map((x) => x.id as string);
    await reportsOf(s.tenant.id, 2);
    const get = await exports.default.fetch(`http://gw/smsapi/v1/sms/status?ids=${ids.join(",")}`, { headers: { authorization: `Bearer ${s.apiKey}` } });
    const body = (await get.json()) as Json;
    expect(body).toMatchObject({ code: 0, message: "ok", data: { found: 2, notFound: [] } });
    expect(body.data.messages[0]).toEqual({
      id: ids[0],
      batchId: sent.data.batchId,
      mobile: `+86${m1}`,
      status: "delivered",
      final: true,
      reportCode: "10000",
      reportMessage: expect.any(String),
      segments: 1,
      outId: "a-1",
      sendTime: expect.any(Number),
      submitTime: expect.any(Number),
      reportTime: expect.any(Number),
    });
    expect(body.data.messages[1].outId).toBe("all");
    const byBatch = (await (await smsapiCall("status", { batchId: sent.data.batchId }, s.apiKey)).json()) as Json;
    expect(byBatch.data.found).toBe(2);
    const foreign = (await (await smsapiCall("status", { ids }, stranger.apiKey)).json()) as Json;
    expect(foreign.data).toEqual({ found: 0, messages: [], notFound: ids });
    const none = await smsapiCall("status", {}, s.apiKey);
    expect(none.status).toBe(400);
    expect(((await none.json()) as Json).code).toBe(40001);
  });
});

describe("the customer reference in pushes", () => {
  it("paasw reports pushed carry outId; the generic format (smsapi) carries customer_ref", async () => {
    const calls = mockReceiver(() => new Response(JSON.stringify({ code: "10000" }), { status: 200 }));
    const p = await paaswSetup();
    const papp = await admin("GET", `/tenants/${p.tenant.id}/apps`);
    const paaswApp = (papp.body.items as Json[]).find((a) => a.dialect === "paasw")!;
    expect((await admin("PATCH", `/tenants/${p.tenant.id}/apps/${paaswApp.id}`, { report_url: "https://hooks.example.com/paasw" })).status).toBe(200);
    await paaswOk(await paaswCall("/sms/send", { token: p.token, phoneNumbers: mobile(), sign: p.sign.name, content: "您的快件已签收", kind: "2", outId: "po-7" }));

    const a = await apiSetup();
    expect((await admin("PATCH", `/tenants/${a.tenant.id}/apps/${a.appId}`, { report_url: "https://hooks.example.com/smsapi" })).status).toBe(200);
    expect((await smsapiCall("batch", { mobiles: mobile(), content: `【${a.sign.name}】您好`, sendTime: 0, outId: "sa-9" }, a.apiKey)).status).toBe(200);

    const pushed = await waitFor(async () => {
      const pp = calls.find((c) => c.url.endsWith("/paasw"));
      const sp = calls.find((c) => c.url.endsWith("/smsapi"));
      return pp && sp && { pp, sp };
    }, 20_000, "both pushes");
    expect(JSON.parse(pushed.pp.body)[0]).toMatchObject({ outId: "po-7", code: "10000" });
    expect(JSON.parse(pushed.sp.body).reports[0]).toMatchObject({ customer_ref: "sa-9", code: "10000" });
  });

  it("a reference longer than 64 characters or with control characters is refused with the dialect's error", async () => {
    const s = await apiSetup();
    const res = await smsapiCall("industry", { mobile: mobile(), content: `【${s.sign.name}】x`, outId: "x".repeat(65) }, s.apiKey);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).code).toBe(40000);
    const p = await paaswSetup();
    const bad = (await (await paaswCall("/sms/send", { token: p.token, phoneNumbers: mobile(), sign: p.sign.name, content: "x", kind: "2", outId: "a\nb" })).json()) as Json;
    expect(bad.code).not.toBe("10000");
  });
});
