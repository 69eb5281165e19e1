// Request pieces shared by the tenant endpoints: the path's tenant id and the price table.
import { z } from "zod";
import { TenantId, Timezone, TenantSettingsPatch } from "../../core/tenants";

// Looser than TenantId: an id that could never exist is simply not found.
export const TenantParams = z.object({ id: z.string().min(1).max(100) });

/** Minor units per segment (1 = 0.001 CNY); kinds left out keep their current (or default) price. */
export const PricesInput = z.strictObject({
  verification: z.number().int().min(0).max(1_000_000).optional(),
  notification: z.number().int().min(0).max(1_000_000).optional(),
  marketing: z.number().int().min(0).max(1_000_000).optional(),
});

export const TenantName = z.string().trim().min(1).max(100);

export { TenantId, Timezone, TenantSettingsPatch };
