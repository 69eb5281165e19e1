// Producer side of the dispatch queue: message ids travel in chunks, never one queue message per recipient.
import { z } from "zod";

export const DISPATCH_CHUNK = 100;

export const DispatchBody = z.object({ ids: z.array(z.string().regex(/^\d{1,24}$/)).min(1).max(DISPATCH_CHUNK) });
export type DispatchBody = z.infer<typeof DispatchBody>;

/**
 * Enqueues ids for dispatch. A failure here is logged, not thrown: the messages are already
 * committed as 'queued', and the cron sweep re-enqueues anything left queued too long.
 */
export async function enqueueDispatch(env: Env, ids: string[], delaySeconds = 0): Promise<void> {
  const bodies: { body: DispatchBody; delaySeconds?: number }[] = [];
  for (let i = 0; i < ids.length; i += DISPATCH_CHUNK) {
    bodies.push({ body: { ids: ids.slice(i, i + DISPATCH_CHUNK) }, ...(delaySeconds > 0 ? { delaySeconds } : {}) });
  }
  try {
    // sendBatch takes at most 100 messages per call.
    for (let i = 0; i < bodies.length; i += 100) await env.DISPATCH_QUEUE.sendBatch(bodies.slice(i, i + 100));
  } catch (e) {
    console.error(JSON.stringify({ event: "enqueue_failed", count: ids.length, error: String(e) }));
  }
}
