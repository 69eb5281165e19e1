// Reading a JPush request: JSON bodies whatever the content type claims when it is none, JSON or
// text/plain (the Python SDK sends none, the C# SDK text/plain), the signature's multipart form,
// and path ids; then the schema, with each failure answered by the document's code for that field.
import type { IRequest } from "itty-router";
import type { z } from "zod";
import { SignatureName } from "../../core/catalog";
import { templateParams } from "../../core/content";
import { normalizeMobile } from "../../core/phone";
import type { Kind } from "../../core/types";
import { isPlainObject, readBody, readBytes } from "../../http/body";
import { multipartBoundary, parseMultipart, type Part } from "../../http/multipart";
import { refuse, type JpushErrorName } from "./errors";
import { MAX_IMAGE_BYTES, MAX_IMAGES } from "./schemas";

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

/** A path id of 1–20 digits (a schedule or message id), else `name`'s refusal. */
function digitsParam(req: IRequest, param: string, name: JpushErrorName, what: string): string {
  const id = String(req.params[param] ?? "");
  if (!/^\d{1,20}$/.test(id)) throw refuse(name, `${id.slice(0, 40)} is not a ${what}`);
  return id;
}

export const scheduleIdOf = (req: IRequest): string => digitsParam(req, "schedule_id", "invalidScheduleId", "schedule id");

export const signIdOf = (req: IRequest): number => {
  const id = Number(req.params.sign_id);
  if (!/^\d+$/.test(req.params.sign_id ?? "") || !Number.isSafeInteger(id) || id <= 0) throw refuse("invalidSignId", `${req.params.sign_id} is not a signature id`);
  return id;
};

export const tempIdOf = (req: IRequest): number => {
  const id = Number(req.params.temp_id);
  if (!Number.isSafeInteger(id) || id <= 0) throw refuse("invalidTempId", `${req.params.temp_id} is not a template id`);
  return id;
};

const KIND_BY_TYPE: Record<number, Kind> = { 1: "verification", 2: "notification", 3: "marketing" };

interface TemplateFields {
  kind: Kind;
  content: string;
  ttl: number | undefined;
  remark: string | null;
  signatureId: number | undefined;
}

/** A /v1/templates body with JPush's own codes, in the document's order. */
export async function readTemplateBody(req: Request): Promise<TemplateFields> {
  const body = await readJsonObject(req);
  const content = typeof body.template === "string" ? body.template : body.template == null ? "" : null;
  if (content === null) throw refuse("invalidBody", "template must be a string");
  if (content.trim() === "") throw refuse("templateEmpty", "template is required");
  if ([...content].length > 350) throw refuse("templateTooLong", "template is longer than 350 characters");
  if (/[【】]/.test(content)) throw refuse("templateSpecialSymbol", "the signature is added from the app's signature; remove 【】 from the template");
  const type = Number(body.type);
  const kind = KIND_BY_TYPE[type];
  if (!kind || typeof body.type === "boolean") throw refuse("invalidBody", "type must be 1 (verification code), 2 (notification) or 3 (marketing)");
  // A string or nothing, as the schema documents: String() would store an object as "[object Object]".
  if (body.remark != null && typeof body.remark !== "string") throw refuse("invalidBody", "remark must be a string");
  const remark = body.remark ?? null;
  if (remark !== null && [...remark].length > 100) throw refuse("remarkTooLong", "remark is longer than 100 characters");
  let ttl: number | undefined;
  if (kind === "verification" || body.ttl != null) {
    ttl = Number(body.ttl);
    if (!Number.isInteger(ttl) || ttl <= 0 || ttl > 86400) throw refuse("invalidTtl", "ttl must be an integer of seconds, 0 < ttl ≤ 86400 (required for type 1)");
  }
  const names = templateParams(content);
  if (kind === "verification" && (names.length !== 1 || names[0] !== "code")) {
    throw refuse("templateParamInvalid", "a verification-code template holds exactly one parameter, {{code}}");
  }
  const signId = body.sign_id == null ? undefined : Number(body.sign_id);
  if (signId !== undefined && (!Number.isSafeInteger(signId) || signId <= 0 || typeof body.sign_id === "boolean")) {
    throw refuse("invalidSignId", `sign_id ${String(body.sign_id)} is not a signature id`);
  }
  return { kind, content, ttl, remark, signatureId: signId };
}

const MAX_SIGN_BODY = MAX_IMAGES * MAX_IMAGE_BYTES + 64 * 1024;

interface SignFields {
  name: string;
  type: number | undefined;
  remark: string | undefined;
  image: { data: Uint8Array; type: string } | undefined;
}

/** The image's type from its first bytes (the declared Content-Type is not trusted: Java sends octet-stream). */
function sniffImage(b: Uint8Array): string | null {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return "image/png";
  const head = String.fromCharCode(...b.subarray(0, 6));
  if (head === "GIF87a" || head === "GIF89a") return "image/gif";
  if (head.startsWith("BM") && b.length > 26) return "image/bmp";
  return null;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
function text(p: Part, field: string): string {
  try {
    return strictUtf8.decode(p.data);
  } catch {
    throw refuse("invalidBody", `${field} is not UTF-8 text`);
  }
}

/** The form's parts by role: JPush's field names, C# SDK parts without a name (sign first, then images). */
function classify(parts: Part[]): { fields: Map<string, Part>; images: Part[] } {
  const fields = new Map<string, Part>();
  const images: Part[] = [];
  const nameless: Part[] = [];
  for (const p of parts) {
    const name = p.name?.toLowerCase() ?? null;
    if (name === "sign" || name === "type" || name === "remark") {
      if (!fields.has(name)) fields.set(name, p);
    } else if (name === null) nameless.push(p);
    else if (p.filename !== null || name.includes("image")) images.push(p);
  }
  for (const p of nameless) {
    if (!fields.has("sign") && p.filename === null) fields.set("sign", p);
    else images.push(p);
  }
  // A browser form sends an empty part for a file input left empty.
  return { fields, images: images.filter((p) => p.data.byteLength > 0) };
}

/** A /v1/sign form: multipart/form-data only (JPush's rule), with the field names every official SDK writes. */
export async function readSignForm(req: Request): Promise<SignFields> {
  const bytes = await readBytes(req, MAX_SIGN_BODY);
  if (bytes === null) throw refuse("invalidImage", `the body is larger than ${MAX_SIGN_BODY} bytes (at most ${MAX_IMAGES} images of 1 MiB each)`);
  if (bytes.byteLength === 0) throw refuse("missingBody", "the request has no body");
  const contentType = req.headers.get("content-type");
  const boundary = multipartBoundary(contentType);
  if (boundary === null) {
    if (/^\s*multipart\/form-data\s*(;|$)/i.test(contentType ?? "")) throw refuse("invalidBody", "multipart/form-data needs a boundary parameter");
    throw refuse("mediaNotSupported", `content type ${contentType || "(none)"} is not supported; send multipart/form-data with sign, type, remark and images`);
  }
  const parsed = parseMultipart(bytes, boundary);
  if (parsed.kind === "malformed") throw refuse("invalidBody", `the multipart body is malformed: ${parsed.reason}`);
  const { fields, images } = classify(parsed.parts);

  const signPart = fields.get("sign");
  if (!signPart) throw refuse("invalidSignature", "sign is required");
  const name = SignatureName.safeParse(text(signPart, "sign"));
  if (!name.success) throw refuse("invalidSignature", name.error.issues[0]!.message);

  const typePart = fields.get("type");
  const typeText = typePart ? text(typePart, "type").trim() : "";
  const type = typeText === "" ? undefined : Number(typeText);
  if (type !== undefined && !(/^\d+$/.test(typeText) && type >= 1 && type <= 7)) {
    throw refuse("invalidBody", "type must be 1 (company), 2 (website), 3 (app), 4 (public account), 5 (e-shop), 6 (trademark) or 7 (other)");
  }

  const remarkPart = fields.get("remark");
  const remark = remarkPart ? text(remarkPart, "remark").trim() || undefined : undefined;
  if (remark !== undefined && [...remark].length > 100) throw refuse("remarkTooLong", "remark is longer than 100 characters");

  if (images.length > MAX_IMAGES) throw refuse("invalidImage", `at most ${MAX_IMAGES} images, got ${images.length}`);
  let image: SignFields["image"];
  for (const [i, p] of images.entries()) {
    const label = `image ${i + 1}${p.filename ? ` (${p.filename.slice(0, 80)})` : ""}`;
    if (p.data.byteLength > MAX_IMAGE_BYTES) throw refuse("invalidImage", `${label} is larger than 1 MiB`);
    const type = sniffImage(p.data);
    if (!type) throw refuse("invalidImage", `${label} is not a JPEG, PNG, GIF or BMP image`);
    image ??= { data: p.data.slice(), type };
  }
  return { name: name.data, type, remark, image };
}
