// POST /v1/codes: a text verification code. The code is generated here (template's length, 4–8
// digits), rendered into the approved verification template's {{code}}, and held hashed by the
// mobile's MobileGuard until it is validated or expires (template ttl, or the request's ttl).
import { attemptOf, sending } from "../../http/router";
import { acceptSend } from "../../core/send";
import { idempotencyOf } from "../../core/idempotency";
import { issueCode } from "../../core/verification";
import { json } from "../../http/respond";
import { codes, jpushRoute, SEND_403, TEMPLATE_403 } from "./errors";
import { readMobileBody } from "./input";
import { CodesRequest, MsgIdResponse } from "./schemas";
import { authAndTemplate, renderFor, storedParams } from "./template-use";

export const codesRoute = sending(jpushRoute(
  {
    method: "post",
    path: "/v1/codes",
    summary: "Send a text verification code",
    description:
      "Generates the code (the template's length, 4–8 digits), renders the approved verification-code template's {{code}} and holds the code until it is validated or its ttl passes. Per-mobile limits apply (default 1/min, 5/h, 10/day).",
    body: CodesRequest,
    contentTypes: ["application/json", "text/plain"],
    response: MsgIdResponse,
    errors: { "400": codes("missingAuth", "missingBody", "missingMobile", "missingTempId"), "403": codes(...SEND_403, ...TEMPLATE_403, "invalidTtl") },
  },
  async (req, env) => {
    // Authentication and the template share one D1 round trip.
    const { app, tenant, input, prepared } = await authAndTemplate(req, env, "code", () => readMobileBody(req, CodesRequest));
    const mobile = input.mobile;
    const now = Date.now();
    const issued = await issueCode(env, tenant.id, mobile, {
      length: prepared.template.codeLength,
      ttlSeconds: input.ttl ?? prepared.template.ttl,
      now,
    });
    const text = renderFor(prepared, input.temp_para, { code: issued.code });
    const res = await acceptSend(
      env,
      [{ mobile, text, signature: prepared.signature, templateId: prepared.template.id, params: storedParams(input.temp_para), code: issued.held }],
      { tenant, app, kind: "verification", mode: "all", templateId: prepared.template.id, now, idempotency: idempotencyOf(req), attempt: attemptOf(req) },
    );
    return json({ msg_id: res.items[0]!.messageId });
  },
));
