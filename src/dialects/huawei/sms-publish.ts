// POST /v2/{project_id}/notifications/sms and …/batch_sms: the three body forms Huawei's SDKs send
// (different texts `sms_message`, one text to `endpoints`, one `endpoint`), in request order.
import type { IRequest } from "itty-router";
import { idempotencyOf } from "../../core/idempotency";
import { READ_NOTHING } from "../../core/prefetch";
import { acceptSend } from "../../core/send";
import { signaturesPlan, signedDrafts, type SignatureRule, type SignedItem } from "../../core/signed-drafts";
import { json } from "../../http/respond";
import { Refusal, type Route, attemptOf } from "../../http/router";
import { authenticateSmn } from "./auth";
import { SMN_ERRORS_DOC, smnItem } from "./errors";
import { readSmsPublish, type SmnItemInput } from "./input";
import { SmsPublishRequest, SmsPublishResponse } from "./schemas";

/** Huawei SMN does not classify its SMS: every send is a notification (a tenant may restrict kinds per app). */
const KIND = "notification";

/** SMN's signature rule: sign_id prefixed, or (message_include_sign_flag) the 【signature】 the message carries. */
const SMN_SIGNATURES: SignatureRule = {
  source: "carried-or-uid",
  // The CMPP limit the SDKs warn about; counted on the text the handset shows (signature included).
  maxChars: 500,
  field: "message",
  blank: "Parameter: message is empty.",
  say: {
    duplicate: () => "This endpoint already exists.",
    tooLong: "The message is longer than 500 characters.",
    noCarried: "message_include_sign_flag is true but the message carries no 【signature】.",
    noUid: "Parameter: sign_id is required when message_include_sign_flag is false.",
    mismatch: "The sign_id does not match the signature name in the message.",
    otherCarried: (name) => `The message already carries 【${name}】: set message_include_sign_flag to true or remove it.`,
  },
};

const signedItem = (item: SmnItemInput): SignedItem => ({
  mobile: item.endpoint,
  text: item.message,
  customerRef: item.extend ?? null,
  uid: item.sign_id,
  carried: item.message_include_sign_flag,
});

async function postSms(req: IRequest, env: Env): Promise<Response> {
  // The body is read first, its refusal thrown only after the token and project were checked;
  // the signatures it names are read in the token's D1 round trip.
  const parsed = await readSmsPublish(req).catch((e: unknown) => {
    if (e instanceof Refusal) return e;
    throw e;
  });
  const plan = parsed instanceof Refusal ? READ_NOTHING : signaturesPlan(SMN_SIGNATURES, parsed.items.map(signedItem));
  const { app, tenant, extra } = await authenticateSmn(req, env, req.params.project_id ?? "", plan);
  if (parsed instanceof Refusal) throw parsed;
  const { items, single } = parsed;
  const drafts = await signedDrafts(env, tenant, app, SMN_SIGNATURES, items.map(signedItem), extra);
  const idempotency = idempotencyOf(req);
  const attempt = attemptOf(req);

  if (single) {
    const accepted = await acceptSend(env, [drafts[0]!], { tenant, app, kind: KIND, mode: "all", idempotency, attempt });
    return json({ request_id: accepted.batchId!, message_id: accepted.items[0]!.messageId });
  }
  const accepted = await acceptSend(env, drafts, { tenant, app, kind: KIND, mode: "each", idempotency, attempt });
  return json({
    request_id: accepted.batchId ?? accepted.items[0]!.messageId,
    result: accepted.items.map((it) => {
      const endpoint = items[it.index]!.endpoint;
      return it.ok ? { endpoint, message_id: it.messageId } : { endpoint, ...smnItem(it.error) };
    }),
  });
}


const description =
  "Three body forms: `sms_message` (different texts, fewer than 1000 items, per-item results in request order), " +
  "`endpoints` (one text to at most 1000 numbers, per-item results) and a single `endpoint` ({request_id, message_id}). " +
  "message_include_sign_flag false: sign_id (the signature's 32-hex id) is prefixed as 【name】; true: the message must carry an approved 【signature】.";

/** The same endpoint under both paths: /sms as documented, /batch_sms as the Go SDK calls it. */
export const [smsRoute, batchSmsRoute] = (["sms", "batch_sms"] as const).map(
  (p): Route => ({
    doc: {
      method: "post",
      path: `/v2/{project_id}/notifications/${p}`,
      tag: "Huawei SMN",
      summary: p === "sms" ? "Send SMS (single, one text to many, or different texts)" : "Send different texts (the Go SDK's path; same forms as /sms)",
      description,
      body: SmsPublishRequest,
      response: SmsPublishResponse,
      errors: SMN_ERRORS_DOC,
      security: "huaweiToken",
    },
    handle: postSms,
    sends: true,
  }),
) as [Route, Route];
