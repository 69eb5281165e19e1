// Zod schemas of the JPush SMS v1 requests and answers. Official SDKs send ids and numbers either
// as JSON numbers or as numeric strings (PHP, config files), so both are accepted; a value of the
// right type but out of range carries the document's own code (custom issue `params.jpush`).
import { z } from "zod";
import type { JpushErrorName } from "./errors";

/** Recipients per /v1/messages/batch request (50031 above it). */
export const MAX_RECIPIENTS = 1000;

const INT_TEXT = /^\s*-?\d{1,15}\s*$/;

/** An integer sent as a JSON number or a numeric string, within [min, max], else the `jpush` code. */
function intLike(jpush: JpushErrorName, field: string, min: number, max: number) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = typeof v === "number" ? v : INT_TEXT.test(v) ? Number(v) : Number.NaN;
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    ctx.addIssue({ code: "custom", message: `${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(v).slice(0, 40)}`, params: { jpush } });
    return z.NEVER;
  });
}

/** PHP turns numeric array keys into ints, so a mobile can arrive as a JSON number. */
export const Mobile = z.union([z.string(), z.number().int().nonnegative()]).transform(String);
export const TempId = intLike("invalidTempId", "temp_id", 1, 2_147_483_647);
export const SignId = intLike("invalidSignId", "sign_id", 1, 2_147_483_647);
/** JPush's own bound for a code's validity (templates page: 0 < ttl <= 86400 s). */
export const Ttl = intLike("invalidTtl", "ttl", 1, 86_400);
/** 0 Chinese, 1 English, 2 both. */
export const VoiceLang = intLike("invalidVoiceLang", "voice_lang", 0, 2);
/** Values the Java SDK may send as JSON null (an unset map value): treated as missing. */
export const TempPara = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullish();
export type TempPara = z.infer<typeof TempPara>;

/** A caller-chosen voice code: 4–8 digits, as a string (Java) or a number (C#). */
export const VoiceCode = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const s = typeof v === "number" ? (Number.isSafeInteger(v) && v >= 0 ? String(v) : "?") : v.trim();
  if (!/^\d*$/.test(s)) {
    ctx.addIssue({ code: "custom", message: "code must contain digits only", params: { jpush: "invalidCodeType" } });
    return z.NEVER;
  }
  if (s.length < 4 || s.length > 8) {
    ctx.addIssue({ code: "custom", message: `code must have 4 to 8 digits, got ${s.length}`, params: { jpush: "invalidCodeLength" } });
    return z.NEVER;
  }
  return s;
});

export const CodesRequest = z.object({
  mobile: Mobile,
  temp_id: TempId,
  sign_id: SignId.nullish(),
  /** Overrides the template's validity (seconds). */
  ttl: Ttl.nullish(),
  temp_para: TempPara,
});

export const VoiceCodesRequest = z.object({
  mobile: Mobile,
  code: VoiceCode.nullish(),
  voice_lang: VoiceLang.nullish(),
  ttl: Ttl.nullish(),
});

export const ValidRequest = z.object({ code: z.union([z.string().max(64), z.number()]).transform((v) => String(v).trim()) });

export const MessagesRequest = z.object({
  mobile: Mobile,
  temp_id: TempId,
  sign_id: SignId.nullish(),
  temp_para: TempPara,
});

export const BatchRecipient = z.object({ mobile: Mobile, temp_para: TempPara });

/** Recipients are checked one by one (BatchRecipient), so one bad recipient refuses only itself. */
export const BatchRequest = z.object({
  temp_id: TempId,
  sign_id: SignId.nullish(),
  recipients: z.array(z.unknown()),
});

export const BatchRequestDoc = BatchRequest.extend({ recipients: z.array(BatchRecipient).min(1).max(MAX_RECIPIENTS) });

export const ErrorObject = z.object({ code: z.number().int(), message: z.string() });
export const MsgIdResponse = z.object({ msg_id: z.string().meta({ description: "decimal digits, always a JSON string" }) });
export const ValidResponse = z.object({ is_valid: z.boolean(), error: ErrorObject.optional() });

const Failure = z.object({
  error_code: z.string(),
  error_message: z.string(),
  msg_id: z.string(),
  mobile: z.string(),
  temp_para: z.record(z.string(), z.unknown()).optional(),
});
export const BatchResponse = z.object({
  success_count: z.number().int(),
  failure_count: z.number().int(),
  recipients: z.array(z.union([z.object({ msg_id: z.string(), mobile: z.string() }), Failure])),
  /** The failures again, under the name the Java SDK's BatchSMSResult reads. */
  failure_recipients: z.array(Failure),
});

/** Reports and replies handed out per call of GET /v1/report and GET /v1/reply (the document's limit). */
export const INQUIRE_LIMIT = 500;

export const ReportRecord = z.object({
  msgId: z.string(),
  phone: z.string(),
  receiveTime: z.number().int().describe("ms"),
  status: z.number().int().describe("4001 delivered; 4002–4010, 4100 (JPush's send status codes)"),
});
export const ReplyRecord = z.object({ phone: z.string(), replyTime: z.number().int().describe("ms"), content: z.string() });

export const AppBalanceResponse = z.object({ app_balance: z.number().int() });
export const DevBalanceResponse = z.object({ dev_balance: z.number().int() });

const LOCAL_TIME = /^\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s*$/;

const SendTime = z
  .string()
  .refine((v) => LOCAL_TIME.test(v), { message: "send_time must be YYYY-MM-DD HH:mm:ss", params: { jpush: "invalidSendTime" } })
  .describe("YYYY-MM-DD HH:mm:ss in the tenant's timezone; in the future, within SCHEDULE_HORIZON_DAYS");

export const ScheduleRequest = MessagesRequest.extend({ send_time: SendTime });
/** Recipients are judged one by one (BatchRecipient), as in /v1/messages/batch. */
export const ScheduleBatchRequest = BatchRequest.extend({ send_time: SendTime });
export const ScheduleBatchRequestDoc = ScheduleBatchRequest.extend({ recipients: z.array(BatchRecipient).min(1).max(MAX_RECIPIENTS) });

export const ScheduleIdResponse = z.object({ schedule_id: z.string().meta({ description: "decimal digits, always a JSON string" }) });
export const ScheduleBatchResponse = BatchResponse.extend({
  schedule_id: z.string().nullable().meta({ description: "null when no recipient was accepted (nothing was scheduled)" }),
});
export const ScheduleView = z.object({
  schedule_id: z.string(),
  send_time: z.string().describe("YYYY-MM-DD HH:mm:ss in the tenant's timezone"),
  temp_id: z.number().int(),
  recipients: z.array(z.object({ msg_id: z.string(), mobile: z.string(), temp_para: z.record(z.string(), z.string()) })),
});

export const TemplateRequest = z.object({
  template: z.string().describe("content with {{name}} parameters, at most 350 characters"),
  type: z.union([z.literal(1), z.literal(2), z.literal(3)]).describe("1 verification code, 2 notification, 3 marketing"),
  ttl: z.number().int().optional().describe("seconds a code stays valid; required for type 1 (0 < ttl ≤ 86400)"),
  remark: z.string().optional().describe("at most 100 characters"),
  sign_id: z.number().int().optional().describe("the signature the template is sent with (one of the tenant's); default the app's"),
});
export const TempIdResponse = z.object({ temp_id: z.number().int() });
export const TemplateView = z.object({
  temp_id: z.number().int(),
  template: z.string(),
  type: z.number().int(),
  ttl: z.number().int(),
  remark: z.string().nullable(),
  sign_id: z.number().int().nullable(),
  status: z.number().int().describe("0 under review, 1 approved, 2 rejected"),
});

/** D1 keeps at most 2,000,000 bytes in one BLOB, so an image stays well below it. */
export const MAX_IMAGE_BYTES = 1024 * 1024;
/** The PHP SDK and JPush's document send image0…image3. Only the first is stored (one column). */
export const MAX_IMAGES = 4;

export const SignForm = z.object({
  sign: z.string().describe("the signature's name: 2–20 characters, without 【】"),
  type: z.string().optional().describe("1 company, 2 website, 3 app, 4 public account / mini program, 5 e-shop, 6 trademark, 7 other (default 1 on create)"),
  remark: z.string().optional().describe("what the signature is used for, at most 100 characters"),
  images: z.array(z.file()).optional().describe(`qualification images (JPEG, PNG, GIF or BMP, ≤ 1 MiB each, at most ${MAX_IMAGES}; also accepted as image0…image3)`),
});
export const SignIdResponse = z.object({ sign_id: z.number().int() });
export const SignInfo = z.object({
  sign_id: z.number().int(),
  sign: z.string(),
  status: z.number().int().describe("0 under review, 1 approved, 2 rejected"),
  is_default: z.number().int().describe("1 when it is this app's default signature"),
  use_status: z.number().int().describe("1 when a template or an app's default uses it"),
});
