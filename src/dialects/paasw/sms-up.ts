// GET /sms/smsUp: the tenant's replies (MO) not yet handed out, oldest first, at most 500 per call,
// each returned once. The document marks sign required, but the vendor's own demo calls with the
// token alone: without sign every reply of the tenant is returned.
import type { IRequest } from "itty-router";
import { json } from "../../http/respond";
import { pullReplies } from "../../store/pulls";
import { readAuthed } from "./input";
import { replyJson } from "./items";
import { PullParams } from "./schemas";
import { tenantDb } from "../../store/db";

export async function getSmsUp(req: IRequest, env: Env): Promise<Response> {
  const input = await readAuthed(req, env, PullParams);
  if (!input.ok) return input.response;
  const { data, tenant } = input;
  const replies = await pullReplies(tenantDb(env, tenant.id), data.sign ?? null, Date.now());
  return json(replies.map((r) => replyJson(r, tenant.timezone, false)));
}
