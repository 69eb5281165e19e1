// POST /v1/codes/{msg_id}/valid: checks a code once. Refusals keep the document's shape
// `{"is_valid": false, "error": {...}}` with the code table's HTTP status (403 for 50010–50012, 50026).
import type { IRequest } from "itty-router";
import { validateCode } from "../../core/verification";
import { json } from "../../http/respond";
import { jpushAuth } from "./auth";
import { errorResponse, explainError } from "./errors";
import { parseInput, readJsonObject } from "./input";
import { ValidRequest } from "./schemas";

export async function postValid(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await jpushAuth(req, env);
  try {
    const input = parseInput(ValidRequest, await readJsonObject(req), [["code", "missingCode"]]);
    await validateCode(env, tenant.id, req.params.msg_id ?? "", input.code, Date.now());
    return json({ is_valid: true });
  } catch (e) {
    const known = explainError(e);
    if (!known) throw e;
    return errorResponse(known, { is_valid: false });
  }
}
