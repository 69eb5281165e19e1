// An app (credential) as the core sees it, from its stored row.
import type { AppRow } from "../store/apps";
import type { TenantRow } from "../store/tenants";
import { toTenant } from "./tenants";
import type { App, Dialect, Kind, Tenant } from "./types";

export const toApp = (r: AppRow): App => ({
  id: r.id,
  tenantId: r.tenant_id,
  dialect: r.dialect as Dialect,
  key: r.key,
  projectId: r.project_id,
  secretHash: r.secret_hash,
  secretEnc: r.secret_enc,
  secretVersion: r.secret_version,
  name: r.name,
  kinds: r.kinds.split(",").filter(Boolean) as Kind[],
  smsEnabled: r.sms_enabled === 1,
  blocked: r.blocked === 1,
  ipAllowlist: r.ip_allowlist === null ? null : (JSON.parse(r.ip_allowlist) as string[]),
  defaultSignatureId: r.default_signature_id,
  reportUrl: r.report_url,
  replyUrl: r.reply_url,
  options: JSON.parse(r.options) as Record<string, unknown>,
  caps: {
    daily: r.cap_daily ?? null,
    total: r.cap_total ?? null,
    spentDay: r.spent_day ?? 0,
    spentDayStart: r.spent_day_start ?? 0,
    spentTotal: r.spent_total ?? 0,
  },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** An app read together with its tenant (authentication's one round trip). */
export const toAppAndTenant = (f: { app: AppRow; tenant: TenantRow }): { app: App; tenant: Tenant } => ({ app: toApp(f.app), tenant: toTenant(f.tenant) });
