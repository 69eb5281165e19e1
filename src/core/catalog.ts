// Owns signatures and templates as the domain sees them: creation, change, review (pending →
// approved | rejected), deletion, and the "approved or a typed refusal" lookups every dialect uses.
import type { TenantDb } from "../store/db";
import { z } from "zod";
import { CoreError } from "./errors";
import { templateParams } from "./content";
import { randomHex } from "./crypto";
import { enqueuePushes, reviewPushes } from "./webhooks";
import type { Kind } from "./types";
import * as signatures from "../store/signatures";
import * as templates from "../store/templates";
import type { ReviewStatus, Signature } from "../store/signatures";
import type { Template } from "../store/templates";
import { tenantDb } from "../store/db";

export type { ReviewStatus, Signature, Template };
// A send's template read with authentication (src/core/prefetch authenticateAndRead).
export type { TemplateRead } from "../store/templates";

/** 2–20 characters (code points) without the full-width brackets that delimit it in the text. */
export const SignatureName = z
  .string()
  .trim()
  .refine((s) => [...s].length >= 2 && [...s].length <= 20, "a signature name has 2 to 20 characters")
  .refine((s) => !/[【】]/.test(s), "a signature name must not contain 【 or 】");

export type SignatureRef = { name: string } | { id: number } | { uid: string };

function lookupSignature({ db, tenantId }: TenantDb, by: SignatureRef): Promise<Signature | null> {
  if ("id" in by) return signatures.getSignature({ db, tenantId }, by.id);
  if ("uid" in by) return signatures.getSignatureByUid({ db, tenantId }, by.uid);
  return signatures.getSignatureByName({ db, tenantId }, by.name);
}

const refText = (by: SignatureRef): string => ("id" in by ? `id ${by.id}` : "uid" in by ? `uid ${by.uid}` : `【${by.name}】`);

/** The signature if it is this tenant's and approved; otherwise the typed refusal. */
export async function requireApprovedSignature({ db, tenantId }: TenantDb, by: SignatureRef): Promise<Signature> {
  return checkApprovedSignature(await lookupSignature({ db, tenantId }, by), by);
}

/** requireApprovedSignature's verdict on a signature already read (null: none of this tenant's). */
export function checkApprovedSignature(sig: Signature | null, by: SignatureRef): Signature {
  if (!sig) throw new CoreError("signature_not_found", `signature ${refText(by)} does not exist`);
  if (sig.status === "pending") throw new CoreError("signature_pending", `signature ${refText(by)} is still under review`);
  if (sig.status === "rejected") throw new CoreError("signature_rejected", `signature ${refText(by)} was rejected`);
  return sig;
}

/** The template if it is this tenant's and approved; otherwise the typed refusal. */
export async function requireApprovedTemplate({ db, tenantId }: TenantDb, id: number): Promise<Template> {
  return checkApprovedTemplate(await templates.getTemplate({ db, tenantId }, id), id);
}

/** requireApprovedTemplate's verdict on a template already read (null: none of this tenant's). */
export function checkApprovedTemplate(t: Template | null, id: number): Template {
  if (!t) throw new CoreError("template_not_found", `template ${id} does not exist`);
  if (t.status === "pending") throw new CoreError("template_pending", `template ${id} is still under review`);
  if (t.status === "rejected") throw new CoreError("template_rejected", `template ${id} was rejected`);
  return t;
}

/**
 * The approved template and the signature it names (null when it names none; an unapproved one is
 * refused as requireApprovedSignature would), on a template and its signature already read.
 */
export function checkApprovedTemplateWithSignature(
  read: { template: Template | null; signature: Signature | null },
  id: number,
): { template: Template; signature: Signature | null } {
  const t = checkApprovedTemplate(read.template, id);
  const sig = read.signature;
  if (t.signatureId !== null && !sig) throw new CoreError("signature_not_found", `signature id ${t.signatureId} does not exist`);
  if (sig?.status === "pending") throw new CoreError("signature_pending", `signature id ${sig.id} is still under review`);
  if (sig?.status === "rejected") throw new CoreError("signature_rejected", `signature id ${sig.id} was rejected`);
  return { template: t, signature: sig };
}

export interface SignatureInput {
  name: string;
  type?: number;
  remark?: string | null;
  image?: Uint8Array | null;
  imageType?: string | null;
  status?: ReviewStatus;
}

/** How a tenant's signatures are reviewed: `soleInReview`, one at a time (JPush's rule), refused otherwise. */
export interface ReviewRule {
  soleInReview?: boolean;
}

const blocked = (b: signatures.SignatureBlock, name: string): CoreError =>
  b.outcome === "in_review"
    ? new CoreError("signature_in_review", `signature ${b.pendingId} is still under review; submit again once it is reviewed`)
    : new CoreError("signature_name_taken", `a signature named ${name} already exists`, { field: "name", value: name });

export async function createSignature({ db, tenantId }: TenantDb, s: SignatureInput, now: number, rule: ReviewRule = {}): Promise<Signature> {
  const row = {
    uid: randomHex(16),
    name: s.name,
    type: s.type ?? 1,
    remark: s.remark ?? null,
    image: s.image ?? null,
    imageType: s.imageType ?? null,
    status: s.status ?? "pending",
    now,
  };
  let id: number;
  if (rule.soleInReview) {
    const r = await signatures.insertSoleSignature({ db, tenantId }, row);
    if (r.outcome !== "inserted") throw blocked(r, s.name);
    id = r.id;
  } else {
    const r = await signatures.insertSignature({ db, tenantId }, row);
    if (r === null) throw blocked({ outcome: "name_taken" }, s.name);
    id = r;
  }
  return (await signatures.getSignature({ db, tenantId }, id))!;
}

/** Any change sends the signature back to review; the review rule and the name's uniqueness are the update's own conditions. */
export async function changeSignature({ db, tenantId }: TenantDb, id: number, p: signatures.SignaturePatch, now: number, rule: ReviewRule = {}): Promise<Signature> {
  const r = await signatures.updateSignature({ db, tenantId }, id, p, now, rule.soleInReview ?? false);
  if (r.outcome === "not_found") throw new CoreError("signature_not_found", `signature ${id} does not exist`);
  if (r.outcome !== "updated") throw blocked(r, p.name ?? "");
  return (await signatures.getSignature({ db, tenantId }, id))!;
}

export type Verdict = { status: "approved" | "rejected"; note?: string | null };

/**
 * The operator's verdict on a signature or template, with the pushes that tell the tenant's apps
 * of it (JPush's SMS_SIGN / SMS_TEMPLATE) committed in the same batch.
 */
async function review(env: Env, tenantId: string, subject: "signature" | "template", id: number, verdict: Verdict, now: number): Promise<boolean> {
  const exists = subject === "signature" ? await signatures.getSignature(tenantDb(env, tenantId), id) : await templates.getTemplate(tenantDb(env, tenantId), id);
  if (!exists) return false;
  const note = verdict.note ?? null;
  const pushes = await reviewPushes(env, tenantId, { subject, id, status: verdict.status, note, reviewedAt: now });
  const changed = await signatures.reviewItem(tenantDb(env, tenantId), subject, id, verdict.status, note, now, pushes.statements);
  if (changed) await enqueuePushes(env, pushes.ids);
  return changed;
}

export async function reviewSignature(env: Env, tenantId: string, id: number, verdict: Verdict, now: number): Promise<Signature> {
  if (!(await review(env, tenantId, "signature", id, verdict, now))) throw new CoreError("signature_not_found", `signature ${id} does not exist`);
  return (await signatures.getSignature(tenantDb(env, tenantId), id))!;
}

export async function removeSignature({ db, tenantId }: TenantDb, id: number, now: number): Promise<void> {
  const r = await signatures.deleteSignature({ db, tenantId }, id, now);
  if (r.outcome === "not_found") throw new CoreError("signature_not_found", `signature ${id} does not exist`);
  if (r.outcome === "in_use" && r.apps > 0) throw new CoreError("signature_in_use", `signature ${id} is the default signature of ${r.apps} app(s)`);
  if (r.outcome === "in_use") throw new CoreError("signature_in_use", `signature ${id} is used by ${r.templates} template(s); delete or change them first`);
}

/**
 * Refuses content whose placeholders do not parse: a stray "{{" or "}}" left after removing every
 * well-formed {{name}}. A verification template must carry {{code}}, where the generated code goes.
 */
export function checkTemplateContent(content: string, kind: Kind): string[] {
  const names = templateParams(content);
  const rest = content.replace(/\{\{\s*[A-Za-z0-9_]+\s*\}\}/g, "");
  if (rest.includes("{{") || rest.includes("}}")) {
    throw new CoreError("invalid_placeholder", "a placeholder is malformed: write {{name}} with letters, digits or _", { field: "content" });
  }
  if (kind === "verification" && !names.includes("code")) {
    throw new CoreError("invalid_placeholder", "a verification template must contain {{code}}", { field: "content" });
  }
  return names;
}

async function requireOwnSignature({ db, tenantId }: TenantDb, id: number | null | undefined): Promise<void> {
  if (id === null || id === undefined) return;
  if (!(await signatures.getSignature({ db, tenantId }, id))) {
    throw new CoreError("signature_not_found", `signature ${id} does not exist`, { field: "signature_id", value: String(id) });
  }
}

export interface TemplateInput {
  kind: Kind;
  content: string;
  signatureId?: number | null;
  codeLength?: number;
  ttl?: number;
  remark?: string | null;
  status?: ReviewStatus;
}

export async function createTemplate({ db, tenantId }: TenantDb, t: TemplateInput, now: number): Promise<Template> {
  checkTemplateContent(t.content, t.kind);
  await requireOwnSignature({ db, tenantId }, t.signatureId);
  const id = await templates.insertTemplate({ db, tenantId }, {
    signatureId: t.signatureId ?? null,
    kind: t.kind,
    content: t.content,
    codeLength: t.codeLength ?? 6,
    ttl: t.ttl ?? 300,
    remark: t.remark ?? null,
    status: t.status ?? "pending",
    now,
  });
  return (await templates.getTemplate({ db, tenantId }, id))!;
}

/** Only a template that is not approved may change; the change sends it back to review. */
export async function changeTemplate({ db, tenantId }: TenantDb, id: number, p: templates.TemplatePatch, now: number): Promise<Template> {
  const current = await templates.getTemplate({ db, tenantId }, id);
  if (!current) throw new CoreError("template_not_found", `template ${id} does not exist`);
  if (current.status === "approved") throw new CoreError("template_locked", `template ${id} is approved and can no longer change`);
  if (p.content !== undefined || p.kind !== undefined) checkTemplateContent(p.content ?? current.content, p.kind ?? current.kind);
  await requireOwnSignature({ db, tenantId }, p.signatureId);
  if (!(await templates.updateTemplate({ db, tenantId }, id, p, now))) throw new CoreError("template_changed", `template ${id} changed meanwhile`);
  return (await templates.getTemplate({ db, tenantId }, id))!;
}

export async function reviewTemplate(env: Env, tenantId: string, id: number, verdict: Verdict, now: number): Promise<Template> {
  if (!(await review(env, tenantId, "template", id, verdict, now))) throw new CoreError("template_not_found", `template ${id} does not exist`);
  return (await templates.getTemplate(tenantDb(env, tenantId), id))!;
}

export async function removeTemplate({ db, tenantId }: TenantDb, id: number, now: number): Promise<void> {
  if (!(await templates.deleteTemplate({ db, tenantId }, id, now))) throw new CoreError("template_not_found", `template ${id} does not exist`);
}

/** One tenant's catalog as a dialect addresses it: the dialect names the tenant, the store picks its database. */
export const tenantCatalog = (env: Env, tenantId: string): TenantDb => tenantDb(env, tenantId);

/** The tenant's signature `id` in any review state, or null. */
export const findSignature = (t: TenantDb, id: number): Promise<Signature | null> => signatures.getSignature(t, id);

/** How many templates and apps (as their default) use signature `id`. */
export const signatureUsage = (t: TenantDb, id: number): Promise<{ templates: number; apps: number }> => signatures.getSignatureUsage(t, id);

/** The id of another signature of the tenant still under review (null: none). */

/** The tenant's template `id` in any review state, or null. */
export const findTemplate = (t: TenantDb, id: number): Promise<Template | null> => templates.getTemplate(t, id);
