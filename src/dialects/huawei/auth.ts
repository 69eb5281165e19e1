// Huawei Cloud request authentication for the SMN routes: an AK/SK signature or the IAM token in
// X-Auth-Token (aksk-auth.ts), and the path's project (and the optional X-Project-Id header) bound
// to the credential's project.
import { READ_NOTHING, type PrefetchPlan } from "../../core/prefetch";
import type { App, Tenant } from "../../core/types";
import { authenticateHuawei } from "./aksk-auth";
import { SMN_OWN, smnErrorResponse } from "./errors";

export type SmnAuth<T = null> = { ok: true; app: App; tenant: Tenant; extra: T } | { ok: false; response: Response };

/**
 * Throws CoreError auth_failed/app_blocked/…; answers 403 itself for a project mismatch. `plan`
 * declares what to read in the credential's D1 round trip (core/prefetch).
 */
export async function authenticateSmn<T = null>(
  req: Request,
  env: Env,
  pathProject: string,
  plan: PrefetchPlan<T> = READ_NOTHING as unknown as PrefetchPlan<T>,
): Promise<SmnAuth<T>> {
  const { app, tenant, extra, method } = await authenticateHuawei(req, env, plan);
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
