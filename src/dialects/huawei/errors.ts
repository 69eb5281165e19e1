// Huawei SMN's error vocabulary: the exhaustive CoreError → code/status table, the dialect's own
// refusals, the two body shapes (SMN `{request_id, code, message}` under /v2, IAM Keystone `{error}`
// under /v3), the refusals handlers and input parsing throw, and the router's onError.
// Real published codes are reused where Huawei has one (SMN.0012, SMN.0024, SMN.0159, SMN.0160,
// SMN.0190, SMN.0261, SMN.0031; API-gateway APIGW.0301/0302/0101 for token and routing refusals).
// SMN.99xx codes are edgesms's own, for cases Huawei publishes no number for (docs/huawei.md).
import { isCoreError, type CoreError, type CoreErrorCode } from "../../core/errors";
import { newId } from "../../core/ids";
import { json } from "../../http/respond";
import { logUnexpected, Refusal } from "../../http/router";

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
  send_time_past: INVALID,
  send_time_too_far: INVALID,
  code_wrong: INVALID,
  code_expired: INVALID,
  code_used: INVALID,
  duplicate_recipient: { status: 400, code: "SMN.0190", message: "This endpoint already exists." },
  // No Huawei endpoint here manages signatures, templates, tenants or keys: these cannot occur.
  signature_name_taken: INVALID,
  signature_in_review: INVALID,
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

/** The publish routes' documented refusals (/openapi.json), by status. */
export const SMN_ERRORS_DOC = {
  "400": "SMN.0012 / SMN.0024 / SMN.0159 / SMN.0160 / SMN.0261 / SMN.99xx: bad body, 1000+ items, bad endpoint or message, balance (see docs/huawei.md)",
  "401": "APIGW.0301: missing, unknown or expired X-Auth-Token; AK/SK signature malformed, wrong, unknown access key, or X-Sdk-Date more than 15 minutes off",
  "403": "APIGW.0302: the path's project (or X-Project-Id) is not the token's, app blocked or IP not allowed; SMN.9910 kind not allowed",
  "413": "SMN.9413: body too large",
  "415": "SMN.9415: a content type that is not JSON",
  "429": "SMN.9429 / SMN.9430: per-mobile limit or repeated content (single form)",
};

/** The whole-request refusals of the status query besides its own 400. */
export const SMN_AUTH_ERRORS_DOC = { "401": SMN_ERRORS_DOC["401"], "403": "APIGW.0302: the path's project is not the credential's" };

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

const smnCoreError = (e: CoreError): Response => {
  const { code, message } = smnItem(e);
  return smnErrorResponse({ status: SMN_ERRORS[e.code].status, code, message });
};

const TITLES: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 413: "Request Entity Too Large", 415: "Unsupported Media Type", 500: "Internal Server Error" };

/** IAM (Keystone) error body: `error.code` is the HTTP status as a number, `title` its reason phrase. */
export const iamError = (status: number, message: string): Response =>
  json({ error: { code: status, title: TITLES[status] ?? "Error", message } }, status);

/**
 * The refusal to throw: an SMN error (`err`, with `message` where Huawei has no fixed text) or, for
 * the IAM routes, a Keystone error (`{ iam: status }`). The router answers its response as it is.
 */
export function refuse(err: SmnError | { iam: number }, message?: string): Refusal {
  const response = "iam" in err ? iamError(err.iam, message ?? TITLES[err.iam] ?? "Error") : smnErrorResponse(err, message);
  return new Refusal(response, message ?? ("code" in err ? err.code : "refused"));
}

/**
 * IAM login's answer to a core credential refusal: a wrong user or password is 401 (the same text
 * whichever it was), an app's state (blocked, IP, SMS disabled) 403 with the reason.
 */
export const iamLoginRefusal = (e: CoreError): Refusal =>
  e.code === "auth_failed" ? refuse({ iam: 401 }, "The username or password is wrong.") : refuse({ iam: 403 }, e.message);

/** Paths in IAM's (Keystone's) realm: they answer IAM's error shape for 404, 405 and 500. */
export const isIam = (req: Request): boolean => new URL(req.url).pathname.startsWith("/v3/");

/**
 * Core errors through the SMN table (on /v3/projects too: its credential refusals are the API
 * gateway's, as on the SMN routes); anything else is logged and answered with the path's 500 shape.
 */
export function onError(e: unknown, req: Request): Response {
  if (isCoreError(e)) return smnCoreError(e);
  logUnexpected("huawei", req, e);
  return isIam(req) ? iamError(500, "An unexpected error prevented the server from fulfilling your request.") : smnErrorResponse(SMN_OWN.server);
}
