// GET and PUT /admin/v1/tenants/{id}/prices: the per-destination price table. The home country is
// billed at the tenant's per-kind prices (PATCH /admin/v1/tenants/{id}); any other destination
// needs a row here (its country, its calling code, or "*"), else its sends are refused.
import { z } from "zod";
import { isKnownCountry } from "../../core/phone";
import { MAX_PRICE_ROWS, priceTableProblems, PriceRowInput, readPriceTable, type PriceRow } from "../../core/pricing";
import type { Tenant } from "../../core/types";
import { json } from "../../http/respond";
import { AdminError, adminRoute, invalid, parseBody, parseParams, requireTenant } from "../http";
import { Prices } from "../views";
import { TenantParams } from "./schemas";
import { tenantDb } from "../../store/db";
import { replacePriceTable } from "../../store/tenants";

const HomeCountry = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .refine(isKnownCountry, "an ISO 3166-1 alpha-2 country code, e.g. CN");

export const PutPricesBody = z.strictObject({
  home_country: HomeCountry.optional().describe("billed at the tenant's per-kind prices; omitted: unchanged (default CN)"),
  prices: z.array(PriceRowInput).max(MAX_PRICE_ROWS).describe(`the whole table (replaces the stored one), at most ${MAX_PRICE_ROWS} rows`),
});

export const PriceTableView = z.object({
  home_country: z.string(),
  home_prices: Prices.describe("the tenant's per-kind prices: what a home-country mobile costs per segment"),
  prices: z.array(z.object({ destination: z.string(), kind: z.string().nullable(), price: z.number().int() })),
});

const view = (t: Tenant): z.infer<typeof PriceTableView> => ({
  home_country: t.homeCountry,
  home_prices: t.prices,
  prices: readPriceTable(t.priceTable).map((r) => ({ destination: r.destination, kind: r.kind, price: r.price })),
});

const ERRORS = { "404": "not_found: unknown tenant" };

export const getPricesRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}/prices", summary: "A tenant's prices by destination", response: PriceTableView, errors: ERRORS },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    return json(view(await requireTenant(env, id)));
  },
);

export const putPricesRoute = adminRoute(
  {
    method: "put",
    path: "/admin/v1/tenants/{id}/prices",
    summary: "Replace a tenant's prices by destination",
    description:
      "A mobile of the home country costs the tenant's per-kind price; any other is priced by the most specific row: " +
      "its country with the message's kind, its country, its calling code with the kind, its calling code, \"*\" with the kind, \"*\". " +
      "A destination no row prices is refused at send time (each dialect's invalid-mobile error), never billed.",
    body: PutPricesBody,
    response: PriceTableView,
    errors: ERRORS,
  },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    const tenant = await requireTenant(env, id);
    const body = await parseBody(req, PutPricesBody);
    const home = body.home_country ?? tenant.homeCountry;
    const rows: PriceRow[] = body.prices.map((r) => ({ destination: r.destination, kind: r.kind ?? null, price: r.price }));
    const problems = priceTableProblems(home, rows);
    if (problems.length > 0) {
      throw invalid("the price table has invalid rows", problems.map((p) => ({ path: `prices.${p.index}.destination`, message: p.message })));
    }
    if (!(await replacePriceTable(tenantDb(env, id), home, JSON.stringify(rows), Date.now()))) throw new AdminError(404, "not_found", `tenant ${id} does not exist`);
    return json(view((await requireTenant(env, id))));
  },
);
