// Owns what a message costs per segment: the home country at the tenant's per-kind prices, every
// other destination by the tenant's price table (country, calling code or "*", optionally per kind),
// and no price at all as a refusal — a destination nobody priced is never billed at the home price.
import { z } from "zod";
import { CoreError } from "./errors";
import { callingCodeOf, countriesOfCallingCode, destinationOf, isKnownCountry } from "./phone";
import { KINDS, type Kind, type Tenant } from "./types";

/** At most this many rows: every send of the tenant carries the table with its tenant row. */
export const MAX_PRICE_ROWS = 1000;
/** The same ceiling as the per-kind prices (PricesInput). */
export const MAX_PRICE = 1_000_000;

export interface PriceRow {
  /** "US" (ISO 3166-1 alpha-2), "+44" (a country calling code) or "*" (any other destination). */
  destination: string;
  /** null: every kind without a row of its own. */
  kind: Kind | null;
  /** Minor units per segment (1 = 0.001 CNY). */
  price: number;
}

const Destination = z
  .string()
  .trim()
  .transform((s) => (s.startsWith("+") || s === "*" ? s : s.toUpperCase()))
  .refine(
    (s) => s === "*" || (s.startsWith("+") ? /^\+[1-9]\d{0,2}$/.test(s) && countriesOfCallingCode(s.slice(1)).length > 0 : isKnownCountry(s)),
    'a country code ("US"), a country calling code ("+44") or "*" for every other destination',
  );

export const PriceRowInput = z.strictObject({
  destination: Destination,
  kind: z.enum(KINDS).nullable().optional().describe("omitted or null: every kind without a row of its own"),
  price: z.number().int().min(0).max(MAX_PRICE).describe("minor units per segment (1 = 0.001 CNY)"),
});

/** Problems of a table as [row index or null, message]: duplicates, and rows the home country makes dead. */
export function priceTableProblems(home: string, rows: PriceRow[]): Array<{ index: number; message: string }> {
  const problems: Array<{ index: number; message: string }> = [];
  const seen = new Set<string>();
  const homeCode = callingCodeOf(home);
  // A calling code that is the home country's alone (+86 for CN) would never be reached.
  const homeOnly = countriesOfCallingCode(homeCode).length === 1;
  rows.forEach((r, index) => {
    const key = `${r.destination}|${r.kind ?? ""}`;
    if (seen.has(key)) problems.push({ index, message: `${r.destination}${r.kind ? ` (${r.kind})` : ""} is listed twice` });
    seen.add(key);
    if (r.destination === home || (homeOnly && r.destination === `+${homeCode}`)) {
      problems.push({ index, message: `${r.destination} is the home country: its prices are the tenant's prices (PATCH /admin/v1/tenants/{id})` });
    }
  });
  return problems;
}

/** A stored table; unreadable JSON prices nothing abroad (refusing beats billing a wrong price). */
export function readPriceTable(json: string): PriceRow[] {
  try {
    const rows = JSON.parse(json) as unknown;
    return Array.isArray(rows) ? (rows as PriceRow[]) : [];
  } catch {
    return [];
  }
}

/**
 * The per-segment price of `kind` for a mobile (normalizeMobile's E.164), or a no_price CoreError.
 * Most specific first: the home country (the tenant's prices), the country with this kind, the
 * country, the calling code with this kind, the calling code, "*" with this kind, "*". Home mobiles
 * (nearly every send) cost one regex; the table is parsed on the first mobile from abroad.
 */
export function pricerFor(tenant: Tenant, kind: Kind): (e164: string) => number | CoreError {
  const home = tenant.prices[kind];
  let table: Map<string, number> | null = null;
  return (e164) => {
    const { country, callingCode } = destinationOf(e164);
    if (country === tenant.homeCountry) return home;
    table ??= new Map(readPriceTable(tenant.priceTable).map((r) => [`${r.destination}|${r.kind ?? ""}`, r.price]));
    const keys = country ? [`${country}|${kind}`, `${country}|`] : [];
    keys.push(`+${callingCode}|${kind}`, `+${callingCode}|`, `*|${kind}`, "*|");
    for (const k of keys) {
      const price = table.get(k);
      if (price !== undefined) return price;
    }
    const where = country ? `${country} (+${callingCode})` : `+${callingCode}`;
    return new CoreError("no_price", `${e164}: no ${kind} price for destination ${where}; this destination is not enabled for the account`, { value: e164 });
  };
}
