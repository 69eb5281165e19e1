// POST /v2/{project_id}/notifications/sms and …/batch_sms: the three body forms Huawei's SDKs send
// (different texts `sms_message`, one text to `endpoints`, one `endpoint`), in request order.
import { READ_NOTHING } from "../../core/prefetch";
import type { IRequest } from "itty-router";
import type { z } from "zod";
import { acceptSend } from "../../core/send";
import { idempotencyOf } from "../../core/idempotency";
import { readBody, isPlainObject } from "../../http/body";
import { json } from "../../http/respond";
import { authenticateSmn } from "./auth";
import { buildDrafts, preloadSignatures, type SmnItemInput } from "./drafts";
import { SMN_ERRORS, SMN_OWN, smnErrorResponse, smnItem } from "./errors";
import { MAX_DIFF_ITEMS, MAX_ENDPOINTS, SmsBatchRequest, SmsEndpointsRequest, SmsSingleRequest } from "./schemas";

/** Huawei SMN does not classify its SMS: every send is a notification (a tenant may restrict kinds per app). */
const KIND = "notification";

type Parsed = { ok: true; items: SmnItemInput[]; single: boolean } | { ok: false; response: Response };

/** The body as SMN items, in request order, or the refusal to answer (once the token was checked). */
async function parseSms(req: Request): Promise<Parsed> {
  const no = (response: Response): Parsed => ({ ok: false, response });
  const body = await readBody(req);
  if (body.kind === "too_large") return no(smnErrorResponse(SMN_OWN.tooLarge, "The request body is too large."));
  if (body.kind === "unsupported") return no(smnErrorResponse(SMN_OWN.unsupportedType, `Unsupported content type: ${body.contentType}.`));
  if (body.kind !== "json" || !isPlainObject(body.value)) {
    return no(smnErrorResponse(SMN_OWN.badBody, body.kind === "malformed" ? `The request body is not valid JSON: ${body.reason}` : "The request body must be a JSON object."));
  }
  const value = body.value;

  // 1000+ items are refused whole before their contents are examined.
  if (Array.isArray(value.sms_message) && value.sms_message.length > MAX_DIFF_ITEMS) {
    return no(smnErrorResponse(SMN_ERRORS.too_many_recipients, `sms_message holds ${value.sms_message.length} items; fewer than 1000 are allowed.`));
  }
  if (Array.isArray(value.endpoints) && value.endpoints.length > MAX_ENDPOINTS) {
    return no(smnErrorResponse(SMN_ERRORS.too_many_recipients, `endpoints holds ${value.endpoints.length} numbers; at most ${MAX_ENDPOINTS} are allowed.`));
  }
  if ("sms_message" in value) {
    const parsed = SmsBatchRequest.safeParse(value);
    return parsed.success ? { ok: true, items: parsed.data.sms_message, single: false } : no(invalid(parsed.error));
  }
  if ("endpoints" in value) {
    const parsed = SmsEndpointsRequest.safeParse(value);
    if (!parsed.success) return no(invalid(parsed.error));
    const { endpoints, ...rest } = parsed.data;
    return { ok: true, items: endpoints.map((endpoint) => ({ endpoint, ...rest })), single: false };
  }
  const parsed = SmsSingleRequest.safeParse(value);
  return parsed.success ? { ok: true, items: [parsed.data], single: true } : no(invalid(parsed.error));
}

export async function postSms(req: IRequest, env: Env): Promise<Response> {
  // The body is read first, its refusal answered only after the token and project were checked;
  // the signatures it names are read in the token's D1 round trip.
  const parsed = await parseSms(req);
  const auth = await authenticateSmn(req, env, req.params.project_id ?? "", parsed.ok ? preloadSignatures(parsed.items) : READ_NOTHING);
  if (!auth.ok) return auth.response;
  if (!parsed.ok) return parsed.response;
  const { app, tenant } = auth;
  const { items } = parsed;
  const drafts = await buildDrafts(env, tenant, items, auth.extra);

  if (!parsed.single) {
    const accepted = await acceptSend(env, drafts, { tenant, app, kind: KIND, mode: "each", idempotency: idempotencyOf(req) });
    return json({
      request_id: accepted.batchId ?? accepted.items[0]!.messageId,
      result: accepted.items.map((it) => {
        const endpoint = items[it.index]!.endpoint;
        return it.ok ? { endpoint, message_id: it.messageId } : { endpoint, ...smnItem(it.error) };
      }),
    });
  }
  const accepted = await acceptSend(env, [drafts[0]!], { tenant, app, kind: KIND, mode: "all", idempotency: idempotencyOf(req) });
  return json({ request_id: accepted.batchId!, message_id: accepted.items[0]!.messageId });
}

/** The first schema issue, under the code of the field it concerns. */
function invalid(error: z.ZodError): Response {
  const issue = error.issues[0]!;
  const where = issue.path.join(".") || "body";
  const field = [...issue.path].reverse().find((p) => typeof p === "string");
  const err = field === "endpoint" || field === "endpoints" ? SMN_OWN.badEndpoint : field === "message" ? SMN_OWN.badMessage : SMN_OWN.badBody;
  return smnErrorResponse({ status: err.status, code: err.code }, `Parameter: ${where} is invalid: ${issue.message}.`);
}
