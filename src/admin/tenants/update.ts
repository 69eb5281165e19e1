// PATCH /admin/v1/tenants/{id}: name, timezone, prices and settings; what the body omits stays.
import { z } from "zod";
import { changeTenant } from "../../core/tenants";
import { json } from "../../http/respond";
import { adminRoute, parseBody, parseParams, requireTenant } from "../http";
import { TenantView, tenantView } from "../views";
import { PricesInput, TenantName, TenantParams, TenantSettingsPatch, Timezone } from "./schemas";
import { tenantDb } from "../../store/db";

export const UpdateTenantBody = z.strictObject({
  name: TenantName.optional(),
  timezone: Timezone.optional(),
  prices: PricesInput.optional(),
  settings: TenantSettingsPatch.optional().describe(
    "merged into the stored settings: named fields (and named limit kinds) replace, omitted ones stay",
  ),
});

export const updateTenantRoute = adminRoute(
  { method: "patch", path: "/admin/v1/tenants/{id}", summary: "Change a tenant", body: UpdateTenantBody, response: TenantView },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const body = await parseBody(req, UpdateTenantBody);
    return json(tenantView(await changeTenant(tenantDb(env, id), body, Date.now())));
  },
);
