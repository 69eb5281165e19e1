// Overview: totals and charts from GET /admin/v1/stats: volume and delivery rate over time, and
// volume by carrier and by kind, for one tenant or all, over 24 hours, 7 days or 30 days.
import { get } from "../api.js";
import { duration, go, h, money, percent, table } from "../dom.js";
import { heading, tenantPicker } from "../widgets.js";

const HOUR = 3_600_000;
const RANGES = { "24h": { ms: 24 * HOUR, bucket: "hour" }, "7d": { ms: 7 * 24 * HOUR, bucket: "hour" }, "30d": { ms: 30 * 24 * HOUR, bucket: "day" } };
const COLORS = ["#2563eb", "#16a34a", "#dc2626", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];

/** Every bucket start in the range, so quiet hours show as zero rather than vanish. */
function buckets(from, to, size, offset) {
  const out = [];
  const first = Math.floor((from + offset) / size) * size - offset;
  for (let b = first; b < to; b += size) out.push(b);
  return out;
}

function chart(title, series, xs, values, opts = {}) {
  const box = h("figure", { class: "chart" }, h("figcaption", {}, title));
  const plotHost = h("div", { class: "plot", role: "img", "aria-label": title });
  box.append(plotHost);
  if (!window.uPlot) {
    plotHost.append(h("p", { class: "empty" }, "The chart library did not load."));
    return box;
  }
  requestAnimationFrame(() => {
    const width = Math.max(280, plotHost.clientWidth || 600);
    const plot = new window.uPlot(
      {
        width,
        height: 220,
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: s.color ?? COLORS[i % COLORS.length], width: 2, scale: s.scale ?? "n", value: s.value }))],
        axes: [{}, { scale: "n", size: 50 }, ...(opts.rateAxis ? [{ scale: "%", side: 1, size: 50, values: (_, v) => v.map((x) => `${x}%`) }] : [])],
        scales: { x: { time: true }, ...(opts.rateAxis ? { "%": { range: [0, 100] } } : {}) },
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      [xs.map((x) => x / 1000), ...values],
      plotHost,
    );
    new ResizeObserver(() => plot.setSize({ width: Math.max(280, plotHost.clientWidth), height: 220 })).observe(plotHost);
  });
  return box;
}

/** One series per value of `dim`: messages per bucket. */
function byDimension(stats, dim, xs) {
  const names = [...new Set(stats.series.map((g) => g[dim] ?? "(none)"))].slice(0, 8);
  const values = names.map((n) => xs.map((x) => stats.series.filter((g) => g.bucket === x && (g[dim] ?? "(none)") === n).reduce((s, g) => s + g.messages, 0)));
  return { series: names.map((n) => ({ label: String(n) })), values };
}

const card = (label, value, id) => h("div", { class: "card", id }, h("span", { class: "label" }, label), h("strong", {}, value));

export async function render(root, params) {
  const range = RANGES[params.range] ? params.range : "24h";
  const { ms, bucket } = RANGES[range];
  const offset = -new Date().getTimezoneOffset() * 60_000;
  const offsetMinutes = Math.round(offset / 3_600_000) * 60;
  const to = Date.now();
  const from = to - ms;
  const base = `stats?from=${from}&to=${to}&bucket=${bucket}&utc_offset=${offsetMinutes}${params.tenant ? `&tenant=${encodeURIComponent(params.tenant)}` : ""}`;
  const [total, carriers, kinds] = await Promise.all([get(base), get(`${base}&group_by=carrier`), get(`${base}&group_by=kind`)]);
  const size = bucket === "day" ? 24 * HOUR : HOUR;
  const xs = buckets(total.from, to, size, offsetMinutes * 60_000);
  const at = (x) => total.series.find((g) => g.bucket === x);
  const failed = (g) => (g ? (g.statuses.undelivered ?? 0) + (g.statuses.failed ?? 0) : 0);

  const picker = await tenantPicker("overview", params.tenant, { allowAll: true, keep: { range } });
  const ranges = h(
    "div",
    { class: "segmented", role: "group", "aria-label": "Range" },
    Object.keys(RANGES).map((r) => h("button", { type: "button", class: r === range ? "active" : "", "aria-pressed": String(r === range), onclick: () => go("overview", { ...params, range: r }) }, r)),
  );
  const t = total.totals;
  const refused = Object.values(t.refused).reduce((a, b) => a + b, 0);
  root.append(
    heading("Overview", picker, ranges),
    h(
      "div",
      { class: "cards" },
      card("Messages", t.messages.toLocaleString(), "card-messages"),
      card("Delivered", t.delivered.toLocaleString(), "card-delivered"),
      card("Delivery rate", percent(t.delivery_rate), "card-rate"),
      card("Median time to delivery", duration(t.median_delivery_ms), "card-median"),
      card("Pending", t.pending.toLocaleString(), "card-pending"),
      card("Refused", refused.toLocaleString(), "card-refused"),
      card("Charged", money(t.amount), "card-amount"),
    ),
    h(
      "div",
      { class: "charts" },
      chart(
        "Volume and delivery rate",
        [{ label: "Messages" }, { label: "Delivered", color: COLORS[1] }, { label: "Undelivered / failed", color: COLORS[2] }, { label: "Delivery rate %", color: COLORS[3], scale: "%" }],
        xs,
        [
          xs.map((x) => at(x)?.messages ?? 0),
          xs.map((x) => at(x)?.delivered ?? 0),
          xs.map((x) => failed(at(x))),
          xs.map((x) => (at(x)?.delivery_rate == null ? null : Math.round(at(x).delivery_rate * 1000) / 10)),
        ],
        { rateAxis: true },
      ),
      (() => {
        const d = byDimension(carriers, "carrier", xs);
        return chart("Messages by carrier", d.series, xs, d.values);
      })(),
      (() => {
        const d = byDimension(kinds, "kind", xs);
        return chart("Messages by kind", d.series, xs, d.values);
      })(),
    ),
    h("h2", {}, "Delivery codes"),
    table(
      [["Code", (r) => r[0]], ["Messages", (r) => r[1].toLocaleString()]],
      Object.entries(t.codes).sort((a, b) => b[1] - a[1]),
      "No delivery reports in this range.",
    ),
    h("h2", {}, "Refused, by reason"),
    table([["Reason", (r) => r[0]], ["Sends", (r) => r[1].toLocaleString()]], Object.entries(t.refused), "Nothing refused in this range."),
  );
}
