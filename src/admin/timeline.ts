// GET /admin/v1/tenants/{id}/messages/{messageId}/timeline: one message's life as dated events
// (accepted, scheduled, submitted, each carrier reference and receipt, the final status, the report
// handed out by pull or push, each push, refunds), for the console's message page.
import { z } from "zod";
import { json } from "../http/respond";
import { toMessage } from "../core/messages";
import { readTimeline, type TimelineRows } from "../store/messages/timeline";
import { AdminError, adminRoute, parseParams, requireTenant } from "./http";
import { TenantParams } from "./tenants/schemas";
import { MessageView, messageView } from "./views";
import { tenantDb } from "../store/db";

const Params = TenantParams.extend({ messageId: z.string().min(1).max(64) });

const EVENT_TYPES = ["accepted", "scheduled", "canceled", "submitted", "carrier_ref", "receipt", "final", "report", "pulled", "pushed", "push", "refund"] as const;
const Event = z.object({
  at: z.number().int(),
  type: z.enum(EVENT_TYPES),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
type Event = z.infer<typeof Event>;

export const TimelineAnswer = z.object({ message: MessageView, events: z.array(Event).describe("oldest first") });

function events(t: TimelineRows): Event[] {
  const m = t.message!;
  const out: Event[] = [{ at: m.created_at, type: "accepted", detail: { dialect: m.dialect, segments: m.segments, price: m.price } }];
  if (m.send_at > m.created_at) out.push({ at: m.created_at, type: "scheduled", detail: { send_at: m.send_at } });
  if (m.status === "canceled") out.push({ at: m.updated_at, type: "canceled", detail: {} });
  // Only the latest submit is dated on the row; `attempts` says how many there were.
  if (m.submitted_at !== null) out.push({ at: m.submitted_at, type: "submitted", detail: { carrier: m.carrier, attempts: m.attempts } });
  for (const r of t.refs) {
    out.push({ at: r.created_at, type: "carrier_ref", detail: { carrier: r.carrier, ref: r.ref, part: r.part } });
    if (r.received_at !== null) out.push({ at: r.received_at, type: "receipt", detail: { carrier: r.carrier, ref: r.ref, part: r.part, code: r.code, reported_at: r.reported_at } });
  }
  if (["delivered", "undelivered", "unknown", "failed"].includes(m.status)) {
    out.push({ at: m.reported_at ?? m.updated_at, type: "final", detail: { status: m.status, code: m.result_code, message: m.result_message } });
  }
  if (t.report) {
    out.push({ at: t.report.created_at, type: "report", detail: { code: t.report.code, message: t.report.message } });
    if (t.report.pulled_at !== null) out.push({ at: t.report.pulled_at, type: "pulled", detail: {} });
    if (t.report.pushed_at !== null) out.push({ at: t.report.pushed_at, type: "pushed", detail: { push_id: t.report.push_id } });
  }
  for (const p of t.pushes) {
    out.push({ at: p.updated_at, type: "push", detail: { id: p.id, url: p.url, status: p.status, attempts: p.attempts, last_error: p.last_error } });
  }
  for (const l of t.ledger) out.push({ at: l.created_at, type: "refund", detail: { amount: l.amount, reason: l.reason, note: l.note } });
  // Stable: equal times keep the order of the life cycle above.
  return out.map((e, i) => [e, i] as const).sort((a, b) => a[0].at - b[0].at || a[1] - b[1]).map(([e]) => e);
}

export const messageTimelineRoute = adminRoute(
  {
    method: "get",
    path: "/admin/v1/tenants/{id}/messages/{messageId}/timeline",
    summary: "A message's timeline",
    response: TimelineAnswer,
  },
  async (req, env) => {
    const { id, messageId } = parseParams(req, Params);
    await requireTenant(env, id);
    const t = await readTimeline(tenantDb(env, id), messageId);
    if (!t.message) throw new AdminError(404, "not_found", `message ${messageId} does not exist`);
    return json({ message: messageView(toMessage(t.message)), events: events(t) });
  },
);
