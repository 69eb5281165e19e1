// Quiet hours: marketing sent or scheduled inside the tenant's daily quiet window waits until it
// ends (tenant timezone, windows may wrap midnight); other kinds are not held.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { afterQuietHours, parseLocalDateTime } from "../../src/core/time";
import { acceptSend } from "../../src/core/send";
import { getAppByKey } from "../helpers/domain";
import { makeCredential, makeTenant, mobile } from "../helpers/fixtures";
import { admin, newTenant, paths } from "../admin/helpers";

const SH = "Asia/Shanghai";
const at = (local: string, tz = SH) => parseLocalDateTime(local, tz)!;

describe("afterQuietHours", () => {
  const night = { start: "21:00", end: "08:00" };
  it.each([
    ["2026-12-01 20:59:59", night, "2026-12-01 20:59:59"],
    ["2026-12-01 21:00:00", night, "2026-12-02 08:00:00"],
    ["2026-12-01 23:30:00", night, "2026-12-02 08:00:00"],
    ["2026-12-31 22:00:00", night, "2027-01-01 08:00:00"],
    ["2026-12-02 07:59:00", night, "2026-12-02 08:00:00"],
    ["2026-12-02 08:00:00", night, "2026-12-02 08:00:00"],
    ["2026-12-02 12:30:00", { start: "12:00", end: "14:00" }, "2026-12-02 14:00:00"],
    ["2026-12-02 14:00:00", { start: "12:00", end: "14:00" }, "2026-12-02 14:00:00"],
    ["2026-12-02 11:59:00", { start: "12:00", end: "14:00" }, "2026-12-02 11:59:00"],
  ])("%s with %j → %s (Shanghai)", (when, quiet, expected) => {
    expect(afterQuietHours(at(when), quiet, SH)).toBe(at(expected));
  });

  it("counts in the tenant's own timezone", () => {
    // 22:00 in London is 06:00 the next morning in Shanghai: quiet in London only.
    const t = at("2026-12-01 22:00:00", "Europe/London");
    expect(afterQuietHours(t, { start: "21:00", end: "08:00" }, "Europe/London")).toBe(at("2026-12-02 08:00:00", "Europe/London"));
    expect(afterQuietHours(t, { start: "21:00", end: "06:00" }, SH)).toBe(t);
  });

  it("an end inside a DST gap moves to the hour after it", () => {
    // New York skips 02:00–03:00 on 2026-03-08.
    const t = at("2026-03-08 01:30:00", "America/New_York");
    expect(afterQuietHours(t, { start: "01:00", end: "02:30" }, "America/New_York")).toBe(at("2026-03-08 03:30:00", "America/New_York"));
  });
});

describe("acceptSend with quiet hours", () => {
  async function setup() {
    // Quiet all day but the last minute: any test time falls inside.
    const tenant = await makeTenant({ balance: 10_000, settings: { quietHours: { start: "00:00", end: "23:59" } } });
    const cred = await makeCredential(tenant, "smsapi");
    return { tenant, app: (await getAppByKey(env.DB, "smsapi", cred.app.key))! };
  }
  const draft = (m = mobile()) => ({ mobile: m, text: "【测试】周末大促，回TD退订", signature: "测试" });

  it("marketing inside the window is stored scheduled for its end; a notification goes now", async () => {
    const { tenant, app } = await setup();
    const now = at("2026-12-01 10:00:00");
    const held = await acceptSend(env, [draft()], { tenant, app, kind: "marketing", mode: "all", now });
    expect(held).toMatchObject({ scheduled: true, sendAt: at("2026-12-01 23:59:00") });
    const row = await env.DB.prepare("SELECT status, send_at FROM messages WHERE id = ?1").bind(held.items[0]!.messageId).first();
    expect(row).toEqual({ status: "scheduled", send_at: at("2026-12-01 23:59:00") });
    const notice = await acceptSend(env, [draft()], { tenant, app, kind: "notification", mode: "all", now });
    expect(notice.scheduled).toBe(false);
  });
});

describe("quietHours in the operator API", () => {
  it("is set, shown and cleared through the tenant settings; a bad time is refused at its path", async () => {
    const t = await newTenant();
    const set = await admin("PATCH", `/tenants/${t.id}`, { settings: { quietHours: { start: "21:00", end: "08:00" } } });
    expect(set.status).toBe(200);
    expect(set.body.settings.quietHours).toEqual({ start: "21:00", end: "08:00" });
    expect(paths(await admin("PATCH", `/tenants/${t.id}`, { settings: { quietHours: { start: "24:00", end: "08:00" } } }))).toEqual(["settings.quietHours.start"]);
    expect((await admin("PATCH", `/tenants/${t.id}`, { settings: { quietHours: { start: "08:00", end: "08:00" } } })).status).toBe(400);
    const cleared = await admin("PATCH", `/tenants/${t.id}`, { settings: { quietHours: null } });
    expect(cleared.body.settings.quietHours).toBeNull();
  });
});
