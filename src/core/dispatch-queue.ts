// Producer side of the dispatch queue: message ids travel in chunks, never one queue message per recipient.
import { z } from "zod";

export const DISPATCH_CHUNK = 100;

export const DispatchBody = z.object({ ids: z.array(z.string().regex(/^\d{1,24}$/)).min(1).max(DISPATCH_CHUNK) });
export type DispatchBody = z.infer<typeof DispatchBody>;

const MESSAGE_ID = /^\d{1,24}$/;

/**
 * DispatchBody's rules checked by hand, for the consumer: the bodies come from our own producer,
 * and zod's generic path (no compiled fast path where `new Function` is forbidden) cost a fifth of
 * the end-to-end CPU in docs/bench.md's profile. The same rules; null when any fails.
 */
export function readDispatchBody(body: unknown): DispatchBody | null {
  if (typeof body !== "object" || body === null) return null;
  const ids: unknown = (body as { ids?: unknown }).ids;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > DISPATCH_CHUNK) return null;
  for (const id of ids) if (typeof id !== "string" || !MESSAGE_ID.test(id)) return null;
  return { ids: ids as string[] };
}

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
