// paasw test helpers: a fresh tenant with a paasw app, an approved signature and a token fetched
// through the real /api/token, and calls that carry their parameters in the query, a form or JSON.
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { makeCredential, makeSignature, makeTenant } from "../../helpers/fixtures";
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

export async function paaswSetup(opts: { balance?: number; price?: number; kinds?: string; timezone?: string } = {}): Promise<PaaswSetup> {
  const price = opts.price ?? 10;
  const tenant = await makeTenant({
    balance: opts.balance ?? 100_000,
    prices: { notification: price, verification: price, marketing: price },
    ...(opts.timezone ? { timezone: opts.timezone } : {}),
  });
  // A name unique across the whole test run: replies are routed to the tenant owning the signature name.
  const sign = await makeSignature(tenant, `签名${randomDigits(10)}`);
  const cred = await makeCredential(tenant, "paasw", opts.kinds ? { kinds: opts.kinds } : {});
  const body = await ok(await call("/api/token", { appId: cred.app.key, secret: cred.secret }, "query", "GET"));
  return { tenant, appId: cred.app.id, appKey: cred.app.key, secret: cred.secret, token: body.token, sign };
}

/** A request with `params` in the query (the Java SDK, even for POST), a form body (curl -d) or a JSON body. */
export function call(path: string, params: Record<string, unknown>, form: Form = "form", method?: "GET" | "POST"): Promise<Response> {
  const url = new URL(`http://gw${path}`);
  const strings = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  if (form === "query") {
    for (const [k, v] of Object.entries(strings)) url.searchParams.set(k, v);
    // What the Java SDK sends: POST, Content-Type application/json, no body.
    return exports.default.fetch(url, { method: method ?? "POST", headers: { "content-type": "application/json", charset: "UTF-8" } });
  }
  if (form === "form") {
    return exports.default.fetch(url, {
      method: method ?? "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
      body: new URLSearchParams(strings).toString(),
    });
  }
  return exports.default.fetch(url, { method: method ?? "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(params) });
}

/** A success envelope: HTTP 200, code "10000". */
export async function ok(res: Response): Promise<Json> {
  const body = (await res.json()) as Json;
  expect({ status: res.status, body }).toMatchObject({ status: 200, body: { code: "10000" } });
  return body;
}

/** A refusal: HTTP `status` (200 for business errors), exactly {code, message}, code as given. */
export async function refused(res: Response, code: string, message?: RegExp, status = 200): Promise<Json> {
  const body = (await res.json()) as Json;
  expect({ status: res.status, body }).toMatchObject({ status, body: { code, message: expect.any(String) } });
  expect(Object.keys(body).sort()).toEqual(["code", "message"]);
  if (message) expect(body.message).toMatch(message);
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
