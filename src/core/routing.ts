// Which carriers a message may go to: the first rule of the routing table that matches its tenant,
// kind and destination wins; a rule without conditions is the default. Pure, so dispatch can route
// a whole batch with the table it read once.
import type { Kind } from "./types";
import type { RouteRuleRow } from "../store/routes";

export interface RouteRule {
  tenant: string | null;
  kind: Kind | null;
  /** E.164 digits without "+": a country calling code or a longer number prefix. */
  prefix: string | null;
  carriers: string[];
}

export interface Routable {
  tenantId: string;
  kind: Kind;
  /** E.164 with "+". */
  mobile: string;
}

export const toRouteRule = (r: RouteRuleRow): RouteRule => ({ tenant: r.tenant_id, kind: r.kind, prefix: r.prefix, carriers: JSON.parse(r.carriers) as string[] });

export function ruleMatches(rule: RouteRule, m: Routable): boolean {
  return (
    (rule.tenant === null || rule.tenant === m.tenantId) &&
    (rule.kind === null || rule.kind === m.kind) &&
    (rule.prefix === null || m.mobile.startsWith(`+${rule.prefix}`))
  );
}

/**
 * The ordered carriers for a message. With an empty table, `fallback` (the built-in simulator where
 * it is enabled) takes everything; a table without a matching rule routes nowhere.
 */
export function carriersFor(rules: RouteRule[], m: Routable, fallback: string | null): string[] {
  if (rules.length === 0) return fallback === null ? [] : [fallback];
  return rules.find((r) => ruleMatches(r, m))?.carriers ?? [];
}
