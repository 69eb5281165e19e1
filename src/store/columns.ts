// The column vocabularies the schema fixes (CHECK constraints and the values the store writes):
// the store owns them so that it never imports upward; src/core/types.ts re-exports them for callers.

export const KINDS = ["verification", "notification", "marketing"] as const;
export type Kind = (typeof KINDS)[number];

export const DIALECTS = ["jpush", "jpush_dev", "paasw", "huawei", "smsapi"] as const;
export type Dialect = (typeof DIALECTS)[number];

export type Channel = "sms" | "voice";

export type MessageStatus =
  | "scheduled"
  | "queued"
  | "submitted"
  | "delivered"
  | "undelivered"
  /** Final, code 9: nobody can tell whether it arrived (no receipt within the report window). Not refunded. */
  | "unknown"
  | "failed"
  | "canceled";

export const CARRIER_TYPES = ["simulator", "smpp", "aliyun", "tencent", "twilio"] as const;
export type CarrierType = (typeof CARRIER_TYPES)[number];

/** webhook_deliveries.topic. */
export type PushTopic = "reports" | "replies" | "reviews";
