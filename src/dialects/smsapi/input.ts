// Reads and validates an smsapi request (a JSON body, or a form for clients that post one; the
// query of a GET), throwing the envelope's own refusals for an oversize, unreadable or invalid one.
import type { z } from "zod";
import { InvalidUtf8, isPlainObject, queryParams, readBody } from "../../http/body";
import { refuse, SMSAPI_ERRORS, SMSAPI_OWN } from "./errors";

/** The first issue, named by its path; a list over the limit is refused as such, before its items are looked at. */
function refusal(error: z.ZodError, where: string): never {
  const issue = error.issues[0]!;
  const path = issue.path.join(".") || where;
  const tooMany = issue.code === "too_big" && (path === "smses" || path === "mobiles");
  throw refuse(tooMany ? SMSAPI_ERRORS.too_many_recipients : SMSAPI_OWN.badBody, `${path}: ${issue.message}`);
}

export async function readInput<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const body = await readBody(req, { form: true });
  if (body.kind === "too_large") throw refuse(SMSAPI_OWN.tooLarge, "the request body is too large");
  if (body.kind === "unsupported") throw refuse(SMSAPI_OWN.unsupportedType, `unsupported content type: ${body.contentType}`);
  if (body.kind === "malformed") throw refuse(SMSAPI_OWN.badBody, `the request body is not valid JSON: ${body.reason}`);
  const value = body.kind === "empty" ? {} : body.value;
  if (!isPlainObject(value)) throw refuse(SMSAPI_OWN.badBody, "the request body must be a JSON object");
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : refusal(parsed.error, "body");
}

/** A GET's query parameters (the last of a repeated name wins), decoded strictly: bytes that are not UTF-8 are refused, never looked up as U+FFFD. */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  let query: Record<string, string>;
  try {
    query = queryParams(req.url);
  } catch (e) {
    if (e instanceof InvalidUtf8) throw refuse(SMSAPI_OWN.badBody, `the query string is not valid UTF-8: ${e.message}`);
    throw e;
  }
  const parsed = schema.safeParse(query);
  return parsed.success ? parsed.data : refusal(parsed.error, "query");
}
