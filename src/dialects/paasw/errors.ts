// Owns paasw's error vocabulary: the envelope {"code","message"}, the dialect's own refusals, the
// exhaustive CoreError → code table, the one refusal builder (refuse) and the router's onError. The
// vendor publishes only "10000" (its error list is "待更新"), so every other code here is edgesms's
// own: five digits, grouped by cause (docs/paasw.md).
// Business errors are HTTP 200: the vendor's Java SDK returns null for any non-200 answer, so a
// client could not read the reason otherwise.
import { isCoreError, type CoreErrorCode } from "../../core/errors";
import { logUnexpected, Refusal } from "../../http/router";

export interface PaaswError {
  code: string;
  /** The fixed Chinese label; the detail (which parameter, which number) follows it. */
  label: string;
}

const e = (code: string, label: string): PaaswError => ({ code, label });

/** Refusals that belong to the dialect itself. */
export const PAASW_OWN = {
  missingParam: e("10001", "缺少参数"),
  badParam: e("10002", "参数格式错误"),
  paramTooLong: e("10003", "参数超长"),
  bodyTooLarge: e("10004", "请求体过大"),
  tokenMissing: e("20001", "缺少token"),
  tokenInvalid: e("20002", "token无效"),
  tokenExpired: e("20003", "token已失效，请重新获取"),
  badCredentials: e("20004", "appId或secret错误"),
  templateParams: e("30008", "模板参数错误"),
  signMismatch: e("30013", "签名与内容不一致"),
  notFound: e("90404", "接口不存在"),
  methodNotAllowed: e("90405", "请求方式不支持"),
  server: e("99999", "系统繁忙，请稍后重试"),
} satisfies Record<string, PaaswError>;

const TEMPLATE_NOT_APPROVED = e("30007", "模板未审核通过");
const SIGN_NOT_APPROVED = e("30005", "签名未审核通过");
const NOT_APPLICABLE = PAASW_OWN.badParam;

export const PAASW_ERRORS: Record<CoreErrorCode, PaaswError> = {
  invalid_input: PAASW_OWN.badParam,
  auth_failed: PAASW_OWN.tokenInvalid,
  // Clients act on it: "fetch a new token", where an invalid one means a bug or a forgery.
  token_expired: PAASW_OWN.tokenExpired,
  app_blocked: e("20005", "应用已禁用"),
  ip_not_allowed: e("20006", "IP不在白名单内"),
  sms_disabled: e("20007", "短信服务未开通"),
  invalid_mobile: e("30001", "手机号码无效"),
  too_many_recipients: e("30002", "手机号码超过1000个"),
  no_recipients: e("30003", "没有手机号码"),
  signature_not_found: e("30004", "签名不存在"),
  signature_pending: SIGN_NOT_APPROVED,
  signature_rejected: SIGN_NOT_APPROVED,
  signature_missing: PAASW_OWN.missingParam,
  template_not_found: e("30006", "模板不存在"),
  template_pending: TEMPLATE_NOT_APPROVED,
  template_rejected: TEMPLATE_NOT_APPROVED,
  template_param_missing: PAASW_OWN.templateParams,
  template_param_empty: PAASW_OWN.templateParams,
  template_wrong_kind: e("30009", "模板类型不符"),
  content_too_long: e("30010", "内容超长"),
  blocked_word: e("30011", "内容含屏蔽词"),
  kind_not_allowed: e("30012", "短信类型不允许"),
  insufficient_balance: e("40001", "余额不足"),
  rate_limited: e("40002", "发送超频"),
  repeat_send: e("40003", "重复发送"),
  opted_out: e("40004", "用户已退订"),
  // Like invalid numbers: the whole request is refused, naming every number without a price.
  no_price: e("30001", "手机号码无效"),
  app_cap_exceeded: e("40001", "余额不足"),
  // No paasw endpoint looks up, cancels or verifies anything: these cannot occur here, and would be a bad parameter if they did.
  not_found: NOT_APPLICABLE,
  not_cancelable: NOT_APPLICABLE,
  send_time_past: NOT_APPLICABLE,
  send_time_too_far: NOT_APPLICABLE,
  code_wrong: NOT_APPLICABLE,
  code_expired: NOT_APPLICABLE,
  code_used: NOT_APPLICABLE,
  duplicate_recipient: NOT_APPLICABLE,
  signature_name_taken: NOT_APPLICABLE,
  signature_in_review: NOT_APPLICABLE,
  signature_in_use: NOT_APPLICABLE,
  template_locked: NOT_APPLICABLE,
  template_changed: NOT_APPLICABLE,
  invalid_placeholder: NOT_APPLICABLE,
  tenant_exists: NOT_APPLICABLE,
  too_many_access_keys: NOT_APPLICABLE,
};

/** The envelope, as a 200 unless told otherwise (only unknown paths and methods are not 200). */
export function paaswErrorResponse(err: PaaswError, detail?: string, status = 200): Response {
  const message = detail ? `${err.label}: ${detail}` : err.label;
  return new Response(JSON.stringify({ code: err.code, message }), {
    status,
    headers: { "content-type": "application/json;charset=utf-8" },
  });
}

/** The dialect's refusal, thrown by auth, input and endpoints and answered as it is by the router. */
export const refuse = (err: PaaswError, detail?: string, status = 200): Refusal =>
  new Refusal(paaswErrorResponse(err, detail, status), detail ?? err.label);

/**
 * The router's onError. HTTP 200 even for a fault: the Java SDK reads nothing from a non-200, and an
 * HTTP client that retries 5xx on its own could repeat a send whose batch had already been committed.
 */
export function onError(e: unknown, req: Request): Response {
  if (isCoreError(e)) return paaswErrorResponse(PAASW_ERRORS[e.code], e.message);
  logUnexpected("paasw", req, e);
  return paaswErrorResponse(PAASW_OWN.server);
}

/** The table for docs: code → label, in code order, without duplicates. */
export function errorTable(): Array<{ code: string; label: string }> {
  const all = [...Object.values(PAASW_OWN), ...Object.values(PAASW_ERRORS)];
  const seen = new Map<string, string>();
  for (const x of all) seen.set(x.code, x.label);
  return [...seen].map(([code, label]) => ({ code, label })).sort((a, b) => a.code.localeCompare(b.code));
}
