// How JPush sends use templates: the approved template of this tenant (of a kind the endpoint
// allows), its signature (sign_id, else the template's, else the app's default; approved), and
// the handset text: {{name}} parameters rendered and 【signature】 in front.
import { CoreError } from "../../core/errors";
import {
  checkApprovedSignature,
  checkApprovedTemplate,
  checkApprovedTemplateWithSignature,
  requireApprovedSignature,
  requireApprovedTemplate,
  requireApprovedTemplateWithSignature,
  type Template,
  tenantCatalog,
  type TemplateRead,
} from "../../core/catalog";
import { renderTemplate, templateParams, withSignature } from "../../core/content";
import type { App, Tenant } from "../../core/types";
import { READ_NOTHING } from "../../core/prefetch";
import { jpushAuthWith } from "./auth";
import type { TempPara } from "./schemas";

export interface Prepared {
  template: Template;
  signature: string;
  /** The template's placeholders, computed once for every recipient. */
  params: string[];
}

function checkKind(template: Template, use: "code" | "message"): void {
  if (use === "code" && template.kind !== "verification") {
    throw new CoreError("template_wrong_kind", `template ${template.id} is a ${template.kind} template; /v1/codes needs a verification-code template`);
  }
  if (use === "message" && template.kind === "verification") {
    throw new CoreError("template_wrong_kind", `template ${template.id} is a verification-code template; send it with /v1/codes`);
  }
}

/** "code": /v1/codes needs a verification template; "message": any other kind. */
export async function prepareTemplate(
  env: Env,
  tenant: Tenant,
  app: App,
  tempId: number,
  signId: number | null | undefined,
  use: "code" | "message",
): Promise<Prepared> {
  // The template and its signature are read together; a given sign_id replaces the template's
  // signature, so then the two lookups run side by side instead.
  const catalog = tenantCatalog(env, tenant.id);
  let template: Template;
  let sig: { name: string } | null;
  if (signId != null) {
    const given = requireApprovedSignature(catalog, { id: signId });
    given.catch(() => undefined);
    template = await requireApprovedTemplate(catalog, tempId);
    checkKind(template, use);
    sig = await given;
  } else {
    ({ template, signature: sig } = await requireApprovedTemplateWithSignature(catalog, tempId));
    checkKind(template, use);
    if (!sig && app.defaultSignatureId !== null) sig = await requireApprovedSignature(catalog, { id: app.defaultSignatureId });
  }
  return prepared(template, sig, tempId);
}

function prepared(template: Template, sig: { name: string } | null, tempId: number): Prepared {
  if (!sig) throw new CoreError("signature_missing", `template ${tempId} has no signature and the app has no default signature`);
  return { template, signature: sig.name, params: templateParams(template.content) };
}

/** prepareTemplate's checks, in the same order, on what templateReadByKey read. */
function fromRead(read: TemplateRead, app: App, tempId: number, signId: number | null | undefined, use: "code" | "message"): Prepared {
  if (signId != null) {
    const template = checkApprovedTemplate(read.template, tempId);
    checkKind(template, use);
    return prepared(template, checkApprovedSignature(read.other, { id: signId }), tempId);
  }
  const { template, signature } = checkApprovedTemplateWithSignature(read, tempId);
  checkKind(template, use);
  const sig = signature ?? (app.defaultSignatureId !== null ? checkApprovedSignature(read.other, { id: app.defaultSignatureId }) : null);
  return prepared(template, sig, tempId);
}

/**
 * Authentication, the body and prepareTemplate with ONE D1 round trip: the body is read first and
 * its refusal held until the credentials were checked (a bad key still answers as a bad key), then
 * app + tenant + template + signatures are read in one batch scoped to the key's tenant.
 */
export async function authAndTemplate<I extends { temp_id: number; sign_id?: number | null | undefined }>(
  req: Request,
  env: Env,
  use: "code" | "message",
  readInput: () => Promise<I>,
): Promise<{ app: App; tenant: Tenant; input: I; prepared: Prepared }> {
  let input: I | null = null;
  let refusal: unknown;
  try {
    input = await readInput();
  } catch (e) {
    refusal = e;
  }
  const body = input;
  const { app, tenant, extra } = await jpushAuthWith(
    req,
    env,
    body ? { prefetch: { template: { id: body.temp_id, signatureId: body.sign_id ?? null } }, take: (r) => r.template } : READ_NOTHING,
  );
  if (!body || !extra) throw refusal;
  return { app, tenant, input: body, prepared: fromRead(extra, app, body.temp_id, body.sign_id, use) };
}

/** The text one recipient's handset shows. */
export function renderFor(p: Prepared, para: TempPara, extra: Record<string, string> = {}): string {
  const given = { ...(para ?? {}), ...extra };
  if (p.params.length > 0 && Object.keys(given).length === 0) {
    throw new CoreError("template_param_empty", `template ${p.template.id} needs temp_para with ${p.params.join(", ")}`);
  }
  return withSignature(p.signature, renderTemplate(p.template.content, given));
}

/** temp_para as stored with the message: strings only, unset (null) values left out. */
export function storedParams(para: TempPara): Record<string, string> | null {
  if (!para) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(para)) if (v !== null) out[k] = String(v);
  return Object.keys(out).length > 0 ? out : null;
}
