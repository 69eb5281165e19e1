// Owns how a paasw request's parameters are read and validated: the query string, then the body
// (form, JSON or multipart) on top of it, as one flat map of strings whatever the method, cleaned and
// parsed into a schema of schemas.ts; and sendTemplate's paramJson (JSON text inside a parameter).
// Every refusal is thrown (errors.ts): missing → 10001 (20001 for the token), malformed → 10002, too
// long → 10003, body over the cap → 10004, a paramJson that does not fit the numbers → 30008.
//
// Why the merge: the vendor's Java SDK puts every parameter in the query string even for POST and
// sends no body (with Content-Type: application/json); its shell scripts post a form; other clients
// post JSON. Precedence: a body value overrides a query value of the same name — the body is what a
// client built deliberately, the query may be a base URL with defaults baked in.
import type { z } from "zod";
import { formEntries, InvalidUtf8, queryParams, readText } from "../../http/body";
import { PAASW_OWN, refuse } from "./errors";

type Params = Record<string, string>;

const mediaType = (req: Request): string => (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();

/** The one parameter the document types as JSON (its example is JSON text): an object or array is taken as that text. */
const JSON_PARAMS = new Set(["paramJson"]);
/** Parameters the document types as String whose values are numbers (clients send them as JSON numbers). */
const NUMBER_PARAMS = new Set(["phoneNumbers", "templateId", "kind", "appId"]);

/**
 * A JSON value as a parameter string, or a refusal: strings as they are; numbers where the document's
 * value is numeric; objects and arrays only for paramJson (anything else would be sent as its JSON
 * text); booleans never.
 */
function jsonParam(k: string, v: unknown): string | undefined | { refused: string } {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" && NUMBER_PARAMS.has(k) && Number.isFinite(v)) return String(v);
  if (typeof v === "object" && JSON_PARAMS.has(k)) return JSON.stringify(v);
  return { refused: `${k} must be a string` };
}

/** The merged parameters; a body over the cap (10004) or one that does not decode (10002) is refused. */
async function readParams(req: Request): Promise<Params> {
  try {
    return await readParamsStrict(req);
  } catch (e) {
    if (e instanceof InvalidUtf8) throw malformed(e.message);
    throw e;
  }
}

const malformed = (message: string) => refuse(PAASW_OWN.badParam, message);

async function readParamsStrict(req: Request): Promise<Params> {
  const params: Params = { ...queryParams(req.url) };
  if (req.method === "GET" || req.method === "HEAD" || !req.body) return params;

  const type = mediaType(req);
  const text = await readText(req);
  if (text === null) throw refuse(PAASW_OWN.bodyTooLarge, "request body too large");
  // The Java SDK declares application/json and sends nothing: an empty body is no parameters.
  if (text.trim() === "") return params;

  const isJson = type === "application/json" || type.endsWith("+json") || ((type === "" || type === "text/plain") && text.trimStart().startsWith("{"));
  if (isJson) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw malformed(`body is not valid JSON: ${e instanceof Error ? e.message : "parse error"}`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw malformed("a JSON body must be an object of parameters");
    }
    for (const [k, v] of Object.entries(value)) {
      const s = jsonParam(k, v);
      if (typeof s === "object") throw malformed(s.refused);
      if (s !== undefined) params[k] = s;
    }
    return params;
  }

  if (type === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(text, { headers: { "content-type": req.headers.get("content-type")! } }).formData();
    } catch {
      throw malformed("body is not valid multipart/form-data");
    }
    for (const [k, v] of form) if (typeof v === "string") params[k] = v;
    return params;
  }

  // Form fields, declared or not (curl -d without -H, text/plain): the decoder also takes the raw,
  // un-encoded UTF-8 the vendor's shell scripts send. A literal "+" in such a body reads as a space,
  // as in every form decoder; clients must percent-encode "+" and "&" (docs/paasw.md).
  for (const [k, v] of formEntries(text)) params[k] = v;
  return params;
}

/**
 * Trims every value and drops empty ones, so that `sign=` and `sign=  ` are "missing" like an absent
 * sign; a surrounding 【…】 on sign is taken off (clients copy the signature as the handset shows it).
 */
function cleanParams(p: Params): Params {
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

/** Validates cleaned params; the first issue becomes the refusal naming its parameter. */
function parseParams<T>(schema: z.ZodType<T>, params: Params): T {
  const cleaned = cleanParams(params);
  const res = schema.safeParse(cleaned);
  if (res.success) return res.data;
  const issue = res.error.issues[0]!;
  const field = String(issue.path[0] ?? "body");
  if (issue.code === "invalid_type" && !(field in cleaned)) {
    throw refuse(field === "token" ? PAASW_OWN.tokenMissing : PAASW_OWN.missingParam, `${field} is required`);
  }
  if (issue.code === "too_big") throw refuse(PAASW_OWN.paramTooLong, `${field} is longer than ${String(issue.maximum)} characters`);
  throw refuse(PAASW_OWN.badParam, `${field} ${issue.message}`);
}

/** A request's parameters, read and validated against `schema`. */
export async function readInput<T>(req: Request, schema: z.ZodType<T>): Promise<T> {
  return parseParams(schema, await readParams(req));
}

export type ParamObject = Record<string, unknown>;

const isObject = (v: unknown): v is ParamObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** One object for all, or one per listed number. A missing paramJson is no parameters (a template without any). */
export function parseParamJson(raw: string | undefined, listed: number): ParamObject | ParamObject[] {
  if (raw === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw refuse(PAASW_OWN.templateParams, "paramJson is not valid JSON");
  }
  if (isObject(value)) return value;
  if (!Array.isArray(value)) throw refuse(PAASW_OWN.templateParams, "paramJson must be a JSON object or an array of objects");
  if (value.length !== listed) {
    throw refuse(PAASW_OWN.templateParams, `paramJson has ${value.length} objects for ${listed} phone numbers; give one per number or a single object`);
  }
  const bad = value.findIndex((v) => !isObject(v));
  if (bad >= 0) throw refuse(PAASW_OWN.templateParams, `paramJson[${bad}] is not an object`);
  return value as ParamObject[];
}
