// The Carrier interface every carrier adapter implements (the simulator and real carriers alike).
import type { Channel } from "../core/types";

/** One message handed to a carrier. `id` is the idempotency key: a resubmit must not send twice. */
export interface OutboundMessage {
  id: string;
  tenantId: string;
  mobile: string; // E.164
  content: string;
  channel: Channel; // "voice": a verification code read out by a call
  segments: number;
  /** How many times the gateway has claimed this message (1 on the first submit). */
  attempts: number;
}

export type SubmitResult =
  | { id: string; ok: true; ref: string }
  | { id: string; ok: false; permanent: boolean; reason: string };

export interface Carrier {
  /** The name stored in messages.carrier and used in /webhooks/carriers/{name}. */
  readonly name: string;
  /**
   * Submits many messages in one call and answers one result per message (any order). A thrown
   * error means "transient for all of them": the gateway retries with backoff.
   */
  submit(messages: OutboundMessage[]): Promise<SubmitResult[]>;
}
