// Aliyun's codes as edgesms acts on them. The rule: what is wrong with the message itself (its
// number, its text, its parameters, a per-number frequency limit) is permanent; what is wrong with
// the account, the mapping or the service (balance, signature or template not approved, rate
// limits, authentication) is transient, so the message fails over to the next carrier of its
// rule; a server fault after the request arrived is unknown (reconciled by QuerySendDetails).
import type { DeliveryCode } from "../../core/types";

export type Verdict = { outcome: "transient" } | { outcome: "permanent"; code: DeliveryCode } | { outcome: "unknown" };

const T: Verdict = { outcome: "transient" };
const U: Verdict = { outcome: "unknown" };
const P = (code: DeliveryCode): Verdict => ({ outcome: "permanent", code });

/** Submit answers (SendSms / SendBatchSms `Code`), documented in docs/providers.md. */
export const ALIYUN_SUBMIT_CODES: Record<string, Verdict> = {
  "isv.MOBILE_NUMBER_ILLEGAL": P("1"),
  "isv.INVALID_PARAMETERS": P("1"),
  "isv.INVALID_JSON_PARAM": P("1"),
  "isv.PARAM_LENGTH_LIMIT": P("1"),
  "isv.TEMPLATE_MISSING_PARAMETERS": P("1"),
  "isv.TEMPLATE_PARAMS_ILLEGAL": P("1"),
  "isv.PARAM_NOT_SUPPORT_URL": P("5"),
  "isv.SMS_CONTENT_ILLEGAL": P("5"),
  "isv.BLACK_KEY_CONTROL_LIMIT": P("5"),
  "isv.BUSINESS_LIMIT_CONTROL": P("8"),
  "isv.BLACK_USER_CONTROL_LIMIT": P("7"),
  "isv.DAY_LIMIT_CONTROL": T,
  "isv.MONTH_LIMIT_CONTROL": T,
  "isv.SMS_TEMPLATE_ILLEGAL": T,
  "isv.SMS_SIGNATURE_ILLEGAL": T,
  "isv.SMS_SIGN_ILLEGAL": T,
  "isv.SIGN_NAME_ILLEGAL": T,
  "isv.DOMESTIC_NUMBER_NOT_SUPPORTED": T,
  "isv.AMOUNT_NOT_ENOUGH": T,
  "isv.OUT_OF_SERVICE": T,
  "isv.PRODUCT_UN_SUBSCRIPT": T,
  "isv.PRODUCT_UNSUBSCRIBE": T,
  "isv.ACCOUNT_NOT_EXISTS": T,
  "isv.ACCOUNT_ABNORMAL": T,
  "isv.EXTEND_CODE_ERROR": T,
  "isv.DENY_IP_RANGE": T,
  "isv.MOBILE_COUNT_OVER_LIMIT": T,
  "isp.RAM_PERMISSION_DENY": T,
  "isp.SYSTEM_ERROR": U,
  SignatureDoesNotMatch: T,
  IncompleteSignature: T,
  SignatureNonceUsed: T,
  "InvalidTimeStamp.Expired": T,
  "InvalidAccessKeyId.NotFound": T,
  "InvalidAccessKeyId.Inactive": T,
  Forbidden: T,
  "Forbidden.RAM": T,
  Throttling: T,
  "Throttling.User": T,
  "Throttling.Api": T,
  ServiceUnavailable: T,
  InternalError: U,
};

/** A code absent from the table: a server-side ("isp.") fault may have acted, anything else refused. */
export function submitVerdict(code: string): Verdict {
  return ALIYUN_SUBMIT_CODES[code] ?? (code.startsWith("isp.") || code.startsWith("InternalError") ? U : T);
}

/** Receipt `err_code` (and QuerySendDetails `ErrCode`) of an undelivered message → delivery code. */
export const ALIYUN_RECEIPT_CODES: Record<string, DeliveryCode> = {
  DELIVERED: "10000",
  UNDELIV: "4",
  EXPIRED: "4",
  DELETED: "4",
  REJECTD: "6",
  REJECTED: "6",
  MBBLACK: "7",
  BLACKLIST: "7",
  UNKNOWN: "9",
};

export const receiptCode = (errCode: string | undefined, success: boolean): DeliveryCode =>
  success ? "10000" : (ALIYUN_RECEIPT_CODES[(errCode ?? "").toUpperCase()] ?? "4");
