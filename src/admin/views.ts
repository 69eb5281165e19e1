// What the operator API shows of each record (snake_case JSON), as zod schemas for the OpenAPI
// document and typed mappers that must satisfy them. No view ever carries a secret or its hash.
import { z } from "zod";
import { DIALECTS, KINDS, type App, type Message, type Tenant } from "../core/types";
import type { Signature, Template } from "../core/catalog";
import { contentForOperator } from "../core/secrecy";
import { capsState } from "../core/app-caps";
import { type LedgerEntry } from "../store/ledger";

const Kind = z.enum(KINDS);
const Review = z.enum(["pending", "approved", "rejected"]);

export const Prices = z.object({
  verification: z.number().int(),
  notification: z.number().int(),
  marketing: z.number().int(),
});

export const TenantView = z.object({
  id: z.string(),
  name: z.string(),
  balance: z.number().int().describe("minor units, 1 = 0.001 CNY"),
  prices: Prices.describe("price per segment by kind, minor units"),
  timezone: z.string(),
  settings: z.record(z.string(), z.unknown()),
  guard_buckets: z.number().int().describe("MobileGuard objects its mobiles hash into (GUARD_BUCKETS when it was created)"),
  guard_buckets_before: z.number().int().nullable().describe("the count before the last move; sends from before guard_moved_at are decided with it"),
  guard_moved_at: z.number().int().nullable().describe("epoch ms of the last move of guard_buckets"),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

export const tenantView = (t: Tenant): z.infer<typeof TenantView> => ({
  id: t.id,
  name: t.name,
  balance: t.balance,
  prices: t.prices,
  timezone: t.timezone,
  settings: t.settings,
  guard_buckets: t.guard.buckets,
  guard_buckets_before: t.guard.before?.buckets ?? null,
  guard_moved_at: t.guard.before?.movedAt ?? null,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
});

export const AppView = z.object({
  id: z.string(),
  tenant_id: z.string(),
  dialect: z.enum(DIALECTS),
  key: z.string().describe("the public identifier: appKey, devKey, appId, IAM user name or smsapi key id"),
  project_id: z.string().nullable(),
  name: z.string(),
  kinds: z.array(Kind),
  sms_enabled: z.boolean(),
  blocked: z.boolean(),
  ip_allowlist: z.array(z.string()).nullable(),
  default_signature_id: z.number().int().nullable(),
  report_url: z.string().nullable(),
  reply_url: z.string().nullable(),
  secret_version: z.number().int(),
  caps: z
    .object({
      daily: z.number().int().nullable().describe("spending cap per day (tenant timezone), minor units; null: none"),
      total: z.number().int().nullable().describe("spending cap in total, minor units; null: none"),
      spent_today: z.number().int(),
      spent_total: z.number().int().describe("since the cap counters exist (migration 0009) or the app was created"),
      remaining_today: z.number().int().nullable().describe("null: no daily cap"),
      remaining_total: z.number().int().nullable().describe("null: no total cap"),
    })
    .describe("inside the tenant's balance: a send needs both"),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

/** `timeZone`: the tenant's, whose day the daily cap counts in. */
export const appView = (a: App, timeZone: string, now = Date.now()): z.infer<typeof AppView> => ({
  id: a.id,
  tenant_id: a.tenantId,
  dialect: a.dialect,
  key: a.key,
  project_id: a.projectId,
  name: a.name,
  kinds: a.kinds,
  sms_enabled: a.smsEnabled,
  blocked: a.blocked,
  ip_allowlist: a.ipAllowlist,
  default_signature_id: a.defaultSignatureId,
  report_url: a.reportUrl,
  reply_url: a.replyUrl,
  secret_version: a.secretVersion,
  caps: capsView(a, timeZone, now),
  created_at: a.createdAt,
  updated_at: a.updatedAt,
});

function capsView(a: App, timeZone: string, now: number): z.infer<typeof AppView>["caps"] {
  const s = capsState(a, timeZone, now);
  return {
    daily: s.daily,
    total: s.total,
    spent_today: s.spentToday,
    spent_total: s.spentTotal,
    remaining_today: s.remainingToday,
    remaining_total: s.remainingTotal,
  };
}

export const SignatureView = z.object({
  id: z.number().int(),
  uid: z.string(),
  name: z.string(),
  type: z.number().int(),
  remark: z.string().nullable(),
  status: Review,
  review_note: z.string().nullable(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

export const signatureView = (s: Signature): z.infer<typeof SignatureView> => ({
  id: s.id,
  uid: s.uid,
  name: s.name,
  type: s.type,
  remark: s.remark,
  status: s.status,
  review_note: s.reviewNote,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});

export const TemplateView = z.object({
  id: z.number().int(),
  kind: Kind,
  content: z.string(),
  params: z.array(z.string()).describe("the {{name}} placeholders in order"),
  signature_id: z.number().int().nullable(),
  code_length: z.number().int(),
  ttl: z.number().int(),
  remark: z.string().nullable(),
  status: Review,
  review_note: z.string().nullable(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

export const templateView = (t: Template, params: string[]): z.infer<typeof TemplateView> => ({
  id: t.id,
  kind: t.kind,
  content: t.content,
  params,
  signature_id: t.signatureId,
  code_length: t.codeLength,
  ttl: t.ttl,
  remark: t.remark,
  status: t.status,
  review_note: t.reviewNote,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
});

export const MessageView = z.object({
  id: z.string(),
  batch_id: z.string(),
  app_id: z.string(),
  dialect: z.string(),
  channel: z.string(),
  kind: Kind,
  mobile: z.string(),
  content: z.string(),
  signature: z.string().nullable(),
  template_id: z.number().int().nullable(),
  params: z.record(z.string(), z.string()).nullable(),
  encoding: z.string(),
  segments: z.number().int(),
  price: z.number().int(),
  status: z.string(),
  result_code: z.string().nullable(),
  result_message: z.string().nullable(),
  send_at: z.number().int(),
  carrier: z.string().nullable(),
  carrier_ref: z.string().nullable(),
  attempts: z.number().int(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
  submitted_at: z.number().int().nullable(),
  reported_at: z.number().int().nullable(),
});

export const messageView = (m: Message): z.infer<typeof MessageView> => ({
  id: m.id,
  batch_id: m.batchId,
  app_id: m.appId,
  dialect: m.dialect,
  channel: m.channel,
  kind: m.kind,
  mobile: m.mobile,
  content: contentForOperator(m.kind, m.content),
  signature: m.signature,
  template_id: m.templateId,
  params: m.params,
  encoding: m.encoding,
  segments: m.segments,
  price: m.price,
  status: m.status,
  result_code: m.resultCode,
  result_message: m.resultMessage,
  send_at: m.sendAt,
  carrier: m.carrier,
  carrier_ref: m.carrierRef,
  attempts: m.attempts,
  created_at: m.createdAt,
  updated_at: m.updatedAt,
  submitted_at: m.submittedAt,
  reported_at: m.reportedAt,
});

export const LedgerView = z.object({
  id: z.number().int(),
  amount: z.number().int(),
  reason: z.string(),
  batch_id: z.string().nullable(),
  message_id: z.string().nullable(),
  note: z.string().nullable(),
  created_at: z.number().int(),
});

export const ledgerView = (l: LedgerEntry): z.infer<typeof LedgerView> => ({
  id: l.id,
  amount: l.amount,
  reason: l.reason,
  batch_id: l.batchId,
  message_id: l.messageId,
  note: l.note,
  created_at: l.createdAt,
});
