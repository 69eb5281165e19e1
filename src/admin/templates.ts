// Templates of a tenant: create (placeholders checked), list, get, review.
import { z } from "zod";
import { createTemplate, reviewTemplate } from "../core/catalog";
import { templateParams } from "../core/content";
import { KINDS } from "../core/types";
import { json } from "../http/respond";
import { getTemplate, listTemplates, type Template } from "../store/templates";
import { AdminError, adminRoute, parseBody, parseParams, parseQuery, requireTenant } from "./http";
import { decodeCursor, Page, page, PageQuery } from "./paging";
import { InitialStatus, ReviewBody } from "./review";
import { TenantParams } from "./tenants/schemas";
import { TemplateView, templateView } from "./views";
import { tenantDb } from "../store/db";

const TemplateParams = TenantParams.extend({ tid: z.coerce.number().int().positive() });

const view = (t: Template) => templateView(t, templateParams(t.content));

export const CreateTemplateBody = z.strictObject({
  kind: z.enum(KINDS),
  content: z.string().trim().min(1).max(1000).describe("text with {{name}} parameters; a verification template needs {{code}}"),
  signature_id: z.number().int().positive().nullable().optional().describe("one of this tenant's signatures"),
  code_length: z.number().int().min(4).max(8).optional().describe("verification: digits of the code, default 6"),
  ttl: z.number().int().min(10).max(86400).optional().describe("verification: validity in seconds, default 300"),
  remark: z.string().trim().max(200).optional(),
  status: InitialStatus,
});

export const createTemplateRoute = adminRoute(
  { method: "post", path: "/admin/v1/tenants/{id}/templates", summary: "Create a template", body: CreateTemplateBody, response: TemplateView, status: 201 },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const b = await parseBody(req, CreateTemplateBody);
    const t = await createTemplate(
      tenantDb(env, id),
      { kind: b.kind, content: b.content, signatureId: b.signature_id, codeLength: b.code_length, ttl: b.ttl, remark: b.remark, status: b.status },
      Date.now(),
    );
    return json(view(t), 201);
  },
);

export const listTemplatesRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}/templates", summary: "List templates", query: PageQuery, response: Page(TemplateView) },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const q = parseQuery(req, PageQuery);
    const after = decodeCursor(q.cursor, z.number().int());
    const rows = await listTemplates(tenantDb(env, id), q.limit + 1, after);
    return json(page(rows, q.limit, view, (t) => t.id));
  },
);

export const getTemplateRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}/templates/{tid}", summary: "Get a template", response: TemplateView },
  async (req, env) => {
    const { id, tid } = parseParams(req, TemplateParams);
    await requireTenant(env, id);
    const t = await getTemplate(tenantDb(env, id), tid);
    if (!t) throw new AdminError(404, "template_not_found", `template ${tid} does not exist`);
    return json(view(t));
  },
);

export const reviewTemplateRoute = adminRoute(
  { method: "post", path: "/admin/v1/tenants/{id}/templates/{tid}/review", summary: "Approve or reject a template", body: ReviewBody, response: TemplateView },
  async (req, env) => {
    const { id, tid } = parseParams(req, TemplateParams);
    await requireTenant(env, id);
    const body = await parseBody(req, ReviewBody);
    return json(view(await reviewTemplate(env, id, tid, body, Date.now())));
  },
);
