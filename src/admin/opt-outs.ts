// A tenant's opt-outs (mobiles that unsubscribed from its marketing): list, get, add, remove.
import { z } from "zod";
import { CoreError } from "../core/errors";
import { normalizeMobile } from "../core/phone";
import { json } from "../http/respond";
import { deleteOptOut, getOptOut, insertOptOut, listOptOuts, type OptOut } from "../store/opt-outs";
import { AdminError, adminRoute, invalid, parseBody, parseParams, parseQuery, requireTenant } from "./http";
import { decodeCursor, Page, page, PageQuery } from "./paging";
import { TenantParams } from "./tenants/schemas";
import { tenantDb } from "../store/db";

// The router hands path segments over still percent-encoded; "+86…" arrives as "%2B86…".
const decoded = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const OptOutParams = TenantParams.extend({ mobile: z.string().min(1).max(64).transform(decoded) });

export const OptOutView = z.object({ mobile: z.string().describe("E.164"), source: z.string(), created_at: z.number().int() });
const view = (o: OptOut): z.infer<typeof OptOutView> => ({ mobile: o.mobile, source: o.source, created_at: o.createdAt });

export const AddOptOutBody = z.strictObject({
  mobile: z.string().min(1).max(32),
  source: z.string().trim().min(1).max(50).optional().describe("default admin"),
});

function e164(raw: string): string {
  try {
    return normalizeMobile(raw);
  } catch (e) {
    if (e instanceof CoreError) throw invalid("the request has invalid fields", [{ path: "mobile", message: e.message }]);
    throw e;
  }
}

export const listOptOutsRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}/opt-outs", summary: "List opt-outs (by mobile)", query: PageQuery, response: Page(OptOutView) },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const q = parseQuery(req, PageQuery);
    const after = decodeCursor(q.cursor, z.string());
    const rows = await listOptOuts(tenantDb(env, id), q.limit + 1, after);
    return json(page(rows, q.limit, view, (o) => o.mobile));
  },
);

export const getOptOutRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}/opt-outs/{mobile}", summary: "Whether a mobile opted out", response: OptOutView },
  async (req, env) => {
    const { id, mobile } = parseParams(req, OptOutParams);
    await requireTenant(env, id);
    const o = await getOptOut(tenantDb(env, id), e164(mobile));
    if (!o) throw new AdminError(404, "not_found", `${mobile} has not opted out`);
    return json(view(o));
  },
);

export const addOptOutRoute = adminRoute(
  {
    method: "post",
    path: "/admin/v1/tenants/{id}/opt-outs",
    summary: "Opt a mobile out of marketing",
    description: "Idempotent: an existing opt-out is answered as it is stored.",
    body: AddOptOutBody,
    response: OptOutView,
    status: 201,
  },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const body = await parseBody(req, AddOptOutBody);
    return json(view(await insertOptOut(tenantDb(env, id), e164(body.mobile), body.source ?? "admin", Date.now())), 201);
  },
);

export const deleteOptOutRoute = adminRoute(
  { method: "delete", path: "/admin/v1/tenants/{id}/opt-outs/{mobile}", summary: "Opt a mobile back in", status: 204 },
  async (req, env) => {
    const { id, mobile } = parseParams(req, OptOutParams);
    await requireTenant(env, id);
    if (!(await deleteOptOut(tenantDb(env, id), e164(mobile)))) throw new AdminError(404, "not_found", `${mobile} has not opted out`);
    return new Response(null, { status: 204 });
  },
);
