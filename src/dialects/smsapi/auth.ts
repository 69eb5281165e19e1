// smsapi authentication: `Authorization: Bearer <key>.<secret>` (the credential's API key), and
// the body's optional tenantId bound to the key's tenant.
import { authenticate } from "../../core/credentials";
import { authenticateAndRead, type PrefetchPlan } from "../../core/prefetch";
import { CoreError } from "../../core/errors";
import type { App, Tenant } from "../../core/types";
import { clientIp } from "../../http/respond";
import { fail, SMSAPI_OWN } from "./errors";

function bearerKey(req: Request): { key: string; secret: string } {
  const header = req.headers.get("authorization") ?? "";
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new CoreError("auth_failed", "send the API key as Authorization: Bearer <key>");
  const apiKey = m[1]!;
  const dot = apiKey.indexOf(".");
  if (dot <= 0 || dot === apiKey.length - 1) throw new CoreError("auth_failed", "authentication failed: malformed API key");
  return { key: apiKey.slice(0, dot), secret: apiKey.slice(dot + 1) };
}

export async function authenticateSmsapi(req: Request, env: Env): Promise<{ app: App; tenant: Tenant }> {
  const { key, secret } = bearerKey(req);
  return authenticate(env, "smsapi", key, secret, clientIp(req));
}

/** authenticateSmsapi plus what `plan` declares (core/prefetch), in one D1 round trip (read only once the key passed). */
export async function authenticateSmsapiWith<T>(req: Request, env: Env, plan: PrefetchPlan<T>): Promise<{ app: App; tenant: Tenant; extra: T }> {
  const { key, secret } = bearerKey(req);
  const { app, tenant, read } = await authenticateAndRead(env, { dialect: "smsapi", key, secret, ip: clientIp(req) }, plan.prefetch);
  return { app, tenant, extra: plan.take(read) };
}

/** The document's tenantId is optional; when given it must name the key's own tenant. */
export function tenantMismatch(tenant: Tenant, tenantId: string | null | undefined): Response | null {
  if (tenantId === undefined || tenantId === null || tenantId === "" || tenantId === tenant.id) return null;
  return fail(SMSAPI_OWN.tenantMismatch, "tenantId does not match the API key's tenant");
}
