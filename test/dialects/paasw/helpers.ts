// paasw test helpers, the shape every dialect's tests share: `setup()` makes a fresh tenant with a
// paasw app, an approved signature and a token fetched through the real /api/token, and `call()`
// sends parameters in the query, a form or JSON (or a raw body) through the real Worker and answers
// {status, headers, body}; `expectOk`/`expectRefused` check the answer's envelope.
import { env, exports } from "cloudflare:workers";
import { applyReplies } from "../../../src/core/delivery";
import { expect, vi } from "vitest";
import { updateApp } from "../../../src/store/apps";
import { tenantDb } from "../../../src/store/db";
import { makeCredential, makeSignature, makeTenant, mobile } from "../../helpers/fixtures";
import { randomDigits } from "../../../src/core/crypto";
import type { Tenant } from "../../../src/core/types";

export type Json = Record<string, any>;
export type Form = "query" | "form" | "json";
export const FORMS: Form[] = ["query", "form", "json"];

export interface PaaswSetup {
  tenant: Tenant;
  appId: string;
  appKey: string;
  secret: string;
  token: string;
  sign: { id: number; uid: string; name: string };
}

export interface SetupOptions {
  balance?: number;
  price?: number;
  kinds?: string;
  timezone?: string;
}

export async function setup(opts: SetupOptions = {}): Promise<PaaswSetup> {
  const price = opts.price ?? 10;
  const tenant = await makeTenant({
    balance: opts.balance ?? 100_000,
    prices: { notification: price, verification: price, marketing: price },
    ...(opts.timezone ? { timezone: opts.timezone } : {}),
  });
  // A name unique across the whole test run: replies are routed to the tenant owning the signature name.
  const sign = await makeSignature(tenant, `签名${randomDigits(10)}`);
  const cred = await makeCredential(tenant, "paasw", opts.kinds ? { kinds: opts.kinds } : {});
  const body = expectOk(await call(null, "GET", "/api/token", { appId: cred.app.key, secret: cred.secret }));
  return { tenant, appId: cred.app.id, appKey: cred.app.key, secret: cred.secret, token: body.token, sign };
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else its text. */
  body: any;
}

export interface CallOptions {
  /** Where the parameters go: the query (default for GET), a form body (default for POST) or a JSON body. */
  form?: Form;
  /** The token parameter: the setup's by default, another one, or none (false). */
  token?: string | false;
  /** Sent as the body as it is (the parameters then go in the query), for bodies no SDK builds. */
  raw?: BodyInit;
  /** Replaces the headers `form` implies. */
  headers?: Record<string, string>;
  /** Where the gateway is addressed: http://gw (default), http://gw/paasw, http://paasw.localhost. */
  base?: string;
  /** Answers the body as its text, unparsed: what JSON.parse would lose (100.00's trailing zeros). */
  text?: boolean;
}

/**
 * A call through the Worker, as the tenant of `s` (its token added to `params` unless told
 * otherwise; `s` null sends no token). The query form is what the Java SDK sends: even a POST
 * carries its parameters in the query, with Content-Type application/json and no body.
 */
export async function call(
  s: PaaswSetup | null,
  method: string,
  path: string,
  params: Record<string, unknown> = {},
  opts: CallOptions = {},
): Promise<Answer> {
  const token = opts.token === undefined ? s?.token : opts.token;
  const all = token === false || token === undefined ? params : { token, ...params };
  const strings = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  const form = opts.raw === undefined ? (opts.form ?? (method === "GET" ? "query" : "form")) : "query";
  const url = new URL(`${opts.base ?? "http://gw"}${path}`);
  let init: RequestInit;
  if (form === "query") {
    for (const [k, v] of Object.entries(strings)) url.searchParams.set(k, v);
    init = { method, headers: { "content-type": "application/json", charset: "UTF-8" }, body: opts.raw };
  } else if (form === "form") {
    init = { method, headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" }, body: new URLSearchParams(strings).toString() };
  } else {
    init = { method, headers: { "content-type": "application/json" }, body: JSON.stringify(all) };
  }
  if (opts.headers) init.headers = opts.headers;
  const res = await exports.default.fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  if (!opts.text && (res.headers.get("content-type") ?? "").includes("json")) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body };
}

/** A success envelope: HTTP 200, code "10000"; its body. */
export function expectOk(answer: Answer): Json {
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 200, body: { code: "10000" } });
  return answer.body as Json;
}

/** A refusal: HTTP `status` (200 for business errors), exactly {code, message}, code as given; its body. */
export function expectRefused(answer: Answer, code: string, message?: RegExp, status = 200): Json {
  const body = answer.body as Json;
  expect({ status: answer.status, body }).toEqual({ status, body: { code, message: message ? expect.stringMatching(message) : expect.any(String) } });
  return body;
}

export const messageRows = async (tenantId: string) =>
  (
    await env.DB.prepare("SELECT id, batch_id, mobile, content, signature, kind, status, price, template_id, params FROM messages WHERE tenant_id = ?1 ORDER BY id")
      .bind(tenantId)
      .all<Json>()
  ).results;

export const countMessages = async (tenantId: string): Promise<number> =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(tenantId).first<{ n: number }>())!.n;

// The pull endpoints' tests (deliver, sms-up): reports come back through the real pipeline.

export const pull = async (path: "/sms/deliver" | "/sms/smsUp", token: string, sign?: string): Promise<Json[]> => {
  const answer = await call(null, "GET", path, { ...(sign ? { sign } : {}) }, { token });
  expect(answer).toMatchObject({ status: 200, body: expect.any(Array) });
  return answer.body as Json[];
};

/** Polls D1 until `sql` (one ?1 parameter) counts `n`, at most ~20 s. */
export async function waitRows(sql: string, arg: string, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const row = await env.DB.prepare(sql).bind(arg).first<{ n: number }>();
    if (row!.n >= n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${n} rows: ${sql}`);
}
export const waitReports = (tenantId: string, n: number) => waitRows("SELECT COUNT(*) AS n FROM reports WHERE tenant_id = ?1", tenantId, n);

/** Sends one notification to `numbers`; its bizId. */
export async function sendText(s: PaaswSetup, numbers: string[], sign = s.sign.name, token = s.token): Promise<string> {
  const body = expectOk(await call(s, "POST", "/sms/send", { phoneNumbers: numbers.join(","), sign, content: "您的快件已签收", kind: "2" }, { token }));
  return body.bizId as string;
}

export const many = (n: number): string[] => Array.from(new Set(Array.from({ length: n * 2 }, mobile))).slice(0, n);

/** A reply (MO) from `from` to the signature `sign`, stored as the delivery engine stores it. */
export async function reply(s: PaaswSetup, from: string, content: string, sign = s.sign.name): Promise<void> {
  const out = await applyReplies(env, "simulator", [{ ref: `r-${crypto.randomUUID()}`, mobile: from, content, signature: sign }]);
  expect(out.stored).toBe(1);
}

/**
 * Points the app's `field` at a fresh customer URL and stands in for that customer's server: every
 * body pushed there is kept in `bodies`, answered with `answer(n)` for the n-th push (1-based).
 */
export async function customerHook(s: PaaswSetup, field: "reportUrl" | "replyUrl", answer: (n: number) => string): Promise<{ bodies: string[] }> {
  const url = `https://hooks.example.com/paasw/${crypto.randomUUID()}`;
  await updateApp(tenantDb(env, s.tenant.id), s.appId, { [field]: url }, Date.now());
  const bodies: string[] = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const target = input instanceof Request ? input.url : String(input);
    if (!target.startsWith(url)) return realFetch(input, init);
    bodies.push(String(init?.body));
    return new Response(answer(bodies.length), { status: 200 });
  });
  return { bodies };
}
