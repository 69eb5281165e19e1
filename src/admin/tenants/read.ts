// GET /admin/v1/tenants (paged by id) and GET /admin/v1/tenants/{id}.
import { z } from "zod";
import { json } from "../../http/respond";
import { listTenants } from "../../store/tenants";
import { adminRoute, parseParams, parseQuery, requireTenant } from "../http";
import { decodeCursor, Page, page, PageQuery } from "../paging";
import { TenantView, tenantView } from "../views";
import { TenantParams } from "./schemas";
import { directoryDb } from "../../store/db";
import { toTenant } from "../../core/tenants";

export const listTenantsRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants", summary: "List tenants (by id)", query: PageQuery, response: Page(TenantView) },
  async (req, env) => {
    const q = parseQuery(req, PageQuery);
    const after = decodeCursor(q.cursor, z.string());
    const rows = (await listTenants(directoryDb(env), q.limit + 1, after)).map(toTenant);
    return json(page(rows, q.limit, tenantView, (t) => t.id));
  },
);

export const getTenantRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}", summary: "Get a tenant", response: TenantView },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    return json(tenantView(await requireTenant(env, id)));
  },
);
