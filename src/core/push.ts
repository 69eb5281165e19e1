// What a push to a customer's URL carries, and how each dialect shapes it. The delivery engine
// groups ready reports/replies per app and asks that app's dialect format for the request body.
import type { App, Tenant } from "./types";

export type { ReportItem, ReplyItem } from "../store/pulls";
import type { ReplyItem, ReportItem } from "../store/pulls";

/** The verdict on a template or signature the tenant submitted for review. */
export interface ReviewItem {
  subject: "template" | "signature";
  id: number;
  status: "approved" | "rejected";
  note: string | null;
  reviewedAt: number;
}

export type { PushTopic } from "../store/columns";
import type { PushTopic } from "../store/columns";
export type PushItems = ReportItem[] | ReplyItem[] | ReviewItem[];

export interface PushRequest {
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface PushFormat {
  /** Builds the request body for a group of items of one topic (several per push where ready together). */
  build(
    topic: PushTopic,
    items: PushItems,
    ctx: { env: Env; tenant: Tenant; app: App },
  ): Promise<PushRequest>;
  /** Most items one push may carry (default 100); 1 for vendors that post one event per request. */
  maxItems?: number;
  /** Whether the receiver's answer acknowledges the push (default: any 2xx). */
  acknowledged?(status: number, body: string): boolean;
  /** Topics this dialect's customers are told about (default reports and replies; reviews only where the vendor pushes them). */
  topics?: readonly PushTopic[];
  /** Seconds before each retry (default the engine's schedule); the vendor's documented one where it has one. */
  retryDelays?: readonly number[];
  /** Checks a callback URL before it is saved (e.g. a vendor's echo handshake): null when it passes, else why not. */
  verifyUrl?(env: Env, url: string): Promise<string | null>;
}
