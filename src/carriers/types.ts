// The contract between the delivery engine and every carrier adapter (the simulator, SMPP binds and
// the HTTP providers): what a message handed over carries, what a submit and a status query answer,
// and what a carrier type registers (its settings schema, its secrets, its callback parser).
import type { z } from "zod";
import type { Channel, DeliveryCode, Kind } from "../core/types";
import type { CarrierEvents } from "../core/carrier-events";

export { CARRIER_TYPES, type CarrierType } from "../store/columns";
import type { CarrierType } from "../store/columns";

/** One message handed to a carrier. `id` (the edgesms message id) is its idempotency key. */
export interface OutboundMessage {
  id: string;
  tenantId: string;
  /** E.164, with the leading "+". */
  mobile: string;
  /** The full text as billed: signature included. */
  content: string;
  channel: Channel; // "voice": a verification code read out by a call
  kind: Kind;
  /** The encoding and part count the tenant was billed for: a carrier that splits must produce exactly these parts. */
  encoding: "gsm7" | "ucs2";
  segments: number;
  /** The bare signature name (no 【】), when the message has one. */
  signature: string | null;
  templateId: number | null;
  params: Record<string, string> | null;
  /** The sender: the tenant's override, else the carrier's default; null = the carrier's own default. */
  sourceAddr: string | null;
  /** Digits appended to the sender so replies can be routed back (the signature id); null = none. */
  extension: string | null;
  /**
   * Template-based providers: the carrier's approved template and sign name for this message (see
   * CarrierKind.templated); `params`, where set, names the edgesms parameters in the order of the
   * provider's positional variables (Tencent's {1}, {2}…).
   */
  providerTemplate: { code: string; signName: string; params?: string[] } | null;
  /** How many times the gateway has claimed this message (1 on the first submit). */
  attempts: number;
}

/**
 * One outcome per message:
 * - sent: the carrier took it; `refs` are its references, one per part where the carrier numbers
 *   parts (SMPP), else one. Receipts are matched by these.
 * - transient: not taken, try again (next carrier of the route, then a later attempt).
 * - permanent: refused for good (e.g. invalid number): undelivered, refunded. `code` defaults to "1".
 * - unknown: the request may have reached the carrier but no answer came (timeout, dropped socket).
 *   Never resubmitted blindly: reconciled by a receipt or a status query, else final as unknown.
 */
export type SubmitResult =
  | { id: string; outcome: "sent"; refs: string[] }
  | { id: string; outcome: "transient"; reason: string }
  | { id: string; outcome: "permanent"; reason: string; code?: DeliveryCode }
  | { id: string; outcome: "unknown"; reason: string };

/** A message the gateway asks a carrier about: its submit outcome was unknown, or its receipt is overdue. */
export interface QueryTarget {
  id: string;
  mobile: string;
  /** The references recorded at submit (empty when the submit's outcome was unknown). */
  refs: string[];
  submittedAt: number;
}

/**
 * What the carrier knows: never received it (safe to submit again), received and still pending
 * (`refs` learnt when the submit's answer was lost), or final with a delivery code.
 */
export type QueryResult =
  | { id: string; state: "not_found" }
  | { id: string; state: "pending"; refs?: string[] }
  | { id: string; state: "final"; code: DeliveryCode; refs?: string[] };

export interface Carrier {
  /** The carrier's name: stored in messages.carrier and used in /webhooks/carriers/{name}. */
  readonly name: string;
  readonly type: CarrierType;
  /**
   * Submits many messages in one call and answers one result per message (any order). A thrown
   * error means "transient for all of them".
   */
  submit(messages: OutboundMessage[]): Promise<SubmitResult[]>;
  /** Status by the gateway's own id, where the carrier can answer (a provider's query API, a bind's own records). */
  query?(targets: QueryTarget[]): Promise<QueryResult[]>;
}

/** A carrier as the adapters see it: its row with the secrets opened. */
export interface CarrierConfig<S = Record<string, unknown>> {
  name: string;
  type: CarrierType;
  enabled: boolean;
  /** Bumped on every change: binds and caches compare it to notice a changed configuration. */
  version: number;
  /** Parts per second across every Worker instance; null or absent = no cap. */
  maxTps?: number | null;
  /** The type's settings, secrets included (opened from their sealed form). */
  settings: S;
}

/**
 * What a carrier type registers (src/carriers/registry.ts lists them). The operator API takes the
 * settings under the type's own key (`{"type": "smpp", "smpp": {...}}`), validates them with
 * `settings` when saved, seals the `secrets` fields under SECRETS_KEY and never returns them.
 */
export interface CarrierKind<S extends z.ZodType = z.ZodType> {
  type: CarrierType;
  settings: S;
  /** Keys of the settings that are secrets: sealed at rest, never answered by any API. */
  secrets: readonly string[];
  /** Template-based providers need a mapping (edgesms template → provider template code and sign name) per carrier. */
  templated: boolean;
  /** How long after a submit a receipt is normally expected (the recovery sweep asks after this). */
  reportWindowMs: number;
  create(env: Env, config: CarrierConfig<z.output<S>>): Carrier;
  /**
   * The provider's own delivery-report and reply pushes at POST /webhooks/carriers/{name}: verify
   * them the provider's way and turn them into carrier events. A Response is the answer to give
   * at once (a refusal, or a provider's required acknowledgement shape). Carriers without one take
   * the edgesms JSON callback (X-Carrier-Secret).
   */
  callback?(req: Request, env: Env, config: CarrierConfig<z.output<S>>): Promise<{ events: CarrierEvents; ack: Response } | Response>;
  /**
   * Extra things a type does when its carrier is created (before = null: SMPP binds at once, so
   * replies can arrive before the first message), changed, disabled or deleted (after = null; SMPP unbinds).
   */
  onChange?(env: Env, before: CarrierConfig<z.output<S>> | null, after: CarrierConfig<z.output<S>> | null): Promise<void>;
  /** Live status for GET /admin/v1/carriers/{name}/status (SMPP: binds up, in flight, parts/s, last error). */
  status?(env: Env, config: CarrierConfig<z.output<S>>): Promise<Record<string, unknown>>;
}
