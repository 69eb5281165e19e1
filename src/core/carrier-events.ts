// The shape of carrier events (delivery reports and replies), shared by the HTTP callback route and
// the carrier-events queue, validated with zod at both boundaries.
import { z } from "zod";
import { DELIVERY_CODES, type DeliveryCode } from "./types";

const codes = Object.keys(DELIVERY_CODES) as [DeliveryCode, ...DeliveryCode[]];

export const CarrierReport = z
  .object({
    ref: z.string().min(1).max(128).optional().describe("the carrier's reference returned at submit"),
    message_id: z.string().regex(/^\d{1,24}$/).optional().describe("the gateway message id (the submit's idempotency key)"),
    code: z.enum(codes).describe("delivery code: 10000 delivered; 1,4,5,6,7,8,9 undelivered (paasw's list)"),
    segments: z.number().int().min(1).max(255).optional(),
    reported_at: z.number().int().positive().optional().describe("epoch ms; default: when received"),
  })
  .refine((r) => r.ref !== undefined || r.message_id !== undefined, { message: "ref or message_id is required" });
export type CarrierReport = z.infer<typeof CarrierReport>;

export const CarrierReply = z
  .object({
    ref: z.string().min(1).max(128).describe("the carrier's unique id of this reply (de-duplicates retries)"),
    mobile: z.string().min(1).max(32),
    content: z.string().min(1).max(1000),
    signature: z.string().min(1).max(64).optional().describe("the 【signature】 the reply answers"),
    extension: z.string().regex(/^\d{1,20}$/).optional().describe("the extension (sub-port) the reply was sent to"),
    received_at: z.number().int().positive().optional(),
  })
  .describe("routed by signature, else by extension, else to the tenant that last messaged the mobile through this carrier");
export type CarrierReply = z.infer<typeof CarrierReply>;

export const CarrierEvents = z.object({
  reports: z.array(CarrierReport).max(5000).default([]),
  replies: z.array(CarrierReply).max(1000).default([]),
});
export type CarrierEvents = z.infer<typeof CarrierEvents>;

/** Body of a message on CARRIER_EVENTS_QUEUE. */
export const CarrierEventsBody = z.object({ carrier: z.string().min(1).max(32), events: CarrierEvents });
export type CarrierEventsBody = z.infer<typeof CarrierEventsBody>;

/** Reports per queue message: ~60 bytes each keeps a message far below the 128 KB limit. */
export const REPORTS_PER_EVENT = 500;

/** Enqueues reports in chunks, all with the same delay. */
export async function enqueueReports(env: Env, carrier: string, reports: CarrierReport[], delaySeconds: number): Promise<void> {
  const bodies: MessageSendRequest<CarrierEventsBody>[] = [];
  for (let i = 0; i < reports.length; i += REPORTS_PER_EVENT) {
    bodies.push({
      body: { carrier, events: { reports: reports.slice(i, i + REPORTS_PER_EVENT), replies: [] } },
      ...(delaySeconds > 0 ? { delaySeconds } : {}),
    });
  }
  for (let i = 0; i < bodies.length; i += 100) await env.CARRIER_EVENTS_QUEUE.sendBatch(bodies.slice(i, i + 100));
}

/** Enqueues a carrier's events (SMPP receipts and replies) now; resolves once the queue took them all. */
export async function enqueueEvents(env: Env, carrier: string, events: CarrierEvents): Promise<void> {
  const bodies: MessageSendRequest<CarrierEventsBody>[] = [];
  for (let i = 0; i < events.reports.length; i += REPORTS_PER_EVENT) {
    bodies.push({ body: { carrier, events: { reports: events.reports.slice(i, i + REPORTS_PER_EVENT), replies: [] } } });
  }
  if (events.replies.length > 0) bodies.push({ body: { carrier, events: { reports: [], replies: events.replies } } });
  for (let i = 0; i < bodies.length; i += 100) await env.CARRIER_EVENTS_QUEUE.sendBatch(bodies.slice(i, i + 100));
}
