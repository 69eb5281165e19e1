// Status and history in every dialect, through the real pipeline (sends dispatched to the simulator
// and reported back): JPush's receipt API (/v1/report, /v1/reply), each tenant-scoped (another
// tenant's ids are not found), and the customer reference (outId / extend) carried from the send to
// reports, pushes and queries. The other dialects' status queries are in huawei/sms-status.test.ts,
// paasw/query.test.ts and smsapi/status.test.ts.
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { applyReplies } from "../../src/core/delivery";
import { mobile } from "../helpers/fixtures";
import { admin } from "../admin/helpers";
import { mockReceiver, waitFor } from "../jobs/support";
import { jpushSetup, type JpushSetup } from "./jpush/helpers";
import { ok as paaswOk, paaswSetup, request as paaswCall } from "./paasw/helpers";
import { setup as apiSetup, post as smsapiCall } from "./smsapi/helpers";

type Json = Record<string, any>;

afterEach(() => vi.restoreAllMocks());

const count = async (sql: string, arg: string) => (await env.DB.prepare(sql).bind(arg).first<{ n: number }>())!.n;
const reportsOf = (tenantId: string, n: number) =>
  waitFor(async () => (await count("SELECT COUNT(*) AS n FROM reports WHERE tenant_id = ?1", tenantId)) >= n, 20_000, `${n} reports`);

describe("JPush receipt API", () => {
  const get = (path: string, s: JpushSetup) => exports.default.fetch(`http://gw${path}`, { headers: { authorization: s.auth } });
  /** The 5-second window of an app's last receipt call, moved into the past (as if 5 s had gone by). */
  const later = (s: JpushSetup) => env.DB.prepare("UPDATE pull_marks SET at = at - 5000 WHERE app_id = ?1").bind(s.appId).run();

  async function sendMessages(s: JpushSetup, mobiles: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const m of mobiles) {
      const res = await exports.default.fetch("http://gw/v1/messages", {
        method: "POST",
        headers: { authorization: s.auth, "content-type": "application/json" },
        body: JSON.stringify({ mobile: m, temp_id: s.noticeTpl, temp_para: { number: "1", place: "A" } }),
      });
      expect(res.status).toBe(200);
      ids.push(((await res.json()) as Json).msg_id);
    }
    return ids;
  }

  it("GET /v1/report hands out each report once, in the document's shape; one call per 5 s (50009)", async () => {
    const s = await jpushSetup();
    const stranger = await jpushSetup();
    const good = mobile();
    const [okId, badId, blockedId] = await sendMessages(s, [good, "13900000004", "13900000005"]);
    await reportsOf(s.tenant.id, 3);

    // Another tenant's app sees none of them.
    expect(await (await get("/v1/report", stranger)).json()).toEqual([]);

    const first = (await (await get("/v1/report", s)).json()) as Json[];
    expect(first.sort((a, b) => (a.msgId < b.msgId ? -1 : 1))).toEqual(
      [
        { msgId: okId, phone: good, receiveTime: expect.any(Number), status: 4001 },
        { msgId: badId, phone: "13900000004", receiveTime: expect.any(Number), status: 4003 },
        { msgId: blockedId, phone: "13900000005", receiveTime: expect.any(Number), status: 4010 },
      ].sort((a, b) => (a.msgId! < b.msgId! ? -1 : 1)),
    );
    const again = await get("/v1/report", s);
    expect(again.status).toBe(403);
    expect(((await again.json()) as Json).error.code).toBe(50009);
    await later(s);
    expect(await (await get("/v1/report", s)).json()).toEqual([]);
  });

  it("GET /v1/reply hands out the tenant's replies once: {phone, replyTime, content}", async () => {
    const s = await jpushSetup();
    const from = mobile();
    const stored = await applyReplies(env, "simulator", [{ ref: `r-${crypto.randomUUID()}`, mobile: from, content: "好的", signature: s.sign.name }]);
    expect(stored.stored).toBe(1);
    const res = await get("/v1/reply", s);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ phone: from, replyTime: expect.any(Number), content: "好的" }]);
    expect((await get("/v1/reply", s)).status).toBe(403);
    await later(s);
    expect(await (await get("/v1/reply", s)).json()).toEqual([]);
    // Wrong credentials: the usual 401.
    expect((await exports.default.fetch("http://gw/v1/reply", { headers: { authorization: "Basic eDp5" } })).status).toBe(401);
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
