// Producer side of the dispatch queue: message ids travel in chunks, never one queue message per recipient.
import { z } from "zod";

export const DISPATCH_CHUNK = 100;

/**
 * `tenant` is the tenant every id belongs to: the consumer claims them through that tenant's
 * database (store/db.ts `tenantDb`). Bodies queued before it existed have none: the consumer then
 * looks the ids' tenants up once in the directory (jobs/dispatch.ts).
 */
export const DispatchBody = z.object({
  tenant: z.string().min(1).max(100).optional(),
  ids: z.array(z.string().regex(/^\d{1,24}$/)).min(1).max(DISPATCH_CHUNK),
});
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
  const tenant: unknown = (body as { tenant?: unknown }).tenant;
  if (tenant === undefined) return { ids: ids as string[] };
  if (typeof tenant !== "string" || tenant.length < 1 || tenant.length > 100) return null;
  return { tenant, ids: ids as string[] };
}

/**
 * Enqueues one tenant's ids for dispatch. A failure here is logged, not thrown: the messages are
 * already committed as 'queued', and the cron sweep re-enqueues anything left queued too long.
 */
export async function enqueueDispatch(env: Env, tenantId: string, ids: string[], delaySeconds = 0): Promise<void> {
  await sendBodies(env, bodiesOf(tenantId, ids, delaySeconds), ids.length);
}

/** Enqueues messages of several tenants (the sweeps' rows): one body never mixes tenants. */
export async function enqueueDispatchRows(env: Env, rows: ReadonlyArray<{ id: string; tenant_id: string }>): Promise<void> {
  const byTenant = new Map<string, string[]>();
  for (const r of rows) byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), r.id]);
  await sendBodies(env, [...byTenant].flatMap(([tenantId, ids]) => bodiesOf(tenantId, ids, 0)), rows.length);
}

type Outgoing = { body: DispatchBody; delaySeconds?: number };

function bodiesOf(tenant: string, ids: string[], delaySeconds: number): Outgoing[] {
  const bodies: Outgoing[] = [];
  for (let i = 0; i < ids.length; i += DISPATCH_CHUNK) {
    bodies.push({ body: { tenant, ids: ids.slice(i, i + DISPATCH_CHUNK) }, ...(delaySeconds > 0 ? { delaySeconds } : {}) });
  }
  return bodies;
}

async function sendBodies(env: Env, bodies: Outgoing[], count: number): Promise<void> {
  try {
    // sendBatch takes at most 100 messages per call.
    for (let i = 0; i < bodies.length; i += 100) await env.DISPATCH_QUEUE.sendBatch(bodies.slice(i, i + 100));
  } catch (e) {
    console.error(JSON.stringify({ event: "enqueue_failed", count, error: String(e) }));
  }
}
