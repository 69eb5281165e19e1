// GET /admin/v1/stats: delivery statistics from the hourly aggregate rows (never a scan of messages),
// in hour or day buckets, grouped and filtered by tenant, app, dialect, kind, template, carrier,
// destination country, status or code; plus what the accept pipeline refused, by reason.
import { z } from "zod";
import { foldStats } from "../core/stats";
import { json } from "../http/respond";
import { readRefusals, readStats, STAT_DIMENSIONS, type StatDimension } from "../store/stats";
import { adminRoute, invalid, parseQuery } from "./http";
import { directoryDb } from "../store/db";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Widest range per bucket width, and most aggregate rows one answer may sum. */
const MAX_RANGE = { hour: 31 * DAY, day: 400 * DAY } as const;
const MAX_ROWS = 20_000;

const DIMENSIONS = Object.keys(STAT_DIMENSIONS) as [StatDimension, ...StatDimension[]];
const EpochMs = z.coerce.number().int().min(0).max(8.64e15);
const Filter = z.string().trim().min(1).max(64).optional();

export const StatsQuery = z
  .strictObject({
    from: EpochMs.optional().describe("epoch ms, inclusive, floored to the hour; default `to` minus 24 h"),
    to: EpochMs.optional().describe("epoch ms, exclusive; default now"),
    bucket: z.enum(["hour", "day"]).default("hour"),
    utc_offset: z.coerce
      .number()
      .int()
      .min(-720)
      .max(840)
      .refine((n) => n % 60 === 0, "whole hours only (the aggregates are hourly)")
      .default(0)
      .describe("minutes east of UTC where a day bucket starts (480 = Asia/Shanghai midnight)"),
    group_by: z
      .string()
      .max(200)
      .optional()
      .describe(`comma list of ${DIMENSIONS.join(", ")}`),
    tenant: Filter,
    app: Filter,
    dialect: Filter,
    channel: Filter,
    kind: Filter,
    template: z.coerce.number().int().min(0).optional().describe("template id; 0 = messages without one"),
    carrier: Filter.describe("'' is not accepted: use status=queued for messages no carrier took yet"),
    country: z.string().regex(/^\+?\d{1,3}$/).optional().describe("calling code, e.g. 86 or +86"),
    status: Filter,
    code: Filter,
  })
  .transform((q, ctx) => {
    const to = q.to ?? Date.now();
    const from = q.from ?? to - DAY;
    const groupBy = (q.group_by ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
    for (const g of groupBy) {
      if (!(g in STAT_DIMENSIONS)) ctx.addIssue({ code: "custom", path: ["group_by"], message: `unknown dimension ${g}; one of ${DIMENSIONS.join(", ")}` });
    }
    if (from >= to) ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to" });
    if (to - from > MAX_RANGE[q.bucket]) ctx.addIssue({ code: "custom", path: ["to"], message: `at most ${MAX_RANGE[q.bucket] / DAY} days with ${q.bucket} buckets` });
    return { ...q, from: from - (from % HOUR), to, groupBy: [...new Set(groupBy)] as StatDimension[] };
  });

const Group = z.object({
  bucket: z.number().int().describe("the bucket's start, epoch ms"),
  messages: z.number().int().describe("messages accepted in the bucket (cohort: counted where they were accepted)"),
  segments: z.number().int(),
  amount: z.number().int().describe("charged, minor units (refunds of canceled/failed messages not subtracted)"),
  statuses: z.record(z.string(), z.number().int()).describe("current status of those messages"),
  codes: z.record(z.string(), z.number().int()).describe("delivery codes (10000 delivered, 1, 4–9 otherwise)"),
  pending: z.number().int().describe("scheduled + queued + submitted"),
  delivered: z.number().int(),
  delivery_rate: z.number().nullable().describe("delivered / (delivered + undelivered + failed)"),
  median_delivery_ms: z.number().int().nullable().describe("accept (or scheduled time) to receipt, from the histogram"),
  mean_delivery_ms: z.number().int().nullable(),
  delivery_histogram: z.array(z.object({ le_ms: z.number().int().nullable(), messages: z.number().int() })),
});

export const StatsAnswer = z.object({
  from: z.number().int(),
  to: z.number().int(),
  bucket: z.enum(["hour", "day"]),
  utc_offset: z.number().int(),
  group_by: z.array(z.string()),
  series: z.array(Group.catchall(z.union([z.string(), z.number()]))).describe("one entry per bucket and group, with the grouped dimensions as fields"),
  totals: Group.omit({ bucket: true }).extend({ refused: z.record(z.string(), z.number().int()) }),
  refusals: z.array(z.object({ bucket: z.number().int(), tenant: z.string(), dialect: z.string(), reason: z.string(), messages: z.number().int() })),
});

/** Dimension values as the caller knows them: the calling code with its "+", no template as null. */
function showDims(dims: Record<string, string | number>): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = { ...dims };
  if ("country" in dims) out.country = dims.country === "" ? null : `+${dims.country}`;
  if ("template" in dims) out.template = dims.template === 0 ? null : dims.template!;
  if ("carrier" in dims) out.carrier = dims.carrier === "" ? null : dims.carrier!;
  if ("code" in dims) out.code = dims.code === "" ? null : dims.code!;
  return out;
}

export const statsRoute = adminRoute(
  {
    method: "get",
    path: "/admin/v1/stats",
    summary: "Delivery statistics by hour or day",
    description: "Answered from aggregates kept by triggers as messages change state. See docs/console.md.",
    query: StatsQuery,
    response: StatsAnswer,
  },
  async (req, env) => {
    const q = parseQuery(req, StatsQuery);
    const filters: Partial<Record<StatDimension, string | number>> = {};
    for (const d of DIMENSIONS) {
      const v = q[d as keyof typeof q];
      if (v !== undefined) filters[d] = d === "country" ? String(v).replace(/^\+/, "") : (v as string | number);
    }
    const bucketMs = q.bucket === "day" ? DAY : HOUR;
    const range = { from: q.from, to: q.to, bucketMs, offsetMs: q.utc_offset * 60_000 };
    const [rows, refusals] = await Promise.all([
      readStats(directoryDb(env), { ...range, groupBy: q.groupBy, filters }, MAX_ROWS + 1),
      readRefusals(directoryDb(env), { ...range, tenantId: q.tenant ?? null }, MAX_ROWS + 1),
    ]);
    if (rows.length > MAX_ROWS || refusals.length > MAX_ROWS) {
      throw invalid("too many groups for one answer", [{ path: "group_by", message: `over ${MAX_ROWS} rows: narrow the range, the filters or group_by` }]);
    }
    const { series, totals } = foldStats(rows);
    const refused: Record<string, number> = {};
    for (const r of refusals) refused[r.reason] = (refused[r.reason] ?? 0) + r.messages;
    return json({
      from: q.from,
      to: q.to,
      bucket: q.bucket,
      utc_offset: q.utc_offset,
      group_by: q.groupBy,
      series: series.map(({ dims, ...g }) => ({ ...showDims(dims), ...g })),
      totals: { ...totals, refused },
      refusals: refusals.map((r) => ({ bucket: r.bucket, tenant: r.tenantId, dialect: r.dialect, reason: r.reason, messages: r.messages })),
    });
  },
);
