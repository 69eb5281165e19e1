// Hands claimed messages to carriers: each message's route names its carriers in order; a carrier
// that is unknown, disabled, without the message's template mapping, with an open circuit, or that
// fails transiently passes the message on to the next one within the same attempt. The carrier's
// gate (one Durable Object per carrier) keeps its circuit and its throughput cap.
import type { Carrier, CarrierConfig, OutboundMessage, SubmitResult } from "../carriers/types";
import type { DeliveryCode } from "../core/types";
import { carrierOf } from "../carriers/registry";
import { carrierKind } from "../carriers/registry";
import { gateOf } from "../carriers/gate";
import { TemplateMappings } from "../store/carrier-templates";

export interface Routed {
  message: OutboundMessage;
  /** Carrier names in failover order (the route's). */
  carriers: string[];
}

export interface HandOver {
  sent: Array<[id: string, carrier: string, refs: string[]]>;
  unknown: Array<[id: string, carrier: string]>;
  rejected: Array<{ id: string; carrier: string; reason: string; code: DeliveryCode }>;
  /** No carrier of the route took it this time: retried later. */
  transient: Map<string, string>;
}

/** How long one hand-over may wait for a carrier's throughput cap before it gives up for this attempt. */
const CAP_WAIT_MS = 10_000;

export async function handOver(env: Env, routed: Routed[], configs: Map<string, CarrierConfig>, mappings = new TemplateMappings([])): Promise<HandOver> {
  const out: HandOver = { sent: [], unknown: [], rejected: [], transient: new Map() };
  const reasons = new Map<string, string[]>();
  const note = (id: string, reason: string) => reasons.set(id, [...(reasons.get(id) ?? []), reason]);
  let pending = routed.map((r) => ({ ...r, stage: 0 }));
  while (pending.length > 0) {
    const groups = new Map<string, typeof pending>();
    for (const p of pending) {
      const name = p.carriers[p.stage];
      if (name === undefined) {
        const why = reasons.get(p.message.id) ?? ["no route matches this message"];
        out.transient.set(p.message.id, why.join("; ").slice(0, 500));
        continue;
      }
      groups.set(name, [...(groups.get(name) ?? []), p]);
    }
    const next: typeof pending = [];
    await Promise.all(
      [...groups].map(async ([name, group]) => {
        const passOn = (ids: Set<string>, reason: string) => {
          for (const p of group) if (ids.has(p.message.id)) (note(p.message.id, `${name}: ${reason}`), next.push({ ...p, stage: p.stage + 1 }));
        };
        const all = new Set(group.map((p) => p.message.id));
        const config = configs.get(name);
        const carrier = config?.enabled ? carrierOf(env, config) : null;
        if (!config || !carrier) return passOn(all, config ? (config.enabled ? "no adapter in this build" : "disabled") : "no such carrier");
        const results = await submitThroughGate(env, carrier, config, group.map((p) => p.message), mappings);
        const byId = new Map(results.map((r) => [r.id, r]));
        const failed = new Set<string>();
        const why = new Map<string, string>();
        for (const p of group) {
          const r = byId.get(p.message.id) ?? { id: p.message.id, outcome: "transient" as const, reason: "no result from the carrier" };
          if (r.outcome === "sent") out.sent.push([r.id, name, r.refs]);
          else if (r.outcome === "unknown") out.unknown.push([r.id, name]);
          else if (r.outcome === "permanent") out.rejected.push({ id: r.id, carrier: name, reason: r.reason, code: r.code ?? "1" });
          else (failed.add(r.id), why.set(r.id, r.reason));
        }
        for (const p of group) if (failed.has(p.message.id)) (note(p.message.id, `${name}: ${why.get(p.message.id)}`), next.push({ ...p, stage: p.stage + 1 }));
      }),
    );
    pending = next;
  }
  return out;
}

/**
 * One carrier's share: the gate admits it (circuit closed, or this is the half-open probe) and
 * meters it against the cap, the carrier submits, the gate learns the outcome. Messages the gate
 * or a missing template mapping keeps back come back as transient, so the next carrier gets them.
 */
async function submitThroughGate(env: Env, carrier: Carrier, config: CarrierConfig, given: OutboundMessage[], mappings: TemplateMappings): Promise<SubmitResult[]> {
  const transient = (ms: OutboundMessage[], reason: string): SubmitResult[] => ms.map((m) => ({ id: m.id, outcome: "transient", reason }));
  const kind = carrierKind(config.type);
  // A template-based provider gets each message with this carrier's own template code and sign name.
  const messages = kind?.templated ? given.map((m) => ({ ...m, providerTemplate: mappings.of(config.name, m) })) : given;
  const unmapped = kind?.templated ? messages.filter((m) => m.providerTemplate === null) : [];
  const ready = unmapped.length === 0 ? messages : messages.filter((m) => m.providerTemplate !== null);
  const results: SubmitResult[] = transient(unmapped, "no template mapping for this carrier");
  const gate = gateOf(env, config.name);
  let rest = ready;
  const deadline = Date.now() + CAP_WAIT_MS;
  while (rest.length > 0) {
    const admission = await gate.admit(rest.map((m) => m.segments), config.maxTps ?? null);
    if (!admission.allowed) return [...results, ...transient(rest, "circuit open")];
    const batch = rest.slice(0, admission.admitted);
    rest = rest.slice(admission.admitted);
    if (batch.length > 0) results.push(...(await submitMeasured(carrier, gate, batch)));
    if (rest.length === 0) break;
    if (Date.now() + admission.retryAfterMs > deadline) return [...results, ...transient(rest, "throughput cap reached")];
    await scheduler.wait(Math.max(admission.retryAfterMs, 1));
  }
  return results;
}

async function submitMeasured(carrier: Carrier, gate: ReturnType<typeof gateOf>, batch: OutboundMessage[]): Promise<SubmitResult[]> {
  const t0 = Date.now();
  let results: SubmitResult[];
  try {
    results = await carrier.submit(batch);
  } catch (e) {
    results = batch.map((m) => ({ id: m.id, outcome: "transient", reason: `carrier error: ${String(e).slice(0, 200)}` }));
  }
  // Unknown outcomes count against the carrier like transient ones: both mean it did not answer.
  const failures = results.filter((r) => r.outcome === "transient" || r.outcome === "unknown");
  const ok = results.length - failures.length;
  const lastError = failures.length > 0 ? (failures[0] as { reason: string }).reason : null;
  await gate.report(ok, failures.length, Date.now() - t0, lastError);
  return results;
}
