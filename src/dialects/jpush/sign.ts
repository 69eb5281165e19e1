// /v1/sign: JPush's signature management. Bodies are multipart/form-data only (input.ts
// readSignForm); signatures created or changed here wait for review in the operator API. Codes are
// JPush's signature table (50101–50105).
import {
  changeSignature,
  createSignature,
  findSignature,
  removeSignature,
  signatureUsage,
  tenantCatalog,
  type Signature,
} from "../../core/catalog";
import { json } from "../../http/respond";
import type { IRequest } from "itty-router";
import { jpushAuth } from "./auth";
import { codes, jpushRoute, refuse } from "./errors";
import { readSignForm, signIdOf } from "./input";
import { SignForm, SignIdResponse, SignInfo } from "./schemas";

const STATUS: Record<Signature["status"], number> = { pending: 0, approved: 1, rejected: 2 };

async function ownSignature(env: Env, tenantId: string, id: number): Promise<Signature> {
  const sig = await findSignature(tenantCatalog(env, tenantId), id);
  if (!sig) throw refuse("invalidSignId", `signature ${id} does not exist`);
  return sig;
}

/** JPush reviews one signature of a tenant at a time: a submission while another is pending is refused (50103). */
const ONE_IN_REVIEW = { soleInReview: true };

export const createSignRoute = jpushRoute(
  {
    method: "post",
    path: "/v1/sign",
    summary: "Create a signature (pending review)",
    description: "multipart/form-data only. Images are checked by their bytes (JPEG, PNG, GIF, BMP); the first is kept for review. Refused while another signature of the tenant is under review (50103).",
    body: SignForm,
    contentTypes: ["multipart/form-data"],
    response: SignIdResponse,
    errors: { "403": codes("invalidBody", "remarkTooLong", "invalidImage", "signInAudit", "invalidSignature") },
  },
  async (req, env) => {
    const { tenant } = await jpushAuth(req, env);
    const f = await readSignForm(req);
    const input = { name: f.name, type: f.type, remark: f.remark, image: f.image?.data, imageType: f.image?.type, status: "pending" as const };
    const sig = await createSignature(tenantCatalog(env, tenant.id), input, Date.now(), ONE_IN_REVIEW);
    return json({ sign_id: sig.id });
  },
);

async function updateSign(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await jpushAuth(req, env);
  const id = signIdOf(req);
  const f = await readSignForm(req);
  await ownSignature(env, tenant.id, id);
  const image = f.image ? { image: f.image.data, imageType: f.image.type } : {};
  await changeSignature(tenantCatalog(env, tenant.id), id, { name: f.name, type: f.type, remark: f.remark, ...image }, Date.now(), ONE_IN_REVIEW);
  return json({ sign_id: id });
}

const UPDATE_DOC = {
  description: "Fields not sent (type, remark, images) stay as they are.",
  body: SignForm,
  contentTypes: ["multipart/form-data"],
  response: SignIdResponse,
  errors: { "403": codes("invalidBody", "remarkTooLong", "invalidImage", "invalidSignId", "signInAudit", "invalidSignature") },
};

// The SDKs update with POST; JPush's English document says PUT: both are served.
export const updateSignRoute = jpushRoute({ method: "post", path: "/v1/sign/{sign_id}", summary: "Change a signature (back to review); PUT is accepted too", ...UPDATE_DOC }, updateSign);
export const putSignRoute = jpushRoute({ method: "put", path: "/v1/sign/{sign_id}", summary: "Change a signature (back to review), as JPush's English document writes it; the same as POST", ...UPDATE_DOC }, updateSign);

export const getSignRoute = jpushRoute(
  { method: "get", path: "/v1/sign/{sign_id}", summary: "A signature and its review status", response: SignInfo, errors: { "403": codes("invalidSignId") } },
  async (req, env) => {
    const { app, tenant } = await jpushAuth(req, env);
    const sig = await ownSignature(env, tenant.id, signIdOf(req));
    const use = await signatureUsage(tenantCatalog(env, tenant.id), sig.id);
    return json({
      sign_id: sig.id,
      sign: sig.name,
      status: STATUS[sig.status],
      is_default: app.defaultSignatureId === sig.id ? 1 : 0,
      use_status: use.templates + use.apps > 0 ? 1 : 0,
    });
  },
);

export const deleteSignRoute = jpushRoute(
  {
    method: "delete",
    path: "/v1/sign/{sign_id}",
    summary: "Delete a signature (200, empty body)",
    description: "Refused (50105) while a template or an app's default uses it.",
    errors: { "403": codes("invalidSignId", "signUndeletable") },
  },
  async (req, env) => {
    const { tenant } = await jpushAuth(req, env);
    const sig = await ownSignature(env, tenant.id, signIdOf(req));
    // Refused as signature_in_use (50105) by the delete itself while a template or an app uses it.
    await removeSignature(tenantCatalog(env, tenant.id), sig.id, Date.now());
    // The official SDKs expect exactly this: 200, JSON content type, empty body.
    return new Response(null, { status: 200, headers: { "content-type": "application/json" } });
  },
);
