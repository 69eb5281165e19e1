// The schedule horizon is the accept pipeline's own rule: whichever dialect's app asks, a send time
// beyond SCHEDULE_HORIZON_DAYS is refused for the whole request and nothing is counted or written.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { acceptSend, type Draft } from "../../src/core/send";
import { getAppByKey } from "../helpers/domain";
import { DIALECTS } from "../../src/core/types";
import { makeCredential, makeTenant, mobile, money } from "../helpers/fixtures";

const DAY = 86_400_000;
const draft = (): Draft => ({ mobile: mobile(), text: "【测试】您的包裹已签收", signature: "测试" });

async function setup(dialect: (typeof DIALECTS)[number]) {
  const tenant = await makeTenant({ balance: 100, prices: { notification: 10, marketing: 10, verification: 10 } });
  const cred = await makeCredential(tenant, dialect);
  return { tenant, app: (await getAppByKey(env.DB, dialect, cred.app.key))! };
}

describe("acceptSend and SCHEDULE_HORIZON_DAYS", () => {
  const days = Number(env.SCHEDULE_HORIZON_DAYS);

  it.each(DIALECTS)("%s: a second beyond the horizon is send_time_too_far, nothing billed or stored", async (dialect) => {
    const { tenant, app } = await setup(dialect);
    for (const mode of ["all", "each"] as const) {
      await expect(acceptSend(env, [draft(), draft()], { tenant, app, kind: "notification", mode, sendAt: Date.now() + days * DAY + 1000 })).rejects.toMatchObject({
        code: "send_time_too_far",
        message: `the send time is more than ${days} days ahead`,
      });
    }
    expect(await money(tenant.id)).toEqual({ balance: 100, ledger: 100 });
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(tenant.id).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it("at the horizon is accepted as scheduled", async () => {
    const { tenant, app } = await setup("smsapi");
    const at = Date.now() + days * DAY;
    const res = await acceptSend(env, [draft()], { tenant, app, kind: "notification", mode: "all", sendAt: at });
    expect([res.scheduled, res.sendAt, res.amount]).toEqual([true, at, 10]);
  });

  it("is measured on the wall clock, not on the accept time a caller passes to date its records", async () => {
    const { tenant, app } = await setup("smsapi");
    const at = Date.now() + DAY;
    const res = await acceptSend(env, [draft()], { tenant, app, kind: "notification", mode: "all", now: at - 60 * DAY, sendAt: at });
    expect([res.scheduled, res.sendAt]).toEqual([true, at]);
  });
});
