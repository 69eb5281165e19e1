// /v1/schedule through the real Worker: create (single and batch), read, modify atomically (old
// refunded + new billed in one D1 batch, same schedule_id), fire through the cron and the dispatch
// consumer, no change after firing (50029), delete with exact refunds, every error code, tenant
// isolation, and the official SDKs' request shapes.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cronTick } from "../../helpers/cron";
import { getSchedule, replacing } from "../../../src/core/schedule";
import { acceptSend } from "../../../src/core/send";
import { parseLocalDateTime } from "../../../src/core/time";
import { getAppByKey } from "../../helpers/domain";
import { mobile, money } from "../../helpers/fixtures";
import { call, err, setup, type Json, type JpushSetup } from "./helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `ms` as Asia/Shanghai wall-clock time (UTC+8 all year), computed independently of src/core/time. */
const shanghai = (ms: number): string => new Date(ms + 8 * HOUR).toISOString().slice(0, 19).replace("T", " ");
/** A whole-second local time `ms` from now, and its epoch ms. */
const later = (ms: number): { text: string; at: number } => {
  const at = Math.floor((Date.now() + ms) / 1000) * 1000;
  return { text: shanghai(at), at };
};

const para = (n: string) => ({ number: n, place: "东门" });


async function statuses(batchId: string): Promise<Array<{ id: string; status: string; mobile: string; send_at: number }>> {
  return (
    await env.DB.prepare("SELECT id, status, mobile, send_at FROM messages WHERE batch_id = ?1 ORDER BY id").bind(batchId).all<{
      id: string;
      status: string;
      mobile: string;
      send_at: number;
    }>()
  ).results;
}

async function waitFor(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function scheduleOne(s: JpushSetup, at = later(2 * HOUR).text, m = mobile()) {
  const res = await call(s, "POST", "/v1/schedule", { send_time: at, temp_id: s.noticeTpl, mobile: m, temp_para: para("1") });
  expect(res.status).toBe(200);
  return res.body.schedule_id as string;
}

describe("POST /v1/schedule", () => {
  it("stores one scheduled message at send_time (tenant's timezone), billed now, and answers schedule_id", async () => {
    const s = await setup({ price: 10 });
    const m = mobile();
    const t = later(3 * HOUR);
    const res = await call(s, "POST", "/v1/schedule", { send_time: t.text, temp_id: s.noticeTpl, mobile: m, temp_para: para("SF1") });
    expect(res.status).toBe(200);
    expect(res.body).toMatchInlineSnapshot(
      { schedule_id: expect.stringMatching(/^\d{19}$/) },
      `
      {
        "schedule_id": StringMatching /\\^\\\\d\\{19\\}\\$/,
      }
    `,
    );
    expect(await statuses(res.body.schedule_id)).toEqual([{ id: expect.any(String), status: "scheduled", mobile: `+86${m}`, send_at: t.at }]);
    expect(await money(s.tenant.id)).toEqual({ balance: 99_990, ledger: 99_990 });
  });

  it("reads send_time in the tenant's own timezone", async () => {
    const s = await setup();
    await env.DB.prepare("UPDATE tenants SET timezone = 'Europe/London' WHERE id = ?1").bind(s.tenant.id).run();
    // 2 days ahead at 12:00:00 London time; London is UTC+0 or UTC+1 (BST).
    const day = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
    const id = await scheduleOne(s, `${day} 12:00:00`);
    const [row] = await statuses(id);
    expect([Date.parse(`${day}T12:00:00Z`), Date.parse(`${day}T11:00:00Z`)]).toContain(row!.send_at);
    expect((await call(s, "GET", `/v1/schedule/${id}`)).body.send_time).toBe(`${day} 12:00:00`);
  });

  it("a single schedule's refusal refuses the request, with /v1/messages' codes; nothing is billed", async () => {
    const s = await setup({ balance: 100 });
    const at = later(HOUR).text;
    const base = { send_time: at, temp_id: s.noticeTpl, mobile: mobile(), temp_para: para("1") };
    const cases: Array<[Json, number, number]> = [
      [{ ...base, mobile: undefined }, 400, 50004],
      [{ ...base, temp_id: undefined }, 400, 50005],
      [{ ...base, mobile: "12345" }, 403, 50006],
      [{ ...base, temp_id: 987_654_321 }, 403, 50013],
      [{ ...base, temp_id: s.codeTpl }, 403, 50025],
      [{ ...base, temp_para: {} }, 403, 50023],
      [{ ...base, temp_para: { number: "1" } }, 403, 50022],
      [{ ...base, sign_id: 987_654_321 }, 403, 50102],
      [{ ...base, send_time: 1_900_000_000 }, 403, 50007],
    ];
    for (const [body, status, code] of cases) expect([JSON.stringify(body), await call(s, "POST", "/v1/schedule", body)]).toEqual([JSON.stringify(body), { status, body: err(code) }]);
    expect(await call(null, "POST", "/v1/schedule", base, { auth: null })).toEqual({ status: 400, body: err(50001) });
    expect(await call(null, "POST", "/v1/schedule", base, { auth: "Basic " + btoa(`${s.appKey}:${"0".repeat(24)}`) })).toEqual({ status: 401, body: err(50002) });
    expect(await call(s, "POST", "/v1/schedule", "")).toEqual({ status: 400, body: err(50003) });
    expect(await money(s.tenant.id)).toEqual({ balance: 100, ledger: 100 });
  });

  it("no money: 50014, nothing written", async () => {
    const s = await setup({ balance: 5, price: 10 });
    expect(await call(s, "POST", "/v1/schedule", { send_time: later(HOUR).text, temp_id: s.noticeTpl, mobile: mobile(), temp_para: para("1") })).toEqual({
      status: 403,
      body: err(50014),
    });
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(s.tenant.id).first<{ n: number }>())!.n).toBe(0);
  });
});

describe("send_time", () => {
  it("missing, malformed, not a date, past, or beyond SCHEDULE_HORIZON_DAYS: 403 / 50027 with a clear message", async () => {
    const s = await setup({ balance: 100 });
    const days = Number(env.SCHEDULE_HORIZON_DAYS);
    const body = (send_time: unknown) => ({ send_time, temp_id: s.noticeTpl, mobile: mobile(), temp_para: para("1") });
    const refusal = async (v: unknown) => {
      const r = await call(s, "POST", "/v1/schedule", body(v));
      expect(r).toEqual({ status: 403, body: err(50027) });
      return r.body.error.message as string;
    };
    expect(await refusal(undefined)).toMatch(/send_time is required/);
    expect(await refusal("")).toMatch(/required/);
    expect(await refusal("2030/01/01 10:00:00")).toMatch(/YYYY-MM-DD HH:mm:ss/);
    expect(await refusal("2030-01-01T10:00:00")).toMatch(/YYYY-MM-DD HH:mm:ss/);
    expect(await refusal("2030-02-30 10:00:00")).toMatch(/not a valid time/);
    expect(await refusal("2030-01-01 24:00:00")).toMatch(/not a valid time/);
    expect(await refusal(later(-60_000).text)).toMatch(/not in the future/);
    expect(await refusal(later((days + 1) * DAY).text)).toMatch(new RegExp(`more than ${days} days ahead`));
    // Batch bodies check it the same way.
    expect(await call(s, "POST", "/v1/schedule/batch", { send_time: "tomorrow", temp_id: s.noticeTpl, recipients: [{ mobile: mobile(), temp_para: para("1") }] })).toEqual({
      status: 403,
      body: err(50027),
    });
    expect(await money(s.tenant.id)).toEqual({ balance: 100, ledger: 100 });
  });

  it("a wall-clock time the zone skips (DST gap) is no time at all; a repeated one is its first occurrence", async () => {
    // The next second Sunday of March (clocks jump 02:00 → 03:00) and first Sunday of November.
    const year = new Date().getUTCFullYear() + 1;
    const sunday = (month: number, nth: number) => {
      const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
      return `${year}-${String(month + 1).padStart(2, "0")}-${String(1 + ((7 - first) % 7) + 7 * (nth - 1)).padStart(2, "0")}`;
    };
    // Through the core's parser (a year ahead is past the API's horizon); the API answers its null with 50027.
    expect(parseLocalDateTime(`${sunday(2, 2)} 02:30:00`, "America/New_York")).toBeNull();
    expect(parseLocalDateTime(`${sunday(2, 2)} 03:30:00`, "America/New_York")).toBe(Date.parse(`${sunday(2, 2)}T07:30:00Z`));
    expect(parseLocalDateTime(`${sunday(10, 1)} 01:30:00`, "America/New_York")).toBe(Date.parse(`${sunday(10, 1)}T05:30:00Z`));
    const londonBack = (() => {
      const last = new Date(Date.UTC(year, 10, 0)).getUTCDate(); // October's last day
      const dow = new Date(Date.UTC(year, 9, last)).getUTCDay();
      return `${year}-10-${last - dow}`;
    })();
    // 01:30 happens twice in London when clocks go back (BST, then GMT): the BST one is taken.
    expect(parseLocalDateTime(`${londonBack} 01:30:00`, "Europe/London")).toBe(Date.parse(`${londonBack}T00:30:00Z`));
    expect(parseLocalDateTime("2031-01-01 08:00:00", "Asia/Shanghai")).toBe(Date.parse("2031-01-01T00:00:00Z"));
  });
});

describe("POST /v1/schedule/batch", () => {
  it("schedules the valid recipients, lists the refused ones like /v1/messages/batch, bills only the valid", async () => {
    const s = await setup({ price: 10 });
    const good = mobile();
    const res = await call(s, "POST", "/v1/schedule/batch", {
        send_time: later(HOUR).text,
        temp_id: s.noticeTpl,
        recipients: [
          { mobile: good, temp_para: para("741627") },
          { mobile: "1860305070", temp_para: para("147721") },
        ],
      });
    expect(res.status).toBe(200);
    const { recipients, ...summary } = res.body;
    // `recipients` lists everyone in the request's order: the refused exactly as failure_recipients shows them.
    expect(recipients).toEqual([{ mobile: good, msg_id: expect.any(String) }, ...summary.failure_recipients]);
    expect(summary).toMatchInlineSnapshot(
      {
        schedule_id: expect.stringMatching(/^\d{19}$/),
        failure_recipients: [{ msg_id: expect.any(String) }],
      },
      `
      {
        "failure_count": 1,
        "failure_recipients": [
          {
            "error_code": "50006",
            "error_message": "invalid mobile: "1860305070" is not a valid mobile number: give an 11-digit mainland China mobile or a +<country code> number",
            "mobile": "1860305070",
            "msg_id": Any<String>,
            "temp_para": {
              "number": "147721",
              "place": "东门",
            },
          },
        ],
        "schedule_id": StringMatching /\\^\\\\d\\{19\\}\\$/,
        "success_count": 1,
      }
    `,
    );
    expect((await statuses(res.body.schedule_id)).map((r) => r.status)).toEqual(["scheduled"]);
    expect(await money(s.tenant.id)).toEqual({ balance: 99_990, ledger: 99_990 });
  });

  it("recipients empty 50030, more than 1000 50031, missing temp_id 50005, no money 50014; no recipient valid: schedule_id null", async () => {
    const s = await setup({ balance: 15, price: 10 });
    const at = later(HOUR).text;
    const r = (n: number) => Array.from({ length: n }, () => ({ mobile: mobile(), temp_para: para("1") }));
    expect(await call(s, "POST", "/v1/schedule/batch", { send_time: at, temp_id: s.noticeTpl, recipients: [] })).toEqual({ status: 403, body: err(50030) });
    expect(await call(s, "POST", "/v1/schedule/batch", { send_time: at, temp_id: s.noticeTpl })).toEqual({ status: 403, body: err(50030) });
    expect(await call(s, "POST", "/v1/schedule/batch", { send_time: at, temp_id: s.noticeTpl, recipients: r(1001) })).toEqual({ status: 403, body: err(50031) });
    expect(await call(s, "POST", "/v1/schedule/batch", { send_time: at, recipients: r(1) })).toEqual({ status: 400, body: err(50005) });
    expect(await call(s, "POST", "/v1/schedule/batch", { send_time: at, temp_id: s.noticeTpl, recipients: r(2) })).toEqual({ status: 403, body: err(50014) });
    const none = await call(s, "POST", "/v1/schedule/batch", { send_time: at, temp_id: s.noticeTpl, recipients: [{ temp_para: para("1") }] });
    expect(none).toEqual({
      status: 200,
      body: { schedule_id: null, success_count: 0, failure_count: 1, recipients: [expect.objectContaining({ error_code: "50004" })], failure_recipients: [expect.objectContaining({ error_code: "50004" })] },
    });
    expect(await money(s.tenant.id)).toEqual({ balance: 15, ledger: 15 });
  });
});

describe("GET /v1/schedule/{schedule_id}", () => {
  it("answers JPush's ScheduleSMSResult: schedule_id, send_time, temp_id (int), recipients with msg_id, mobile, temp_para", async () => {
    const s = await setup();
    const [a, b] = [mobile(), mobile()];
    const t = later(5 * HOUR);
    const created = await call(s, "POST", "/v1/schedule/batch", { send_time: t.text, temp_id: s.noticeTpl, recipients: [{ mobile: a, temp_para: para("1") }, { mobile: `+86${b}`, temp_para: { number: 2, place: "西门" } }] });
    const id = created.body.schedule_id as string;
    const res = await call(s, "GET", `/v1/schedule/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      schedule_id: id,
      send_time: t.text,
      temp_id: s.noticeTpl,
      recipients: [
        { msg_id: created.body.recipients[0].msg_id, mobile: a, temp_para: { number: "1", place: "东门" } },
        { msg_id: created.body.recipients[1].msg_id, mobile: b, temp_para: { number: "2", place: "西门" } },
      ],
    });
  });

  it("unknown, malformed, another tenant's or app's, and never-scheduled batches are all 50028", async () => {
    const s = await setup();
    const other = await setup();
    const theirs = await scheduleOne(other);
    const sent = await call(s, "POST", "/v1/messages/batch", { temp_id: s.noticeTpl, recipients: [{ mobile: mobile(), temp_para: para("1") }] });
    const batchId = (await env.DB.prepare("SELECT batch_id FROM messages WHERE id = ?1").bind(sent.body.recipients[0].msg_id).first<{ batch_id: string }>())!.batch_id;
    const body = { send_time: later(HOUR).text, temp_id: s.noticeTpl, mobile: mobile(), temp_para: para("1") };
    for (const id of ["1234567890123456789", "abc", theirs, batchId]) {
      expect([id, await call(s, "GET", `/v1/schedule/${id}`)]).toMatchObject([id, { status: 403, body: err(50028) }]);
      expect([id, await call(s, "PUT", `/v1/schedule/${id}`, body)]).toMatchObject([id, { status: 403, body: err(50028) }]);
      expect([id, await call(s, "DELETE", `/v1/schedule/${id}`)]).toMatchObject([id, { status: 403, body: err(50028) }]);
    }
    // Another tenant's schedule is untouched.
    expect((await statuses(theirs)).map((r) => r.status)).toEqual(["scheduled"]);
    expect(await money(other.tenant.id)).toEqual({ balance: 99_990, ledger: 99_990 });
  });
});

describe("lifecycle", () => {
  it("create → GET → modify (same id, old refunded, new billed) → fires through the cron → no modify/delete (50029); another schedule's delete refunds", async () => {
    const s = await setup({ balance: 1000, price: 10 });
    const [a, b, c] = [mobile(), mobile(), mobile()];
    const created = await call(s, "POST", "/v1/schedule/batch", { send_time: later(4 * HOUR).text, temp_id: s.noticeTpl, recipients: [{ mobile: a, temp_para: para("A") }, { mobile: b, temp_para: para("B") }] });
    const id = created.body.schedule_id as string;
    expect(await money(s.tenant.id)).toEqual({ balance: 980, ledger: 980 });
    const old = await statuses(id);

    // Modify: three recipients, 5 s ahead (so the cron can fire it in this test).
    const soon = later(5_000);
    const changed = await call(s, "PUT", `/v1/schedule/batch/${id}`, { send_time: soon.text, temp_id: s.marketingTpl, recipients: [{ mobile: a, temp_para: { name: "甲" } }, { mobile: b, temp_para: { name: "乙" } }, { mobile: c, temp_para: { name: "丙" } }] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ schedule_id: id, success_count: 3, failure_count: 0, failure_recipients: [] });
    // Exact money: the 2 old messages refunded (+20), the 3 new billed (-30).
    expect(await money(s.tenant.id)).toEqual({ balance: 970, ledger: 970 });
    const refunds = await env.DB.prepare("SELECT message_id, amount FROM ledger WHERE tenant_id = ?1 AND reason = 'refund' ORDER BY message_id").bind(s.tenant.id).all<Json>();
    expect(refunds.results).toEqual(old.map((m) => ({ message_id: m.id, amount: 10 })));
    const all = await statuses(id);
    expect(all.filter((m) => m.status === "canceled").map((m) => m.id)).toEqual(old.map((m) => m.id));
    expect(all.filter((m) => m.status === "scheduled").map((m) => [m.mobile, m.send_at])).toEqual([a, b, c].map((m) => [`+86${m}`, soon.at]));
    const view = await call(s, "GET", `/v1/schedule/${id}`);
    expect(view.body).toMatchObject({ schedule_id: id, send_time: soon.text, temp_id: s.marketingTpl });
    expect(view.body.recipients.map((r: Json) => [r.mobile, r.temp_para])).toEqual([
      [a, { name: "甲" }],
      [b, { name: "乙" }],
      [c, { name: "丙" }],
    ]);

    // A second schedule, to be deleted.
    const other = await scheduleOne(s);
    expect(await money(s.tenant.id)).toEqual({ balance: 960, ledger: 960 });

    // Fire: the cron releases it once due, the dispatch consumer delivers it.
    await cronTick();
    expect((await statuses(id)).filter((m) => m.status === "scheduled")).toHaveLength(3);
    while (Date.now() <= soon.at) await new Promise((r) => setTimeout(r, 100));
    await cronTick();
    await waitFor(async () => (await statuses(id)).filter((m) => m.status === "delivered").length === 3);
    expect((await statuses(other)).map((m) => m.status)).toEqual(["scheduled"]);

    // Fired: no more changes, nothing moves; it can still be read.
    const body = { send_time: later(HOUR).text, temp_id: s.noticeTpl, mobile: a, temp_para: para("X") };
    expect(await call(s, "PUT", `/v1/schedule/${id}`, body)).toMatchObject({ status: 403, body: err(50029) });
    expect(await call(s, "PUT", `/v1/schedule/batch/${id}`, { ...body, recipients: [{ mobile: a, temp_para: para("X") }] })).toMatchObject({ status: 403, body: err(50029) });
    expect(await call(s, "DELETE", `/v1/schedule/${id}`)).toMatchObject({ status: 403, body: err(50029) });
    expect((await call(s, "GET", `/v1/schedule/${id}`)).body.recipients).toHaveLength(3);
    expect(await money(s.tenant.id)).toEqual({ balance: 960, ledger: 960 });

    // Delete the other one: 200, empty JSON body, refunded exactly once.
    const del = await call(s, "DELETE", `/v1/schedule/${other}`);
    expect(del).toEqual({ status: 200, body: "" });
    expect(del.headers.get("content-type")).toBe("application/json");
    expect((await statuses(other)).map((m) => m.status)).toEqual(["canceled"]);
    expect(await money(s.tenant.id)).toEqual({ balance: 970, ledger: 970 });
    expect(await call(s, "DELETE", `/v1/schedule/${other}`)).toMatchObject({ status: 403, body: err(50029) });
    expect(await call(s, "PUT", `/v1/schedule/${other}`, body)).toMatchObject({ status: 403, body: err(50029) });
    expect(await call(s, "GET", `/v1/schedule/${other}`)).toMatchObject({ status: 403, body: err(50028) });
    expect(await money(s.tenant.id)).toEqual({ balance: 970, ledger: 970 });
    // A deleted schedule is never released.
    await cronTick();
    expect((await statuses(other)).map((m) => m.status)).toEqual(["canceled"]);
  });
});

describe("atomic modify", () => {
  it("the refund of the old messages counts toward the new ones: a balance of 0 still modifies at equal cost", async () => {
    const s = await setup({ balance: 20, price: 10 });
    const id = (await call(s, "POST", "/v1/schedule/batch", { send_time: later(HOUR).text, temp_id: s.noticeTpl, recipients: [{ mobile: mobile(), temp_para: para("1") }, { mobile: mobile(), temp_para: para("2") }] })).body
      .schedule_id as string;
    expect(await money(s.tenant.id)).toEqual({ balance: 0, ledger: 0 });
    const single = await call(s, "PUT", `/v1/schedule/${id}`, { send_time: later(2 * HOUR).text, temp_id: s.noticeTpl, mobile: mobile(), temp_para: para("3") });
    expect(single).toMatchObject({ status: 200, body: { schedule_id: id } });
    expect(await money(s.tenant.id)).toEqual({ balance: 10, ledger: 10 });
    expect((await call(s, "GET", `/v1/schedule/${id}`)).body.recipients).toHaveLength(1);
  });

  it("a modification the balance cannot cover (after the refund) is 50014 and changes nothing", async () => {
    const s = await setup({ balance: 25, price: 10 });
    const t = later(HOUR);
    const id = await scheduleOne(s, t.text);
    const before = await statuses(id);
    const three = Array.from({ length: 3 }, () => ({ mobile: mobile(), temp_para: para("9") }));
    expect(await call(s, "PUT", `/v1/schedule/batch/${id}`, { send_time: later(2 * HOUR).text, temp_id: s.noticeTpl, recipients: three })).toMatchObject({ status: 403, body: err(50014) });
    expect(await statuses(id)).toEqual(before);
    expect(await money(s.tenant.id)).toEqual({ balance: 15, ledger: 15 });
    expect((await call(s, "GET", `/v1/schedule/${id}`)).body.send_time).toBe(t.text);
  });

  it("a modification whose recipients are all refused changes nothing", async () => {
    const s = await setup({ price: 10 });
    const id = await scheduleOne(s);
    const before = await statuses(id);
    const res = await call(s, "PUT", `/v1/schedule/batch/${id}`, { send_time: later(2 * HOUR).text, temp_id: s.noticeTpl, recipients: [{ mobile: "123", temp_para: para("1") }] });
    expect(res).toMatchObject({ status: 200, body: { schedule_id: id, success_count: 0, failure_count: 1 } });
    expect(await statuses(id)).toEqual(before);
    expect(await money(s.tenant.id)).toEqual({ balance: 99_990, ledger: 99_990 });
  });

  it("if the schedule fires between the read and the write, the D1 batch's guard refuses the whole change (50029) and nothing is written", async () => {
    const s = await setup({ balance: 100, price: 10 });
    const id = await scheduleOne(s);
    const app = (await getAppByKey(env.DB, "jpush", s.appKey))!;
    const schedule = (await getSchedule(env, { tenantId: s.tenant.id, appId: app.id }, id))!;
    const replace = replacing(schedule);
    // The cron releases it now (its send_at moved into the past).
    await env.DB.prepare("UPDATE messages SET send_at = ?1 WHERE batch_id = ?2").bind(Date.now() - 1000, id).run();
    await cronTick();
    const fired = await statuses(id);
    expect(fired[0]!.status).not.toBe("scheduled");
    const drafts = [{ mobile: mobile(), text: `【${s.sign.name}】新内容`, signature: s.sign.name }];
    await expect(acceptSend(env, drafts, { tenant: s.tenant, app, kind: "notification", mode: "all", sendAt: Date.now() + HOUR, replace })).rejects.toMatchObject({
      code: "not_cancelable",
    });
    expect((await statuses(id)).map((m) => m.id)).toEqual(fired.map((m) => m.id));
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger WHERE tenant_id = ?1 AND reason = 'refund'").bind(s.tenant.id).first()).toEqual({ n: 0 });
    expect(await money(s.tenant.id)).toEqual({ balance: 90, ledger: 90 });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM batch_guards").first()).toEqual({ n: 0 });
  });

  it("concurrent modifications of one schedule: each wins whole or loses with 50029; the money matches what is left", async () => {
    const s = await setup({ balance: 1000, price: 10 });
    const id = await scheduleOne(s);
    const put = (n: number) =>
      call(s, "PUT", `/v1/schedule/batch/${id}`, { send_time: later(2 * HOUR).text, temp_id: s.noticeTpl, recipients: Array.from({ length: n }, () => ({ mobile: mobile(), temp_para: para(String(n)) })) });
    const results = await Promise.all([put(2), put(3), put(4)]);
    for (const r of results) expect([200, 403]).toContain(r.status);
    for (const r of results.filter((x) => x.status === 403)) expect(r.body).toEqual(err(50029));
    expect(results.map((r) => r.status)).toContain(200);
    const live = (await statuses(id)).filter((m) => m.status === "scheduled");
    expect([2, 3, 4]).toContain(live.length);
    expect(await money(s.tenant.id)).toEqual({ balance: 1000 - 10 * live.length, ledger: 1000 - 10 * live.length });
  });
});

describe("the official SDKs' request shapes", () => {
  it("Java ScheduleSMSPayload (single, null temp_para value) and batch, then updateScheduleSMS / updateBatchScheduleSMS", async () => {
    const s = await setup({ price: 10 });
    const at = later(HOUR).text;
    // toJSON(): send_time, mobile, temp_id (int, only when > 0), temp_para (unset values as JsonNull).
    const one = await call(s, "POST", "/v1/schedule", `{"send_time":"${at}","mobile":"${mobile()}","temp_id":${s.noticeTpl},"temp_para":{"number":"1","place":"A","extra":null}}`);
    expect(one.status).toBe(200);
    const many = await call(s, "POST", "/v1/schedule/batch", `{"send_time":"${at}","temp_id":${s.noticeTpl},"recipients":[{"mobile":"${mobile()}","temp_para":{"number":"1","place":"A"}}]}`);
    // BatchSMSResult reads schedule_id, success_count, failure_count, failure_recipients.
    expect(many.body).toMatchObject({ schedule_id: expect.stringMatching(/^\d{19}$/), success_count: 1, failure_count: 0, failure_recipients: [] });
    const upd = await call(s, "PUT", `/v1/schedule/${one.body.schedule_id}`, `{"send_time":"${later(2 * HOUR).text}","mobile":"${mobile()}","temp_id":${s.noticeTpl},"temp_para":{"number":"2","place":"B"}}`);
    expect(upd.body).toEqual({ schedule_id: one.body.schedule_id });
    const updBatch = await call(s, "PUT", `/v1/schedule/batch/${many.body.schedule_id}`, `{"send_time":"${later(2 * HOUR).text}","temp_id":${s.noticeTpl},"recipients":[{"mobile":"${mobile()}","temp_para":{"number":"3","place":"C"}}]}`);
    expect(updBatch.body).toMatchObject({ schedule_id: many.body.schedule_id, success_count: 1 });
  });

  it("C# (text/plain, temp_para null from JObject.FromObject) and PHP (temp_id string, mobile as int)", async () => {
    const s = await setup({ price: 10 });
    const at = later(HOUR).text;
    const cs = await call(s, "POST", "/v1/schedule", { mobile: mobile(), temp_id: s.marketingTpl, temp_para: null, send_time: at }, { headers: { "content-type": "text/plain; charset=utf-8" } });
    expect(cs).toEqual({ status: 403, body: err(50023) });
    const csOk = await call(s, "POST", "/v1/schedule", { mobile: mobile(), temp_id: s.marketingTpl, temp_para: { name: "x" }, send_time: at }, { headers: { "content-type": "text/plain; charset=utf-8" } });
    expect(csOk.status).toBe(200);
    const php = await call(s, "POST", "/v1/schedule/batch", { temp_id: String(s.noticeTpl), recipients: [{ mobile: Number(mobile()), temp_para: para("1") }], send_time: at });
    expect(php.body).toMatchObject({ success_count: 1, failure_count: 0 });
    // PHP's showSchedule / deleteSchedule send no body.
    const shown = await call(s, "GET", `/v1/schedule/${php.body.schedule_id}`);
    expect(shown.body.temp_id).toBe(s.noticeTpl);
    expect((await call(s, "DELETE", `/v1/schedule/${php.body.schedule_id}`)).status).toBe(200);
  });

  it("documents every schedule route in /openapi.json", async () => {
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/v1/schedule"]!)).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/schedule/batch"]!)).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/schedule/{schedule_id}"]!).sort()).toEqual(["delete", "get", "put"]);
    expect(Object.keys(doc.paths["/v1/schedule/batch/{schedule_id}"]!)).toEqual(["put"]);
    expect(await call(null, "POST", "/v1/schedule/123", {})).toMatchObject({ status: 405, body: err(50018) });
  });
});
