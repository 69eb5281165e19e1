// Reading a JPush request body: JSON whatever the content type claims when it is none, JSON or
// text/plain (the Python SDK sends none, the C# SDK text/plain), then the schema, with each
// failure answered by the document's code for that field.
import { normalizeMobile } from "../../core/phone";
import type { z } from "zod";
import { isPlainObject, readBody } from "../../http/body";
import { refuse, type JpushErrorName } from "./errors";

export async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  switch (body.kind) {
    case "json":
      if (!isPlainObject(body.value)) throw refuse("invalidBody", "the body must be a JSON object");
      return body.value;
    case "empty":
      throw refuse("missingBody", "the request has no body");
    case "malformed":
      throw refuse("invalidBody", `the body is not valid JSON (${body.reason})`);
    case "too_large":
      throw refuse("invalidBody", "the body is larger than 2 MiB");
    case "unsupported":
    case "form":
      throw refuse("mediaNotSupported", `content type ${body.kind === "unsupported" ? body.contentType : "form"} is not supported; send JSON`);
  }
}

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** Required fields first (each with its "missing" code, in the document's order), then the schema. */
export function parseInput<S extends z.ZodType>(schema: S, body: Record<string, unknown>, required: Array<[string, JpushErrorName]>): z.output<S> {
  for (const [field, name] of required) if (blank(body[field])) throw refuse(name, `${field} is required`);
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw issueRefusal(r.error.issues[0]!);
}

/**
 * A single-recipient body (/v1/codes, /v1/messages): mobile and temp_id with their own "missing"
 * codes, then the mobile normalised, so a bad one is refused before the template is looked at.
 */
export async function readMobileBody<S extends z.ZodType<{ mobile: string }>>(req: Request, schema: S): Promise<z.output<S>> {
  const body = parseInput(schema, await readJsonObject(req), [
    ["mobile", "missingMobile"],
    ["temp_id", "missingTempId"],
  ]);
  return { ...body, mobile: normalizeMobile(body.mobile) };
}

export function issueRefusal(issue: z.core.$ZodIssue, prefix = "") {
  const path = prefix + (issue.path.map(String).join(".") || "body");
  const jpush = issue.code === "custom" ? (issue.params?.jpush as JpushErrorName | undefined) : undefined;
  if (jpush) return refuse(jpush, issue.message);
  if (issue.code === "invalid_union") return refuse("invalidBody", `${path} must be a number or a string`);
  return refuse("invalidBody", `${path}: ${issue.message}`);
}
