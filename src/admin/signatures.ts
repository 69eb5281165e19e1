// Signatures (签名) of a tenant: create (pending, or approved for operator convenience), list, get, review.
import { z } from "zod";
import { createSignature, reviewSignature, SignatureName } from "../core/catalog";
import { json } from "../http/respond";
import { getSignature, listSignatures } from "../store/signatures";
import { AdminError, adminRoute, parseBody, parseParams, parseQuery, requireTenant } from "./http";
import { decodeCursor, Page, page, PageQuery } from "./paging";
import { InitialStatus, ReviewBody } from "./review";
import { TenantParams } from "./tenants/schemas";
import { SignatureView, signatureView } from "./views";
import { tenantDb } from "../store/db";

const SignatureParams = TenantParams.extend({ sid: z.coerce.number().int().positive() });

export const CreateSignatureBody = z.strictObject({
  name: SignatureName.describe("2–20 characters, without 【】"),
  type: z.number().int().min(1).max(7).optional().describe("JPush type: 1 company, 2 website, 3 app, 4 public account / mini program, 5 e-shop, 6 trademark, 7 other"),
  remark: z.string().trim().max(200).optional(),
  status: InitialStatus,
});

export const createSignatureRoute = adminRoute(
  {
    method: "post",
    path: "/admin/v1/tenants/{id}/signatures",
    summary: "Create a signature",
    body: CreateSignatureBody,
    response: SignatureView,
    status: 201,
    errors: { "409": "conflict: the tenant already has a signature of that name" },
  },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const body = await parseBody(req, CreateSignatureBody);
    return json(signatureView(await createSignature(tenantDb(env, id), body, Date.now())), 201);
  },
);

export const listSignaturesRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}/signatures", summary: "List signatures", query: PageQuery, response: Page(SignatureView) },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const q = parseQuery(req, PageQuery);
    const after = decodeCursor(q.cursor, z.number().int());
    const rows = await listSignatures(tenantDb(env, id), q.limit + 1, after);
    return json(page(rows, q.limit, signatureView, (s) => s.id));
  },
);

export const getSignatureRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}/signatures/{sid}", summary: "Get a signature", response: SignatureView },
  async (req, env) => {
    const { id, sid } = parseParams(req, SignatureParams);
    await requireTenant(env, id);
    const sig = await getSignature(tenantDb(env, id), sid);
    if (!sig) throw new AdminError(404, "signature_not_found", `signature ${sid} does not exist`);
    return json(signatureView(sig));
  },
);

export const reviewSignatureRoute = adminRoute(
  {
    method: "post",
    path: "/admin/v1/tenants/{id}/signatures/{sid}/review",
    summary: "Approve or reject a signature",
    body: ReviewBody,
    response: SignatureView,
  },
  async (req, env) => {
    const { id, sid } = parseParams(req, SignatureParams);
    await requireTenant(env, id);
    const body = await parseBody(req, ReviewBody);
    return json(signatureView(await reviewSignature(env, id, sid, body, Date.now())));
  },
);
