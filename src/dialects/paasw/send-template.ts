// POST /sms/sendTemplate: an approved template rendered per number and sent as ONE atomic batch.
// paramJson is an object (the same parameters for every number) or an array of one object per
// listed number, in order (the document's example), whose length must match the list.
import type { IRequest } from "itty-router";
import { checkApprovedTemplate } from "../../core/catalog";
import { renderTemplate, templateParams } from "../../core/content";
import { CoreError } from "../../core/errors";
import { acceptSend, type Draft } from "../../core/send";
import { idempotencyOf } from "../../core/idempotency";
import { PAASW_OWN, PaaswRefusal } from "./errors";
import { readAuthedWith } from "./input";
import { parsePhoneNumbers } from "./recipients";
import { SendTemplateParams } from "./schemas";
import { sent } from "./send";
import { approvedSignatureOf, signatureRead, signedText } from "./signature";

type ParamObject = Record<string, unknown>;

/** What /sms/send allows in `content` (schemas.ts); a rendered template may not hold more. */
export const MAX_RENDERED_CHARS = 1000;

/** The template with its parameters, refused (30010) past MAX_RENDERED_CHARS before the signature is added. */
function rendered(content: string, p: ParamObject): string {
  const text = renderTemplate(content, p);
  if (text.length > MAX_RENDERED_CHARS) {
    throw new CoreError("content_too_long", `the rendered template is ${text.length} characters long; at most ${MAX_RENDERED_CHARS} are allowed`, { field: "paramJson" });
  }
  return text;
}

const isObject = (v: unknown): v is ParamObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** One object for all, or one per listed number. A missing paramJson is no parameters (a template without any). */
export function parseParamJson(raw: string | undefined, listed: number): ParamObject | ParamObject[] {
  if (raw === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new PaaswRefusal(PAASW_OWN.templateParams, "paramJson is not valid JSON");
  }
  if (isObject(value)) return value;
  if (!Array.isArray(value)) throw new PaaswRefusal(PAASW_OWN.templateParams, "paramJson must be a JSON object or an array of objects");
  if (value.length !== listed) {
    throw new PaaswRefusal(PAASW_OWN.templateParams, `paramJson has ${value.length} objects for ${listed} phone numbers; give one per number or a single object`);
  }
  const bad = value.findIndex((v) => !isObject(v));
  if (bad >= 0) throw new PaaswRefusal(PAASW_OWN.templateParams, `paramJson[${bad}] is not an object`);
  return value as ParamObject[];
}

export async function postSendTemplate(req: IRequest, env: Env): Promise<Response> {
  // The token, the template and the signature share one D1 round trip.
  const input = await readAuthedWith(req, env, SendTemplateParams, (d) => {
    const id = Number(d.templateId);
    const template = Number.isSafeInteger(id) ? { id, signatureId: null } : undefined;
    return { prefetch: { ...signatureRead(d.sign), template }, take: (r) => ({ template: r.template?.template ?? null, sigs: r.signatures }) };
  });
  if (!input.ok) return input.response;
  const { data, app, tenant } = input;
  const { mobiles, positions, listed } = parsePhoneNumbers(data.phoneNumbers);
  const params = parseParamJson(data.paramJson, listed);
  const templateId = Number(data.templateId);
  if (!Number.isSafeInteger(templateId)) throw new CoreError("template_not_found", `template ${data.templateId} does not exist`);

  const template = checkApprovedTemplate(input.extra.template, templateId);
  const sig = approvedSignatureOf(input.extra.sigs, data.sign);
  if (template.signatureId !== null && template.signatureId !== sig.id) {
    throw new PaaswRefusal(PAASW_OWN.signMismatch, `template ${templateId} is approved for another signature than ${sig.name}`);
  }
  const names = templateParams(template.content);
  const draft = (mobile: string, p: ParamObject, at?: number): Draft => {
    let text: string;
    try {
      text = signedText(sig.name, rendered(template.content, p));
    } catch (e) {
      // Name the array element, so that a client with 1000 objects knows which one is short.
      if (e instanceof CoreError && at !== undefined) throw new CoreError(e.code, `paramJson[${at}]: ${e.message}`, e.detail);
      throw e;
    }
    return { mobile, normalized: true, text, signature: sig.name, templateId, params: Object.fromEntries(names.map((n) => [n, String(p[n])])) };
  };
  let drafts: Draft[];
  if (Array.isArray(params)) {
    drafts = mobiles.map((mobile, j) => draft(mobile, params[positions[j]!]!, positions[j]!));
  } else {
    // One rendering serves every number.
    const one = draft(mobiles[0]!, params);
    drafts = mobiles.map((mobile) => ({ ...one, mobile }));
  }
  if (data.outId) drafts = drafts.map((d) => ({ ...d, customerRef: data.outId }));
  const accepted = await acceptSend(env, drafts, { tenant, app, kind: template.kind, mode: "all", templateId, idempotency: idempotencyOf(req) });
  return sent(accepted.batchId!);
}
