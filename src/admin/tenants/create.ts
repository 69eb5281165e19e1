// POST /admin/v1/tenants: a new customer account, its webhook signing secret shown in the answer.
import { z } from "zod";
import { createTenant } from "../../core/tenants";
import { json } from "../../http/respond";
import { adminRoute, parseBody } from "../http";
import { TenantView, tenantView } from "../views";
import { PricesInput, TenantId, TenantName, TenantSettingsPatch, Timezone } from "./schemas";

export const CreateTenantBody = z.strictObject({
  id: TenantId.optional().describe("client-chosen id; generated (tn_…) when omitted"),
  name: TenantName,
  timezone: Timezone.optional().describe("IANA zone, default Asia/Shanghai"),
  prices: PricesInput.optional().describe("defaults: verification 45, notification 45, marketing 55"),
  settings: TenantSettingsPatch.optional().describe("TenantSettings; omitted fields take their defaults"),
});

export const CreatedTenant = TenantView.extend({
  webhook_secret: z.string().describe("HMAC-SHA256 key of X-Edgesms-Signature on pushes"),
});

export const createTenantRoute = adminRoute(
  {
    method: "post",
    path: "/admin/v1/tenants",
    summary: "Create a tenant",
    body: CreateTenantBody,
    response: CreatedTenant,
    status: 201,
    errors: { "409": "conflict: the id is taken" },
  },
  async (req, env) => {
    const body = await parseBody(req, CreateTenantBody);
    const { tenant, webhookSecret } = await createTenant(env, body, Date.now());
    const view: z.infer<typeof CreatedTenant> = { ...tenantView(tenant), webhook_secret: webhookSecret };
    return json(view, 201);
  },
);
