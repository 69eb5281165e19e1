// Huawei Cloud request authentication for the SMN routes: the IAM token in X-Auth-Token, and the
// path's project (and the optional X-Project-Id header) bound to the token's project.
import { CoreError } from "../../core/errors";
import type { AuthScope, KeyedReads } from "../../core/credentials";
import { resolveTokenWith } from "../../core/tokens";
import type { App, Tenant } from "../../core/types";
import { clientIp } from "../../http/respond";
import { SMN_OWN, smnErrorResponse } from "./errors";

export type SmnAuth<T = null> = { ok: true; app: App; tenant: Tenant; extra: T } | { ok: false; response: Response };

const NONE: KeyedReads<null> = { statements: [], read: () => null };

/**
 * Throws CoreError auth_failed/app_blocked/…; answers 403 itself for a project mismatch. `more`
 * builds reads scoped to the token's tenant that share the token's D1 round trip.
 */
export async function authenticateSmn<T = null>(
  req: Request,
  env: Env,
  pathProject: string,
  more: (scope: AuthScope) => KeyedReads<T> = () => NONE as unknown as KeyedReads<T>,
): Promise<SmnAuth<T>> {
  const token = req.headers.get("x-auth-token");
  if (!token) throw new CoreError("auth_failed", "the X-Auth-Token header is missing");
  const { app, tenant, extra } = await resolveTokenWith(env, "huawei", token.trim(), clientIp(req), more);
  if (pathProject !== app.projectId) {
    return { ok: false, response: smnErrorResponse(SMN_OWN.projectMismatch, `The token is not valid for project ${pathProject}.`) };
  }
  const header = req.headers.get("x-project-id");
  if (header !== null && header.trim() !== pathProject) {
    return { ok: false, response: smnErrorResponse(SMN_OWN.projectMismatch, "X-Project-Id does not match the project in the path.") };
  }
  return { ok: true, app, tenant, extra };
}
