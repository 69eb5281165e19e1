// One SMPP 3.4 bind: a Durable Object (named "<carrier>#<index>") that holds the outbound TCP
// connection to the SMSC as a transceiver, submits within a window and a rate, keeps the bind alive
// with enquire_link on its alarm, rebinds with backoff, and turns deliver_sm into carrier events.
// Each message id is written to the SMSC at most once: its record is in SQLite before its first octet.
import { DurableObject } from "cloudflare:workers";
import type { OutboundMessage, QueryResult, QueryTarget, SubmitResult } from "../types";
import { loadCarrierConfig } from "../config";
import type { Pdu } from "./pdu";
import { SmppSession } from "./session";
import { Pacer } from "./pacing";
import { SmppSettings } from "./settings";
import { answerRequest } from "./inbound";
import { EventBatcher } from "./batcher";
import { enqueueEvents } from "../../core/carrier-events";
import { submitMessage } from "./submit";
import { ESME_ROK, statusName } from "./status";
import { getMeta, getSubmit, migrate, purge, setMeta } from "./records";

export interface BindAddress {
  carrier: string;
  index: number;
}

export interface BindStatus {
  index: number;
  up: boolean;
  inFlight: number;
  /** The most submits ever outstanding at once since the object started. */
  peakInFlight: number;
  partsPerSecond: number;
  lastError: string | null;
  lastErrorAt: number | null;
  boundSince: number | null;
}

/** How long a submit waits for the bind to come up before answering transient. */
const BIND_WAIT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 5_000;
const BIND_TIMEOUT_MS = 10_000;
const BACKOFF_MAX_MS = 60_000;
const SUBMIT_RETENTION_DAYS = 7;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The bind is not up and cannot be brought up before the caller's deadline. */
class Unavailable extends Error {}
/** The carrier is disabled, deleted or misconfigured: no wait or retry can help until it changes. */
class ConfigProblem extends Unavailable {}

export class SmppBind extends DurableObject<Env> {
  #addr: BindAddress | null = null;
  #settings: SmppSettings | null = null;
  #session: SmppSession | null = null;
  #bound = false;
  #boundSince: number | null = null;
  #binding: Promise<void> | null = null;
  #failures = 0;
  #nextAttemptAt = 0;
  #stopped = false;
  #pacer = new Pacer(10, 50);
  /** Receipts and replies on their way to the carrier-events queue, sent in groups. */
  #events = new EventBatcher((events) => enqueueEvents(this.env, this.#addr!.carrier, events));
  /** Submits running in this instance, so a duplicate call for the same id joins the first. */
  #running = new Map<string, Promise<SubmitResult>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Synchronous SQL: it runs before any call reaches the object, with no promise left floating.
    migrate(ctx.storage);
  }

  // ---- RPC ------------------------------------------------------------------------------------

  /** Submits messages over this bind: one result per message, never the same id written twice. */
  async submit(addr: BindAddress, messages: OutboundMessage[]): Promise<SubmitResult[]> {
    this.#identify(addr);
    this.#stopped = false;
    const deadline = Date.now() + BIND_WAIT_MS;
    return Promise.all(
      messages.map((m) => {
        const running = this.#running.get(m.id);
        if (running) return running;
        const ctx = {
          sql: this.ctx.storage.sql,
          pacer: this.#pacer,
          ready: async () => {
            await this.#ensureBound(deadline);
            return { session: this.#session!, settings: this.#settings! };
          },
          deadline,
        };
        // A throw means nothing was written (the bind never came up): safe to send again.
        const p = submitMessage(ctx, m)
          .catch((e: unknown): SubmitResult => ({ id: m.id, outcome: "transient", reason: e instanceof Error ? e.message : String(e) }))
          .finally(() => this.#running.delete(m.id));
        this.#running.set(m.id, p);
        return p;
      }),
    );
  }

  /**
   * Brings the bind up now and keeps it up (receipts and replies arrive over it even when nothing is
   * being sent). Resolves once bound, or false when that failed (the alarm keeps trying).
   */
  async start(addr: BindAddress): Promise<boolean> {
    this.#identify(addr);
    this.#stopped = false;
    try {
      await this.#ensureBound(Date.now() + BIND_WAIT_MS);
      return true;
    } catch {
      await this.#arm();
      return false;
    }
  }

  /** What this bind knows of messages by id: never written, pending (refs when answered), or refused for good. */
  async query(addr: BindAddress, targets: QueryTarget[]): Promise<QueryResult[]> {
    this.#identify(addr);
    return targets.map((t): QueryResult => {
      const r = getSubmit(this.ctx.storage.sql, t.id);
      if (!r) return { id: t.id, state: "not_found" };
      if (r.state === "permanent") return { id: t.id, state: "final", code: r.code ?? "1", refs: r.refs };
      return r.state === "sent" ? { id: t.id, state: "pending", refs: r.refs } : { id: t.id, state: "pending" };
    });
  }

  async status(addr: BindAddress): Promise<BindStatus> {
    this.#identify(addr);
    const sql = this.ctx.storage.sql;
    const at = getMeta(sql, "last_error_at");
    return {
      index: addr.index,
      up: this.#bound,
      inFlight: this.#pacer.inFlight,
      peakInFlight: this.#pacer.peak,
      partsPerSecond: this.#pacer.partsPerSecond(),
      lastError: getMeta(sql, "last_error"),
      lastErrorAt: at === null ? null : Number(at),
      boundSince: this.#boundSince,
    };
  }

  /**
   * The carrier was disabled, changed or deleted: unbind politely and forget the configuration.
   * `rebind` (changed and still enabled, this bind still wanted) binds again at once with the new one.
   */
  async unbind(addr: BindAddress, rebind: boolean): Promise<void> {
    this.#identify(addr);
    const session = this.#session;
    this.#settings = null;
    this.#stopped = !rebind;
    if (session && this.#bound) {
      try {
        await session.request({ command: "unbind", status: 0, seq: 0, body: null }, 2_000);
      } catch {
        // The SMSC did not answer the unbind: closing is all that is left.
      }
    }
    session?.close("unbound: carrier configuration changed");
    this.#failures = 0;
    this.#nextAttemptAt = 0;
    if (rebind) await this.ctx.storage.setAlarm(Date.now());
    else await this.ctx.storage.deleteAlarm();
  }

  /** Keep-alive on an idle bind, reconnection after a drop, retention. */
  override async alarm(): Promise<void> {
    const sql = this.ctx.storage.sql;
    purge(sql, Date.now(), SUBMIT_RETENTION_DAYS);
    const carrier = getMeta(sql, "carrier");
    if (!this.#addr && carrier !== null) this.#addr = { carrier, index: Number(getMeta(sql, "index")) };
    if (!this.#addr || this.#stopped) return;
    try {
      await this.#ensureBound(Date.now() + CONNECT_TIMEOUT_MS + BIND_TIMEOUT_MS);
      const s = this.#session!;
      const every = this.#settings!.enquireLinkSeconds * 1000;
      if (Date.now() - s.lastActivity >= every - 1000) {
        const resp = await s.request({ command: "enquire_link", status: 0, seq: 0, body: null }, this.#settings!.responseTimeoutSeconds * 1000);
        if (resp.status !== ESME_ROK) this.#recordError(`enquire_link answered ${statusName(resp.status)}`);
      }
    } catch (e) {
      // Disabled, deleted or invalid: stay down until a submit or start() asks again.
      if (e instanceof ConfigProblem) return;
      if (this.#bound && this.#session) this.#session.close(`enquire_link failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    await this.#arm();
  }

  // ---- connection -------------------------------------------------------------------------------

  #identify(addr: BindAddress): void {
    if (this.#addr?.carrier === addr.carrier && this.#addr.index === addr.index) return;
    this.#addr = addr;
    setMeta(this.ctx.storage.sql, "carrier", addr.carrier);
    setMeta(this.ctx.storage.sql, "index", String(addr.index));
  }

  #recordError(message: string): void {
    setMeta(this.ctx.storage.sql, "last_error", message.slice(0, 500));
    setMeta(this.ctx.storage.sql, "last_error_at", String(Date.now()));
  }

  async #arm(): Promise<void> {
    if (this.#stopped) return;
    const next = this.#bound ? Date.now() + (this.#settings?.enquireLinkSeconds ?? 30) * 1000 : Math.max(this.#nextAttemptAt, Date.now() + 100);
    await this.ctx.storage.setAlarm(next);
  }

  /** Resolves once bound; throws Unavailable when that cannot happen before `deadline`. */
  async #ensureBound(deadline: number): Promise<void> {
    while (!this.#bound) {
      if (!this.#binding) {
        const wait = this.#nextAttemptAt - Date.now();
        if (Date.now() + wait > deadline) throw new Unavailable(getMeta(this.ctx.storage.sql, "last_error") ?? "not bound");
        if (wait > 0) await sleep(wait);
        if (this.#bound) return;
        this.#binding ??= this.#bind().finally(() => (this.#binding = null));
      }
      try {
        await this.#binding;
      } catch (e) {
        // A configuration problem (disabled, deleted, invalid) is answered at once: waiting cannot fix it.
        if (e instanceof ConfigProblem) throw e;
        // Otherwise recorded by #bind; the loop decides whether another attempt fits before the deadline.
      }
      if (!this.#bound && Date.now() >= deadline) throw new Unavailable(getMeta(this.ctx.storage.sql, "last_error") ?? "not bound");
    }
  }

  async #loadSettings(): Promise<SmppSettings> {
    if (this.#settings) return this.#settings;
    const config = await loadCarrierConfig(this.env, this.#addr!.carrier);
    if (!config || config.type !== "smpp") throw new ConfigProblem(`carrier "${this.#addr!.carrier}" is not an SMPP carrier`);
    if (!config.enabled) throw new ConfigProblem(`carrier "${this.#addr!.carrier}" is disabled`);
    const parsed = SmppSettings.safeParse(config.settings);
    if (!parsed.success) throw new ConfigProblem(`carrier "${this.#addr!.carrier}" has invalid settings`);
    this.#settings = parsed.data;
    this.#pacer.configure(parsed.data.window, parsed.data.tps);
    return parsed.data;
  }

  async #bind(): Promise<void> {
    let session: SmppSession | null = null;
    try {
      const s = await this.#loadSettings();
      session = await SmppSession.open(
        { host: s.host, port: s.port, tls: s.tls, onRequest: (ss, pdu) => this.#onRequest(ss, pdu), onClose: (ss, reason) => this.#onClose(ss, reason) },
        CONNECT_TIMEOUT_MS,
      );
      this.#session = session;
      const resp = await session.request(
        {
          command: "bind_transceiver",
          status: 0,
          seq: 0,
          body: { systemId: s.systemId, password: s.password, systemType: s.systemType, interfaceVersion: 0x34, addrTon: 0, addrNpi: 0, addressRange: "" },
        },
        BIND_TIMEOUT_MS,
      );
      if (resp.status !== ESME_ROK) throw new Error(`bind refused: ${statusName(resp.status)}`);
      this.#bound = true;
      this.#boundSince = Date.now();
      this.#failures = 0;
      await this.#arm();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.#recordError(reason.startsWith("bind refused") || e instanceof ConfigProblem ? reason : `connect failed: ${reason}`);
      session?.close(reason);
      this.#failures++;
      // 1 s, 2 s, 4 s … up to a minute between attempts.
      this.#nextAttemptAt = Date.now() + Math.min(BACKOFF_MAX_MS, 1000 * 2 ** (this.#failures - 1));
      await this.#arm();
      throw e;
    }
  }

  #onClose(session: SmppSession, reason: string): void {
    if (this.#session !== session) return;
    const wasBound = this.#bound;
    this.#session = null;
    this.#bound = false;
    this.#boundSince = null;
    if (wasBound && !reason.startsWith("unbound")) {
      this.#recordError(reason);
      this.#failures++;
      this.#nextAttemptAt = Date.now() + Math.min(BACKOFF_MAX_MS, 1000 * 2 ** (this.#failures - 1));
      this.ctx.waitUntil(this.#arm());
    }
  }

  /** What the SMSC asks of us: keep-alives and unbinds answered here, deliver_sm / data_sm by inbound.ts. */
  #onRequest(session: SmppSession, pdu: Pdu): void {
    const ctx = { sql: this.ctx.storage.sql, carrier: this.#addr!.carrier, settings: this.#settings, publish: this.#events.publish.bind(this.#events) };
    const work = answerRequest(ctx, session, pdu);
    if (work) this.ctx.waitUntil(work);
  }
}
