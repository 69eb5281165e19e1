// JPush authentication: HTTP Basic base64(appKey:masterSecret), checked by the core's credentials.
import { authenticateAndRead, type PrefetchPlan } from "../../core/prefetch";
import { attemptOf } from "../../http/router";
import { clientIp } from "../../http/respond";
import type { App, Tenant } from "../../core/types";
import { refuse } from "./errors";

const BASIC = /^basic\s+(\S+)$/i;

export type JpushDialect = "jpush" | "jpush_dev";

/** The appKey and masterSecret of the request's Basic header, or the documented refusal (no I/O). */
export function basicCredentials(req: Request): { key: string; secret: string } {
  const header = req.headers.get("authorization");
  if (!header || header.trim() === "") throw refuse("missingAuth", "send Authorization: Basic base64(appKey:masterSecret)");
  const m = BASIC.exec(header.trim());
  if (!m) throw refuse("missingAuth", "the Authorization header must use the Basic scheme: Basic base64(appKey:masterSecret)");
  let decoded: string;
  try {
    decoded = atob(m[1]!.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    throw refuse("authFailed", "the Basic credentials are not valid base64");
  }
  const colon = decoded.indexOf(":");
  if (colon <= 0) throw refuse("authFailed", "the Basic credentials must be appKey:masterSecret");
  return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * The app and tenant behind the request's Basic credentials, or the documented refusal.
 * `dialect` "jpush_dev" checks the developer pair devKey:devSecret (GET /v1/accounts/dev).
 */
export async function jpushAuth(req: Request, env: Env, dialect: JpushDialect = "jpush"): Promise<{ app: App; tenant: Tenant }> {
  const { key, secret } = basicCredentials(req);
  const { app, tenant } = await authenticateAndRead(env, { dialect, key, secret, ip: clientIp(req), attempt: attemptOf(req) });
  return { app, tenant };
}


/**
 * jpushAuth plus what `plan` declares (core/prefetch), in one D1 round trip; what it read is
 * returned only after the credentials and the app's state passed.
 */
export async function jpushAuthWith<T>(req: Request, env: Env, plan: PrefetchPlan<T>): Promise<{ app: App; tenant: Tenant; extra: T }> {
  const { key, secret } = basicCredentials(req);
  const { app, tenant, read } = await authenticateAndRead(env, { dialect: "jpush", key, secret, ip: clientIp(req), attempt: attemptOf(req) }, plan.prefetch);
  return { app, tenant, extra: plan.take(read) };
}
