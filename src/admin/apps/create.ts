// POST /admin/v1/tenants/{id}/apps: a credential for one dialect; its secret is in this answer only.
import { z } from "zod";
import { createCredential } from "../../core/credentials";
import { DIALECTS } from "../../core/types";
import { json } from "../../http/respond";
import { adminRoute, parseBody, parseParams, requireTenant } from "../http";
import { TenantParams } from "../tenants/schemas";
import { appView } from "../views";
import { checkOwnSignature, credentialsOf, IssuedApp, KindsInput, requireApp, SignatureIdInput } from "./schemas";

export const CreateAppBody = z.strictObject({
  dialect: z.enum(DIALECTS),
  name: z.string().trim().max(100).optional(),
  kinds: KindsInput.optional().describe("kinds this app may send; default all three"),
  default_signature_id: SignatureIdInput.nullable().optional(),
});

export const createAppRoute = adminRoute(
  {
    method: "post",
    path: "/admin/v1/tenants/{id}/apps",
    summary: "Create a credential (app) for a dialect",
    description: "The secret is shown in this answer only; edgesms keeps its hash.",
    body: CreateAppBody,
    response: IssuedApp,
    status: 201,
  },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    const tenant = await requireTenant(env, id);
    const body = await parseBody(req, CreateAppBody);
    await checkOwnSignature(env, tenant.id, body.default_signature_id);
    const issued = await createCredential(env, tenant, body.dialect, {
      name: body.name,
      kinds: body.kinds,
      defaultSignatureId: body.default_signature_id ?? null,
      now: Date.now(),
    });
    const app = await requireApp(env, tenant.id, issued.app.id);
    const view: z.infer<typeof IssuedApp> = { ...appView(app, tenant.timezone), credentials: credentialsOf(app.dialect, app.key, issued.secret, app.projectId, app.tenantId) };
    return json(view, 201);
  },
);
