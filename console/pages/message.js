// One message and its timeline: accepted, scheduled, submitted, each carrier reference and receipt,
// the final status, the report pulled or pushed, each push, refunds.
import { get } from "../api.js";
import { badge, h, href, money, time } from "../dom.js";
import { heading } from "../widgets.js";

const LABELS = {
  accepted: "Accepted",
  scheduled: "Scheduled",
  canceled: "Canceled",
  submitted: "Submitted to carrier",
  carrier_ref: "Carrier reference",
  receipt: "Receipt",
  final: "Final status",
  report: "Report ready",
  pulled: "Report pulled",
  pushed: "Report pushed",
  push: "Push",
  refund: "Refund",
};

const detail = (d) =>
  h(
    "dl",
    { class: "detail" },
    Object.entries(d)
      .filter(([, v]) => v !== null && v !== "")
      .map(([k, v]) => [h("dt", {}, k), h("dd", {}, k === "send_at" || k === "reported_at" ? time(v) : k === "amount" || k === "price" ? money(v) : String(v))]),
  );

export async function render(root, params) {
  const { tenant, id } = params;
  const t = await get(`tenants/${encodeURIComponent(tenant ?? "")}/messages/${encodeURIComponent(id ?? "")}/timeline`);
  const m = t.message;
  root.append(
    heading(`Message ${m.id}`, h("a", { href: href("messages", { tenant, batch: m.batch_id }) }, "Its batch")),
    h(
      "dl",
      { class: "facts" },
      [
        ["Tenant", tenant],
        ["Mobile", m.mobile],
        ["Status", badge(m.status)],
        ["Code", m.result_code ?? "–"],
        ["Kind", m.kind],
        ["Dialect", m.dialect],
        ["Template", m.template_id ?? "–"],
        ["Carrier", m.carrier ?? "–"],
        ["Segments", m.segments],
        ["Price", money(m.price)],
        ["Batch", m.batch_id],
      ].map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
    ),
    h("h2", {}, "Text"),
    h("p", { class: "message-text", id: "message-text" }, m.content),
    h("h2", {}, "Timeline"),
    h(
      "ol",
      { class: "timeline", id: "timeline" },
      t.events.map((e) => h("li", { "data-type": e.type }, h("time", {}, time(e.at)), h("strong", {}, LABELS[e.type] ?? e.type), detail(e.detail))),
    ),
  );
}
