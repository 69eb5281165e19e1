// Zod schemas of smsapi v1: the request bodies (and the status query), the documented answers, and
// the sendTime rule.
import { z } from "zod";
import { CoreError } from "../../core/errors";
import { CustomerRef } from "../../core/status";

/** edgesms extension (Aliyun's outId): the customer's own reference, echoed in status queries and pushes. */
const OutId = CustomerRef.optional().describe("edgesms extension: your own reference (≤ 64 characters), echoed by /sms/status and pushes");

/** Recipients per request, as everywhere in edgesms. */
export const MAX_RECIPIENTS = 1000;

const Mobile = z.union([z.string().max(64), z.number().int().nonnegative()]).transform(String);
const Content = z.string().min(1, "content is empty");
const TenantId = z.union([z.string().max(128), z.number()]).transform(String).optional().nullable();
const Bool = z
  .union([z.boolean(), z.string().regex(/^(true|false)$/i, "must be true or false")])
  .optional()
  .transform((v) => v === true || (typeof v === "string" && v.toLowerCase() === "true"));

/** 0 = now; otherwise a Unix timestamp in seconds (10 digits) or milliseconds (13 digits). */
export const SendTime = z
  .union([z.number(), z.string().regex(/^\s*\d+\s*$/, "must be a Unix timestamp")])
  .optional()
  .nullable()
  .transform((v) => (v === undefined || v === null ? 0 : Number(v)))
  .describe("0 = send now; a Unix timestamp in seconds (10 digits) or milliseconds (13 digits)");

export const IndustryRequest = z.object({
  mobile: Mobile,
  content: Content,
  tenantId: TenantId,
  kind: z.enum(["verification", "notification"]).optional().describe("edgesms extension; default notification (verification if the key may only send that)"),
  outId: OutId,
});

const Marketing = Bool.describe("edgesms extension: true sends as marketing (opt-outs honoured); default notification");

export const PersonalityRequest = z.object({
  smses: z.array(z.object({ mobile: Mobile, content: Content, outId: OutId })).min(1, "smses is empty").max(MAX_RECIPIENTS),
  sendTime: SendTime,
  tenantId: TenantId,
  marketing: Marketing,
  outId: OutId.describe("edgesms extension: the reference of every item that carries none of its own"),
});

/** "a,b,c" as documented; a JSON array is taken too. */
export const BatchRequest = z.object({
  mobiles: z.union([z.string(), z.array(Mobile)]),
  content: Content,
  sendTime: SendTime,
  tenantId: TenantId,
  marketing: Marketing,
  outId: OutId,
});

export const CancelRequest = z.object({
  id: z.union([z.string(), z.array(z.union([z.string(), z.number()]).transform(String))]),
  tenantId: TenantId,
});

/** GET takes these in the query, POST in the body. */
export const StatusRequest = z.object({
  ids: z.union([z.string(), z.array(z.union([z.string(), z.number()]).transform(String))]).optional().describe("message ids (comma list or array), at most 1000"),
  batchId: z.union([z.string(), z.number()]).transform(String).optional().describe("a send's batchId: all its messages"),
  tenantId: TenantId,
});

/** Splits a comma list (ASCII or full-width commas, spaces tolerated), dropping empty pieces. */
export const splitList = (v: string | string[]): string[] =>
  (Array.isArray(v) ? v : v.split(/[,，;；]/)).map((s) => s.trim()).filter((s) => s !== "");

/** sendTime → epoch ms, or undefined for "now". A past time sends now; the accept pipeline refuses one beyond the horizon. */
export function resolveSendTime(sendTime: number, now = Date.now()): number | undefined {
  if (sendTime === 0) return undefined;
  const digits = Number.isSafeInteger(sendTime) && sendTime > 0 ? String(sendTime).length : 0;
  if (digits !== 10 && digits !== 13) {
    throw new CoreError("invalid_input", "sendTime must be 0 or a Unix timestamp in seconds (10 digits) or milliseconds (13 digits)", { field: "sendTime" });
  }
  const at = digits === 10 ? sendTime * 1000 : sendTime;
  return at <= now ? undefined : at;
}

const Item = z.union([
  z.object({ mobile: z.string(), id: z.string() }),
  z.object({ mobile: z.string(), code: z.number(), message: z.string() }),
]);

export const SendResponse = z.object({
  code: z.literal(0),
  message: z.literal("ok"),
  data: z.object({
    batchId: z.string().nullable(),
    sendTime: z.number().describe("epoch ms the messages are (or were) released"),
    scheduled: z.boolean(),
    amount: z.number().describe("billed, in 0.001 CNY"),
    accepted: z.number(),
    messages: z.array(Item).describe("one per recipient, in request order; cancel takes these ids"),
  }),
});

export const CancelResponse = z.object({
  code: z.literal(0),
  message: z.literal("ok"),
  data: z.object({
    canceled: z.number(),
    results: z.array(z.object({ id: z.string(), status: z.enum(["canceled", "not_cancelable", "not_found"]), message: z.string() })),
  }),
});

export const StatusItem = z.object({
  id: z.string(),
  batchId: z.string(),
  mobile: z.string().describe("E.164"),
  status: z.enum(["scheduled", "queued", "submitted", "delivered", "undelivered", "unknown", "failed", "canceled"]),
  final: z.boolean(),
  reportCode: z.string().nullable().describe("once final: 10000 delivered; 1, 4–9 otherwise (docs/smsapi.md)"),
  reportMessage: z.string().nullable(),
  segments: z.number().int(),
  outId: z.string().nullable(),
  sendTime: z.number().int().describe("ms: when it was (or is to be) sent"),
  submitTime: z.number().int().nullable(),
  reportTime: z.number().int().nullable(),
});

export const StatusResponse = z.object({
  code: z.literal(0),
  message: z.literal("ok"),
  data: z.object({ found: z.number().int(), messages: z.array(StatusItem), notFound: z.array(z.string()) }),
});
