// /admin/v1/routes: the routing table, read and replaced whole. The first rule that matches a
// message's tenant, kind and destination names the carriers it may go to, in order.
import { z } from "zod";
import { json } from "../http/respond";
import { KINDS } from "../core/types";
import type { RouteRule } from "../core/routing";
import { simulatorEnabled } from "../carriers/config";
import { SIMULATOR } from "../carriers/simulator";
import { getCarrierRows } from "../store/carriers";
import { listRouteRows, replaceRouteRows } from "../store/routes";
import { toRouteRule } from "../core/routing";
import { getTenantIds } from "../store/tenants";
import { adminRoute, invalid, parseBody, type Issue } from "./http";
import { CarrierName } from "./carriers";
import { directoryDb } from "../store/db";

export const MAX_RULES = 200;

const RouteRuleInput = z.strictObject({
  tenant: z.string().min(1).max(64).optional().describe("only this tenant's messages"),
  kind: z.enum(KINDS).optional().describe("only this kind"),
  prefix: z
    .string()
    .regex(/^\+?\d{1,15}$/, "a country calling code or number prefix in E.164 digits, e.g. +86 or +86139")
    .optional()
    .describe("destination: E.164 country calling code or longer number prefix"),
  carriers: z.array(CarrierName).min(1).max(8).describe("carriers tried in this order (failover)"),
});

export const RoutesBody = z.array(RouteRuleInput).max(MAX_RULES);

const RuleView = z.object({
  tenant: z.string().nullable(),
  kind: z.enum(KINDS).nullable(),
  prefix: z.string().nullable().describe("E.164 prefix with +"),
  carriers: z.array(z.string()),
});

export const RoutesView = z.object({
  rules: z.array(RuleView),
  fallback: z.string().nullable().describe("where messages go while the table is empty: the built-in simulator where it is enabled, else nowhere"),
});

const routesView = (env: Env, rules: RouteRule[]): z.infer<typeof RoutesView> => ({
  rules: rules.map((r) => ({ tenant: r.tenant, kind: r.kind, prefix: r.prefix === null ? null : `+${r.prefix}`, carriers: r.carriers })),
  fallback: simulatorEnabled(env) ? SIMULATOR : null,
});

export const getRoutesRoute = adminRoute(
  { method: "get", path: "/admin/v1/routes", summary: "The routing table", response: RoutesView },
  async (_req, env) => json(routesView(env, (await listRouteRows(directoryDb(env))).map(toRouteRule))),
);

export const putRoutesRoute = adminRoute(
  {
    method: "put",
    path: "/admin/v1/routes",
    summary: "Replace the routing table",
    description:
      "An ordered list of rules; the first that matches a message (tenant, kind, destination prefix; an absent condition matches all) names its carriers in failover order. `[{\"carriers\": [\"smsc\"]}]` sends everything through one carrier. Every named carrier and tenant must exist.",
    body: RoutesBody,
    response: RoutesView,
  },
  async (req, env) => {
    const body = await parseBody(req, RoutesBody);
    const names = [...new Set(body.flatMap((r) => r.carriers))];
    const tenants = [...new Set(body.flatMap((r) => (r.tenant === undefined ? [] : [r.tenant])))];
    const [rows, knownTenants] = await Promise.all([getCarrierRows(directoryDb(env), names), getTenantIds(directoryDb(env), tenants)]);
    const known = new Set(rows.map((r) => r.name));
    if (simulatorEnabled(env)) known.add(SIMULATOR);
    const issues: Issue[] = [];
    body.forEach((r, i) => {
      r.carriers.forEach((c, j) => known.has(c) || issues.push({ path: `${i}.carriers.${j}`, message: `no carrier named ${c}` }));
      if (r.tenant !== undefined && !knownTenants.has(r.tenant)) issues.push({ path: `${i}.tenant`, message: `no tenant ${r.tenant}` });
    });
    if (issues.length > 0) throw invalid("the routes name what does not exist", issues);
    const rules: RouteRule[] = body.map((r) => ({
      tenant: r.tenant ?? null,
      kind: r.kind ?? null,
      prefix: r.prefix === undefined ? null : r.prefix.replace(/^\+/, ""),
      carriers: r.carriers,
    }));
    await replaceRouteRows(directoryDb(env), rules.map((r) => ({ tenant_id: r.tenant, kind: r.kind, prefix: r.prefix, carriers: JSON.stringify(r.carriers) })));
    return json(routesView(env, rules));
  },
);
