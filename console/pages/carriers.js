// Carriers with their live status (circuit breaker, recent error rate, the kind's own figures such
// as SMPP binds) and the routing table, from /admin/v1/carriers, …/{name}/status and /routes.
import { get } from "../api.js";
import { badge, h, percent, table } from "../dom.js";
import { heading } from "../widgets.js";

const details = (d) =>
  Object.keys(d ?? {}).length
    ? h("dl", { class: "detail" }, Object.entries(d).map(([k, v]) => [h("dt", {}, k), h("dd", {}, typeof v === "object" ? JSON.stringify(v) : String(v))]))
    : "";

export async function render(root) {
  const [carriers, routes] = await Promise.all([get("carriers?limit=500"), get("routes")]);
  const live = Object.fromEntries(
    await Promise.all(carriers.items.map(async (c) => [c.name, await get(`carriers/${encodeURIComponent(c.name)}/status`).catch(() => null)])),
  );
  root.append(
    heading("Carriers and routes", h("a", { href: "#/carriers" }, "Refresh")),
    h("h2", {}, "Carriers"),
    table(
      [
        ["Carrier", (c) => h("strong", {}, c.name)],
        ["Type", (c) => c.type],
        ["State", (c) => badge(c.enabled ? "enabled" : "disabled")],
        ["Circuit", (c) => (live[c.name] ? badge(live[c.name].circuit.state) : "unknown")],
        ["Recent errors", (c) => (!live[c.name] ? "" : live[c.name].recent.outcomes === 0 ? "no submits yet" : `${percent(live[c.name].recent.error_rate)} of ${live[c.name].recent.outcomes}`)],
        ["Latency", (c) => (live[c.name]?.recent.mean_latency_ms == null ? "–" : `${Math.round(live[c.name].recent.mean_latency_ms)} ms`)],
        ["Max parts/s", (c) => c.max_tps ?? "no cap"],
        ["Last error", (c) => live[c.name]?.last_error ?? ""],
        ["Live", (c) => details(live[c.name]?.details)],
      ],
      carriers.items,
      "No carriers configured.",
    ),
    h("h2", {}, "Routes (the first rule that matches wins)"),
    table(
      [
        ["#", (r) => String(routes.rules.indexOf(r) + 1)],
        ["Tenant", (r) => r.tenant ?? "any"],
        ["Kind", (r) => r.kind ?? "any"],
        ["Destination", (r) => r.prefix ?? "any"],
        ["Carriers, in failover order", (r) => r.carriers.join(" → ")],
      ],
      routes.rules,
      routes.fallback ? `No rules: every message goes to ${routes.fallback}.` : "No rules: no message can be sent until a route names a carrier.",
    ),
  );
}
