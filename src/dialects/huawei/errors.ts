// Huawei SMN's error vocabulary: the exhaustive CoreError → code/status table, the dialect's own
// refusals, and the two body shapes (SMN `{request_id, code, message}`, IAM Keystone `{error}`).
// Real published codes are reused where Huawei has one (SMN.0012, SMN.0024, SMN.0159, SMN.0160,
// SMN.0190, SMN.0261, SMN.0031; API-gateway APIGW.0301/0302/0101 for token and routing refusals).
// SMN.99xx codes are edgesms's own, for cases Huawei publishes no number for (docs/huawei.md).
import type { CoreError, CoreErrorCode } from "../../core/errors";
import { newId } from "../../core/ids";
import { json } from "../../http/respond";

export interface SmnError {
  status: number;
  code: string;
  /** Huawei's fixed English text; absent: the core error's own message is used. */
  message?: string;
}

const INVALID: SmnError = { status: 400, code: "SMN.9900" };
const SIGN: SmnError = { status: 400, code: "SMN.9901" };
const TEMPLATE: SmnError = { status: 400, code: "SMN.0031", message: "Parameter: template_id is invalid." };

export const SMN_ERRORS: Record<CoreErrorCode, SmnError> = {
  invalid_mobile: { status: 400, code: "SMN.0160", message: "Invalid endpoint." },
  invalid_input: INVALID,
  insufficient_balance: { status: 400, code: "SMN.0261", message: "Check whether your account balance is sufficient." },
  rate_limited: { status: 429, code: "SMN.9429" },
  repeat_send: { status: 429, code: "SMN.9430" },
  opted_out: { status: 400, code: "SMN.9907" },
  blocked_word: { status: 400, code: "SMN.9908" },
  template_not_found: TEMPLATE,
  template_pending: TEMPLATE,
  template_rejected: TEMPLATE,
  template_wrong_kind: TEMPLATE,
  template_param_missing: TEMPLATE,
  template_param_empty: TEMPLATE,
  signature_not_found: SIGN,
  signature_pending: { status: 400, code: "SMN.9902" },
  signature_rejected: { status: 400, code: "SMN.9903" },
  signature_missing: { status: 400, code: "SMN.9904" },
  kind_not_allowed: { status: 403, code: "SMN.9910" },
  content_too_long: { status: 400, code: "SMN.0024", message: "Parameter: content is invalid." },
  too_many_recipients: { status: 400, code: "SMN.0159", message: "The number of endpoints has reached the maximum allowed." },
  no_recipients: INVALID,
  not_found: { status: 404, code: "SMN.9404" },
  not_cancelable: INVALID,
  send_time_too_far: INVALID,
  code_wrong: INVALID,
  code_expired: INVALID,
  code_used: INVALID,
  duplicate_recipient: { status: 400, code: "SMN.0190", message: "This endpoint already exists." },
  // No Huawei endpoint here manages signatures, templates, tenants or keys: these cannot occur.
  signature_name_taken: INVALID,
  signature_in_use: INVALID,
  template_locked: INVALID,
  template_changed: INVALID,
  invalid_placeholder: INVALID,
  tenant_exists: INVALID,
  too_many_access_keys: INVALID,
  auth_failed: { status: 401, code: "APIGW.0301" },
  token_expired: { status: 401, code: "APIGW.0301" },
  app_blocked: { status: 403, code: "APIGW.0302" },
  ip_not_allowed: { status: 403, code: "APIGW.0302" },
  sms_disabled: { status: 403, code: "APIGW.0302" },
  // Huawei's invalid-endpoint code, with the reason (no price for the destination) as its message.
  no_price: { status: 400, code: "SMN.0160" },
  // The app's cap is its own balance: Huawei's insufficient-balance code.
  app_cap_exceeded: { status: 400, code: "SMN.0261", message: "Check whether your account balance is sufficient." },
};

/** Refusals that belong to the dialect itself (no core counterpart). */
export const SMN_OWN = {
  badBody: { status: 400, code: "SMN.9900" },
  badEndpoint: { status: 400, code: "SMN.0012", message: "Parameter: Endpoint is invalid." },
  badMessage: { status: 400, code: "SMN.0024", message: "Parameter: content is invalid." },
  tooLarge: { status: 413, code: "SMN.9413" },
  unsupportedType: { status: 415, code: "SMN.9415" },
  projectMismatch: { status: 403, code: "APIGW.0302" },
  notFound: { status: 404, code: "APIGW.0101", message: "The API does not exist or has not been published in the environment." },
  methodNotAllowed: { status: 405, code: "SMN.9405" },
  server: { status: 500, code: "SMN.9500", message: "Internal server error." },
} satisfies Record<string, SmnError>;

/** The per-item (or whole-request) code and text for a core refusal. */
export function smnItem(e: CoreError): { code: string; message: string } {
  const entry = SMN_ERRORS[e.code];
  if (e.code === "auth_failed" || e.code === "token_expired") return { code: entry.code, message: `Incorrect IAM authentication information: ${e.message}` };
  return { code: entry.code, message: entry.message ?? e.message };
}

/** A whole-request SMN error body. `code` is always a JSON string (the Go SDK refuses a number). */
export function smnErrorResponse(err: SmnError, message?: string): Response {
  return json({ request_id: newId(), code: err.code, message: err.message ?? message ?? err.code }, err.status);
}

export const smnCoreError = (e: CoreError): Response => {
  const { code, message } = smnItem(e);
  return smnErrorResponse({ status: SMN_ERRORS[e.code].status, code, message });
};

const TITLES: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 413: "Request Entity Too Large", 415: "Unsupported Media Type", 500: "Internal Server Error" };

/** IAM (Keystone) error body: `error.code` is the HTTP status as a number, `title` its reason phrase. */
export const iamError = (status: number, message: string): Response =>
  json({ error: { code: status, title: TITLES[status] ?? "Error", message } }, status);
