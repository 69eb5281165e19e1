// GET /v1/report and GET /v1/reply (JPush's SMS receipt API) through the real pipeline: sends
// dispatched to the simulator and reported back, each record handed out once, one call per appKey
// every 5 seconds (50009), tenant-scoped.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applyReplies } from "../../../src/core/delivery";
import { mobile } from "../../helpers/fixtures";
import { waitFor } from "../../jobs/support";
import { call, setup, type Json, type JpushSetup } from "./helpers";

const count = async (sql: string, arg: string) => (await env.DB.prepare(sql).bind(arg).first<{ n: number }>())!.n;
const reportsOf = (tenantId: string, n: number) =>
  waitFor(async () => (await count("SELECT COUNT(*) AS n FROM reports WHERE tenant_id = ?1", tenantId)) >= n, 20_000, `${n} reports`);

describe("JPush receipt API", () => {
  /** The 5-second window of an app's last receipt call, moved into the past (as if 5 s had gone by). */
  const later = (s: JpushSetup) => env.DB.prepare("UPDATE pull_marks SET at = at - 5000 WHERE app_id = ?1").bind(s.appId).run();

  async function sendMessages(s: JpushSetup, mobiles: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const m of mobiles) {
      const res = await call(s, "POST", "/v1/messages", { mobile: m, temp_id: s.noticeTpl, temp_para: { number: "1", place: "A" } });
      expect(res.status).toBe(200);
      ids.push(res.body.msg_id);
    }
    return ids;
  }

  it("GET /v1/report hands out each report once, in the document's shape; one call per 5 s (50009)", async () => {
    const s = await setup();
    const stranger = await setup();
    const good = mobile();
    const [okId, badId, blockedId] = await sendMessages(s, [good, "13900000004", "13900000005"]);
    await reportsOf(s.tenant.id, 3);

    // Another tenant's app sees none of them.
    expect((await call(stranger, "GET", "/v1/report")).body).toEqual([]);

    const first = (await call(s, "GET", "/v1/report")).body as Json[];
    expect(first.sort((a, b) => (a.msgId < b.msgId ? -1 : 1))).toEqual(
      [
        { msgId: okId, phone: good, receiveTime: expect.any(Number), status: 4001 },
        { msgId: badId, phone: "13900000004", receiveTime: expect.any(Number), status: 4003 },
        { msgId: blockedId, phone: "13900000005", receiveTime: expect.any(Number), status: 4010 },
      ].sort((a, b) => (a.msgId! < b.msgId! ? -1 : 1)),
    );
    const again = await call(s, "GET", "/v1/report");
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe(50009);
    await later(s);
    expect((await call(s, "GET", "/v1/report")).body).toEqual([]);
  });

  it("GET /v1/reply hands out the tenant's replies once: {phone, replyTime, content}", async () => {
    const s = await setup();
    const from = mobile();
    const stored = await applyReplies(env, "simulator", [{ ref: `r-${crypto.randomUUID()}`, mobile: from, content: "好的", signature: s.sign.name }]);
    expect(stored.stored).toBe(1);
    const res = await call(s, "GET", "/v1/reply");
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ phone: from, replyTime: expect.any(Number), content: "好的" }]);
    expect((await call(s, "GET", "/v1/reply")).status).toBe(403);
    await later(s);
    expect((await call(s, "GET", "/v1/reply")).body).toEqual([]);
    // Wrong credentials: the usual 401.
    expect((await call(s, "GET", "/v1/reply", undefined, { auth: "Basic eDp5" })).status).toBe(401);
  });
});
