// POST /admin/v1/tenants/{id}/apps/{appId}/rotate: a new secret, shown once; the old one and every
// token minted under it stop working at once.
import { z } from "zod";
import { rotateCredential } from "../../core/credentials";
import { json } from "../../http/respond";
import { AdminError, adminRoute, parseParams, requireTenant } from "../http";
import { appView } from "../views";
import { AppParams, credentialsOf, IssuedApp, requireApp } from "./schemas";

export const rotateAppRoute = adminRoute(
  {
    method: "post",
    path: "/admin/v1/tenants/{id}/apps/{appId}/rotate",
    summary: "Rotate a credential's secret",
    description: "The key stays; the new secret is shown in this answer only.",
    response: IssuedApp,
  },
  async (req, env) => {
    const { id, appId } = parseParams(req, AppParams);
    const tenant = await requireTenant(env, id);
    const app = await requireApp(env, id, appId);
    const secret = await rotateCredential(env, app, Date.now());
    if (secret === null) throw new AdminError(404, "not_found", `app ${appId} does not exist`);
    const fresh = await requireApp(env, id, appId);
    const view: z.infer<typeof IssuedApp> = { ...appView(fresh, tenant.timezone), credentials: credentialsOf(fresh.dialect, fresh.key, secret, fresh.projectId, fresh.tenantId) };
    return json(view);
  },
);
