// Huawei Cloud request authentication for the SMN routes: an AK/SK signature or the IAM token in
// X-Auth-Token (aksk-auth.ts), and the path's project (and the optional X-Project-Id header) bound
// to the credential's project.
import type { AuthScope, KeyedReads } from "../../core/credentials";
import type { App, Tenant } from "../../core/types";
import { authenticateHuawei } from "./aksk-auth";
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
  const { app, tenant, extra, method } = await authenticateHuawei(req, env, more);
  if (pathProject !== app.projectId) {
    const what = method === "aksk" ? "access key" : "token";
    return { ok: false, response: smnErrorResponse(SMN_OWN.projectMismatch, `The ${what} is not valid for project ${pathProject}.`) };
  }
  const header = req.headers.get("x-project-id");
  if (header !== null && header.trim() !== pathProject) {
    return { ok: false, response: smnErrorResponse(SMN_OWN.projectMismatch, "X-Project-Id does not match the project in the path.") };
  }
  return { ok: true, app, tenant, extra };
}
