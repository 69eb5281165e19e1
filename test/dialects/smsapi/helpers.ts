// smsapi test helpers: a fresh tenant with an API key (optionally a default signature) and calls
// made through the real Worker with Authorization: Bearer <key>.<secret>.
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { makeCredential, makeSignature, makeTenant } from "../../helpers/fixtures";
import type { Tenant } from "../../../src/core/types";

export interface ApiSetup {
  tenant: Tenant;
  apiKey: string;
  appId: string;
  sign: { id: number; uid: string; name: string };
}

export async function apiSetup(opts: { balance?: number; price?: number; kinds?: string; defaultSignature?: "approved" | "pending" | "none" } = {}): Promise<ApiSetup> {
  const price = opts.price ?? 10;
  const tenant = await makeTenant({ balance: opts.balance ?? 10_000, prices: { notification: price, verification: price, marketing: price } });
  const sign = await makeSignature(tenant);
  const mode = opts.defaultSignature ?? "none";
  const def = mode === "none" ? null : mode === "approved" ? sign : await makeSignature(tenant, undefined, "pending");
  const cred = await makeCredential(tenant, "smsapi", { ...(opts.kinds ? { kinds: opts.kinds } : {}), defaultSignatureId: def?.id ?? null });
  return { tenant, apiKey: `${cred.app.key}.${cred.secret}`, appId: cred.app.id, sign };
}

export const call = (path: string, body: unknown, apiKey: string | null, headers: Record<string, string> = {}): Promise<Response> =>
  exports.default.fetch(`http://gw/smsapi/v1/sms/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

export type Json = Record<string, any>;

export const messageRows = async (tenantId: string) =>
  (
    await env.DB.prepare("SELECT id, batch_id, mobile, content, signature, kind, status, price, send_at FROM messages WHERE tenant_id = ?1 ORDER BY id")
      .bind(tenantId)
      .all<Json>()
  ).results;

export async function expectEnvelope(res: Response, status: number, code: number, message?: RegExp): Promise<Json> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as Json;
  expect(body).toMatchObject({ code, message: expect.any(String) });
  expect(Object.keys(body).sort()).toEqual(["code", "data", "message"]);
  if (message) expect(body.message).toMatch(message);
  return body;
}
