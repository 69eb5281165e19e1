// How JPush sends use templates: core's rule (core/template-drafts: the approved template of a kind
// the endpoint allows, its signature sign_id, else the template's, else the app's default) read
// with authentication, and the handset text: {{name}} parameters rendered and 【signature】 in front.
import { CoreError } from "../../core/errors";
import { renderTemplate, withSignature } from "../../core/content";
import { checkTemplateRead, prepareTemplate as prepareCoreTemplate, type PreparedTemplate, type TemplateUse } from "../../core/template-drafts";
import type { App, Tenant } from "../../core/types";
import { READ_NOTHING } from "../../core/prefetch";
import { jpushAuthWith } from "./auth";
import type { TempPara } from "./schemas";

export type Prepared = PreparedTemplate;

/** "code": /v1/codes needs a verification template; "message": any other kind. */
const USES: Record<"code" | "message", TemplateUse> = {
  code: { kinds: ["verification"], wrongKind: (t) => `template ${t.id} is a ${t.kind} template; /v1/codes needs a verification-code template` },
  message: { kinds: ["notification", "marketing"], wrongKind: (t) => `template ${t.id} is a verification-code template; send it with /v1/codes` },
};

/** The template and signature of a send that did not read them with authentication (schedules, their changes). */
export const prepareTemplate = (env: Env, tenant: Tenant, app: App, tempId: number, signId: number | null | undefined, use: "code" | "message"): Promise<Prepared> =>
  prepareCoreTemplate(env, tenant, app, tempId, signId ?? null, USES[use]);

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
  return { app, tenant, input: body, prepared: checkTemplateRead(extra, app, body.temp_id, body.sign_id ?? null, USES[use]) };
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
