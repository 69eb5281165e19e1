// /v1/sign: JPush's signature management. Bodies are multipart/form-data only (JPush's rule), with
// the field names every official SDK writes; signatures created or changed here wait for review in
// the operator API. Codes are JPush's signature table (50101–50105).
import type { IRequest } from "itty-router";
import { z } from "zod";
import { changeSignature, createSignature, removeSignature, SignatureName, type Signature } from "../../core/catalog";
import { getSignature, getSignatureUsage, otherPendingSignature } from "../../store/signatures";
import { readBytes } from "../../http/body";
import { multipartBoundary, parseMultipart, type Part } from "../../http/multipart";
import { json } from "../../http/respond";
import { jpushAuth } from "./auth";
import { refuse } from "./errors";
import { tenantDb } from "../../store/db";

/** D1 keeps at most 2,000,000 bytes in one BLOB, so an image stays well below it. */
export const MAX_IMAGE_BYTES = 1024 * 1024;
/** The PHP SDK and JPush's document send image0…image3. Only the first is stored (one column). */
export const MAX_IMAGES = 4;
const MAX_SIGN_BODY = MAX_IMAGES * MAX_IMAGE_BYTES + 64 * 1024;

const STATUS: Record<Signature["status"], number> = { pending: 0, approved: 1, rejected: 2 };

export const SignForm = z.object({
  sign: z.string().describe("the signature's name: 2–20 characters, without 【】"),
  type: z.string().optional().describe("1 company, 2 website, 3 app, 4 public account / mini program, 5 e-shop, 6 trademark, 7 other (default 1 on create)"),
  remark: z.string().optional().describe("what the signature is used for, at most 100 characters"),
  images: z.array(z.file()).optional().describe(`qualification images (JPEG, PNG, GIF or BMP, ≤ 1 MiB each, at most ${MAX_IMAGES}; also accepted as image0…image3)`),
});
export const SignIdResponse = z.object({ sign_id: z.number().int() });
export const SignInfo = z.object({
  sign_id: z.number().int(),
  sign: z.string(),
  status: z.number().int().describe("0 under review, 1 approved, 2 rejected"),
  is_default: z.number().int().describe("1 when it is this app's default signature"),
  use_status: z.number().int().describe("1 when a template or an app's default uses it"),
});

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

async function readSignForm(req: Request): Promise<SignFields> {
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

const signId = (req: IRequest): number => {
  const id = Number(req.params.sign_id);
  if (!/^\d+$/.test(req.params.sign_id ?? "") || !Number.isSafeInteger(id) || id <= 0) throw refuse("invalidSignId", `${req.params.sign_id} is not a signature id`);
  return id;
};

async function ownSignature(env: Env, tenantId: string, id: number): Promise<Signature> {
  const sig = await getSignature(tenantDb(env, tenantId), id);
  if (!sig) throw refuse("invalidSignId", `signature ${id} does not exist`);
  return sig;
}

/** JPush reviews one signature at a time: another one still pending blocks a submission. */
async function requireNoOtherPending(env: Env, tenantId: string, exceptId: number | null): Promise<void> {
  const other = await otherPendingSignature(tenantDb(env, tenantId), exceptId);
  if (other !== null) throw refuse("signInAudit", `signature ${other} is still under review; submit again once it is reviewed`);
}

export async function postSign(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await jpushAuth(req, env);
  const f = await readSignForm(req);
  await requireNoOtherPending(env, tenant.id, null);
  const sig = await createSignature(tenantDb(env, tenant.id), { name: f.name, type: f.type, remark: f.remark, image: f.image?.data, imageType: f.image?.type, status: "pending" }, Date.now());
  return json({ sign_id: sig.id });
}

export async function updateSign(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await jpushAuth(req, env);
  const id = signId(req);
  const f = await readSignForm(req);
  await ownSignature(env, tenant.id, id);
  await requireNoOtherPending(env, tenant.id, id);
  const image = f.image ? { image: f.image.data, imageType: f.image.type } : {};
  await changeSignature(tenantDb(env, tenant.id), id, { name: f.name, type: f.type, remark: f.remark, ...image }, Date.now());
  return json({ sign_id: id });
}

export async function getSign(req: IRequest, env: Env): Promise<Response> {
  const { app, tenant } = await jpushAuth(req, env);
  const sig = await ownSignature(env, tenant.id, signId(req));
  const use = await getSignatureUsage(tenantDb(env, tenant.id), sig.id);
  return json({
    sign_id: sig.id,
    sign: sig.name,
    status: STATUS[sig.status],
    is_default: app.defaultSignatureId === sig.id ? 1 : 0,
    use_status: use.templates + use.apps > 0 ? 1 : 0,
  });
}

export async function deleteSign(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await jpushAuth(req, env);
  const sig = await ownSignature(env, tenant.id, signId(req));
  // Refused as signature_in_use (50105) by the delete itself while a template or an app uses it.
  await removeSignature(tenantDb(env, tenant.id), sig.id, Date.now());
  // The official SDKs expect exactly this: 200, JSON content type, empty body.
  return new Response(null, { status: 200, headers: { "content-type": "application/json" } });
}
