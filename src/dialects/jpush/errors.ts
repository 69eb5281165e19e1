// JPush's answers to refusals: its documented code table (HTTP status, code, message), the
// exhaustive CoreError → code mapping, the one refusal class with the `{"error": {"code", "message"}}`
// shape, the router's onError, and each route's documented codes (jpushRoute).
import type { IRequest } from "itty-router";
import { CoreError, isCoreError, type CoreErrorCode } from "../../core/errors";
import { json } from "../../http/respond";
import { logUnexpected, Refusal, type DialectShapes, type Route } from "../../http/router";
import type { RouteDoc } from "../../openapi/registry";

export interface JpushError {
  status: number;
  code: number;
  /** The document's message; the answer appends what exactly was wrong. */
  text: string;
}

const e = (status: number, code: number, text: string): JpushError => ({ status, code, text });

/** The document's return-code table (plus 50043/50046/50102 from JPush's template and sign pages). */
export const JPUSH = {
  missingAuth: e(400, 50001, "missing auth"),
  authFailed: e(401, 50002, "auth failed"),
  missingBody: e(400, 50003, "missing body"),
  missingMobile: e(400, 50004, "missing mobile"),
  missingTempId: e(400, 50005, "missing temp_id"),
  invalidMobile: e(403, 50006, "invalid mobile"),
  invalidBody: e(403, 50007, "invalid body"),
  noSmsAuth: e(403, 50008, "no sms code auth"),
  outOfFreq: e(403, 50009, "out of freq"),
  invalidCode: e(403, 50010, "invalid code"),
  expiredCode: e(403, 50011, "expired code"),
  verifiedCode: e(403, 50012, "verified code"),
  invalidTempId: e(403, 50013, "invalid temp_id"),
  noMoney: e(403, 50014, "no money"),
  missingCode: e(400, 50015, "missing code"),
  apiNotFound: e(404, 50016, "api not found"),
  mediaNotSupported: e(415, 50017, "media not supported"),
  methodNotSupported: e(405, 50018, "request method not support"),
  serverError: e(500, 50019, "server error"),
  templateAuditing: e(403, 50020, "template auditing"),
  templateNotPass: e(403, 50021, "template not pass"),
  paramsNotAllReplaced: e(403, 50022, "parameters not all replaced"),
  paramsEmpty: e(403, 50023, "parameters is empty"),
  unsubscribed: e(403, 50024, "unsubscribed mobile"),
  wrongTemplateType: e(403, 50025, "wrong template type"),
  wrongMsgId: e(403, 50026, "wrong msg_id"),
  invalidSendTime: e(403, 50027, "invalid send_time"),
  invalidScheduleId: e(403, 50028, "invalid schedule_id"),
  wrongScheduleStatus: e(403, 50029, "wrong schedule status"),
  recipientsEmpty: e(403, 50030, "recipients is empty"),
  tooManyRecipients: e(403, 50031, "too much recipients"),
  repeatSend: e(403, 50034, "repeat send"),
  illegalIp: e(403, 50035, "illegal IP"),
  appInBlack: e(403, 50036, "app in black"),
  blackWord: e(403, 50037, "has black word"),
  invalidCodeLength: e(403, 50038, "invalid code length"),
  invalidCodeType: e(403, 50039, "invalid code type"),
  invalidVoiceLang: e(403, 50040, "invalid voice language type"),
  invalidTtl: e(403, 50041, "invalid ttl value"),
  templateEmpty: e(403, 50042, "template is empty"),
  templateTooLong: e(403, 50043, "template too long"),
  templateParamInvalid: e(403, 50044, "template parameter invalid"),
  remarkTooLong: e(403, 50045, "remark too long"),
  signatureNotSet: e(403, 50046, "signature not set"),
  templateModifyNotAllowed: e(403, 50047, "modify template not allow"),
  templateSpecialSymbol: e(403, 50052, "template contains special symbol"),
  invalidImage: e(403, 50101, "invalid image"),
  invalidSignId: e(403, 50102, "invalid sign id"),
  signInAudit: e(403, 50103, "other signatures in the audit"),
  invalidSignature: e(403, 50104, "invalid signature"),
  signUndeletable: e(403, 50105, "default signature cannot be deleted"),
} as const satisfies Record<string, JpushError>;

export type JpushErrorName = keyof typeof JPUSH;

/** Every core refusal has exactly one JPush code (the compiler checks the table is complete). */
export const CORE_TO_JPUSH: Record<CoreErrorCode, JpushErrorName> = {
  invalid_mobile: "invalidMobile",
  invalid_input: "invalidBody",
  insufficient_balance: "noMoney",
  rate_limited: "outOfFreq",
  repeat_send: "repeatSend",
  opted_out: "unsubscribed",
  blocked_word: "blackWord",
  template_not_found: "invalidTempId",
  template_pending: "templateAuditing",
  template_rejected: "templateNotPass",
  template_wrong_kind: "wrongTemplateType",
  template_param_missing: "paramsNotAllReplaced",
  template_param_empty: "paramsEmpty",
  signature_not_found: "invalidSignId",
  signature_pending: "invalidSignId",
  signature_rejected: "invalidSignId",
  signature_missing: "signatureNotSet",
  // 未开通短信业务: the app is not enabled for this kind of SMS.
  kind_not_allowed: "noSmsAuth",
  content_too_long: "templateTooLong",
  too_many_recipients: "tooManyRecipients",
  no_recipients: "recipientsEmpty",
  not_found: "wrongMsgId",
  not_cancelable: "wrongScheduleStatus",
  send_time_past: "invalidSendTime",
  send_time_too_far: "invalidSendTime",
  code_wrong: "invalidCode",
  code_expired: "expiredCode",
  code_used: "verifiedCode",
  signature_name_taken: "invalidSignature",
  signature_in_review: "signInAudit",
  signature_in_use: "signUndeletable",
  template_locked: "templateModifyNotAllowed",
  template_changed: "invalidBody",
  invalid_placeholder: "templateParamInvalid",
  // A mobile given twice, a tenant or an access key: not refusals any JPush endpoint makes.
  duplicate_recipient: "invalidBody",
  tenant_exists: "invalidBody",
  too_many_access_keys: "invalidBody",
  auth_failed: "authFailed",
  token_expired: "authFailed",
  app_blocked: "appInBlack",
  ip_not_allowed: "illegalIp",
  sms_disabled: "noSmsAuth",
  // A destination the account has no price for: the number cannot be sent to, as an invalid one.
  no_price: "invalidMobile",
  // 可发短信余量不足: JPush keeps a balance per app, which the app's cap is here.
  app_cap_exceeded: "noMoney",
};

/**
 * Every refusal of this dialect, whether the dialect finds it (body, fields, voice options) or core
 * does (through CORE_TO_JPUSH): `{...extra, "error": {"code", "message"}}` with the table's status.
 */
export class JpushRefusal extends Refusal {
  constructor(
    readonly error: JpushError,
    readonly detail: string,
    extra: Record<string, unknown> = {},
    retryAfter?: number,
  ) {
    const message = `${error.text}: ${detail}`;
    const headers: Record<string, string> = retryAfter !== undefined ? { "retry-after": String(retryAfter) } : {};
    super(json({ ...extra, error: { code: error.code, message } }, error.status, headers), message);
  }
}

export const refuse = (name: JpushErrorName, detail: string): JpushRefusal => new JpushRefusal(JPUSH[name], detail);

/**
 * The refusal of a known error (the dialect's own, or a core error through the table), with `extra`
 * top-level fields (POST /v1/codes/{msg_id}/valid answers `{"is_valid": false, "error": …}`); null
 * for an unexpected fault.
 */
export function refusalOf(err: unknown, extra: Record<string, unknown> = {}): JpushRefusal | null {
  if (err instanceof JpushRefusal) return Object.keys(extra).length === 0 ? err : new JpushRefusal(err.error, err.detail, extra);
  if (isCoreError(err)) return new JpushRefusal(JPUSH[CORE_TO_JPUSH[err.code]], err.message, extra, err.detail.retryAfter);
  return null;
}

/** A per-recipient refusal inside a batch answer (the document gives error_code as a string). */
export function itemError(err: CoreError | JpushRefusal): { error_code: string; error_message: string } {
  const r = refusalOf(err)!;
  return { error_code: String(r.error.code), error_message: r.message };
}

/** The router's answers for what no route answers: unknown paths, wrong methods, unexpected faults. */
export const shapes: DialectShapes = {
  name: "jpush",
  notFound: (req) => refuse("apiNotFound", `no API at ${req.method} ${new URL(req.url).pathname}`).response,
  methodNotAllowed: (req, allowed) => {
    const res = refuse("methodNotSupported", `${req.method} is not supported here; use ${allowed.join(", ")}`).response;
    res.headers.set("allow", allowed.join(", "));
    return res;
  },
  onError: (e, req) => {
    const known = refusalOf(e);
    if (known) return known.response;
    logUnexpected("jpush", req, e);
    // The reason is in the log only: the caller learns nothing of the internals.
    return json({ error: { code: JPUSH.serverError.code, message: JPUSH.serverError.text } }, JPUSH.serverError.status);
  },
};

/** "50013 invalid temp_id; 50020 template auditing": a route's documented codes for one status. */
export const codes = (...names: JpushErrorName[]): string => names.map((n) => `${JPUSH[n].code} ${JPUSH[n].text}`).join("; ");

const COMMON_ERRORS = {
  "400": codes("missingAuth", "missingBody", "missingMobile"),
  "401": codes("authFailed"),
  "404": codes("apiNotFound"),
  "405": codes("methodNotSupported"),
  "415": codes("mediaNotSupported"),
  "500": codes("serverError"),
};
/** The refusals every single-recipient send may get (403). */
export const SEND_403 = ["invalidMobile", "invalidBody", "noSmsAuth", "outOfFreq", "noMoney", "repeatSend", "illegalIp", "appInBlack", "blackWord"] as const;
/** The refusals of a send's template and signature (403). */
export const TEMPLATE_403 = [
  "invalidTempId",
  "templateAuditing",
  "templateNotPass",
  "paramsNotAllReplaced",
  "paramsEmpty",
  "wrongTemplateType",
  "signatureNotSet",
  "invalidSignId",
] as const;

/** One JPush endpoint: its documentation (Basic auth, the common codes plus its own) and its handler. */
export const jpushRoute = (
  doc: Omit<RouteDoc, "tag" | "security">,
  handle: (req: IRequest, env: Env) => Promise<Response>,
): Route => ({
  doc: { tag: "jpush", security: "jpushBasic", ...doc, errors: { ...COMMON_ERRORS, ...doc.errors } },
  handle,
});
