// Owns the zod schemas of the paasw dialect (requests and answers) and the mapping of a schema
// refusal to the dialect's parameter codes: missing → 10001, malformed → 10002, too long → 10003.
import { z } from "zod";
import { CustomerRef } from "../../core/status";
import type { Params } from "./params";
import { PAASW_OWN, paaswErrorResponse } from "./errors";

/** Most numbers one send takes (the document: 最多1000). */
export const MAX_NUMBERS = 1000;

// The document caps phoneNumbers at 1500 characters, which cannot hold its own 1000 numbers; the cap
// here is what 1000 numbers in any accepted spelling (+86 139 0000 0000，…) need.
const PHONE_NUMBERS_CHARS = 25_000;

const Token = z.string().max(200).describe("token from GET /api/token");
const Sign = z.string().max(20).regex(/^[^【】]+$/, "must not contain 【】").describe("approved signature name, without 【】 (a surrounding 【】 is tolerated)");
const PhoneNumbers = z
  .string()
  .max(PHONE_NUMBERS_CHARS)
  .describe("up to 1000 mobiles separated by , or ，; spaces are trimmed, duplicates are sent once");

export const TokenParams = z.object({
  appId: z.string().regex(/^\d{10}$/, "must be 10 digits").describe("app id (10 digits)"),
  // The document's table says at most 30 characters, its own example is 32 hex: 32 is what is issued.
  secret: z.string().max(32).regex(/^[0-9a-fA-F]+$/, "must be hexadecimal").describe("app secret (32 hex characters)"),
});

export const SendParams = z.object({
  token: Token,
  phoneNumbers: PhoneNumbers,
  sign: Sign,
  content: z.string().max(1000).describe("text, ≤ 1000 characters; 【sign】 is prefixed unless it already starts with it"),
  kind: z
    .enum(["1", "2", "3"], { error: "must be 1 (verification), 2 (notification) or 3 (marketing)" })
    .optional()
    .describe("1 verification, 2 notification, 3 marketing; required when the app may send more than one kind"),
  outId: CustomerRef.optional().describe("your own reference (≤ 64 characters), echoed in reports, pushes and /sms/query"),
});
export type SendParams = z.infer<typeof SendParams>;

export const SendTemplateParams = z.object({
  token: Token,
  phoneNumbers: PhoneNumbers,
  paramJson: z
    .string()
    .max(1_000_000)
    .optional()
    .describe('JSON text: one object for every number ({"name":"x"}), or an array of one object per number, in order'),
  templateId: z.string().regex(/^\d{1,20}$/, "must be a numeric template id").describe("an approved template of the tenant"),
  sign: Sign,
  content: z.string().max(1000).optional().describe("accepted for compatibility; the approved template's text is what is sent"),
  outId: CustomerRef.optional().describe("your own reference (≤ 64 characters), echoed in reports, pushes and /sms/query"),
});
export type SendTemplateParams = z.infer<typeof SendTemplateParams>;

export const TokenOnlyParams = z.object({ token: Token });
export const PullParams = z.object({ token: Token, sign: Sign.optional() });

export const TokenResponse = z.object({ code: z.literal("10000"), message: z.string(), token: z.string(), expires_in: z.number().int() });
export const SendResponse = z.object({ code: z.literal("10000"), message: z.string(), bizId: z.string() });
export const BalanceResponse = z.object({ code: z.literal("10000"), message: z.string(), balance: z.number() });
export const ErrorResponse = z.object({ code: z.string(), message: z.string() });

export const DeliverItem = z.object({
  phoneNumber: z.string(),
  sendTime: z.string().describe("YYYY-MM-DD HH:mm:ss, tenant timezone"),
  reportTime: z.string(),
  success: z.boolean(),
  code: z.string().describe('"10000" received; 1 submit failed, 4 failed, 5 blocked word, 6 rejected, 7 black/white list, 8 over frequency, 9 unknown'),
  message: z.string(),
  smsSize: z.string().describe("segments"),
  bizId: z.string(),
});
export const DeliverResponse = z.array(DeliverItem);
export const SmsUpItem = z.object({ phoneNumber: z.string(), sendTime: z.string(), content: z.string(), sequenceId: z.number().int() });
export const SmsUpResponse = z.array(SmsUpItem);

/**
 * Trims every value and drops empty ones, so that `sign=` and `sign=  ` are "missing" like an absent
 * sign; a surrounding 【…】 on sign is taken off (clients copy the signature as the handset shows it).
 */
export function cleanParams(p: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(p)) {
    const t = v.trim();
    if (t !== "") out[k] = t;
  }
  if (out.sign) {
    const m = /^【(.+)】$/.exec(out.sign);
    if (m) out.sign = m[1]!.trim();
  }
  return out;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

/** Validates cleaned params; the first issue becomes the envelope naming its parameter. */
export function parseParams<T>(schema: z.ZodType<T>, params: Params): Parsed<T> {
  const cleaned = cleanParams(params);
  const res = schema.safeParse(cleaned);
  if (res.success) return { ok: true, data: res.data };
  const issue = res.error.issues[0]!;
  const field = String(issue.path[0] ?? "body");
  if (issue.code === "invalid_type" && !(field in cleaned)) {
    return { ok: false, response: paaswErrorResponse(field === "token" ? PAASW_OWN.tokenMissing : PAASW_OWN.missingParam, `${field} is required`) };
  }
  if (issue.code === "too_big") return { ok: false, response: paaswErrorResponse(PAASW_OWN.paramTooLong, `${field} is longer than ${String(issue.maximum)} characters`) };
  return { ok: false, response: paaswErrorResponse(PAASW_OWN.badParam, `${field} ${issue.message}`) };
}
