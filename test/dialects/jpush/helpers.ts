// JPush test helpers: a fresh tenant with a jpush app, an approved signature and templates of each
// kind, requests made the way the official SDKs make them, and the code read back from D1.
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { getMessage } from "../../helpers/domain";
import { makeCredential, makeSignature, makeTemplate, makeTenant } from "../../helpers/fixtures";
import type { Tenant } from "../../../src/core/types";
import { tenantDb } from "../../../src/store/db";

export interface JpushSetup {
  tenant: Tenant;
  appId: string;
  appKey: string;
  secret: string;
  auth: string;
  sign: { id: number; name: string };
  /** Approved templates: "您的验证码是{{code}}，5分钟内有效", "您的快递{{number}}已到{{place}}", "{{name}}，周末全场5折，回TD退订". */
  codeTpl: number;
  noticeTpl: number;
  marketingTpl: number;
}

export interface SetupOptions {
  balance?: number;
  price?: number;
  settings?: Record<string, unknown>;
  codeLength?: number;
  ttl?: number;
}

/** A fresh tenant with a jpush app (Basic appKey:masterSecret), an approved signature and one approved template of each kind. */
export async function setup(opts: SetupOptions = {}): Promise<JpushSetup> {
  const price = opts.price ?? 10;
  const tenant = await makeTenant({
    balance: opts.balance ?? 100_000,
    settings: opts.settings,
    prices: { notification: price, verification: price, marketing: price },
  });
  const cred = await makeCredential(tenant, "jpush");
  const sign = await makeSignature(tenant);
  const codeTpl = await makeTemplate(tenant, {
    kind: "verification",
    content: "您的验证码是{{code}}，5分钟内有效",
    signatureId: sign.id,
    codeLength: opts.codeLength ?? 6,
    ttl: opts.ttl ?? 300,
  });
  const noticeTpl = await makeTemplate(tenant, { kind: "notification", content: "您的快递{{number}}已到{{place}}", signatureId: sign.id });
  const marketingTpl = await makeTemplate(tenant, { kind: "marketing", content: "{{name}}，周末全场5折，回TD退订", signatureId: sign.id });
  return {
    tenant,
    appId: cred.app.id,
    appKey: cred.app.key,
    secret: cred.secret,
    auth: basic(cred.app.key, cred.secret),
    sign,
    codeTpl,
    noticeTpl,
    marketingTpl,
  };
}

export const basic = (key: string, secret: string): string => `Basic ${btoa(`${key}:${secret}`)}`;

export type Json = Record<string, any>;

export interface CallOptions {
  /** The Authorization header: default `s.auth`; null sends none. */
  auth?: string | null;
  /** Headers to add, or to drop (null), e.g. the default JSON content type. */
  headers?: Record<string, string | null>;
}

export interface Answer {
  status: number;
  /** Not enumerable, so that `toEqual({ status, body })` compares what the document shows. */
  headers: Headers;
  /** Parsed when it is JSON; otherwise the text ("" for an empty body). */
  body: Json;
}

/** Bodies sent exactly as given: multipart bytes built by hand, or a form the runtime encodes. */
type RawBody = Uint8Array | FormData;

/**
 * One request as the official SDKs make it (`Content-Type: application/json` always, Basic auth of `s`'s app)
 * through the Worker's fetch. `body` is sent as is when it is a string or raw bytes, else as JSON; a FormData
 * goes with the multipart type and boundary the runtime writes for it.
 */
export async function call(s: Pick<JpushSetup, "auth"> | null, method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<Answer> {
  const h = new Headers(body instanceof FormData ? {} : { "content-type": "application/json" });
  const auth = opts.auth !== undefined ? opts.auth : (s?.auth ?? null);
  if (auth !== null) h.set("authorization", auth);
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (v === null) h.delete(k);
    else h.set(k, v);
  }
  const res = await exports.default.fetch(`http://gw${path}`, {
    method,
    headers: h,
    // Bytes, so that fetch adds no Content-Type of its own (a string body would get text/plain).
    body: body === undefined ? undefined : isRaw(body) ? body : new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body)),
  });
  const text = await res.text();
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    parsed = text as unknown as Json;
  }
  const answer = { status: res.status, body: parsed } as Answer;
  Object.defineProperty(answer, "headers", { value: res.headers, enumerable: false });
  return answer;
}

const isRaw = (body: unknown): body is RawBody => body instanceof Uint8Array || body instanceof FormData;

/** What the simulator's handset `mobile` received as message `msgId` (polled: delivery is asynchronous). */
export async function received(mobile: string, msgId: string, timeoutMs = 15_000): Promise<{ channel: string; content: string }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await call(null, "GET", `/simulator/v1/inbox/${encodeURIComponent(mobile)}?limit=100`);
    const messages = (body.messages ?? []) as Array<{ message_id: string; channel: string; content: string }>;
    const hit = messages.find((m) => m.message_id === msgId);
    if (hit) return hit;
    if (Date.now() > until) throw new Error(`message ${msgId} did not reach ${mobile}'s inbox within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The code a message carries, as the handset shows it in the simulator's inbox. */
export async function codeOf(s: JpushSetup, msgId: string): Promise<string> {
  const msg = await getMessage(tenantDb(env, s.tenant.id), msgId);
  if (!msg) throw new Error(`message ${msgId} not found`);
  const { content } = await received(msg.mobile, msgId);
  const m = content.replace(/\s+/g, "").match(/(?:验证码是|codeis)(\d{4,8})/);
  if (!m) throw new Error(`no code in ${content}`);
  return m[1]!;
}

/** POST /v1/codes/{msg_id}/valid with the code the user typed. */
export const valid = (s: Pick<JpushSetup, "auth">, msgId: string, code: unknown): Promise<Answer> => call(s, "POST", `/v1/codes/${msgId}/valid`, { code });

/** A different code of the same length. */
export const wrong = (code: string): string => code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10);

/**
 * The signature JPush's callback document puts on every push (SHA-1 hex over appKey, masterSecret and the
 * form's nonce and timestamp), computed here independently of src so that a wrong one fails.
 */
export async function callbackSignature(appKey: string, masterSecret: string, form: URLSearchParams): Promise<string> {
  const text = `appKey=${appKey}&appMasterSecret=${masterSecret}&nonce=${form.get("nonce")}&timestamp=${form.get("timestamp")}`;
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The document's error shape with `code`, for toEqual. */
export const err = (code: number) => ({ error: { code, message: expect.any(String) } });
