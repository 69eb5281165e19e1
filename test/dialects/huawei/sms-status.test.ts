// GET /v2/{project_id}/notifications/sms through the real pipeline (sends dispatched to the simulator
// and reported back): by request_id and by message_id, with extend, paged; tenant-scoped (another
// tenant's ids match nothing), the path's project bound to the token, a bad query 400 SMN.9900.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mobile } from "../../helpers/fixtures";
import { waitFor } from "../../jobs/support";
import { call, type Json, setup, SMS } from "./helpers";

const count = async (sql: string, arg: string) => (await env.DB.prepare(sql).bind(arg).first<{ n: number }>())!.n;
const reportsOf = (tenantId: string, n: number) =>
  waitFor(async () => (await count("SELECT COUNT(*) AS n FROM reports WHERE tenant_id = ?1", tenantId)) >= n, 20_000, `${n} reports`);

describe("GET /v2/{project_id}/notifications/sms", () => {
  it("by request_id and by message_id, with extend; another tenant's ids match nothing", async () => {
    const s = await setup({ login: true });
    const stranger = await setup({ login: true });
    const e1 = mobile();
    const e2 = mobile();
    const res = await call(s, "POST", SMS, {
      sms_message: [
        { endpoint: e1, message: "hello", sign_id: s.sign.uid, extend: "ref-1" },
        { endpoint: e2, message: "hello", sign_id: s.sign.uid },
      ],
    });
    expect(res.status).toBe(200);
    const sent = res.body as Json;
    await reportsOf(s.tenant.id, 2);
    const q = (query: string, who = s, token = s.token) => call(who, "GET", `/v2/{project_id}/notifications/sms?${query}`, undefined, { token });
    const byRequest = (await q(`request_id=${sent.request_id}`)).body as Json;
    expect(byRequest).toMatchObject({ request_id: expect.stringMatching(/^\d+$/), sms_count: 2 });
    const first = (byRequest.sms as Json[]).find((x) => x.message_id === sent.result[0].message_id)!;
    expect(first).toEqual({
      message_id: sent.result[0].message_id,
      request_id: sent.request_id,
      endpoint: `+86${e1}`,
      status: "DELIVRD",
      final: true,
      code: "10000",
      description: expect.any(String),
      extend: "ref-1",
      sms_count: 1,
      submit_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      report_time: expect.stringMatching(/Z$/),
    });
    const byIds = (await q(`message_id=${sent.result[1].message_id},${sent.result[0].message_id}`)).body as Json;
    expect(byIds.sms.map((x: Json) => x.message_id)).toEqual([sent.result[1].message_id, sent.result[0].message_id]);
    expect(byIds.sms[0].extend).toBeNull();
    const paged = (await q(`request_id=${sent.request_id}&limit=1&offset=1`)).body as Json;
    expect(paged).toMatchObject({ sms_count: 2, sms: [{ message_id: expect.any(String) }] });

    const foreign = (await q(`request_id=${sent.request_id}&message_id=${sent.result[0].message_id}`, stranger, stranger.token)).body as Json;
    expect(foreign).toMatchObject({ sms_count: 0, sms: [] });
    const bad = await q("limit=5");
    expect(bad.status).toBe(400);
    expect((bad.body as Json).code).toBe("SMN.9900");
    // Another project in the path: 403 as on the sends.
    expect((await q(`request_id=${sent.request_id}`, stranger, s.token)).status).toBe(403);
  });

  it("a malformed id, limit or offset is 400 SMN.9900 naming the parameter; the credential is checked first", async () => {
    const s = await setup({ login: true });
    const path = SMS;
    for (const [query, name] of [["message_id=abc", "message_id"], ["request_id=1&limit=0", "limit"], ["request_id=1&limit=101", "limit"], ["request_id=1&offset=-1", "offset"]] as const) {
      const res = await call(s, "GET", `${path}?${query}`);
      expect({ query, status: res.status, body: res.body }).toEqual({
        query,
        status: 400,
        body: { request_id: expect.stringMatching(/^\d{19}$/), code: "SMN.9900", message: expect.stringContaining(`Parameter: ${name}`) },
      });
    }
    const unknown = await call(s, "GET", `${path}?request_id=1`);
    expect(unknown).toMatchObject({ status: 200, body: { sms_count: 0, sms: [] } });
    const anonymous = await call(s, "GET", `${path}?limit=5`, undefined, { token: null });
    expect(anonymous).toMatchObject({ status: 401, body: { code: "APIGW.0301" } });
  });
});
