// GET or POST /smsapi/v1/sms/status through the real pipeline (sends dispatched to the simulator and
// reported back): by ids or by batchId, outId per item, tenant-scoped (another tenant's ids are not found).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mobile } from "../../helpers/fixtures";
import { waitFor } from "../../jobs/support";
import { setup, call, expectEnvelope, type Json } from "./helpers";

const reportsOf = (tenantId: string, n: number) =>
  waitFor(
    async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM reports WHERE tenant_id = ?1").bind(tenantId).first<{ n: number }>())!.n >= n,
    20_000,
    `${n} reports`,
  );

describe("smsapi /smsapi/v1/sms/status", () => {
  it("by ids (GET or POST) and by batchId, with outId per item; other tenants' ids are notFound", async () => {
    const s = await setup();
    const stranger = await setup();
    const m1 = mobile();
    const m2 = mobile();
    const sent = (await call(s, "POST", "personality", { smses: [{ mobile: m1, content: `【${s.sign.name}】甲`, outId: "a-1" }, { mobile: m2, content: `【${s.sign.name}】乙` }], sendTime: 0, outId: "all" })).body;
    const ids = (sent.data.messages as Json[]).map((x) => x.id as string);
    await reportsOf(s.tenant.id, 2);
    const body = (await call(s, "GET", `status?ids=${ids.join(",")}`)).body;
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
    const byBatch = (await call(s, "POST", "status", { batchId: sent.data.batchId })).body;
    expect(byBatch.data.found).toBe(2);
    const foreign = (await call(stranger, "POST", "status", { ids })).body;
    expect(foreign.data).toEqual({ found: 0, messages: [], notFound: ids });
    const none = await call(s, "POST", "status", {});
    expect(none.status).toBe(400);
    expect(none.body.code).toBe(40001);
  });

  it("refusals: 401 without the key, 403 40300 for another tenantId, 40004 over 1000 ids, 40000 for a bad body or query", async () => {
    const s = await setup();
    const other = await setup();
    expectEnvelope(await call(null, "GET", "status?ids=1"), 401, 40100);
    expectEnvelope(await call(s, "GET", `status?ids=1&tenantId=${other.tenant.id}`), 403, 40300);
    expectEnvelope(await call(s, "POST", "status", { ids: Array.from({ length: 1001 }, (_, i) => String(i + 1)) }), 400, 40004, /1001 ids/);
    expectEnvelope(await call(s, "POST", "status", { batchId: { x: 1 } }), 400, 40000, /batchId/);
    expectEnvelope(await call(s, "GET", "status?ids=%FF%FE"), 400, 40000, /UTF-8/);
    expectEnvelope(await call(s, "POST", "status", { ids: "1" }, { headers: { "content-type": "application/xml" } }), 415, 41500);
  });
});
