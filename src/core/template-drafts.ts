// What a templated send uses, as one rule whichever way it was read: the approved template of this
// tenant, of a kind the endpoint allows, and its signature: the one the request names, else the
// template's own, else the app's default (approved in every case). Checked on a TemplateRead taken
// with authentication (core/prefetch) or read here on its own, in the same order either way.
import { checkApprovedSignature, checkApprovedTemplate, checkApprovedTemplateWithSignature, type Template, type TemplateRead } from "./catalog";
import { templateParams } from "./content";
import { CoreError } from "./errors";
import { tenantDb } from "../store/db";
import { getTemplateRead } from "../store/templates";
import type { App, Kind, Tenant } from "./types";

export interface PreparedTemplate {
  template: Template;
  signature: string;
  /** The template's placeholders, computed once for every recipient. */
  params: string[];
}

/** The kinds an endpoint sends, and the dialect's words for a template of another kind. */
export interface TemplateUse {
  kinds: readonly Kind[];
  wrongKind: (t: Template) => string;
}

/** The template `tempId` for `use`, its signature `signId` (null: the template's, else the app's default), on what was read. */
export function checkTemplateRead(read: TemplateRead, app: App, tempId: number, signId: number | null, use: TemplateUse): PreparedTemplate {
  const checkKind = (t: Template): Template => {
    if (!use.kinds.includes(t.kind)) throw new CoreError("template_wrong_kind", use.wrongKind(t));
    return t;
  };
  let template: Template;
  let sig: { name: string } | null;
  if (signId !== null) {
    template = checkKind(checkApprovedTemplate(read.template, tempId));
    sig = checkApprovedSignature(read.other, { id: signId });
  } else {
    const own = checkApprovedTemplateWithSignature(read, tempId);
    template = checkKind(own.template);
    // `other` is the app's default signature when no sign_id was given (store/templates templateReadIn).
    sig = own.signature ?? (app.defaultSignatureId !== null ? checkApprovedSignature(read.other, { id: app.defaultSignatureId }) : null);
  }
  if (!sig) throw new CoreError("signature_missing", `template ${tempId} has no signature and the app has no default signature`);
  return { template, signature: sig.name, params: templateParams(template.content) };
}

/** checkTemplateRead on a read of its own (one D1 batch), for a send that did not read with authentication. */
export async function prepareTemplate(env: Env, tenant: Tenant, app: App, tempId: number, signId: number | null, use: TemplateUse): Promise<PreparedTemplate> {
  const read = await getTemplateRead(tenantDb(env, tenant.id), app.id, tempId, signId);
  return checkTemplateRead(read, app, tempId, signId, use);
}
