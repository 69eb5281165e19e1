// The statistics rows under concurrent status moves: cancels racing each other and the cron's
// release, dispatch through the real queues and the simulator, and duplicate reports racing the
// simulator's own. Whatever interleaving D1 picks, every aggregate (count, segments, amount and
// time to delivery, by status, code and carrier) must equal a scan of the tenant's messages.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cancelScheduled } from "../../src/core/cancel";
import { applyReports } from "../../src/core/delivery";
import { cronJobs } from "../../src/jobs/cron";
import { HISTOGRAM_BOUNDS_MS, statsMoveStatements } from "../../src/store/stats";
import { mobile } from "../helpers/fixtures";
import { accept, rows, sender, special, waitFor } from "../jobs/support";
import { admin } from "./helpers";

const HOUR = 3_600_000;

/** The tenant's aggregate rows, summed over hours, by status, code and carrier (zero rows left out). */
async function aggregates(tenantId: string) {
  return rows<{ status: string; code: string; carrier: string; n: number; seg: number; amount: number; timed: number }>(
    `SELECT status, code, carrier, SUM(messages) AS n, SUM(segments) AS seg, SUM(amount) AS amount,
       SUM(h0 + h1 + h2 + h3 + h4 + h5 + h6 + h7 + h8 + h9 + h10 + h11) AS timed
     FROM stats_hourly WHERE tenant_id = ?1 GROUP BY status, code, carrier HAVING SUM(messages) <> 0 ORDER BY status, code, carrier`,
    tenantId,
  );
}

/** The same figures scanned from the messages themselves. */
async function scan(tenantId: string) {
  return rows<{ status: string; code: string; carrier: string; n: number; seg: number; amount: number; timed: number }>(
    `SELECT status, COALESCE(result_code, '') AS code, COALESCE(carrier, '') AS carrier, COUNT(*) AS n, SUM(segments) AS seg,
       SUM(price) AS amount, SUM(status = 'delivered' AND reported_at IS NOT NULL) AS timed
     FROM messages WHERE tenant_id = ?1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    tenantId,
  );
}

describe("statistics under concurrent moves", () => {
  it("stay exact when cancels race each other and the release, and reports race the simulator's", async () => {
    const s = await sender();
    const mobiles = [...Array.from({ length: 16 }, () => mobile()), special("0004"), special("0001")];
    const a = (await accept(s, mobiles.slice(0, 9), { scheduled: true })).items.map((i) => i.messageId);
    const b = (await accept(s, mobiles.slice(9), { scheduled: true })).items.map((i) => i.messageId);
    expect(a.length + b.length).toBe(18);
    const ids = [...a, ...b];
    expect(await aggregates(s.tenant.id)).toEqual(await scan(s.tenant.id));

    // Two overlapping cancels and the cron's release (everything due) at once: each message moves
    // once, to canceled or to queued, whichever won.
    await Promise.all([
      cancelScheduled(env, s.tenant.id, ids.slice(0, 8)),
      cancelScheduled(env, s.tenant.id, ids.slice(4, 12)),
      cronJobs.releaseScheduled!(env, Date.now() + 2 * HOUR),
    ]);
    expect(await aggregates(s.tenant.id)).toEqual(await scan(s.tenant.id));

    // Dispatch runs through the real queue; meanwhile the same messages get reports of our own,
    // twice over, racing the simulator's receipts (only a submitted message moves, once).
    const race = async () => {
      for (let i = 0; i < 10; i++) {
        await Promise.all([
          applyReports(env, null, ids.map((id) => ({ message_id: id, code: "4" as const }))),
          applyReports(env, "simulator", ids.map((id) => ({ message_id: id, code: "10000" as const }))),
        ]);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await race();
    await waitFor(async () => {
      const left = await rows<{ n: number }>(
        "SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1 AND status IN ('scheduled', 'queued', 'submitted')",
        s.tenant.id,
      );
      return left[0]!.n === 0;
    }, 20_000, "every message final");

    const final = await scan(s.tenant.id);
    expect(final.reduce((n, r) => n + r.n, 0)).toBe(18);
    // Both sides of the race happened: some messages were canceled, some were released.
    const seen = new Set(final.map((r) => r.status));
    expect(seen).toContain("canceled");
    expect([...seen].filter((st) => st !== "canceled")).not.toEqual([]);
    expect(await aggregates(s.tenant.id)).toEqual(final);

    // And the operator's API says the same.
    const st = await admin("GET", `/stats?tenant=${s.tenant.id}&from=${Date.now() - 2 * HOUR}&to=${Date.now() + HOUR}`);
    expect(st.status).toBe(200);
    const statuses: Record<string, number> = {};
    for (const r of final) statuses[r.status] = (statuses[r.status] ?? 0) + r.n;
    expect(st.body.totals.statuses).toEqual(statuses);
    expect(st.body.totals.amount).toBe(final.reduce((n, r) => n + r.amount, 0));
  });

  it("sum each delivery time into its histogram bucket and the latency total, as a scan of the messages does", async () => {
    const s = await sender();
    const ids = (await accept(s, Array.from({ length: 8 }, () => mobile()), { scheduled: true })).items.map((i) => i.messageId);
    const idsJson = JSON.stringify(ids);
    // Submitted without dispatch (the simulator would report at once), moved as dispatch moves them.
    await env.DB.batch(
      statsMoveStatements(env.DB, idsJson, [
        env.DB.prepare("UPDATE messages SET status = 'submitted', submitted_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))").bind(idsJson, Date.now()),
      ]),
    );
    const start = (await rows<{ start: number }>("SELECT MAX(send_at, created_at) AS start FROM messages WHERE id = ?1", ids[0]))[0]!.start;
    // Times to delivery across the buckets, one on a bound, one past the last; one undelivered (not timed).
    const after = [400, 1000, 1500, 4000, 15_000, 700_000, 5_000_000];
    await applyReports(env, null, [
      ...after.map((ms, i) => ({ message_id: ids[i]!, code: "10000" as const, reported_at: start + ms })),
      { message_id: ids[7]!, code: "4" as const, reported_at: start + 2000 },
    ]);

    const scanned = await rows<{ d: number }>(
      "SELECT reported_at - MAX(send_at, created_at) AS d FROM messages WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'delivered'",
      idsJson,
    );
    expect(scanned.map((r) => r.d).sort((x, y) => x - y)).toEqual(after);
    const buckets = HISTOGRAM_BOUNDS_MS.map((_, i) => scanned.filter((r) => HISTOGRAM_BOUNDS_MS.findIndex((b) => r.d <= b) === i).length);
    const [agg] = await rows<Record<string, number>>(
      `SELECT SUM(latency_ms) AS latency, ${HISTOGRAM_BOUNDS_MS.map((_, i) => `SUM(h${i}) AS h${i}`).join(", ")}
       FROM stats_hourly WHERE tenant_id = ?1`,
      s.tenant.id,
    );
    expect({ latency: agg!.latency, buckets: HISTOGRAM_BOUNDS_MS.map((_, i) => agg![`h${i}`]) }).toEqual({
      latency: after.reduce((a, b) => a + b, 0),
      buckets,
    });
    expect(buckets).toEqual([2, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1]);
  });
});
