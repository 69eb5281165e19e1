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

export interface Answer {
  status: number;
  /** Not enumerable: see `call`. */
  headers: Headers;
  /** Parsed when the answer is JSON, else its text. */
  body: Json | string;
}

/**
 * `path` under /smsapi/v1/sms/ (a query allowed), or absolute from "/". `s`'s key authenticates
 * unless `opts.apiKey` replaces it (null: no Authorization header); a null `s` sends none either.
 * A body is JSON unless it is a string or bytes (sent as given); `opts.headers` adds headers or drops
 * one (null), e.g. the JSON content type, so that bytes go with none at all.
 */
export async function call(
  s: Pick<SmsapiSetup, "apiKey"> | null,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
  opts: { apiKey?: string | null; headers?: Record<string, string | null> } = {},
): Promise<Answer & { body: Json }> {
  const apiKey = opts.apiKey !== undefined ? opts.apiKey : (s?.apiKey ?? null);
  const url = path.startsWith("/") ? `http://gw${path}` : `http://gw/smsapi/v1/sms/${path}`;
  const headers = new Headers(apiKey ? { authorization: `Bearer ${apiKey}` } : {});
  if (body !== undefined) headers.set("content-type", "application/json");
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (v === null) headers.delete(k);
    else headers.set(k, v);
  }
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  const res = await exports.default.fetch(url, init);
  const text = await res.text();
  const isJson = (res.headers.get("content-type") ?? "").includes("json");
  // Every smsapi answer is the JSON envelope; a test that meets text fails on its `body.code`.
  const answer = { status: res.status, body: isJson && text !== "" ? (JSON.parse(text) as Json) : text } as Answer & { body: Json };
  // Not enumerable, so that `toEqual({ status, body })` compares what the document shows.
  Object.defineProperty(answer, "headers", { value: res.headers, enumerable: false });
  return answer;
}

export const messageRows = async (tenantId: string) =>
  (
    await env.DB.prepare("SELECT id, batch_id, mobile, content, signature, kind, status, price, send_at FROM messages WHERE tenant_id = ?1 ORDER BY id")
      .bind(tenantId)
      .all<Json>()
  ).results;

/** The envelope {code, message, data} with this status and code (and a message matching `message`); returns the body. */
export function expectEnvelope(r: Answer, status: number, code: number, message?: RegExp): Json {
  expect({ status: r.status, code: typeof r.body === "string" ? r.body : r.body.code }).toEqual({ status, code });
  const body = r.body as Json;
  expect(body).toMatchObject({ code, message: expect.any(String) });
  expect(Object.keys(body).sort()).toEqual(["code", "data", "message"]);
  if (message) expect(body.message).toMatch(message);
  return body;
}
