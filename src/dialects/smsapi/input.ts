// Reads and validates an smsapi request body (JSON, or a form for clients that post one), answering
// the envelope's own refusals for an oversize, unreadable or invalid body.
import type { z } from "zod";
import { readBody, isPlainObject } from "../../http/body";
import { fail, SMSAPI_ERRORS, SMSAPI_OWN } from "./errors";

export type Input<T> = { ok: true; data: T } | { ok: false; response: Response };

export async function readInput<S extends z.ZodType>(req: Request, schema: S): Promise<Input<z.output<S>>> {
  const body = await readBody(req, { form: true });
  if (body.kind === "too_large") return { ok: false, response: fail(SMSAPI_OWN.tooLarge, "the request body is too large") };
  if (body.kind === "unsupported") return { ok: false, response: fail(SMSAPI_OWN.unsupportedType, `unsupported content type: ${body.contentType}`) };
  if (body.kind === "malformed") return { ok: false, response: fail(SMSAPI_OWN.badBody, `the request body is not valid JSON: ${body.reason}`) };
  const value = body.kind === "empty" ? {} : body.value;
  if (!isPlainObject(value)) return { ok: false, response: fail(SMSAPI_OWN.badBody, "the request body must be a JSON object") };
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.join(".") || "body";
  // A list over the limit is refused as such, before its items are looked at.
  const tooMany = issue.code === "too_big" && (where === "smses" || where === "mobiles");
  const err = tooMany ? SMSAPI_ERRORS.too_many_recipients : SMSAPI_OWN.badBody;
  return { ok: false, response: fail(err, `${where}: ${issue.message}`) };
}
