// POST /v2/{project_id}/notifications/sms and …/batch_sms: the three body forms Huawei's SDKs send
// (different texts `sms_message`, one text to `endpoints`, one `endpoint`), in request order.
import type { IRequest } from "itty-router";
import type { z } from "zod";
import { acceptSend } from "../../core/send";
import { readBody, isPlainObject } from "../../http/body";
import { json } from "../../http/respond";
import { authenticateSmn } from "./auth";
import { buildDrafts, type SmnItemInput } from "./drafts";
import { SMN_ERRORS, SMN_OWN, smnErrorResponse, smnItem } from "./errors";
import { MAX_DIFF_ITEMS, MAX_ENDPOINTS, SmsBatchRequest, SmsEndpointsRequest, SmsSingleRequest } from "./schemas";

/** Huawei SMN does not classify its SMS: every send is a notification (a tenant may restrict kinds per app). */
const KIND = "notification";

export async function postSms(req: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const defer = (p: Promise<void>) => ctx.waitUntil(p);
  const auth = await authenticateSmn(req, env, req.params.project_id ?? "");
  if (!auth.ok) return auth.response;
  const { app, tenant } = auth;

  const body = await readBody(req);
  if (body.kind === "too_large") return smnErrorResponse(SMN_OWN.tooLarge, "The request body is too large.");
  if (body.kind === "unsupported") return smnErrorResponse(SMN_OWN.unsupportedType, `Unsupported content type: ${body.contentType}.`);
  if (body.kind !== "json" || !isPlainObject(body.value)) {
    return smnErrorResponse(SMN_OWN.badBody, body.kind === "malformed" ? `The request body is not valid JSON: ${body.reason}` : "The request body must be a JSON object.");
  }
  const value = body.value;

  // 1000+ items are refused whole before their contents are examined.
  if (Array.isArray(value.sms_message) && value.sms_message.length > MAX_DIFF_ITEMS) {
    return smnErrorResponse(SMN_ERRORS.too_many_recipients, `sms_message holds ${value.sms_message.length} items; fewer than 1000 are allowed.`);
  }
  if (Array.isArray(value.endpoints) && value.endpoints.length > MAX_ENDPOINTS) {
    return smnErrorResponse(SMN_ERRORS.too_many_recipients, `endpoints holds ${value.endpoints.length} numbers; at most ${MAX_ENDPOINTS} are allowed.`);
  }

  if ("sms_message" in value || "endpoints" in value) {
    let items: SmnItemInput[];
    if ("sms_message" in value) {
      const parsed = SmsBatchRequest.safeParse(value);
      if (!parsed.success) return invalid(parsed.error);
      items = parsed.data.sms_message;
    } else {
      const parsed = SmsEndpointsRequest.safeParse(value);
      if (!parsed.success) return invalid(parsed.error);
      const { endpoints, ...rest } = parsed.data;
      items = endpoints.map((endpoint) => ({ endpoint, ...rest }));
    }
    const drafts = await buildDrafts(env, tenant, items);
    const accepted = await acceptSend(env, drafts, { tenant, app, kind: KIND, mode: "each", defer });
    return json({
      request_id: accepted.batchId ?? accepted.items[0]!.messageId,
      result: accepted.items.map((it) => {
        const endpoint = items[it.index]!.endpoint;
        return it.ok ? { endpoint, message_id: it.messageId } : { endpoint, ...smnItem(it.error) };
      }),
    });
  }

  const parsed = SmsSingleRequest.safeParse(value);
  if (!parsed.success) return invalid(parsed.error);
  const [draft] = await buildDrafts(env, tenant, [parsed.data]);
  const accepted = await acceptSend(env, [draft!], { tenant, app, kind: KIND, mode: "all", defer });
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
