// Owns paasw's authentication: appId + secret for GET /api/token, and the token every other endpoint
// carries as a parameter, resolved to its app and tenant together with what the endpoint declares it
// will read (core/prefetch: one D1 round trip). Core's credential refusals are thrown as they are
// (20002 invalid token, 20003 expired, 20005 blocked, 20006 IP) and mapped by errors.ts.
import { authenticateAndRead, type PrefetchPlan } from "../../core/prefetch";
import { CoreError } from "../../core/errors";
import type { App, Tenant } from "../../core/types";
import { attemptOf } from "../../http/router";
import { clientIp } from "../../http/respond";
import { PAASW_OWN, refuse } from "./errors";

/** The app an appId + secret pair names. */
export async function authenticateSecret(req: Request, env: Env, appId: string, secret: string): Promise<App> {
  try {
    const { app } = await authenticateAndRead(env, { dialect: "paasw", key: appId, secret, ip: clientIp(req) });
    return app;
  } catch (e) {
    // Here auth_failed means the pair is wrong, not a token: its own code, one message for both
    // halves so that the answer does not tell which appIds exist.
    if (e instanceof CoreError && e.code === "auth_failed") throw refuse(PAASW_OWN.badCredentials);
    throw e;
  }
}

/** The token's app and tenant. */
export async function authenticateToken(req: Request, env: Env, token: string): Promise<{ app: App; tenant: Tenant }> {
  const { app, tenant } = await authenticateAndRead(env, { dialect: "paasw", token, ip: clientIp(req) });
  return { app, tenant };
}

/** authenticateToken plus what `plan` declares, in the token's round trip (read only for a valid token of a usable app). */
export async function authenticateTokenWith<X>(req: Request, env: Env, token: string, plan: PrefetchPlan<X>): Promise<{ app: App; tenant: Tenant; extra: X }> {
  const { app, tenant, read } = await authenticateAndRead(env, { dialect: "paasw", token, ip: clientIp(req), attempt: attemptOf(req) }, plan.prefetch);
  return { app, tenant, extra: plan.take(read) };
}
