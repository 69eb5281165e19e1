// Tencent Cloud SMS codes as edgesms acts on them, by the same rule as Aliyun's: a fault of the
// message itself (number, text, parameters, a per-number frequency limit) is permanent; a fault of
// the account, mapping or service (package balance, unapproved sign or template, rate limits,
// authentication) is transient and fails over; an internal error after arrival is unknown.
import type { DeliveryCode } from "../../core/types";

export type Verdict = { outcome: "transient" } | { outcome: "permanent"; code: DeliveryCode } | { outcome: "unknown" };

const T: Verdict = { outcome: "transient" };
const U: Verdict = { outcome: "unknown" };
const P = (code: DeliveryCode): Verdict => ({ outcome: "permanent", code });

/** Per-number `Code` of SendStatusSet and whole-call `Error.Code`, documented in docs/providers.md. */
export const TENCENT_SUBMIT_CODES: Record<string, Verdict> = {
  "InvalidParameterValue.IncorrectPhoneNumber": P("1"),
  "InvalidParameterValue.TemplateParameterFormatError": P("1"),
  "InvalidParameterValue.TemplateParameterLengthLimit": P("1"),
  "InvalidParameterValue.ContentLengthLimit": P("1"),
  "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter": P("5"),
  "FailedOperation.ContainSensitiveWord": P("5"),
  "FailedOperation.PhoneNumberInBlacklist": P("7"),
  "FailedOperation.PhoneNumberOnBlacklist": P("7"),
  "LimitExceeded.PhoneNumberThirtySecondLimit": P("8"),
  "LimitExceeded.PhoneNumberOneHourLimit": P("8"),
  "LimitExceeded.PhoneNumberDailyLimit": P("8"),
  "LimitExceeded.PhoneNumberSameContentDailyLimit": P("8"),
  "LimitExceeded.DeliveryFrequencyLimit": P("8"),
  "LimitExceeded.AppDailyLimit": T,
  "LimitExceeded.AppGlobalDailyLimit": T,
  "LimitExceeded.AppMainlandChinaDailyLimit": T,
  "LimitExceeded.AppCountryOrRegionDailyLimit": T,
  "LimitExceeded.DailyLimit": T,
  "LimitExceeded.PhoneNumberCountLimit": T,
  RequestLimitExceeded: T,
  "FailedOperation.InsufficientBalanceInSmsPackage": T,
  "FailedOperation.SignatureIncorrectOrUnapproved": T,
  "FailedOperation.TemplateIncorrectOrUnapproved": T,
  "FailedOperation.TemplateParamSetNotMatchApprovedTemplate": T,
  "FailedOperation.TemplateUnapprovedOrNotExist": T,
  "FailedOperation.MarketingSendTimeConstraint": T,
  "FailedOperation.JsonParseFail": T,
  "FailedOperation.FailResolvePacket": T,
  "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber": T,
  "UnsupportedOperation.UnsupportedRegion": T,
  "UnauthorizedOperation.SmsSdkAppIdVerifyFail": T,
  "UnauthorizedOperation.RequestIpNotInWhitelist": T,
  "UnauthorizedOperation.RequestPermissionDeny": T,
  "UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny": T,
  "UnauthorizedOperation.SerivceSuspendDueToArrears": T,
  "InvalidParameterValue.SdkAppIdNotExist": T,
  "AuthFailure.SignatureFailure": T,
  "AuthFailure.SignatureExpire": T,
  "AuthFailure.SecretIdNotFound": T,
  "AuthFailure.UnauthorizedOperation": T,
  "InternalError.RequestTimeException": T,
  "InternalError.SigFieldMissing": T,
  "InternalError.SigVerificationFail": T,
  "InternalError.RestApiInterfaceNotExist": T,
  "InternalError.Timeout": U,
  "InternalError.SendAndRecvFail": U,
  "InternalError.OtherError": U,
  InternalError: U,
};

export function submitVerdict(code: string): Verdict {
  return TENCENT_SUBMIT_CODES[code] ?? (code.startsWith("InternalError") ? U : T);
}

/** Receipt `errmsg` (push) / `Description` (pull) of a FAIL report → delivery code. */
export const TENCENT_RECEIPT_CODES: Record<string, DeliveryCode> = {
  DELIVRD: "10000",
  UNDELIV: "4",
  EXPIRED: "4",
  DELETED: "4",
  REJECTD: "6",
  MBBLACK: "7",
  BLACK: "7",
  UNKNOWN: "9",
};

export const receiptCode = (status: string, errmsg: string | null | undefined): DeliveryCode =>
  status.toUpperCase() === "SUCCESS" ? "10000" : (TENCENT_RECEIPT_CODES[(errmsg ?? "").toUpperCase()] ?? "4");
