// Status and history in every dialect, through the real pipeline (sends dispatched to the simulator
// and reported back): the customer reference (outId / extend) carried from the send to reports,
// pushes and queries. Each dialect's status query is in its own folder: jpush/inquire.test.ts,
// huawei/sms-status.test.ts, paasw/query.test.ts and smsapi/status.test.ts.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mobile } from "../helpers/fixtures";
import { admin } from "../admin/helpers";
import { mockReceiver, waitFor } from "../jobs/support";
import * as paasw from "./paasw/helpers";
import { setup as smsapiSetup, call as smsapiCall } from "./smsapi/helpers";

type Json = Record<string, any>;

afterEach(() => vi.restoreAllMocks());

describe("the customer reference in pushes", () => {
  it("paasw reports pushed carry outId; the generic format (smsapi) carries customer_ref", async () => {
    const calls = mockReceiver(() => new Response(JSON.stringify({ code: "10000" }), { status: 200 }));
    const p = await paasw.setup();
    const papp = await admin("GET", `/tenants/${p.tenant.id}/apps`);
    const paaswApp = (papp.body.items as Json[]).find((a) => a.dialect === "paasw")!;
    expect((await admin("PATCH", `/tenants/${p.tenant.id}/apps/${paaswApp.id}`, { report_url: "https://hooks.example.com/paasw" })).status).toBe(200);
    paasw.expectOk(await paasw.call(p, "POST", "/sms/send", { phoneNumbers: mobile(), sign: p.sign.name, content: "您的快件已签收", kind: "2", outId: "po-7" }));

    const a = await smsapiSetup();
    expect((await admin("PATCH", `/tenants/${a.tenant.id}/apps/${a.appId}`, { report_url: "https://hooks.example.com/smsapi" })).status).toBe(200);
    expect((await smsapiCall(a, "POST", "batch", { mobiles: mobile(), content: `【${a.sign.name}】您好`, sendTime: 0, outId: "sa-9" })).status).toBe(200);

    const pushed = await waitFor(async () => {
      const pp = calls.find((c) => c.url.endsWith("/paasw"));
      const sp = calls.find((c) => c.url.endsWith("/smsapi"));
      return pp && sp && { pp, sp };
    }, 20_000, "both pushes");
    expect(JSON.parse(pushed.pp.body)[0]).toMatchObject({ outId: "po-7", code: "10000" });
    expect(JSON.parse(pushed.sp.body).reports[0]).toMatchObject({ customer_ref: "sa-9", code: "10000" });
  });

  it("a reference longer than 64 characters or with control characters is refused with the dialect's error", async () => {
    const s = await smsapiSetup();
    const res = await smsapiCall(s, "POST", "industry", { mobile: mobile(), content: `【${s.sign.name}】x`, outId: "x".repeat(65) });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 40000 });
    const p = await paasw.setup();
    const bad = (await paasw.call(p, "POST", "/sms/send", { phoneNumbers: mobile(), sign: p.sign.name, content: "x", kind: "2", outId: "a\nb" })).body as Json;
    expect(bad.code).not.toBe("10000");
  });
});
