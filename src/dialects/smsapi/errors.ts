// smsapi's answers: one envelope `{code, message, data}` for success (code 0) and refusal alike,
// the exhaustive CoreError → code/status table and the dialect's own refusals. The vendor document
// names no codes: these are edgesms's, five digits whose first three are the HTTP status.
import type { CoreError, CoreErrorCode } from "../../core/errors";
import { json } from "../../http/respond";

export interface SmsapiError {
  status: number;
  code: number;
}

const TEMPLATE: SmsapiError = { status: 400, code: 40010 };
const VERIFY: SmsapiError = { status: 400, code: 40014 };

export const SMSAPI_ERRORS: Record<CoreErrorCode, SmsapiError> = {
  invalid_input: { status: 400, code: 40001 },
  send_time_too_far: { status: 400, code: 40001 },
  invalid_mobile: { status: 400, code: 40002 },
  content_too_long: { status: 400, code: 40003 },
  too_many_recipients: { status: 400, code: 40004 },
  no_recipients: { status: 400, code: 40005 },
  signature_missing: { status: 400, code: 40006 },
  signature_not_found: { status: 400, code: 40007 },
  signature_pending: { status: 400, code: 40008 },
  signature_rejected: { status: 400, code: 40009 },
  template_not_found: TEMPLATE,
  template_pending: TEMPLATE,
  template_rejected: TEMPLATE,
  template_wrong_kind: TEMPLATE,
  template_param_missing: TEMPLATE,
  template_param_empty: TEMPLATE,
  blocked_word: { status: 400, code: 40011 },
  opted_out: { status: 400, code: 40012 },
  duplicate_recipient: { status: 400, code: 40013 },
  // No smsapi endpoint manages signatures, templates, tenants or keys: these cannot occur here.
  signature_name_taken: { status: 400, code: 40001 },
  signature_in_use: { status: 400, code: 40001 },
  template_locked: { status: 400, code: 40001 },
  template_changed: { status: 400, code: 40001 },
  invalid_placeholder: { status: 400, code: 40001 },
  tenant_exists: { status: 400, code: 40001 },
  too_many_access_keys: { status: 400, code: 40001 },
  code_wrong: VERIFY,
  code_expired: VERIFY,
  code_used: VERIFY,
  auth_failed: { status: 401, code: 40100 },
  token_expired: { status: 401, code: 40100 },
  insufficient_balance: { status: 402, code: 40200 },
  app_blocked: { status: 403, code: 40301 },
  ip_not_allowed: { status: 403, code: 40302 },
  sms_disabled: { status: 403, code: 40303 },
  kind_not_allowed: { status: 403, code: 40304 },
  not_found: { status: 404, code: 40400 },
  not_cancelable: { status: 409, code: 40900 },
  rate_limited: { status: 429, code: 42900 },
  repeat_send: { status: 429, code: 42901 },
  // Per item in batches, like an invalid mobile; the message says the destination has no price.
  no_price: { status: 400, code: 40002 },
  app_cap_exceeded: { status: 402, code: 40200 },
};

/** Refusals that belong to the dialect itself. */
export const SMSAPI_OWN = {
  badBody: { status: 400, code: 40000 },
  tenantMismatch: { status: 403, code: 40300 },
  notFound: { status: 404, code: 40400 },
  methodNotAllowed: { status: 405, code: 40500 },
  tooLarge: { status: 413, code: 41300 },
  unsupportedType: { status: 415, code: 41500 },
  server: { status: 500, code: 50000 },
} satisfies Record<string, SmsapiError>;

export const ok = (data: unknown): Response => json({ code: 0, message: "ok", data });

export const fail = (err: SmsapiError, message: string, data: unknown = null, headers: HeadersInit = {}): Response =>
  json({ code: err.code, message, data }, err.status, headers);

export const failCore = (e: CoreError, data: unknown = null): Response => {
  const retry: HeadersInit = e.detail.retryAfter !== undefined ? { "retry-after": String(e.detail.retryAfter) } : {};
  return fail(SMSAPI_ERRORS[e.code], e.message, data, retry);
};

/** A refused item of a batch: its code and the core's message. */
export const itemError = (e: CoreError): { code: number; message: string } => ({ code: SMSAPI_ERRORS[e.code].code, message: e.message });
