// /v1/templates: JPush's template management. Templates created here start pending; review is
// the operator API's. Type 1 verification (only {{code}}, ttl required), 2 notification, 3 marketing;
// a template may change only while it is not approved (50047); DELETE answers 200 with no body.
import type { IRequest } from "itty-router";
import { z } from "zod";
import { changeTemplate, createTemplate, removeTemplate, type Template } from "../../core/catalog";
import { templateParams } from "../../core/content";
import { getTemplate } from "../../store/templates";
import { json } from "../../http/respond";
import type { Kind } from "../../core/types";
import { jpushAuth } from "./auth";
import { refuse } from "./errors";
import { readJsonObject } from "./input";
import { tenantDb } from "../../store/db";

const KIND_BY_TYPE: Record<number, Kind> = { 1: "verification", 2: "notification", 3: "marketing" };
const TYPE_BY_KIND: Record<Kind, number> = { verification: 1, notification: 2, marketing: 3 };
const STATUS: Record<Template["status"], number> = { pending: 0, approved: 1, rejected: 2 };

export const TemplateRequest = z.object({
  template: z.string().describe("content with {{name}} parameters, at most 350 characters"),
  type: z.union([z.literal(1), z.literal(2), z.literal(3)]).describe("1 verification code, 2 notification, 3 marketing"),
  ttl: z.number().int().optional().describe("seconds a code stays valid; required for type 1 (0 < ttl ≤ 86400)"),
  remark: z.string().optional().describe("at most 100 characters"),
  sign_id: z.number().int().optional().describe("the signature the template is sent with (one of the tenant's); default the app's"),
});
export const TempIdResponse = z.object({ temp_id: z.number().int() });
export const TemplateView = z.object({
  temp_id: z.number().int(),
  template: z.string(),
  type: z.number().int(),
  ttl: z.number().int(),
  remark: z.string().nullable(),
  sign_id: z.number().int().nullable(),
  status: z.number().int().describe("0 under review, 1 approved, 2 rejected"),
});

/** Validates a template body with JPush's own codes, in the document's order. */
function parseTemplate(body: Record<string, unknown>): { kind: Kind; content: string; ttl: number | undefined; remark: string | null; signatureId: number | undefined } {
  const content = typeof body.template === "string" ? body.template : body.template == null ? "" : null;
  if (content === null) throw refuse("invalidBody", "template must be a string");
  if (content.trim() === "") throw refuse("templateEmpty", "template is required");
  if ([...content].length > 350) throw refuse("templateTooLong", "template is longer than 350 characters");
  if (/[【】]/.test(content)) throw refuse("templateSpecialSymbol", "the signature is added from the app's signature; remove 【】 from the template");
  const type = Number(body.type);
  const kind = KIND_BY_TYPE[type];
  if (!kind || typeof body.type === "boolean") throw refuse("invalidBody", "type must be 1 (verification code), 2 (notification) or 3 (marketing)");
  const remark = body.remark == null ? null : String(body.remark);
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

const templateId = (req: IRequest): number => {
  const id = Number(req.params.temp_id);
  if (!Number.isSafeInteger(id) || id <= 0) throw refuse("invalidTempId", `${req.params.temp_id} is not a template id`);
  return id;
};

async function ownTemplate(env: Env, tenantId: string, id: number): Promise<Template> {
  const t = await getTemplate(tenantDb(env, tenantId), id);
  if (!t) throw refuse("invalidTempId", `template ${id} does not exist`);
  return t;
}

export async function postTemplate(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await jpushAuth(req, env);
  const t = parseTemplate(await readJsonObject(req));
  const created = await createTemplate(tenantDb(env, tenant.id), { kind: t.kind, content: t.content, ttl: t.ttl, remark: t.remark, signatureId: t.signatureId, status: "pending" }, Date.now());
  return json({ temp_id: created.id });
}

export async function putTemplate(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await jpushAuth(req, env);
  const id = templateId(req);
  const t = parseTemplate(await readJsonObject(req));
  const current = await ownTemplate(env, tenant.id, id);
  if (current.status === "approved") throw refuse("templateModifyNotAllowed", `template ${id} is approved; only templates not yet approved may change`);
  await changeTemplate(tenantDb(env, tenant.id), id, { kind: t.kind, content: t.content, ttl: t.ttl, remark: t.remark, signatureId: t.signatureId }, Date.now());
  return json({ temp_id: id });
}

export async function getTemplateView(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await jpushAuth(req, env);
  const t = await ownTemplate(env, tenant.id, templateId(req));
  return json({ temp_id: t.id, template: t.content, type: TYPE_BY_KIND[t.kind], ttl: t.ttl, remark: t.remark, sign_id: t.signatureId, status: STATUS[t.status] });
}

export async function deleteTemplate(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await jpushAuth(req, env);
  const id = templateId(req);
  await ownTemplate(env, tenant.id, id);
  await removeTemplate(tenantDb(env, tenant.id), id, Date.now());
  // The official SDKs expect exactly this: 200, JSON content type, empty body.
  return new Response(null, { status: 200, headers: { "content-type": "application/json" } });
}
