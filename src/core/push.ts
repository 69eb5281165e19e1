// What a push to a customer's URL carries, and how each dialect shapes it. The delivery engine
// groups ready reports/replies per app and asks that app's dialect format for the request body.
import type { App, Dialect, Tenant } from "./types";

/** A final delivery status, ready to be told to the customer. Times are epoch ms. */
export interface ReportItem {
  reportId: number;
  messageId: string;
  batchId: string;
  mobile: string; // E.164
  signature: string | null;
  code: string; // delivery code: '10000' delivered, '1'..'9' otherwise (paasw's list)
  message: string;
  segments: number;
  sentAt: number;
  reportedAt: number;
}

/** A reply (MO) from a handset. */
export interface ReplyItem {
  replyId: number; // paasw's sequenceId
  mobile: string; // E.164
  content: string;
  signature: string | null;
  extension: string | null;
  receivedAt: number;
}

export type PushTopic = "reports" | "replies";

export interface PushRequest {
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface PushFormat {
  /** Builds the request body for a group of items of one topic (several per push where ready together). */
  build(
    topic: PushTopic,
    items: ReportItem[] | ReplyItem[],
    ctx: { env: Env; tenant: Tenant; app: App },
  ): Promise<PushRequest>;
  /** Most items one push may carry (default 100); 1 for vendors that post one event per request. */
  maxItems?: number;
  /** Whether the receiver's answer acknowledges the push (default: any 2xx). */
  acknowledged?(status: number, body: string): boolean;
}

export type PushFormats = Partial<Record<Dialect, PushFormat>>;
