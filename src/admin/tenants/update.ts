// PATCH /admin/v1/tenants/{id}: name, timezone, prices, settings and the MobileGuard bucket count; what the body omits stays.
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
  guard_buckets: z
    .number()
    .int()
    .min(1)
    .max(65536)
    .optional()
    .describe("MobileGuard objects of the tenant (docs/jpush.md, MobileGuard buckets); a move keeps every window and code, at most one move per 7 days"),
});

export const updateTenantRoute = adminRoute(
  { method: "patch", path: "/admin/v1/tenants/{id}", summary: "Change a tenant", body: UpdateTenantBody, response: TenantView },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const { guard_buckets, ...body } = await parseBody(req, UpdateTenantBody);
    return json(tenantView(await changeTenant(tenantDb(env, id), { ...body, guardBuckets: guard_buckets }, Date.now())));
  },
);
