// GET /admin/v1/metrics: the gateway's counters and gauges in the Prometheus text exposition format
// (version 0.0.4), for an existing monitoring stack to scrape with the operator token.
import { HISTOGRAM_BOUNDS_MS, readMetricRows, type MetricRows } from "../store/stats";
import { loadCarrierConfigs, simulatorEnabled } from "../carriers/config";
import { gateOf, type GateStatus } from "../carriers/gate";
import { carrierKind } from "../carriers/registry";
import { SIMULATOR } from "../carriers/simulator";
import { adminRoute } from "./http";
import { directoryDb } from "../store/db";

/** What each carrier's gate (and, where its kind has one, its own status) says right now. */
export interface CarrierLive {
  name: string;
  type: string;
  enabled: boolean;
  gate: GateStatus | null;
  details: Record<string, unknown>;
}

/** Live figures of at most this many carriers per scrape (each is a Durable Object call or two). */
const MAX_LIVE_CARRIERS = 100;

async function carriersLive(env: Env, rows: MetricRows["carriers"]): Promise<CarrierLive[]> {
  const list = rows.map((r) => ({ name: r.name, type: r.type, enabled: r.enabled === 1 }));
  if (simulatorEnabled(env) && !list.some((c) => c.name === SIMULATOR)) list.unshift({ name: SIMULATOR, type: "simulator", enabled: true });
  const shown = list.slice(0, MAX_LIVE_CARRIERS);
  const configs = await loadCarrierConfigs(env, shown.map((c) => c.name));
  return Promise.all(
    shown.map(async (c) => {
      const config = configs.get(c.name);
      const [gate, details] = await Promise.all([
        gateOf(env, c.name).status().catch(() => null),
        (config ? carrierKind(config.type)?.status?.(env, config) : undefined)?.catch(() => ({})) ?? Promise.resolve({}),
      ]);
      return { ...c, gate, details: details ?? {} };
    }),
  );
}

type Labels = Record<string, string>;

/** Label values escaped as the format requires: backslash, double quote and line feed. */
const escape = (v: string): string => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (l: Labels): string => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
};

class Exposition {
  #lines: string[] = [];
  family(name: string, type: "counter" | "gauge" | "histogram", help: string, samples: Array<[Labels, number]>, suffix = ""): void {
    this.#lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) this.#lines.push(`${name}${suffix}${labels(l)} ${v}`);
  }
  raw(line: string): void {
    this.#lines.push(line);
  }
  toString(): string {
    return this.#lines.join("\n") + "\n";
  }
}

/** Sums `rows` by the label columns named, skipping rows `keep` refuses. */
function sumBy(rows: MetricRows["messages"], cols: string[], keep: (r: MetricRows["messages"][number]) => boolean): Array<[Labels, number]> {
  const out = new Map<string, [Labels, number]>();
  for (const r of rows) {
    if (!keep(r)) continue;
    const l = Object.fromEntries(cols.map((c) => [c, String(r[c] ?? "")]));
    const key = JSON.stringify(l);
    const cur = out.get(key) ?? [l, 0];
    cur[1] += Number(r.messages);
    out.set(key, cur);
  }
  return [...out.values()];
}

export function exposition(m: MetricRows, live: CarrierLive[]): string {
  const e = new Exposition();
  const rows = m.messages;
  e.family("edgesms_messages_accepted_total", "counter", "Messages accepted (written and charged), by dialect and kind.", sumBy(rows, ["dialect", "kind"], () => true));
  e.family("edgesms_messages_delivered_total", "counter", "Messages with a delivered receipt, by carrier and kind.", sumBy(rows, ["carrier", "kind"], (r) => r.status === "delivered"));
  e.family(
    "edgesms_messages_undelivered_total",
    "counter",
    "Messages a carrier refused or reported undelivered, by carrier, kind and delivery code.",
    sumBy(rows, ["carrier", "kind", "code"], (r) => r.status === "undelivered"),
  );
  e.family("edgesms_messages_failed_total", "counter", "Messages that never reached a carrier (retries exhausted; refunded), by kind.", sumBy(rows, ["kind"], (r) => r.status === "failed"));
  e.family("edgesms_messages_canceled_total", "counter", "Scheduled messages canceled before release, by kind.", sumBy(rows, ["kind"], (r) => r.status === "canceled"));
  e.family(
    "edgesms_messages_refused_total",
    "counter",
    "Sends the accept pipeline refused (nothing written), by dialect and reason.",
    m.refusals.map((r) => [{ dialect: r.dialect, reason: r.reason }, Number(r.messages)]),
  );
  const backlog = new Map<string, number>([["scheduled", 0], ["queued", 0], ["submitted", 0]]);
  for (const r of rows) if (backlog.has(r.status)) backlog.set(r.status, backlog.get(r.status)! + Number(r.messages));
  e.family("edgesms_messages_backlog", "gauge", "Messages not final yet: scheduled, queued for a carrier, or submitted and awaiting a receipt.", [...backlog].map(([status, n]) => [{ status }, n]));

  // Delivery time: the aggregates' histogram as a Prometheus histogram (cumulative buckets, seconds).
  const delivered = rows.filter((r) => r.status === "delivered");
  const counts = HISTOGRAM_BOUNDS_MS.map((_, i) => delivered.reduce((s, r) => s + Number(r[`h${i}`] ?? 0), 0));
  const sumMs = delivered.reduce((s, r) => s + Number(r.latency_ms), 0);
  e.raw("# HELP edgesms_delivery_time_seconds Time from accept (or the scheduled time) to the delivered receipt.");
  e.raw("# TYPE edgesms_delivery_time_seconds histogram");
  let cumulative = 0;
  HISTOGRAM_BOUNDS_MS.forEach((b, i) => {
    cumulative += counts[i]!;
    e.raw(`edgesms_delivery_time_seconds_bucket{le="${b === Infinity ? "+Inf" : b / 1000}"} ${cumulative}`);
  });
  e.raw(`edgesms_delivery_time_seconds_sum ${sumMs / 1000}`);
  e.raw(`edgesms_delivery_time_seconds_count ${cumulative}`);

  const webhooks = new Map<string, number>([["pending", 0], ["dead", 0]]);
  for (const w of m.webhooks) if (webhooks.has(w.status)) webhooks.set(w.status, Number(w.n));
  e.family(
    "edgesms_webhook_deliveries",
    "gauge",
    "Pushes to customer URLs still pending, and those that gave up after the last retry (dead; kept until retention).",
    [...webhooks].map(([status, n]) => [{ status }, n]),
  );
  e.family("edgesms_dead_letters", "gauge", "Queue messages that exhausted their retries (kept until retention), by queue.", m.deadLetters.map((d) => [{ queue: d.queue }, Number(d.n)]));
  e.family("edgesms_carrier_enabled", "gauge", "Configured carriers: 1 enabled, 0 disabled.", live.map((c) => [{ carrier: c.name, type: c.type }, c.enabled ? 1 : 0]));
  const gated = live.filter((c) => c.gate !== null);
  e.family(
    "edgesms_carrier_up",
    "gauge",
    "1 when the carrier is enabled and its circuit is not open (it takes messages), else 0.",
    gated.map((c) => [{ carrier: c.name }, c.enabled && c.gate!.circuit !== "open" ? 1 : 0]),
  );
  e.family(
    "edgesms_carrier_circuit_state",
    "gauge",
    "The carrier's circuit breaker: 1 for its current state.",
    gated.flatMap((c) => (["closed", "open", "half_open"] as const).map((state): [Labels, number] => [{ carrier: c.name, state }, c.gate!.circuit === state ? 1 : 0])),
  );
  e.family(
    "edgesms_carrier_error_rate",
    "gauge",
    "Share of the carrier's recent submit outcomes that failed.",
    gated.filter((c) => c.gate!.recent.errorRate !== null).map((c) => [{ carrier: c.name }, c.gate!.recent.errorRate!]),
  );
  // Carriers that hold connections (SMPP) report their binds in their own status.
  e.family(
    "edgesms_carrier_binds_up",
    "gauge",
    "Connections (SMPP binds) up, for carriers that hold them.",
    live.filter((c) => typeof c.details.bindsUp === "number").map((c) => [{ carrier: c.name }, c.details.bindsUp as number]),
  );
  return e.toString();
}

export const metricsRoute = adminRoute(
  {
    method: "get",
    path: "/admin/v1/metrics",
    summary: "Prometheus metrics (text exposition format 0.0.4)",
    description: "Counters of accepted, delivered, undelivered, failed, canceled and refused messages; backlog, delivery time, webhook, dead-letter and carrier gauges (up, circuit, error rate, binds). See docs/console.md.",
  },
  async (_req, env) => {
    const rows = await readMetricRows(directoryDb(env));
    return new Response(exposition(rows, await carriersLive(env, rows.carriers)), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
    });
  },
);
