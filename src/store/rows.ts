// Row ↔ domain mapping for the tables several store modules read.
import type { App, Dialect, Kind, Message, Tenant } from "../core/types";
import { parseTenantSettings } from "../core/tenant-settings";

export interface TenantRow {
  id: string;
  name: string;
  balance: number;
  price_verification: number;
  price_notification: number;
  price_marketing: number;
  home_country?: string;
  price_table?: string;
  timezone: string;
  webhook_secret: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

export const toTenant = (r: TenantRow): Tenant => ({
  id: r.id,
  name: r.name,
  balance: r.balance,
  prices: { verification: r.price_verification, notification: r.price_notification, marketing: r.price_marketing },
  homeCountry: r.home_country ?? "CN",
  priceTable: r.price_table ?? "[]",
  timezone: r.timezone,
  webhookSecret: r.webhook_secret,
  settings: parseTenantSettings(r.settings),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface AppRow {
  id: string;
  tenant_id: string;
  dialect: string;
  key: string;
  project_id: string | null;
  secret_hash: string;
  secret_enc: string | null;
  secret_version: number;
  name: string;
  kinds: string;
  sms_enabled: number;
  blocked: number;
  ip_allowlist: string | null;
  default_signature_id: number | null;
  report_url: string | null;
  reply_url: string | null;
  options: string;
  cap_daily?: number | null;
  cap_total?: number | null;
  spent_day?: number;
  spent_day_start?: number;
  spent_total?: number;
  created_at: number;
  updated_at: number;
}

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

export interface MessageRow {
  id: string;
  tenant_id: string;
  app_id: string;
  batch_id: string;
  dialect: string;
  channel: string;
  kind: string;
  mobile: string;
  content: string;
  signature: string | null;
  template_id: number | null;
  params: string | null;
  encoding: string;
  segments: number;
  price: number;
  status: string;
  result_code: string | null;
  result_message: string | null;
  send_at: number;
  carrier: string | null;
  carrier_ref: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  reported_at: number | null;
}

export const toMessage = (r: MessageRow): Message => ({
  id: r.id,
  tenantId: r.tenant_id,
  appId: r.app_id,
  batchId: r.batch_id,
  dialect: r.dialect as Dialect,
  channel: r.channel as Message["channel"],
  kind: r.kind as Kind,
  mobile: r.mobile,
  content: r.content,
  signature: r.signature,
  templateId: r.template_id,
  params: r.params === null ? null : (JSON.parse(r.params) as Record<string, string>),
  encoding: r.encoding as Message["encoding"],
  segments: r.segments,
  price: r.price,
  status: r.status as Message["status"],
  resultCode: r.result_code,
  resultMessage: r.result_message,
  sendAt: r.send_at,
  carrier: r.carrier,
  carrierRef: r.carrier_ref,
  attempts: r.attempts,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  submittedAt: r.submitted_at,
  reportedAt: r.reported_at,
});
