// smsapi's answers: one envelope `{code, message, data}` for success (code 0) and refusal alike,
// the exhaustive CoreError → code/status table, the dialect's own refusals, the one builder of a
// thrown Refusal and the router's onError. The vendor document
// names no codes: these are edgesms's, five digits whose first three are the HTTP status.
import { isCoreError, type CoreError, type CoreErrorCode } from "../../core/errors";
import { json } from "../../http/respond";
import { logUnexpected, Refusal, type Handler, type Route } from "../../http/router";
import type { RouteDoc } from "../../openapi/registry";

export interface SmsapiError {
  status: number;
  code: number;
}

const TEMPLATE: SmsapiError = { status: 400, code: 40010 };
const VERIFY: SmsapiError = { status: 400, code: 40014 };

export const SMSAPI_ERRORS: Record<CoreErrorCode, SmsapiError> = {
  invalid_input: { status: 400, code: 40001 },
  send_time_past: { status: 400, code: 40001 },
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
  signature_in_review: { status: 400, code: 40001 },
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

/** The envelope of a refusal, thrown: the router answers `e.response` as it is. */
export const refuse = (err: SmsapiError, message: string, data: unknown = null, headers: HeadersInit = {}): Refusal =>
  new Refusal(json({ code: err.code, message, data }, err.status, headers), message);

/** A core refusal through the table; a rate limit carries its Retry-After. */
export const refuseCore = (e: CoreError, data: unknown = null): Refusal => {
  const retry: HeadersInit = e.detail.retryAfter !== undefined ? { "retry-after": String(e.detail.retryAfter) } : {};
  return refuse(SMSAPI_ERRORS[e.code], e.message, data, retry);
};

/** A refused item of a batch: its code and the core's message. */
export const itemError = (e: CoreError): { code: number; message: string } => ({ code: SMSAPI_ERRORS[e.code].code, message: e.message });

/** The router's answer to anything thrown that is not a Refusal: core errors through the table, the rest a logged 50000. */
export function onError(e: unknown, req: Request): Response {
  if (isCoreError(e)) return refuseCore(e).response;
  logUnexpected("smsapi", req, e);
  return refuse(SMSAPI_OWN.server, "internal server error").response;
}

/** The codes every send route documents (its `errors`, by HTTP status). */
export const SEND_ERRORS = {
  "400": "40000 bad body, 40001 invalid value (e.g. sendTime), 40002 invalid mobile, 40004 over 1000 recipients, 40006–40009 signature, 40011 blocked word, 40013 repeated mobile",
  "401": "40100 missing or wrong API key",
  "402": "40200 balance too low (nothing is sent)",
  "403": "40300 tenantId is not the key's tenant; 40301 key blocked; 40302 IP not allowed; 40303 SMS disabled; 40304 kind not allowed",
  "413": "41300 body too large",
  "429": "42900 per-mobile limit, 42901 same content repeated",
};

/** An smsapi route: tagged, behind the bearer key. */
export const smsapiRoute = (doc: Omit<RouteDoc, "tag" | "security">, handle: Handler): Route => ({
  doc: { tag: "smsapi", security: "smsapiBearer", ...doc },
  handle,
});
