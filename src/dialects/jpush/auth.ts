// JPush authentication: HTTP Basic base64(appKey:masterSecret), checked by the core's credentials.
import { authenticate } from "../../core/credentials";
import { clientIp } from "../../http/respond";
import type { App, Tenant } from "../../core/types";
import { refuse } from "./errors";

const BASIC = /^basic\s+(\S+)$/i;

/**
 * The app and tenant behind the request's Basic credentials, or the documented refusal.
 * `dialect` "jpush_dev" checks the developer pair devKey:devSecret (GET /v1/accounts/dev).
 */
export async function jpushAuth(req: Request, env: Env, dialect: "jpush" | "jpush_dev" = "jpush"): Promise<{ app: App; tenant: Tenant }> {
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
  return authenticate(env, dialect, decoded.slice(0, colon), decoded.slice(colon + 1), clientIp(req));
}
