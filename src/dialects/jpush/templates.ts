// /v1/templates: JPush's template management. Templates created here start pending; review is
// the operator API's. Type 1 verification (only {{code}}, ttl required), 2 notification, 3 marketing;
// a template may change only while it is not approved (50047); DELETE answers 200 with no body.
import { changeTemplate, createTemplate, findTemplate, removeTemplate, tenantCatalog, type Template } from "../../core/catalog";
import type { Kind } from "../../core/types";
import { json } from "../../http/respond";
import { jpushAuth } from "./auth";
import { codes, jpushRoute, refuse } from "./errors";
import { readTemplateBody, tempIdOf } from "./input";
import { TemplateRequest, TemplateView, TempIdResponse } from "./schemas";

const TYPE_BY_KIND: Record<Kind, number> = { verification: 1, notification: 2, marketing: 3 };
const STATUS: Record<Template["status"], number> = { pending: 0, approved: 1, rejected: 2 };

async function ownTemplate(env: Env, tenantId: string, id: number): Promise<Template> {
  const t = await findTemplate(tenantCatalog(env, tenantId), id);
  if (!t) throw refuse("invalidTempId", `template ${id} does not exist`);
  return t;
}

export const createTemplateRoute = jpushRoute(
  {
    method: "post",
    path: "/v1/templates",
    summary: "Create a template (pending review)",
    body: TemplateRequest,
    response: TempIdResponse,
    errors: { "403": codes("invalidBody", "templateEmpty", "templateTooLong", "templateParamInvalid", "remarkTooLong", "invalidTtl", "templateSpecialSymbol") },
  },
  async (req, env) => {
    const { tenant } = await jpushAuth(req, env);
    const t = await readTemplateBody(req);
    const created = await createTemplate(tenantCatalog(env, tenant.id), { ...t, status: "pending" }, Date.now());
    return json({ temp_id: created.id });
  },
);

export const changeTemplateRoute = jpushRoute(
  {
    method: "put",
    path: "/v1/templates/{temp_id}",
    summary: "Change a template that is not approved (back to review)",
    body: TemplateRequest,
    response: TempIdResponse,
    errors: { "403": codes("invalidTempId", "templateModifyNotAllowed", "templateEmpty", "templateTooLong", "templateParamInvalid", "remarkTooLong", "invalidTtl") },
  },
  async (req, env) => {
    const { tenant } = await jpushAuth(req, env);
    const id = tempIdOf(req);
    const t = await readTemplateBody(req);
    await ownTemplate(env, tenant.id, id);
    // Core refuses an approved template (template_locked → 50047) in the same check it always makes.
    await changeTemplate(tenantCatalog(env, tenant.id), id, t, Date.now());
    return json({ temp_id: id });
  },
);

export const getTemplateRoute = jpushRoute(
  { method: "get", path: "/v1/templates/{temp_id}", summary: "A template and its review status", response: TemplateView, errors: { "403": codes("invalidTempId") } },
  async (req, env) => {
    const { tenant } = await jpushAuth(req, env);
    const t = await ownTemplate(env, tenant.id, tempIdOf(req));
    return json({ temp_id: t.id, template: t.content, type: TYPE_BY_KIND[t.kind], ttl: t.ttl, remark: t.remark, sign_id: t.signatureId, status: STATUS[t.status] });
  },
);

export const deleteTemplateRoute = jpushRoute(
  { method: "delete", path: "/v1/templates/{temp_id}", summary: "Delete a template (200, empty body)", errors: { "403": codes("invalidTempId") } },
  async (req, env) => {
    const { tenant } = await jpushAuth(req, env);
    const id = tempIdOf(req);
    await ownTemplate(env, tenant.id, id);
    await removeTemplate(tenantCatalog(env, tenant.id), id, Date.now());
    // The official SDKs expect exactly this: 200, JSON content type, empty body.
    return new Response(null, { status: 200, headers: { "content-type": "application/json" } });
  },
);
