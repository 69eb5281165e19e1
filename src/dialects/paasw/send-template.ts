// POST /sms/sendTemplate: an approved template rendered per number and sent as ONE atomic batch.
// paramJson is an object (the same parameters for every number) or an array of one object per
// listed number, in order (the document's example), whose length must match the list.
import { attemptOf, sending } from "../../http/router";
import { checkApprovedTemplate } from "../../core/catalog";
import { renderTemplate, templateParams } from "../../core/content";
import { CoreError } from "../../core/errors";
import { acceptSend, type Draft } from "../../core/send";
import { idempotencyOf } from "../../core/idempotency";
import { authenticateTokenWith } from "./auth";
import { PAASW_OWN, refuse } from "./errors";
import { parseParamJson, readInput, type ParamObject } from "./input";
import { parsePhoneNumbers } from "./recipients";
import { paaswRoutes, SendResponse, SendTemplateParams } from "./schemas";
import { sent } from "./send";
import { approvedSignatureOf, signatureRead, signedText } from "./signature";

/** What /sms/send allows in `content` (schemas.ts); a rendered template may not hold more. */
const MAX_RENDERED_CHARS = 1000;

/** The template with its parameters, refused (30010) past MAX_RENDERED_CHARS before the signature is added. */
function rendered(content: string, p: ParamObject): string {
  const text = renderTemplate(content, p);
  if (text.length > MAX_RENDERED_CHARS) {
    throw new CoreError("content_too_long", `the rendered template is ${text.length} characters long; at most ${MAX_RENDERED_CHARS} are allowed`, { field: "paramJson" });
  }
  return text;
}

async function sendTemplate(req: Request, env: Env): Promise<Response> {
  const data = await readInput(req, SendTemplateParams);
  // The token, the template and the signature share one D1 round trip.
  const templateId = Number(data.templateId);
  const prefetch = { ...signatureRead(data.sign), template: Number.isSafeInteger(templateId) ? { id: templateId, signatureId: null } : undefined };
  const { app, tenant, extra } = await authenticateTokenWith(req, env, data.token, {
    prefetch,
    take: (r) => ({ template: r.template?.template ?? null, sigs: r.signatures }),
  });
  const { mobiles, positions, listed } = parsePhoneNumbers(data.phoneNumbers);
  const params = parseParamJson(data.paramJson, listed);
  if (!Number.isSafeInteger(templateId)) throw new CoreError("template_not_found", `template ${data.templateId} does not exist`);

  const template = checkApprovedTemplate(extra.template, templateId);
  const sig = approvedSignatureOf(extra.sigs, data.sign);
  if (template.signatureId !== null && template.signatureId !== sig.id) {
    throw refuse(PAASW_OWN.signMismatch, `template ${templateId} is approved for another signature than ${sig.name}`);
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
  const accepted = await acceptSend(env, drafts, { tenant, app, kind: template.kind, mode: "all", templateId, idempotency: idempotencyOf(req), attempt: attemptOf(req) });
  return sent(accepted.batchId!);
}

export const sendTemplateRoutes = paaswRoutes(
  {
    path: "/sms/sendTemplate",
    summary: "Send an approved template to up to 1000 numbers",
    description: "paramJson: one object for every number, or an array with one object per listed number (length must match).",
    params: SendTemplateParams,
    response: SendResponse,
  },
  sendTemplate,
).map(sending);
