// POST /v1/messages: one template SMS (notification or marketing) to one mobile.
import { attemptOf, sending } from "../../http/router";
import type { z } from "zod";
import { normalizeMobile } from "../../core/phone";
import { acceptSend, type AcceptOptions, type Accepted } from "../../core/send";
import { idempotencyOf } from "../../core/idempotency";
import type { App, Tenant } from "../../core/types";
import { json } from "../../http/respond";
import { codes, jpushRoute, SEND_403, TEMPLATE_403 } from "./errors";
import { readMobileBody } from "./input";
import { MessagesRequest, MsgIdResponse } from "./schemas";
import { authAndTemplate, prepareTemplate, renderFor, storedParams, type Prepared } from "./template-use";

/** Accepts one validated /v1/messages-shaped body (now, or as /v1/schedule asks): any refusal refuses the request. */
export async function acceptMessage(
  env: Env,
  who: { app: App; tenant: Tenant },
  input: z.output<typeof MessagesRequest>,
  extra: Pick<AcceptOptions, "sendAt" | "pastSendTime" | "now" | "replace" | "idempotency" | "attempt"> = {},
): Promise<Accepted> {
  const prepared = await prepareTemplate(env, who.tenant, who.app, input.temp_id, input.sign_id, "message");
  return acceptPrepared(env, who, input, prepared, extra);
}

function acceptPrepared(
  env: Env,
  who: { app: App; tenant: Tenant },
  input: z.output<typeof MessagesRequest>,
  prepared: Prepared,
  extra: Pick<AcceptOptions, "sendAt" | "pastSendTime" | "now" | "replace" | "idempotency" | "attempt"> = {},
): Promise<Accepted> {
  const { app, tenant } = who;
  const mobile = normalizeMobile(input.mobile);
  const text = renderFor(prepared, input.temp_para);
  return acceptSend(
    env,
    [{ mobile, normalized: true, text, signature: prepared.signature, templateId: prepared.template.id, params: storedParams(input.temp_para) }],
    { tenant, app, kind: prepared.template.kind, mode: "all", templateId: prepared.template.id, ...extra },
  );
}

export const messagesRoute = sending(jpushRoute(
  {
    method: "post",
    path: "/v1/messages",
    summary: "Send one template SMS (notification or marketing)",
    body: MessagesRequest,
    contentTypes: ["application/json", "text/plain"],
    response: MsgIdResponse,
    errors: { "400": codes("missingAuth", "missingBody", "missingMobile", "missingTempId"), "403": codes(...SEND_403, ...TEMPLATE_403, "unsubscribed") },
  },
  async (req, env) => {
    // Authentication and the template share one D1 round trip (templates.ts authAndTemplate).
    const { app, tenant, input, prepared } = await authAndTemplate(req, env, "message", () => readMobileBody(req, MessagesRequest));
    const res = await acceptPrepared(env, { app, tenant }, input, prepared, { idempotency: idempotencyOf(req), attempt: attemptOf(req) });
    return json({ msg_id: res.items[0]!.messageId });
  },
));
