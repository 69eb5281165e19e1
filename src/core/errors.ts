// The typed refusals of the core. Dialects map each code to their own documented error;
// the core never knows a vendor's number.

export const CORE_ERROR_CODES = [
  "invalid_mobile", // not a valid mobile number (malformed, landline, unknown country)
  "invalid_input", // a value the core cannot use (e.g. a bad send time); message says which
  "insufficient_balance",
  "rate_limited", // a MobileGuard window is full; retryAfter says when the oldest slot frees
  "repeat_send", // the same content to the same mobile inside the repeat window
  "opted_out", // the mobile unsubscribed from this tenant's marketing
  "blocked_word", // content holds a word from the tenant's or the global list
  "template_not_found", // unknown, or another tenant's
  "template_pending",
  "template_rejected",
  "template_wrong_kind",
  "template_param_missing", // a {{name}} without a value
  "template_param_empty", // a {{name}} given as an empty string
  "signature_not_found",
  "signature_pending",
  "signature_rejected",
  "signature_missing", // content carries no 【signature】 and none was named
  "kind_not_allowed", // the app may not send this kind
  "content_too_long",
  "too_many_recipients",
  "no_recipients",
  "not_found", // a message / batch / schedule of this tenant that does not exist
  "not_cancelable", // already released to the carrier
  "send_time_past", // a scheduled time not in the future, where the dialect refuses one (JPush); others send it now
  "send_time_too_far", // scheduled beyond SCHEDULE_HORIZON_DAYS (the accept pipeline refuses it for every dialect)
  "code_wrong",
  "code_expired",
  "code_used",
  "signature_name_taken", // the tenant already has a signature of that name
  "signature_in_review", // another signature of the tenant is under review, where review is one at a time (JPush)
  "signature_in_use", // a template uses it, or an app has it as its default: cannot be deleted
  "template_locked", // approved: it can no longer change
  "template_changed", // changed by someone else between read and write: read it and retry
  "invalid_placeholder", // template content whose {{name}} placeholders do not parse, or a code template without {{code}}
  "duplicate_recipient", // a mobile given twice in one request (where the vendor refuses that)
  "tenant_exists",
  "too_many_access_keys",
  "no_price", // the tenant has no price for this destination (and kind): refused, never billed at the home price
  "app_cap_exceeded", // the app's daily or total spending cap would be passed (its tenant's balance may still cover it)
  // Credential refusals: dialects answer these with their own auth errors.
  "auth_failed", // unknown key, wrong secret, bad token
  "token_expired", // expired, or revoked by a secret reset: the client should fetch a new one
  "app_blocked",
  "ip_not_allowed",
  "sms_disabled",
] as const;

export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

export class CoreError extends Error {
  override readonly name = "CoreError";
  constructor(
    readonly code: CoreErrorCode,
    message: string,
    readonly detail: { retryAfter?: number; field?: string; value?: string } = {},
  ) {
    super(message);
  }
}

export const isCoreError = (e: unknown): e is CoreError => e instanceof CoreError;
