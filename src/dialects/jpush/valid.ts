// POST /v1/codes/{msg_id}/valid: checks a code once. Refusals keep the document's shape
// `{"is_valid": false, "error": {...}}` with the code table's HTTP status (403 for 50010–50012, 50026).
import { READ_NOTHING } from "../../core/prefetch";
import { checkCode, isMessageId } from "../../core/verification";
import { json } from "../../http/respond";
import { jpushAuthWith } from "./auth";
import { codes, jpushRoute, refusalOf } from "./errors";
import { parseInput, readJsonObject } from "./input";
import { ValidRequest, ValidResponse } from "./schemas";

export const validRoute = jpushRoute(
  {
    method: "post",
    path: "/v1/codes/{msg_id}/valid",
    summary: "Validate a code (single use; dead after 5 wrong attempts)",
    body: ValidRequest,
    contentTypes: ["application/json", "text/plain"],
    response: ValidResponse,
    errors: {
      "400": codes("missingAuth", "missingBody", "missingCode"),
      "403": `${codes("invalidCode", "expiredCode", "verifiedCode", "wrongMsgId", "invalidBody")} (body: {"is_valid": false, "error": {...}})`,
    },
  },
  async (req, env) => {
    const msgId = req.params.msg_id ?? "";
    // The body is read first, its refusal held until the credentials were checked (a bad key still
    // answers as a bad key); the message is read in authentication's round trip, scoped to its tenant.
    let input: { code: string } | null = null;
    let refusal: unknown;
    try {
      input = parseInput(ValidRequest, await readJsonObject(req), [["code", "missingCode"]]);
    } catch (e) {
      refusal = e;
    }
    const { tenant, extra: msg } = await jpushAuthWith(
      req,
      env,
      input && isMessageId(msgId) ? { prefetch: { codeMessage: msgId }, take: (r) => r.codeMessage } : READ_NOTHING,
    );
    try {
      if (!input) throw refusal;
      await checkCode(env, tenant, msgId, msg, input.code, Date.now());
      return json({ is_valid: true });
    } catch (e) {
      throw refusalOf(e, { is_valid: false }) ?? e;
    }
  },
);
