// Owns the zod schemas of the paasw dialect (requests and documented answers) and the documentation
// of a paasw route built from them (paaswRoutes: every endpoint answers GET and POST alike).
import { z } from "zod";
import { CustomerRef } from "../../core/status";
import type { Route, Handler } from "../../http/router";
import type { RouteDoc } from "../../openapi/registry";
import { errorTable, PAASW_OWN } from "./errors";

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

export const QueryParams = z.object({
  token: Token,
  bizId: z.string().regex(/^\d{1,32}$/, "must be a bizId returned by /sms/send or /sms/sendTemplate").describe("the send's bizId"),
  phoneNumber: z.string().max(32).optional().describe("only this number's message (mobile is accepted as an alias)"),
  mobile: z.string().max(32).optional(),
});

export const QueryItem = z.object({
  bizId: z.string(),
  phoneNumber: z.string(),
  status: z.enum(["scheduled", "sending", "delivered", "undelivered", "unknown", "failed", "canceled"]),
  success: z.boolean().nullable().describe("null until final"),
  code: z.string().nullable().describe("the report code once final: 10000 delivered, 1, 4–9 (as /sms/deliver)"),
  message: z.string().nullable().describe("the code's label, as /sms/deliver gives it"),
  sendTime: z.string().describe("YYYY-MM-DD HH:mm:ss, tenant timezone: when it was (or is to be) sent"),
  reportTime: z.string().nullable(),
  smsSize: z.string(),
  outId: z.string().nullable(),
});
export type QueryItem = z.infer<typeof QueryItem>;
export const QueryResponse = z.object({ code: z.literal("10000"), message: z.string(), bizId: z.string(), data: z.array(QueryItem) });

const ERRORS_DOC = {
  default: `Refusals are HTTP 200 with {"code","message"} and a code other than "10000": ${errorTable()
    .map((x) => `${x.code} ${x.label}`)
    .join("; ")} (docs/paasw.md)`,
  "404": `unknown path: {"code":"${PAASW_OWN.notFound.code}","message":"…"}`,
};

const PARAMS_NOTE = "Parameters may come in the query string, a form body or a JSON body (body values override query values); GET and POST are both accepted.";

export interface PaaswRouteDoc {
  path: string;
  summary: string;
  description: string;
  params: z.ZodType;
  response: z.ZodType;
  /** false: no token (GET /api/token itself). */
  auth?: boolean;
}

/** One endpoint as the vendor serves it: the same handler for GET (parameters in the query) and POST (a form or JSON body). */
export function paaswRoutes(d: PaaswRouteDoc, handle: Handler): Route[] {
  const doc = (method: "get" | "post"): RouteDoc => ({
    method,
    path: d.path,
    tag: "paasw gateway v1",
    summary: d.summary,
    description: `${d.description} ${PARAMS_NOTE}`,
    ...(method === "get" ? { query: d.params } : { body: d.params, contentTypes: ["application/x-www-form-urlencoded", "application/json"] }),
    // Refusals are HTTP 200 too (the vendor's rule): the 200 answer is the success shape or {code, message}.
    response: z.union([d.response, ErrorResponse]),
    errors: ERRORS_DOC,
    ...(d.auth === false ? {} : { security: "paaswToken" }),
  });
  return [{ doc: doc("get"), handle }, { doc: doc("post"), handle }];
}
