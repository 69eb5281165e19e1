// Shared helpers of the delivery-engine tests: a sending app, accepts, bounded polling of D1.
import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { vi } from "vitest";
import worker from "../../src/index";
import { acceptSend, type Draft } from "../../src/core/send";
import { getAppByKey } from "../helpers/domain";
import { updateApp } from "../../src/store/apps";
import { followRevision, makeCredential, makeTenant, makeSignature, mobile } from "../helpers/fixtures";
import type { App, Kind, Tenant } from "../../src/core/types";
import { tenantDb } from "../../src/store/db";

export interface Sender {
  tenant: Tenant;
  app: App;
  signature: string;
}

export async function sender(opts: { reportUrl?: string; replyUrl?: string; balance?: number } = {}): Promise<Sender> {
  const tenant = await makeTenant({ balance: opts.balance ?? 100_000, prices: { notification: 10, marketing: 10, verification: 10 } });
  const sig = await makeSignature(tenant);
  const cred = await makeCredential(tenant, "smsapi");
  if (opts.reportUrl || opts.replyUrl) {
    await updateApp(tenantDb(env, tenant.id), cred.app.id, { reportUrl: opts.reportUrl ?? null, replyUrl: opts.replyUrl ?? null }, Date.now());
    await followRevision(tenant);
  }
  const app = (await getAppByKey(env.DB, "smsapi", cred.app.key))!;
  return { tenant, app, signature: sig.name };
}

export const draft = (s: Sender, m = mobile(), text = "您的包裹已签收"): Draft => ({ mobile: m, text: `【${s.signature}】${text}`, signature: s.signature });

/** Accepts drafts; `scheduled` stores them for later so no queue message is sent (the test drives the consumer). */
export async function accept(s: Sender, mobiles: string[], opts: { kind?: Kind; scheduled?: boolean } = {}) {
  return acceptSend(env, mobiles.map((m) => draft(s, m)), {
    tenant: s.tenant,
    app: s.app,
    kind: opts.kind ?? "notification",
    mode: "each",
    ...(opts.scheduled ? { sendAt: Date.now() + 3_600_000 } : {}),
  });
}

/** Accepted as scheduled, then flipped to queued in D1: queued rows that no queue message names. */
export async function queuedIds(s: Sender, mobiles: string[], kind: Kind = "notification"): Promise<string[]> {
  const res = await accept(s, mobiles, { scheduled: true, kind });
  const ids = res.items.filter((i) => i.ok).map((i) => i.messageId);
  await env.DB.prepare("UPDATE messages SET status = 'queued' WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(ids)).run();
  return ids;
}

export async function rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
  return (await env.DB.prepare(sql).bind(...params).all<T>()).results;
}

export async function messagesOf(ids: string[]) {
  return rows<{ id: string; status: string; result_code: string | null; carrier_ref: string | null; attempts: number }>(
    "SELECT id, status, result_code, carrier_ref, attempts FROM messages WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
    JSON.stringify(ids),
  );
}

/** Polls until `check` returns a truthy value (or throws after `ms`). */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, ms = 15_000, what = "condition"): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A special simulator number: 1390000 + the 4-digit rule suffix. */
export const special = (suffix: string): string => `1390000${suffix}`;

/**
 * Runs the real consumer (with `overrides` on the env, e.g. another carrier); the harness records
 * retry() but not its options, so those are captured too.
 */
export async function runQueue(queue: string, messages: Array<{ id: string; attempts: number; body: unknown }>, overrides: Partial<Env> = {}) {
  const batch = createMessageBatch(queue, messages.map((m) => ({ ...m, timestamp: new Date() })));
  const delays = new Map<string, number | undefined>();
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    vi.spyOn(m, "retry").mockImplementation((o?: QueueRetryOptions) => (delays.set(m.id, o?.delaySeconds), retry(o)));
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...overrides }, ctx);
  const res = await getQueueResult(batch, ctx);
  return { ...res, retryMessages: (res.retryMessages as Array<{ msgId: string }>).map((r) => ({ ...r, ...(delays.get(r.msgId) !== undefined ? { delaySeconds: delays.get(r.msgId) } : {}) })) };
}


export interface Hook {
  url: string;
  init: RequestInit;
  body: string;
}

/**
 * Mocks only the customer's receiver (https://hooks.example.com/…) at the network edge; `answer`
 * decides each response (or throws, like a network failure). Everything else goes to the real fetch.
 */
export function mockReceiver(answer: (call: Hook, n: number) => Response | Promise<Response>): Hook[] {
  const calls: Hook[] = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith("https://hooks.example.com/")) return realFetch(input, init);
    const call = { url, init: init!, body: String(init!.body) };
    calls.push(call);
    return answer(call, calls.length);
  });
  return calls;
}

export async function hmacHex(key: string, msg: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(msg)))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  topic: string;
  url: string;
}

export const deliveriesOf = (tenantId: string) =>
  rows<DeliveryRow>("SELECT id, status, attempts, last_error, topic, url FROM webhook_deliveries WHERE tenant_id = ?1 ORDER BY created_at", tenantId);
