// What the three HTTP provider adapters (aliyun/, tencent/, twilio/) share: endpoint validation,
// one outbound call with a deadline that tells "never left" from "may have left", HMAC helpers,
// token-authenticated callback URLs, and the grouping of a dispatch batch into provider calls.
import { z } from "zod";
import { digestsEqual, sha256Hex } from "../core/crypto";
import type { Carrier, CarrierType, OutboundMessage, SubmitResult } from "./types";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** A provider address: https, or plain http only to a loopback host (local fakes and tunnels). */
const parsedUrl = (s: string): URL | null => {
  try {
    return new URL(s);
  } catch {
    return null;
  }
};

export const ProviderUrl = z
  .string()
  .max(300)
  .refine((s) => parsedUrl(s) !== null, { message: "not a URL", abort: true })
  .refine(
    (s) => {
      const u = parsedUrl(s)!;
      return u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK.has(u.hostname));
    },
    { message: "must be https (plain http only to 127.0.0.1, localhost or [::1])" },
  )
  .refine((s) => {
    const u = parsedUrl(s)!;
    return !u.username && !u.password && !u.hash;
  }, { message: "no credentials or fragment in the URL" });

/** Per-call deadline: long enough for a provider's slow answer, short enough to fail over within a dispatch. */
export const TimeoutMs = z.number().int().min(100).max(15_000);

/**
 * No provider call starts later than this after a submit began: with the per-call timeout (at most
 * 15 s) a submit ends within 35 s, inside dispatch's claim lease (60 s), so no other run can claim
 * and send the same messages while a call is still out. Messages not started by then are transient.
 */
export const SUBMIT_BUDGET_MS = 20_000;

export type CallOutcome =
  | { kind: "answer"; status: number; text: string; headers: Headers }
  | { kind: "not_sent"; reason: string }
  | { kind: "unknown"; reason: string };

/**
 * One request with a deadline. A deadline that passes, or a connection lost once the request was
 * written, is "unknown" (the provider may have acted on it); a failure to reach the host at all
 * (refused, DNS) is "not_sent", which is safe to try elsewhere.
 */
export async function callProvider(url: string, init: RequestInit, timeoutMs: number): Promise<CallOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal, redirect: "manual" });
  } catch (e) {
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    if (signal.aborted) return { kind: "unknown", reason: `no answer within ${timeoutMs} ms` };
    return neverLeft(reason) ? { kind: "not_sent", reason } : { kind: "unknown", reason };
  }
  try {
    return { kind: "answer", status: res.status, text: await res.text(), headers: res.headers };
  } catch (e) {
    // The status line arrived: the provider has the request, only its answer was lost.
    return { kind: "unknown", reason: signal.aborted ? `answer not complete within ${timeoutMs} ms` : `answer lost: ${String(e)}` };
  }
}

/** Errors the runtime raises before any byte of the request reached the provider. */
const neverLeft = (reason: string): boolean => /refused|ECONNREFUSED|DNS|resolve|getaddrinfo|No such host|invalid URL/i.test(reason);

export const parseJsonText = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const enc = new TextEncoder();

export async function hmac(hash: "SHA-1" | "SHA-256", key: string | Uint8Array, message: string): Promise<Uint8Array> {
  const raw = typeof key === "string" ? enc.encode(key) : key;
  const k = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(message)));
}

export const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export const toBase64 = (b: Uint8Array): string => btoa(String.fromCharCode(...b));

/** Both sides hashed first, so the comparison is constant-time whatever the lengths. */
export async function sameSecret(presented: string | null, expected: string): Promise<boolean> {
  if (presented === null || expected === "") return false;
  return digestsEqual(await sha256Hex(presented), await sha256Hex(expected));
}

/**
 * Callback token for providers that do not sign their pushes (Aliyun, Tencent): the push URL
 * configured at the provider carries `?token=<callbackToken>`; anything else is refused.
 */
export async function tokenOk(req: Request, token: string): Promise<boolean> {
  return sameSecret(new URL(req.url).searchParams.get("token"), token);
}

/**
 * The id (or id range) a provider call carries as its own reference (Aliyun OutId, Tencent
 * SessionContext): one id, or "first-last" of the call's ids. A batch's ids are consecutive
 * (core/ids.ts), so a grouped call is a short range; `idInTag` tells whether an id belongs.
 */
export function idTag(ids: string[]): string {
  const sorted = [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  return sorted.length === 1 ? sorted[0]! : `${sorted[0]}-${sorted[sorted.length - 1]}`;
}

export function idInTag(id: string, tag: string | null | undefined): boolean {
  if (!tag || !/^\d{1,24}$/.test(id)) return false;
  const m = /^(\d{1,24})(?:-(\d{1,24}))?$/.exec(tag);
  if (!m) return false;
  if (m[2] === undefined) return m[1] === id;
  const v = BigInt(id);
  return v >= BigInt(m[1]!) && v <= BigInt(m[2]!);
}

/**
 * Messages share a call only within one block of 2^20 ids: a batch's ids are consecutive, so its
 * messages stay together while the call's range (first-last) stays tight enough that no other
 * message to the same number is likely to fall inside it.
 */
export const idBlock = (id: string): string => (BigInt(id) >> 20n).toString();

/** The message id a tag names exactly (a single-id call), else undefined. */
export const singleIdOf = (tag: string | null | undefined): string | undefined => (tag && /^\d{1,24}$/.test(tag) ? tag : undefined);

/**
 * Splits messages into calls: same `key`, at most `max` per call, and a mobile at most once per
 * call (a provider's per-call reference is per number, so two messages to one number in one
 * call could not be told apart).
 */
export function groupCalls<T extends { mobile: string }>(items: T[], key: (m: T) => string, max: number): T[][] {
  const open = new Map<string, { list: T[]; mobiles: Set<string> }[]>();
  const calls: T[][] = [];
  for (const m of items) {
    const k = key(m);
    const buckets = open.get(k) ?? [];
    let b = buckets.find((x) => x.list.length < max && !x.mobiles.has(m.mobile));
    if (!b) {
      b = { list: [], mobiles: new Set() };
      buckets.push(b);
      calls.push(b.list);
      open.set(k, buckets);
    }
    b.list.push(m);
    b.mobiles.add(m.mobile);
  }
  return calls;
}

/**
 * Runs `fn` over `items` with at most `limit` in flight; with a budget, an item not started by
 * `budget.until` gets `budget.late(item)` instead.
 */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>, budget?: { until: number; late: (item: T) => R }): Promise<R[]> {
  const out = new Array<R>(items.length);
  const end = budget ? budget.until : Infinity;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = Date.now() > end ? budget!.late(items[i]!) : await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** When a submit starting now must have started its last call (SUBMIT_BUDGET_MS). */
export const submitDeadline = (): number => Date.now() + SUBMIT_BUDGET_MS;

/**
 * The shape of a batched provider submit: messages a precheck refuses answer at once, the rest are
 * planned into calls that run `concurrency` at a time within the submit's deadline; a call not
 * started by then answers transient for its messages (nothing was sent).
 */
export async function submitInCalls<C>(
  provider: string,
  messages: OutboundMessage[],
  opts: {
    precheck: (m: OutboundMessage) => SubmitResult | null;
    plan: (ok: OutboundMessage[]) => C[];
    messagesOf: (call: C) => OutboundMessage[];
    call: (call: C, until: number) => Promise<SubmitResult[]>;
    concurrency: number;
  },
): Promise<SubmitResult[]> {
  const results: SubmitResult[] = [];
  const ok: OutboundMessage[] = [];
  for (const m of messages) {
    const r = opts.precheck(m);
    if (r) results.push(r);
    else ok.push(m);
  }
  const until = submitDeadline();
  const calls = await pool(opts.plan(ok), opts.concurrency, (c) => opts.call(c, until), { until, late: (c) => lateResults(provider, opts.messagesOf(c)) });
  for (const r of calls) results.push(...r);
  return results;
}

/** Messages whose call did not start within the submit's budget: never sent, another carrier may take them. */
export const lateResults = (provider: string, messages: OutboundMessage[]): SubmitResult[] =>
  messages.map((m) => ({ id: m.id, outcome: "transient" as const, reason: `${provider}: not sent, this submit's ${SUBMIT_BUDGET_MS / 1000} s budget ran out` }));

/** The same outcome for every message of a call. */
export function allOf(messages: OutboundMessage[], outcome: "transient" | "unknown", reason: string): SubmitResult[] {
  return messages.map((m) => ({ id: m.id, outcome, reason }));
}

/** Messages a templated provider cannot take at all (no mapping, a voice call): another carrier may. */
export function notForTemplated(m: OutboundMessage): string | null {
  if (m.channel === "voice") return "this provider sends SMS only, not voice calls";
  if (!m.providerTemplate) return "no template mapping for this carrier (PUT /admin/v1/carriers/{name}/templates)";
  return null;
}

/**
 * How a provider reply is routed: by the extension it was sent to (ours: the signature id set as
 * SmsUpExtendCode / ExtendCode), else by the provider's sign name (the same name as the edgesms
 * signature where the operator registered it so), else to the tenant that last messaged the mobile.
 */
export function replyRoute(ext: string | null | undefined, sign: string | null | undefined): { extension?: string; signature?: string } {
  if (ext && /^\d{1,20}$/.test(ext)) return { extension: ext };
  const name = sign?.trim();
  return name ? { signature: name } : {};
}

/** A provider's "YYYY-MM-DD HH:mm:ss" in China time (UTC+8) as epoch ms, or undefined. */
export function chinaTime(s: unknown): number | undefined {
  if (typeof s !== "string") return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - 8 * 3600_000;
  return Number.isFinite(t) && t > 0 ? t : undefined;
}

/** Reads a small request body as text (callbacks are small: 1 MB is far above any provider batch). */
export async function callbackText(req: Request): Promise<string | null> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > 1024 * 1024) return null;
  // Decoded from bytes: the providers post forms (application/x-www-form-urlencoded), which the
  // runtime warns about when read with text(); UTF-8 is what every provider's callback is in.
  const bytes = await req.arrayBuffer();
  return bytes.byteLength > 1024 * 1024 ? null : new TextDecoder().decode(bytes);
}

/**
 * The settings as the adapter uses them: parsed again (defaults filled, rows written before a
 * schema change re-checked). A row that no longer parses makes every submit transient, so its
 * messages fail over instead of reaching a provider with a half-valid configuration.
 */
export function parsedSettings<S extends z.ZodType>(schema: S, raw: unknown): { ok: true; value: z.output<S> } | { ok: false; reason: string } {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, reason: `invalid settings: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` };
}

/** A carrier whose settings do not parse: nothing is sent, every message may go elsewhere. */
export function brokenCarrier(name: string, type: CarrierType, reason: string): Carrier {
  return {
    name,
    type,
    async submit(messages) {
      return messages.map((m) => ({ id: m.id, outcome: "transient" as const, reason: `${name}: ${reason}` }));
    },
    async query(targets) {
      return targets.map((t) => ({ id: t.id, state: "pending" as const }));
    },
  };
}

/** What GET /admin/v1/carriers/{name}/status shows of a provider: one read-only signed call, timed. */
export interface ProbeResult {
  endpoint: string;
  probe: { ok: boolean; latency_ms: number; answer: string };
}

export async function timedProbe(endpoint: string, run: () => Promise<{ ok: boolean; answer: string }>): Promise<ProbeResult> {
  const t0 = Date.now();
  const r = await run();
  return { endpoint, probe: { ok: r.ok, latency_ms: Date.now() - t0, answer: r.answer.slice(0, 200) } };
}
