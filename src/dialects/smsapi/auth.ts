// smsapi authentication: `Authorization: Bearer <key>.<secret>` (the credential's API key), and
// the body's optional tenantId bound to the key's tenant.
import { authenticateAndRead, type PrefetchPlan } from "../../core/prefetch";
import { CoreError } from "../../core/errors";
import type { App, Tenant } from "../../core/types";
import { clientIp } from "../../http/respond";
import { Refusal, attemptOf } from "../../http/router";
import { refuse, SMSAPI_OWN } from "./errors";

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
  const { app, tenant } = await authenticateAndRead(env, { dialect: "smsapi", key, secret, ip: clientIp(req), attempt: attemptOf(req) });
  return { app, tenant };
}

/**
 * The body (`read`) and the key with what the body names (`plan`), in one D1 round trip. A refused
 * body is answered only once the key passed: a caller without a valid key learns nothing from it.
 */
export async function authenticateWithBody<B, T>(
  req: Request,
  env: Env,
  read: Promise<B>,
  plan: (body: B) => PrefetchPlan<T>,
): Promise<{ app: App; tenant: Tenant; body: B; extra: T }> {
  const body = await read.then(
    (data) => ({ data }),
    (e: unknown) => {
      if (e instanceof Refusal) return { refused: e };
      throw e;
    },
  );
  if ("refused" in body) {
    await authenticateSmsapi(req, env);
    throw body.refused;
  }
  const { key, secret } = bearerKey(req);
  const p = plan(body.data);
  const { app, tenant, read: found } = await authenticateAndRead(env, { dialect: "smsapi", key, secret, ip: clientIp(req), attempt: attemptOf(req) }, p.prefetch);
  return { app, tenant, body: body.data, extra: p.take(found) };
}

/** The document's tenantId is optional; when given it must name the key's own tenant. */
export function checkTenant(tenant: Tenant, tenantId: string | null | undefined): void {
  if (tenantId === undefined || tenantId === null || tenantId === "" || tenantId === tenant.id) return;
  throw refuse(SMSAPI_OWN.tenantMismatch, "tenantId does not match the API key's tenant");
}
