// GET /admin/v1/tenants/{id}/apps (paged by id) and GET …/apps/{appId}: never a secret or its hash.
import { z } from "zod";
import { json } from "../../http/respond";
import { adminRoute, parseParams, parseQuery, requireTenant } from "../http";
import { decodeCursor, Page, page, PageQuery } from "../paging";
import { TenantParams } from "../tenants/schemas";
import { AppView, appView } from "../views";
import { AppParams, requireApp } from "./schemas";
import { tenantDb } from "../../store/db";
import { toApp } from "../../core/apps";
import { listAppsPage } from "../../store/apps";

export const listAppsRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}/apps", summary: "List a tenant's credentials", query: PageQuery, response: Page(AppView) },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    const tenant = await requireTenant(env, id);
    const q = parseQuery(req, PageQuery);
    const after = decodeCursor(q.cursor, z.string());
    const rows = (await listAppsPage(tenantDb(env, id), q.limit + 1, after)).map(toApp);
    return json(page(rows, q.limit, (a) => appView(a, tenant.timezone), (a) => a.id));
  },
);

export const getAppRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}/apps/{appId}", summary: "Get a credential", response: AppView },
  async (req, env) => {
    const { id, appId } = parseParams(req, AppParams);
    const tenant = await requireTenant(env, id);
    return json(appView(await requireApp(env, id, appId), tenant.timezone));
  },
);
