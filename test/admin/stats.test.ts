// Statistics, metrics, timeline and review queue through the real Worker: messages accepted by the
// real pipeline, delivered or refused by the simulator through the real queues, canceled and
// refunded by the real core; the aggregates the triggers keep must equal a scan of the messages.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { acceptSend } from "../../src/core/send";
import { cancelScheduled } from "../../src/core/cancel";
import { applyReports } from "../../src/core/delivery";
import { mobile, makeTemplate } from "../helpers/fixtures";
import { accept, draft, messagesOf, rows, sender, special, waitFor, type Sender } from "../jobs/support";
import { admin } from "./helpers";

const HOUR = 3_600_000;
const around = () => `from=${Date.now() - 2 * HOUR}&to=${Date.now() + HOUR}`;

async function finalOf(ids: string[]) {
  return waitFor(async () => {
    const m = await messagesOf(ids);
    return m.every((r) => !["queued", "submitted"].includes(r.status)) && m;
  }, 20_000, "final statuses");
}

/** The same counts by status and code, scanned from messages: what the aggregates must equal. */
async function scanned(tenantId: string) {
  const r = await rows<{ status: string; code: string | null; n: number }>(
    "SELECT status, result_code AS code, COUNT(*) AS n FROM messages WHERE tenant_id = ?1 GROUP BY status, result_code",
    tenantId,
  );
  const statuses: Record<string, number> = {};
  const codes: Record<string, number> = {};
  for (const x of r) {
    statuses[x.status] = (statuses[x.status] ?? 0) + x.n;
    if (x.code !== null) codes[x.code] = (codes[x.code] ?? 0) + x.n;
  }
  return { statuses, codes };
}

async function fetchMetrics(token = env.ADMIN_TOKEN): Promise<Response> {
  return exports.default.fetch("http://gw/admin/v1/metrics", { headers: { authorization: `Bearer ${token}` } });
}

/** One sample's value (0 when the series is absent). */
async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetchMetrics()).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("GET /admin/v1/stats", () => {
  it("counts sends and receipts exactly: by status and code, delivery rate, time to delivery, refunds counted once", async () => {
    const s = await sender();
    const res = await accept(s, [mobile(), mobile(), mobile(), special("0004"), special("0001")]);
    const ids = res.items.map((i) => i.messageId);
    expect(ids).toHaveLength(5);
    await finalOf(ids);

    const st = await admin("GET", `/stats?tenant=${s.tenant.id}&${around()}`);
    expect(st.status).toBe(200);
    const t = st.body.totals;
    expect(t.messages).toBe(5);
    expect(t.segments).toBe(5);
    expect(t.amount).toBe(50);
    expect(t.statuses).toEqual({ delivered: 3, undelivered: 2 });
    expect(t.codes).toEqual({ "10000": 3, "4": 1, "1": 1 });
    expect(t.delivered).toBe(3);
    expect(t.pending).toBe(0);
    expect(t.delivery_rate).toBe(0.6);
    expect(t.median_delivery_ms).toBeGreaterThanOrEqual(0);
    expect(t.median_delivery_ms).toBeLessThanOrEqual(20_000);
    expect(t.delivery_histogram.reduce((a: number, h: { messages: number }) => a + h.messages, 0)).toBe(3);
    expect(t.refused).toEqual({});
    expect({ statuses: t.statuses, codes: t.codes }).toEqual(await scanned(s.tenant.id));
    // One hour bucket holds them all (they were accepted together).
    expect(st.body.series).toHaveLength(1);
    expect(st.body.series[0].bucket % HOUR).toBe(0);

    const byCarrier = await admin("GET", `/stats?tenant=${s.tenant.id}&${around()}&group_by=carrier,country,kind,dialect,status`);
    expect(byCarrier.status).toBe(200);
    const groups = byCarrier.body.series.map((g: Record<string, unknown>) => [g.carrier, g.country, g.kind, g.dialect, g.status, g.messages]);
    expect(groups).toContainEqual(["simulator", "+86", "notification", "smsapi", "delivered", 3]);
    // The same groups as a scan of the messages (a message the carrier refused may carry no carrier).
    const scan = await rows<{ carrier: string | null; status: string; n: number }>(
      "SELECT carrier, status, COUNT(*) AS n FROM messages WHERE tenant_id = ?1 GROUP BY carrier, status",
      s.tenant.id,
    );
    expect(groups.map((g: unknown[]) => [g[0], g[4], g[5]]).sort()).toEqual(scan.map((r) => [r.carrier, r.status, r.n]).sort());
    // Filters: the carrier-refused message only.
    const refusedAtSubmit = await admin("GET", `/stats?tenant=${s.tenant.id}&${around()}&code=1&country=%2B86`);
    expect(refusedAtSubmit.body.totals.messages).toBe(1);
  });

  it("follows cancels (scheduled → canceled, refunded) and templates; tenants are isolated", async () => {
    const s = await sender();
    const other = await sender();
    const tpl = await makeTemplate(s.tenant, { kind: "notification", content: "您的包裹{{no}}已签收" });
    const res = await acceptSend(env, [draft(s), draft(s), draft(s)].map((d) => ({ ...d, templateId: tpl })), {
      tenant: s.tenant,
      app: s.app,
      kind: "notification",
      mode: "all",
      templateId: tpl,
      sendAt: Date.now() + 3 * HOUR,
    });
    const ids = res.items.map((i) => i.messageId);
    await accept(other, [mobile()], { scheduled: true });
    const before = await admin("GET", `/stats?tenant=${s.tenant.id}&${around()}&group_by=template`);
    expect(before.body.totals.statuses).toEqual({ scheduled: 3 });
    expect(before.body.series.map((g: { template: number; messages: number }) => [g.template, g.messages])).toEqual([[tpl, 3]]);

    const out = await cancelScheduled(env, s.tenant.id, [ids[0]!]);
    expect(out[0]!.outcome).toBe("canceled");
    const after = await admin("GET", `/stats?tenant=${s.tenant.id}&${around()}`);
    expect(after.body.totals.statuses).toEqual({ scheduled: 2, canceled: 1 });
    expect(after.body.totals.pending).toBe(2);
    expect(after.body.totals.delivery_rate).toBeNull();
    expect({ statuses: after.body.totals.statuses, codes: after.body.totals.codes }).toEqual(await scanned(s.tenant.id));

    // The other tenant sees only its own message; grouping by tenant keeps them apart.
    const theirs = await admin("GET", `/stats?tenant=${other.tenant.id}&${around()}`);
    expect(theirs.body.totals.messages).toBe(1);
    const both = await admin("GET", `/stats?${around()}&group_by=tenant`);
    const mine = both.body.series.filter((g: { tenant: string }) => g.tenant === s.tenant.id || g.tenant === other.tenant.id);
    expect(mine.map((g: { tenant: string; messages: number }) => [g.tenant, g.messages]).sort()).toEqual(
      [[s.tenant.id, 3], [other.tenant.id, 1]].sort(),
    );
  });

  it("buckets by hour and by day, the day starting at utc_offset", async () => {
    const s = await sender();
    // 2026-01-01 15:30 UTC = 23:30 in Shanghai; two hours later it is the 2nd there, still the 1st in UTC.
    const t0 = Date.UTC(2026, 0, 1, 15, 30);
    for (const at of [t0, t0, t0 + 2 * HOUR]) {
      await acceptSend(env, [draft(s)], { tenant: s.tenant, app: s.app, kind: "notification", mode: "all", now: at, sendAt: Date.now() + 24 * HOUR });
    }
    const range = `tenant=${s.tenant.id}&from=${t0 - 24 * HOUR}&to=${t0 + 24 * HOUR}`;
    const hourly = await admin("GET", `/stats?${range}`);
    expect(hourly.body.series.map((g: { bucket: number; messages: number }) => [g.bucket, g.messages])).toEqual([
      [Date.UTC(2026, 0, 1, 15), 2],
      [Date.UTC(2026, 0, 1, 17), 1],
    ]);
    const utcDays = await admin("GET", `/stats?${range}&bucket=day`);
    expect(utcDays.body.series.map((g: { bucket: number; messages: number }) => [g.bucket, g.messages])).toEqual([[Date.UTC(2026, 0, 1), 3]]);
    const shanghaiDays = await admin("GET", `/stats?${range}&bucket=day&utc_offset=480`);
    expect(shanghaiDays.body.series.map((g: { bucket: number; messages: number }) => [g.bucket, g.messages])).toEqual([
      [Date.UTC(2025, 11, 31, 16), 2],
      [Date.UTC(2026, 0, 1, 16), 1],
    ]);
  });

  it("counts refusals by reason (nothing written for them)", async () => {
    const s = await sender({ balance: 15 });
    await expect(acceptSend(env, [draft(s), draft(s)], { tenant: s.tenant, app: s.app, kind: "notification", mode: "all" })).rejects.toMatchObject({
      code: "insufficient_balance",
    });
    const each = await acceptSend(env, [draft(s), draft(s, "12"), draft(s, "34")], { tenant: s.tenant, app: s.app, kind: "notification", mode: "each", sendAt: Date.now() + HOUR });
    expect(each.items.filter((i) => !i.ok)).toHaveLength(2);
    const st = await admin("GET", `/stats?tenant=${s.tenant.id}&${around()}`);
    expect(st.body.totals.refused).toEqual({ insufficient_balance: 2, invalid_mobile: 2 });
    expect(st.body.totals.messages).toBe(1);
    expect(st.body.refusals).not.toHaveLength(0);
    expect(st.body.refusals.filter((r: { tenant: string; dialect: string }) => !(r.tenant === s.tenant.id && r.dialect === "smsapi"))).toEqual([]);
  });

  it("refuses bad queries with the fields named", async () => {
    const cases: Array<[string, string]> = [
      ["group_by=carrier,colour", "group_by"],
      ["from=2000&to=1000", "from"],
      ["bucket=week", "bucket"],
      [`from=0&to=${40 * 24 * HOUR}`, "to"],
      ["utc_offset=330&bucket=day", "utc_offset"],
      ["country=abc", "country"],
      ["nonsense=1", "nonsense"],
    ];
    for (const [q, path] of cases) {
      const res = await admin("GET", `/stats?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect(res.body.error.issues.map((i: { path: string }) => i.path), q).toContain(path);
    }
    expect((await admin("GET", "/stats", undefined, "wrong")).status).toBe(401);
  });
});

describe("GET /admin/v1/metrics", () => {
  it("answers the Prometheus text format; counters move by exactly what happened", async () => {
    const res = await fetchMetrics();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    for (const family of [
      "edgesms_messages_accepted_total counter",
      "edgesms_messages_delivered_total counter",
      "edgesms_messages_refused_total counter",
      "edgesms_messages_backlog gauge",
      "edgesms_delivery_time_seconds histogram",
      "edgesms_webhook_deliveries gauge",
      "edgesms_carrier_enabled gauge",
    ]) {
      expect(text).toContain(`# TYPE ${family}`);
    }
    expect(text).toMatch(/^edgesms_delivery_time_seconds_bucket\{le="\+Inf"\} \d+$/m);
    // The built-in simulator carrier, live from its gate.
    expect(text).toContain('edgesms_carrier_enabled{carrier="simulator",type="simulator"} 1');
    expect(text).toContain('edgesms_carrier_up{carrier="simulator"} 1');
    expect(text).toContain('edgesms_carrier_circuit_state{carrier="simulator",state="closed"} 1');
    expect(text).toContain('edgesms_carrier_circuit_state{carrier="simulator",state="open"} 0');
    // Every sample line is `name{labels} number`.
    for (const line of text.split("\n").filter((l) => l && !l.startsWith("#"))) expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[\d.e+]+$/);

    const accepted0 = await metric("edgesms_messages_accepted_total", '{dialect="smsapi",kind="marketing"}');
    const scheduled0 = await metric("edgesms_messages_backlog", '{status="scheduled"}');
    const delivered0 = await metric("edgesms_messages_delivered_total", '{carrier="simulator",kind="marketing"}');
    const s = await sender();
    await accept(s, [mobile(), mobile()], { kind: "marketing", scheduled: true });
    const sent = await accept(s, [mobile()], { kind: "marketing" });
    await finalOf(sent.items.map((i) => i.messageId));
    expect(await metric("edgesms_messages_accepted_total", '{dialect="smsapi",kind="marketing"}')).toBe(accepted0 + 3);
    expect(await metric("edgesms_messages_backlog", '{status="scheduled"}')).toBe(scheduled0 + 2);
    expect(await metric("edgesms_messages_delivered_total", '{carrier="simulator",kind="marketing"}')).toBe(delivered0 + 1);
    expect((await fetchMetrics("wrong")).status).toBe(401);
  });
});

describe("GET /admin/v1/tenants/{id}/messages/{messageId}/timeline", () => {
  it("dates a delivered message's life; another tenant's message is 404", async () => {
    const s: Sender = await sender();
    const res = await accept(s, [mobile()]);
    const id = res.items[0]!.messageId;
    await finalOf([id]);
    const tl = await admin("GET", `/tenants/${s.tenant.id}/messages/${id}/timeline`);
    expect(tl.status).toBe(200);
    expect(tl.body.message).toMatchObject({ id, status: "delivered" });
    const types = tl.body.events.map((e: { type: string }) => e.type);
    expect(types.slice(0, 2)).toEqual(["accepted", "submitted"]);
    expect(types).toContain("carrier_ref");
    expect(types).toContain("final");
    expect(types).toContain("report");
    expect(tl.body.events.find((e: { type: string }) => e.type === "carrier_ref").detail).toMatchObject({ carrier: "simulator", part: 1 });
    expect(tl.body.events.find((e: { type: string }) => e.type === "final").detail).toMatchObject({ status: "delivered", code: "10000" });
    const times = tl.body.events.map((e: { at: number }) => e.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const other = await sender();
    expect((await admin("GET", `/tenants/${other.tenant.id}/messages/${id}/timeline`)).status).toBe(404);
  });

  it("shows a carrier refusal's refund", async () => {
    const s = await sender();
    const res = await accept(s, [special("0001")]);
    const id = res.items[0]!.messageId;
    await finalOf([id]);
    const tl = await admin("GET", `/tenants/${s.tenant.id}/messages/${id}/timeline`);
    expect(tl.body.events.find((e: { type: string }) => e.type === "refund").detail).toMatchObject({ amount: 10, reason: "refund" });
  });
});

describe("GET /admin/v1/review-queue", () => {
  it("lists pending signatures and templates of every tenant, not approved ones", async () => {
    const s = await sender();
    const pending = await makeTemplate(s.tenant, { kind: "marketing", content: "<script>alert(1)</script>{{x}}", status: "pending" });
    const approved = await makeTemplate(s.tenant, { kind: "marketing", content: "ok {{x}}" });
    const sig = await admin("POST", `/tenants/${s.tenant.id}/signatures`, { name: "待审签名" });
    const q = await admin("GET", "/review-queue?limit=500");
    expect(q.status).toBe(200);
    const mine = q.body.items.filter((i: { tenant_id: string }) => i.tenant_id === s.tenant.id);
    expect(mine.map((i: { type: string; id: number }) => [i.type, i.id]).sort()).toEqual([["signature", sig.body.id], ["template", pending]].sort());
    expect(mine.find((i: { id: number; type: string }) => i.type === "template").content).toBe("<script>alert(1)</script>{{x}}");
    expect(mine.filter((i: { id: number; type: string }) => i.type === "template" && i.id === approved)).toEqual([]);
  });
});

describe("Workers Analytics Engine (optional STATS binding)", () => {
  it("writes one data point per accept and per refusal reason when the binding exists", async () => {
    // Only the Analytics Engine service is stood in for; it refuses what the real one refuses
    // (more than 1 index, 20 blobs or 20 doubles, an index over 96 bytes).
    const points: AnalyticsEngineDataPoint[] = [];
    const STATS = {
      writeDataPoint(p: AnalyticsEngineDataPoint = {}) {
        if ((p.indexes ?? []).length > 1 || (p.blobs ?? []).length > 20 || (p.doubles ?? []).length > 20) throw new Error("too many fields");
        if ((p.indexes ?? []).some((i) => new TextEncoder().encode(String(i)).length > 96)) throw new Error("index too long");
        points.push(p);
      },
    };
    const withStats = { ...env, STATS } as Env;
    const s = await sender({ balance: 25 });
    await acceptSend(withStats, [draft(s), draft(s, "12")], { tenant: s.tenant, app: s.app, kind: "notification", mode: "each", sendAt: Date.now() + HOUR });
    await expect(acceptSend(withStats, [draft(s), draft(s)], { tenant: s.tenant, app: s.app, kind: "notification", mode: "all" })).rejects.toMatchObject({
      code: "insufficient_balance",
    });
    expect(points).toEqual([
      { indexes: [s.tenant.id], blobs: ["refused", "smsapi", "invalid_mobile"], doubles: [1] },
      { indexes: [s.tenant.id], blobs: ["accepted", "smsapi", "notification"], doubles: [1, 10] },
      { indexes: [s.tenant.id], blobs: ["refused", "smsapi", "insufficient_balance"], doubles: [2] },
    ]);

    // A receipt making two submitted messages final: one point per tenant, carrier and code.
    const t = await sender();
    const ids = (await accept(t, [mobile(), mobile(), mobile()], { scheduled: true })).items.map((i) => i.messageId);
    await env.DB.prepare("UPDATE messages SET status = 'submitted', carrier = 'simulator', submitted_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))")
      .bind(JSON.stringify(ids), Date.now())
      .run();
    points.length = 0;
    const out = await applyReports(withStats, "simulator", [
      { message_id: ids[0]!, code: "10000" },
      { message_id: ids[1]!, code: "10000" },
      { message_id: ids[2]!, code: "4" },
    ]);
    expect(out.applied).toBe(3);
    expect(points).toEqual([
      { indexes: [t.tenant.id], blobs: ["delivered", "smsapi", "notification", "simulator", "10000"], doubles: [2] },
      { indexes: [t.tenant.id], blobs: ["undelivered", "smsapi", "notification", "simulator", "4"], doubles: [1] },
    ]);
  });
});
