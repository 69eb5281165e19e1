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

const CODES: ReadonlySet<unknown> = new Set(codes);
const MESSAGE_ID = /^\d{1,24}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** CarrierReport's rules by hand (see readCarrierEventsBody). */
function isReport(r: unknown): r is CarrierReport {
  if (!isObject(r)) return false;
  const { ref, message_id, code, segments, reported_at } = r;
  if (ref === undefined && message_id === undefined) return false;
  if (ref !== undefined && (typeof ref !== "string" || ref.length < 1 || ref.length > 128)) return false;
  if (message_id !== undefined && (typeof message_id !== "string" || !MESSAGE_ID.test(message_id))) return false;
  if (!CODES.has(code)) return false;
  if (segments !== undefined && !(Number.isSafeInteger(segments) && (segments as number) >= 1 && (segments as number) <= 255)) return false;
  return reported_at === undefined || (Number.isSafeInteger(reported_at) && (reported_at as number) > 0);
}

/**
 * CarrierEventsBody for the queue consumer: the reports' rules checked by hand, because the
 * bodies are our own producers' and zod's generic path per report object was a fifth of the
 * end-to-end CPU (docs/bench.md). Bodies with replies (rare) go through the schema itself.
 * Carrier callbacks from outside keep zod. Null when the body breaks a rule.
 */
export function readCarrierEventsBody(body: unknown): CarrierEventsBody | null {
  if (!isObject(body) || !isObject(body.events)) return null;
  const { carrier } = body;
  const { reports = [], replies = [] } = body.events;
  if (!Array.isArray(replies) || replies.length > 0) {
    const parsed = CarrierEventsBody.safeParse(body);
    return parsed.success ? parsed.data : null;
  }
  if (typeof carrier !== "string" || carrier.length < 1 || carrier.length > 32) return null;
  if (!Array.isArray(reports) || reports.length > 5000 || !reports.every(isReport)) return null;
  return { carrier, events: { reports, replies: [] } };
}

/** Reports per queue message: ~60 bytes each keeps a message far below the 128 KB limit. */
export const REPORTS_PER_EVENT = 500;

/** What one sendBatch may carry: 100 messages and 256 KB in all (Cloudflare Queues limits). */
const SEND_BATCH_MESSAGES = 100;
const SEND_BATCH_BYTES = 230 * 1024;
const utf8 = new TextEncoder();

/**
 * Sends `bodies` in as few sendBatch calls as the limits allow. The byte limit is the one that
 * bites: a dispatch run of 10,000 ids posts ~600 KB of reports, and a refused sendBatch failed the
 * whole hand-over (docs/bench.md, dispatch batch size). Sizes are the bodies' UTF-8 JSON, with
 * a tenth of the limit left for the envelope and the serialisation's overhead.
 */
async function sendInBatches(queue: Queue, bodies: MessageSendRequest<CarrierEventsBody>[]): Promise<void> {
  let batch: MessageSendRequest<CarrierEventsBody>[] = [];
  let bytes = 0;
  for (const b of bodies) {
    const size = utf8.encode(JSON.stringify(b.body)).length + 64;
    if (batch.length > 0 && (batch.length === SEND_BATCH_MESSAGES || bytes + size > SEND_BATCH_BYTES)) {
      await queue.sendBatch(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(b);
    bytes += size;
  }
  if (batch.length > 0) await queue.sendBatch(batch);
}

/** Enqueues reports in chunks, all with the same delay. */
export async function enqueueReports(env: Env, carrier: string, reports: CarrierReport[], delaySeconds: number): Promise<void> {
  const bodies: MessageSendRequest<CarrierEventsBody>[] = [];
  for (let i = 0; i < reports.length; i += REPORTS_PER_EVENT) {
    bodies.push({
      body: { carrier, events: { reports: reports.slice(i, i + REPORTS_PER_EVENT), replies: [] } },
      ...(delaySeconds > 0 ? { delaySeconds } : {}),
    });
  }
  await sendInBatches(env.CARRIER_EVENTS_QUEUE, bodies);
}

/** Enqueues a carrier's events (SMPP receipts and replies) now; resolves once the queue took them all. */
export async function enqueueEvents(env: Env, carrier: string, events: CarrierEvents): Promise<void> {
  const bodies: MessageSendRequest<CarrierEventsBody>[] = [];
  for (let i = 0; i < events.reports.length; i += REPORTS_PER_EVENT) {
    bodies.push({ body: { carrier, events: { reports: events.reports.slice(i, i + REPORTS_PER_EVENT), replies: [] } } });
  }
  if (events.replies.length > 0) bodies.push({ body: { carrier, events: { reports: [], replies: events.replies } } });
  await sendInBatches(env.CARRIER_EVENTS_QUEUE, bodies);
}
