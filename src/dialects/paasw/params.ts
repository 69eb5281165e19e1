// Owns how a paasw request's parameters are read: the query string, then the body (form, JSON or
// multipart) on top of it, as one flat map of strings, whatever the method.
//
// Why the merge: the vendor's Java SDK puts every parameter in the query string even for POST and
// sends no body (with Content-Type: application/json); its shell scripts post a form; other clients
// post JSON. Precedence: a body value overrides a query value of the same name — the body is what a
// client built deliberately, the query may be a base URL with defaults baked in.
import { formEntries, InvalidUtf8, queryParams, readText } from "../../http/body";

export type Params = Record<string, string>;

export type ParamsOutcome = { ok: true; params: Params } | { ok: false; reason: "too_large" | "malformed"; message: string };

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

export async function readParams(req: Request): Promise<ParamsOutcome> {
  try {
    return await readParamsStrict(req);
  } catch (e) {
    if (e instanceof InvalidUtf8) return { ok: false, reason: "malformed", message: e.message };
    throw e;
  }
}

async function readParamsStrict(req: Request): Promise<ParamsOutcome> {
  const params: Params = { ...queryParams(req.url) };
  if (req.method === "GET" || req.method === "HEAD" || !req.body) return { ok: true, params };

  const type = mediaType(req);
  const text = await readText(req);
  if (text === null) return { ok: false, reason: "too_large", message: "request body too large" };
  // The Java SDK declares application/json and sends nothing: an empty body is no parameters.
  if (text.trim() === "") return { ok: true, params };

  const isJson = type === "application/json" || type.endsWith("+json") || ((type === "" || type === "text/plain") && text.trimStart().startsWith("{"));
  if (isJson) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return { ok: false, reason: "malformed", message: `body is not valid JSON: ${e instanceof Error ? e.message : "parse error"}` };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { ok: false, reason: "malformed", message: "a JSON body must be an object of parameters" };
    }
    for (const [k, v] of Object.entries(value)) {
      const s = jsonParam(k, v);
      if (typeof s === "object") return { ok: false, reason: "malformed", message: s.refused };
      if (s !== undefined) params[k] = s;
    }
    return { ok: true, params };
  }

  if (type === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(text, { headers: { "content-type": req.headers.get("content-type")! } }).formData();
    } catch {
      return { ok: false, reason: "malformed", message: "body is not valid multipart/form-data" };
    }
    for (const [k, v] of form) if (typeof v === "string") params[k] = v;
    return { ok: true, params };
  }

  // Form fields, declared or not (curl -d without -H, text/plain): the decoder also takes the raw,
  // un-encoded UTF-8 the vendor's shell scripts send. A literal "+" in such a body reads as a space,
  // as in every form decoder; clients must percent-encode "+" and "&" (docs/paasw.md).
  for (const [k, v] of formEntries(text)) params[k] = v;
  return { ok: true, params };
}
