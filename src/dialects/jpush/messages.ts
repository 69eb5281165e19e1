// POST /v1/messages: one template SMS (notification or marketing) to one mobile.
import type { IRequest } from "itty-router";
import { normalizeMobile } from "../../core/phone";
import { acceptSend } from "../../core/send";
import { json } from "../../http/respond";
import { jpushAuth } from "./auth";
import { parseInput, readJsonObject } from "./input";
import { MessagesRequest } from "./schemas";
import { prepareTemplate, renderFor, storedParams } from "./templates";

export async function postMessages(req: IRequest, env: Env): Promise<Response> {
  const { app, tenant } = await jpushAuth(req, env);
  const input = parseInput(MessagesRequest, await readJsonObject(req), [
    ["mobile", "missingMobile"],
    ["temp_id", "missingTempId"],
  ]);
  const mobile = normalizeMobile(input.mobile);
  const prepared = await prepareTemplate(env, tenant, app, input.temp_id, input.sign_id, "message");
  const text = renderFor(prepared, input.temp_para);
  const res = await acceptSend(
    env,
    [{ mobile, text, signature: prepared.signature, templateId: prepared.template.id, params: storedParams(input.temp_para) }],
    { tenant, app, kind: prepared.template.kind, mode: "all", templateId: prepared.template.id },
  );
  return json({ msg_id: res.items[0]!.messageId });
}
