// Huawei Cloud request authentication for the SMN routes: the IAM token in X-Auth-Token, and the
// path's project (and the optional X-Project-Id header) bound to the token's project.
import { CoreError } from "../../core/errors";
import { resolveToken } from "../../core/tokens";
import type { App, Tenant } from "../../core/types";
import { clientIp } from "../../http/respond";
import { SMN_OWN, smnErrorResponse } from "./errors";

export type SmnAuth = { ok: true; app: App; tenant: Tenant } | { ok: false; response: Response };

/** Throws CoreError auth_failed/app_blocked/…; answers 403 itself for a project mismatch. */
export async function authenticateSmn(req: Request, env: Env, pathProject: string): Promise<SmnAuth> {
  const token = req.headers.get("x-auth-token");
  if (!token) throw new CoreError("auth_failed", "the X-Auth-Token header is missing");
  const { app, tenant } = await resolveToken(env, "huawei", token.trim(), clientIp(req));
  if (pathProject !== app.projectId) {
    return { ok: false, response: smnErrorResponse(SMN_OWN.projectMismatch, `The token is not valid for project ${pathProject}.`) };
  }
  const header = req.headers.get("x-project-id");
  if (header !== null && header.trim() !== pathProject) {
    return { ok: false, response: smnErrorResponse(SMN_OWN.projectMismatch, "X-Project-Id does not match the project in the path.") };
  }
  return { ok: true, app, tenant };
}
