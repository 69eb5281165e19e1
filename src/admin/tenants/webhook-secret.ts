// POST /admin/v1/tenants/{id}/webhook-secret: a new signing key for the tenant's pushes, shown once here.
import { z } from "zod";
import { rotateWebhookSecret } from "../../core/tenants";
import { json } from "../../http/respond";
import { adminRoute, parseParams, requireTenant } from "../http";
import { TenantParams } from "./schemas";

export const WebhookSecret = z.object({ webhook_secret: z.string() });

export const rotateWebhookSecretRoute = adminRoute(
  {
    method: "post",
    path: "/admin/v1/tenants/{id}/webhook-secret",
    summary: "Rotate the tenant's webhook signing secret",
    description: "Pushes are signed with the new secret from now on; the old one stops verifying at once.",
    response: WebhookSecret,
  },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const secret = await rotateWebhookSecret(env, id, Date.now());
    return json({ webhook_secret: secret } satisfies z.infer<typeof WebhookSecret>);
  },
);
