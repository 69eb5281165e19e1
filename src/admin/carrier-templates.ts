// /admin/v1/carriers/{name}/templates: the template mapping of a template-based provider carrier
// (Aliyun, Tencent Cloud) — per tenant, each edgesms template → the provider's approved template
// code and sign name (and, for positional variables, the order of the parameters).
import { z } from "zod";
import { json } from "../http/respond";
import { carrierKind } from "../carriers/registry";
import { templateParams } from "../core/content";
import { getCarrierRow } from "../store/carriers";
import { listCarrierTemplates, replaceCarrierTemplates, tenantTemplates, type CarrierTemplateRow } from "../store/carrier-templates";
import { AdminError, adminRoute, invalid, parseBody, parseParams, parseQuery, requireTenant, type Issue } from "./http";
import { decodeCursor, Page, page, PageQuery } from "./paging";
import { CarrierName } from "./carriers";
import { directoryDb, tenantDb } from "../store/db";

const Params = z.object({ name: CarrierName });

export const CarrierTemplateView = z.object({
  tenant_id: z.string(),
  template_id: z.number().int(),
  code: z.string().describe("the provider's approved template code (Aliyun TemplateCode, Tencent TemplateId)"),
  sign_name: z.string().describe("the provider's approved sign name"),
  params: z.array(z.string()).nullable().describe("edgesms parameter names in the order of the provider's {1}, {2}…; null for named variables"),
  updated_at: z.number().int(),
});

const view = (r: CarrierTemplateRow): z.infer<typeof CarrierTemplateView> => ({
  tenant_id: r.tenant_id,
  template_id: r.template_id,
  code: r.code,
  sign_name: r.sign_name,
  params: r.params === null ? null : (JSON.parse(r.params) as string[]),
  updated_at: r.updated_at,
});

const Mapping = z.strictObject({
  template_id: z.number().int().positive().describe("one of the tenant's templates"),
  code: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and -"),
  sign_name: z.string().trim().min(1).max(64),
  params: z.array(z.string().min(1).max(64)).max(50).nullable().default(null),
});

export const PutCarrierTemplatesBody = z.strictObject({
  tenant_id: z.string().min(1).max(64),
  templates: z.array(Mapping).max(500).describe("the tenant's whole mapping on this carrier (replaces the previous one; [] removes it)"),
});

const ListQuery = PageQuery.extend({ tenant_id: z.string().min(1).max(64).optional().describe("only this tenant's mappings") });

/** The carrier, which must exist and be of a template-based type. */
async function templatedCarrier(env: Env, name: string): Promise<void> {
  const row = await getCarrierRow(directoryDb(env), name);
  if (!row) throw new AdminError(404, "not_found", `carrier ${name} does not exist`);
  if (!carrierKind(row.type)?.templated) throw new AdminError(409, "not_templated", `a ${row.type} carrier sends free text and takes no template mapping`);
}

export const listCarrierTemplatesRoute = adminRoute(
  { method: "get", path: "/admin/v1/carriers/{name}/templates", summary: "List a carrier's template mapping", query: ListQuery, response: Page(CarrierTemplateView) },
  async (req, env) => {
    const { name } = parseParams(req, Params);
    const q = parseQuery(req, ListQuery);
    await templatedCarrier(env, name);
    const after = decodeCursor(q.cursor, z.tuple([z.string(), z.number().int()]));
    const rows = await listCarrierTemplates(directoryDb(env), name, q.tenant_id ?? null, q.limit + 1, after);
    return json(page(rows, q.limit, view, (r) => [r.tenant_id, r.template_id]));
  },
);

export const putCarrierTemplatesRoute = adminRoute(
  {
    method: "put",
    path: "/admin/v1/carriers/{name}/templates",
    summary: "Set a tenant's template mapping on a carrier",
    description:
      "Replaces the tenant's whole mapping on this Aliyun or Tencent carrier. A message whose template has no mapping here is not handed to this carrier: it goes to the next carrier of its route, or fails.",
    body: PutCarrierTemplatesBody,
    response: z.object({ tenant_id: z.string(), templates: z.array(CarrierTemplateView) }),
    errors: { "409": "not_templated: the carrier's type sends free text (Twilio, SMPP, simulator)" },
  },
  async (req, env) => {
    const { name } = parseParams(req, Params);
    const body = await parseBody(req, PutCarrierTemplatesBody);
    await templatedCarrier(env, name);
    await requireTenant(env, body.tenant_id);
    const contents = await tenantTemplates(tenantDb(env, body.tenant_id), body.templates.map((t) => t.template_id));
    const issues: Issue[] = [];
    const seen = new Set<number>();
    body.templates.forEach((t, i) => {
      if (seen.has(t.template_id)) issues.push({ path: `templates.${i}.template_id`, message: "listed twice" });
      seen.add(t.template_id);
      const content = contents.get(t.template_id);
      if (content === undefined) return issues.push({ path: `templates.${i}.template_id`, message: `template ${t.template_id} is not one of tenant ${body.tenant_id}'s` });
      const names = templateParams(content);
      for (const [j, p] of (t.params ?? []).entries()) if (!names.includes(p)) issues.push({ path: `templates.${i}.params.${j}`, message: `"${p}" is not a parameter of template ${t.template_id}` });
    });
    if (issues.length > 0) throw invalid("the mapping has invalid entries", issues);
    const rows = await replaceCarrierTemplates(directoryDb(env), name, body.tenant_id, body.templates, Date.now());
    return json({ tenant_id: body.tenant_id, templates: rows.map(view) });
  },
);
