// One Durable Object per carrier: its circuit breaker and its throughput cap (a token bucket),
// shared by every Worker instance that dispatches to it, and the health figures its status shows.
import { DurableObject } from "cloudflare:workers";

/** Transient failures in a row (messages, not calls) that open the circuit. */
export const FAILURE_RUN = 5;
/** First pause of an open circuit; doubled after each failed probe, up to MAX_OPEN_MS. */
export const OPEN_MS = 30_000;
const MAX_OPEN_MS = 5 * 60_000;
/** A half-open probe that never reports back frees its slot after this. */
const PROBE_LEASE_MS = 60_000;
/** Outcomes remembered for the error rate and latency shown by the status. */
const WINDOW = 200;

export type CircuitState = "closed" | "open" | "half_open";

interface Circuit {
  state: CircuitState;
  failures: number;
  openUntil: number;
  openMs: number;
  probeUntil: number;
}

export interface Admission {
  /** false: the circuit is open (or its one probe is out), so the message goes to the next carrier. */
  allowed: boolean;
  /** How many of the offered messages the throughput cap lets through now (a prefix of them). */
  admitted: number;
  /** When the cap frees room for the rest. */
  retryAfterMs: number;
}

export interface GateStatus {
  circuit: CircuitState;
  consecutiveFailures: number;
  openUntil: number | null;
  recent: { outcomes: number; errorRate: number | null; meanLatencyMs: number | null };
  lastError: string | null;
}

export class CarrierGate extends DurableObject<Env> {
  #circuit: Circuit | null = null;
  #tokens = 0;
  #refilledAt = 0;
  #outcomes: Array<{ ok: boolean; ms: number }> = [];
  #lastError: string | null = null;

  async #load(): Promise<Circuit> {
    this.#circuit ??= (await this.ctx.storage.get<Circuit>("circuit")) ?? { state: "closed", failures: 0, openUntil: 0, openMs: OPEN_MS, probeUntil: 0 };
    return this.#circuit;
  }

  async #save(c: Circuit): Promise<void> {
    this.#circuit = c;
    await this.ctx.storage.put("circuit", c);
  }

  /**
   * Asks to send messages of `parts` parts each. The circuit decides whether this carrier is tried
   * at all; the bucket (maxTps parts per second, null = no cap) how many of them may go now.
   */
  async admit(parts: number[], maxTps: number | null, now = Date.now()): Promise<Admission> {
    let c = await this.#load();
    if (c.state === "open" && now >= c.openUntil) await this.#save((c = { ...c, state: "half_open", probeUntil: 0 }));
    if (c.state === "open") return { allowed: false, admitted: 0, retryAfterMs: c.openUntil - now };
    if (c.state === "half_open") {
      // One probe at a time: the others keep failing over until it has shown the carrier is back.
      if (now < c.probeUntil) return { allowed: false, admitted: 0, retryAfterMs: c.probeUntil - now };
      await this.#save({ ...c, probeUntil: now + PROBE_LEASE_MS });
      return { allowed: true, admitted: Math.min(1, parts.length), retryAfterMs: 0 };
    }
    if (maxTps === null) return { allowed: true, admitted: parts.length, retryAfterMs: 0 };
    // Bucket of one second's worth: refilled continuously, a message goes only when its parts fit.
    this.#tokens = Math.min(maxTps, this.#tokens + ((now - this.#refilledAt) / 1000) * maxTps);
    this.#refilledAt = now;
    let admitted = 0;
    while (admitted < parts.length && this.#tokens >= parts[admitted]!) this.#tokens -= parts[admitted++]!;
    const missing = admitted < parts.length ? parts[admitted]! - this.#tokens : 0;
    return { allowed: true, admitted, retryAfterMs: Math.ceil((missing / maxTps) * 1000) };
  }

  /** What came of the admitted messages: successes close a half-open circuit, a run of failures opens it. */
  async report(ok: number, failed: number, latencyMs: number, error: string | null, now = Date.now()): Promise<CircuitState> {
    for (let i = 0; i < ok; i++) this.#outcomes.push({ ok: true, ms: latencyMs });
    for (let i = 0; i < failed; i++) this.#outcomes.push({ ok: false, ms: latencyMs });
    if (this.#outcomes.length > WINDOW) this.#outcomes.splice(0, this.#outcomes.length - WINDOW);
    if (error !== null) this.#lastError = error;
    const c = await this.#load();
    if (ok > 0 && failed === 0) {
      if (c.state !== "closed" || c.failures > 0) await this.#save({ state: "closed", failures: 0, openUntil: 0, openMs: OPEN_MS, probeUntil: 0 });
    } else if (failed > 0) {
      if (c.state === "half_open") {
        const openMs = Math.min(c.openMs * 2, MAX_OPEN_MS);
        await this.#save({ state: "open", failures: c.failures + failed, openUntil: now + openMs, openMs, probeUntil: 0 });
      } else {
        const failures = ok > 0 ? failed : c.failures + failed;
        const open = failures >= FAILURE_RUN;
        await this.#save({ ...c, state: open ? "open" : c.state, failures, openUntil: open ? now + c.openMs : c.openUntil });
      }
    }
    return this.#circuit!.state;
  }

  async status(now = Date.now()): Promise<GateStatus> {
    const c = await this.#load();
    const n = this.#outcomes.length;
    const failed = this.#outcomes.filter((o) => !o.ok).length;
    const state = c.state === "open" && now >= c.openUntil ? "half_open" : c.state;
    return {
      circuit: state,
      consecutiveFailures: c.failures,
      openUntil: state === "open" ? c.openUntil : null,
      recent: {
        outcomes: n,
        errorRate: n === 0 ? null : failed / n,
        meanLatencyMs: n === 0 ? null : Math.round(this.#outcomes.reduce((s, o) => s + o.ms, 0) / n),
      },
      lastError: this.#lastError,
    };
  }

  /** A changed or re-enabled carrier starts with a closed circuit. */
  async reset(): Promise<void> {
    this.#outcomes = [];
    this.#lastError = null;
    await this.#save({ state: "closed", failures: 0, openUntil: 0, openMs: OPEN_MS, probeUntil: 0 });
  }
}

export const gateOf = (env: Env, carrier: string): DurableObjectStub<CarrierGate> => env.CARRIER_GATE.get(env.CARRIER_GATE.idFromName(carrier));
