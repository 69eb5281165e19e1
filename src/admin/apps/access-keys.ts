// /admin/v1/tenants/{id}/apps/{appId}/access-keys: Huawei AK/SK pairs of a huawei credential. The
// secret key is in the creating answer only; listing shows access keys, never secrets.
import { z } from "zod";
import { accessKeysOf, createAccessKey, MAX_ACCESS_KEYS, removeAccessKey } from "../../core/access-keys";
import type { AccessKeyView as Row } from "../../store/access-keys";
import { json } from "../../http/respond";
import { adminRoute, parseBody, parseParams, requireTenant } from "../http";
import { AppParams, requireApp } from "./schemas";

const AccessKeyParams = AppParams.extend({ accessKey: z.string().min(1).max(128) });

export const AccessKeyView = z.object({
  access_key: z.string(),
  app_id: z.string(),
  description: z.string(),
  created_at: z.number().int(),
});
export const IssuedAccessKey = AccessKeyView.extend({ secret_key: z.string().describe("shown once; edgesms keeps it sealed (AES-GCM)") });

const CreateAccessKeyBody = z.strictObject({ description: z.string().trim().max(255).optional() });

const view = (k: Row): z.infer<typeof AccessKeyView> => ({ access_key: k.accessKey, app_id: k.appId, description: k.description, created_at: k.createdAt });

export const createAccessKeyRoute = adminRoute(
  {
    method: "post",
    path: "/admin/v1/tenants/{id}/apps/{appId}/access-keys",
    summary: "Create a Huawei access key (AK/SK) for a huawei credential",
    description: `Requests signed SDK-HMAC-SHA256 with it act as this credential (its project, kinds, IP allow-list, block switch). At most ${MAX_ACCESS_KEYS} per credential (409 conflict). The secret key is in this answer only.`,
    body: CreateAccessKeyBody,
    response: IssuedAccessKey,
    status: 201,
  },
  async (req, env) => {
    const { id, appId } = parseParams(req, AppParams);
    await requireTenant(env, id);
    const app = await requireApp(env, id, appId);
    const body = await parseBody(req, CreateAccessKeyBody);
    const issued = await createAccessKey(env, app, body.description ?? "", Date.now());
    return json({ ...view(issued), secret_key: issued.secretKey }, 201);
  },
);

export const listAccessKeysRoute = adminRoute(
  {
    method: "get",
    path: "/admin/v1/tenants/{id}/apps/{appId}/access-keys",
    summary: "List a credential's access keys (never their secrets)",
    response: z.object({ access_keys: z.array(AccessKeyView) }),
  },
  async (req, env) => {
    const { id, appId } = parseParams(req, AppParams);
    await requireTenant(env, id);
    const app = await requireApp(env, id, appId);
    return json({ access_keys: (await accessKeysOf(env, app)).map(view) });
  },
);

export const deleteAccessKeyRoute = adminRoute(
  { method: "delete", path: "/admin/v1/tenants/{id}/apps/{appId}/access-keys/{accessKey}", summary: "Delete an access key (its signatures stop working at once)", status: 204 },
  async (req, env) => {
    const { id, appId, accessKey } = parseParams(req, AccessKeyParams);
    await requireTenant(env, id);
    const app = await requireApp(env, id, appId);
    await removeAccessKey(env, app, accessKey);
    return new Response(null, { status: 204 });
  },
);
