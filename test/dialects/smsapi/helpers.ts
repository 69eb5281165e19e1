// smsapi test helpers: a fresh tenant with an API key (optionally a default signature) and calls
// made through the real Worker with Authorization: Bearer <key>.<secret>.
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { makeCredential, makeSignature, makeTenant } from "../../helpers/fixtures";
import type { Tenant } from "../../../src/core/types";

export type Json = Record<string, any>;

export interface SmsapiSetup {
  tenant: Tenant;
  apiKey: string;
  appId: string;
  sign: { id: number; uid: string; name: string };
}

/** A tenant priced at `price` for every kind, its approved signature, and an API key (with a default signature when asked). */
export async function setup(opts: { balance?: number; price?: number; kinds?: string; defaultSignature?: "approved" | "pending" | "none" } = {}): Promise<SmsapiSetup> {
  const price = opts.price ?? 10;
  const tenant = await makeTenant({ balance: opts.balance ?? 10_000, prices: { notification: price, verification: price, marketing: price } });
  const sign = await makeSignature(tenant);
  const mode = opts.defaultSignature ?? "none";
  const def = mode === "none" ? null : mode === "approved" ? sign : await makeSignature(tenant, undefined, "pending");
  const cred = await makeCredential(tenant, "smsapi", { ...(opts.kinds ? { kinds: opts.kinds } : {}), defaultSignatureId: def?.id ?? null });
  return { tenant, apiKey: `${cred.app.key}.${cred.secret}`, appId: cred.app.id, sign };
}

/** The request as smsapi clients send it: JSON unless the body is already a string (then `content-type` says what it is). */
export const post = (path: string, body: unknown, apiKey: string | null, headers: Record<string, string> = {}): Promise<Response> =>
  exports.default.fetch(`http://gw/smsapi/v1/sms/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed when the answer is JSON, else its text. */
  body: Json | string;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  const isJson = (res.headers.get("content-type") ?? "").includes("json");
  return { status: res.status, headers: res.headers, body: isJson && text !== "" ? (JSON.parse(text) as Json) : text };
}

/**
 * `path` under /smsapi/v1/sms/ (a query allowed), or absolute from "/". `s`'s key authenticates
 * unless `opts.apiKey` replaces it (null: no Authorization header); a null `s` sends none either.
 */
export async function call(
  s: SmsapiSetup | null,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
  opts: { apiKey?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer & { body: Json }> {
  const apiKey = opts.apiKey !== undefined ? opts.apiKey : (s?.apiKey ?? null);
  const url = path.startsWith("/") ? `http://gw${path}` : `http://gw/smsapi/v1/sms/${path}`;
  const headers: Record<string, string> = { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) };
  if (body !== undefined) headers["content-type"] = "application/json";
  const init: RequestInit = { method, headers: { ...headers, ...opts.headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  // Every smsapi answer is the JSON envelope; a test that meets text fails on its `body.code`.
  return (await answer(await exports.default.fetch(url, init))) as Answer & { body: Json };
}

export const messageRows = async (tenantId: string) =>
  (
    await env.DB.prepare("SELECT id, batch_id, mobile, content, signature, kind, status, price, send_at FROM messages WHERE tenant_id = ?1 ORDER BY id")
      .bind(tenantId)
      .all<Json>()
  ).results;

/** The envelope {code, message, data} with this status and code (and a message matching `message`); returns the body. */
export async function expectEnvelope(res: Response | Answer, status: number, code: number, message?: RegExp): Promise<Json> {
  const r = res instanceof Response ? await answer(res) : res;
  expect({ status: r.status, code: typeof r.body === "string" ? r.body : r.body.code }).toEqual({ status, code });
  const body = r.body as Json;
  expect(body).toMatchObject({ code, message: expect.any(String) });
  expect(Object.keys(body).sort()).toEqual(["code", "data", "message"]);
  if (message) expect(body.message).toMatch(message);
  return body;
}
