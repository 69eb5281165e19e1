// Reading Huawei requests: JSON bodies (capped, any JSON content type the SDKs send) and query
// strings into the schemas of schemas.ts. Refusals are thrown in the shape of the route's realm:
// Keystone's under /v3 (IAM), SMN's under /v2.
import type { z } from "zod";
import { isPlainObject, readBody } from "../../http/body";
import { refuse, SMN_ERRORS, SMN_OWN } from "./errors";
import { MAX_DIFF_ITEMS, MAX_ENDPOINTS, SmsBatchRequest, SmsEndpointsRequest, SmsSingleRequest } from "./schemas";

/** One SMS item of any publish form, in request order. */
export interface SmnItemInput {
  endpoint: string;
  message: string;
  sign_id?: string | null | undefined;
  message_include_sign_flag: boolean;
  extend?: string | null | undefined;
}

export interface SmsPublishInput {
  items: SmnItemInput[];
  /** The single `endpoint` form: answered {request_id, message_id}, its item's refusal for the whole request. */
  single: boolean;
}

const query = (req: Request): Record<string, string> => Object.fromEntries(new URL(req.url).searchParams);

/** An IAM body as `schema`, or a Keystone 400/413/415. */
export async function readIamBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const body = await readBody(req);
  if (body.kind === "too_large") throw refuse({ iam: 413 }, "The request body is too large.");
  if (body.kind === "unsupported") throw refuse({ iam: 415 }, `Unsupported content type: ${body.contentType}`);
  if (body.kind !== "json") throw refuse({ iam: 400 }, body.kind === "malformed" ? `The request body is not valid JSON: ${body.reason}` : "The request body is empty.");
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refuse({ iam: 400 }, `Invalid request: ${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return parsed.data;
}

/** An IAM query as `schema`, or a Keystone 400. */
export function readIamQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const parsed = schema.safeParse(query(req));
  if (!parsed.success) throw refuse({ iam: 400 }, `Invalid query: ${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** An SMN query as `schema`, or 400 SMN.9900 naming the first bad parameter. */
export function readSmnQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const parsed = schema.safeParse(query(req));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refuse(SMN_OWN.badBody, `Parameter: ${issue.path.join(".") || "query"} is invalid: ${issue.message}.`);
  }
  return parsed.data;
}

/** A publish body in any of its three forms as SMN items, in request order; throws the SMN refusal. */
export async function readSmsPublish(req: Request): Promise<SmsPublishInput> {
  const body = await readBody(req);
  if (body.kind === "too_large") throw refuse(SMN_OWN.tooLarge, "The request body is too large.");
  if (body.kind === "unsupported") throw refuse(SMN_OWN.unsupportedType, `Unsupported content type: ${body.contentType}.`);
  if (body.kind !== "json" || !isPlainObject(body.value)) {
    throw refuse(SMN_OWN.badBody, body.kind === "malformed" ? `The request body is not valid JSON: ${body.reason}` : "The request body must be a JSON object.");
  }
  const value = body.value;

  // 1000+ items are refused whole before their contents are examined.
  if (Array.isArray(value.sms_message) && value.sms_message.length > MAX_DIFF_ITEMS) {
    throw refuse(SMN_ERRORS.too_many_recipients, `sms_message holds ${value.sms_message.length} items; fewer than 1000 are allowed.`);
  }
  if (Array.isArray(value.endpoints) && value.endpoints.length > MAX_ENDPOINTS) {
    throw refuse(SMN_ERRORS.too_many_recipients, `endpoints holds ${value.endpoints.length} numbers; at most ${MAX_ENDPOINTS} are allowed.`);
  }
  if ("sms_message" in value) return { items: check(SmsBatchRequest, value).sms_message, single: false };
  if ("endpoints" in value) {
    const { endpoints, ...rest } = check(SmsEndpointsRequest, value);
    return { items: endpoints.map((endpoint) => ({ endpoint, ...rest })), single: false };
  }
  return { items: [check(SmsSingleRequest, value)], single: true };
}

/** `value` as `schema`, or the first issue under the code of the field it concerns. */
function check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.join(".") || "body";
  const field = [...issue.path].reverse().find((p) => typeof p === "string");
  const err = field === "endpoint" || field === "endpoints" ? SMN_OWN.badEndpoint : field === "message" ? SMN_OWN.badMessage : SMN_OWN.badBody;
  throw refuse({ status: err.status, code: err.code }, `Parameter: ${where} is invalid: ${issue.message}.`);
}
