// GET /sms/smsUp: the tenant's replies (MO) not yet handed out, oldest first, at most 500 per call,
// each returned once. The document marks sign required, but the vendor's own demo calls with the
// token alone: without sign every reply of the tenant is returned.
import { takeReplies } from "../../core/pulls";
import { json } from "../../http/respond";
import { authenticateToken } from "./auth";
import { readInput } from "./input";
import { replyJson } from "./items";
import { paaswRoutes, PullParams, SmsUpResponse } from "./schemas";

export const smsUpRoutes = paaswRoutes(
  {
    path: "/sms/smsUp",
    summary: "Pull replies (each once, ≤ 500 per call, oldest first)",
    description: "Without sign, every reply of the tenant is returned.",
    params: PullParams,
    response: SmsUpResponse,
  },
  async (req, env) => {
    const data = await readInput(req, PullParams);
    const { tenant } = await authenticateToken(req, env, data.token);
    const replies = await takeReplies(env, tenant.id, Date.now(), { signature: data.sign ?? null });
    return json(replies.map((r) => replyJson(r, tenant.timezone, false)));
  },
);
