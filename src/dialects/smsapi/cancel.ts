// POST /smsapi/v1/sms/cancel: cancels scheduled, not yet released messages of the key's tenant and
// refunds them; answers per id: canceled, not_cancelable (already released for sending, or canceled
// before) or not_found (another tenant's id included).
import { cancelScheduled } from "../../core/cancel";
import { CoreError } from "../../core/errors";
import { authenticateSmsapi, checkTenant } from "./auth";
import { ok, smsapiRoute } from "./errors";
import { readInput } from "./input";
import { CancelRequest, CancelResponse, MAX_RECIPIENTS, splitList } from "./schemas";

const MESSAGES = {
  canceled: "canceled and refunded",
  not_cancelable: "already sent (or canceled before): no longer cancelable",
  not_found: "no such message",
} as const;

export const cancelRoute = smsapiRoute(
  {
    method: "post",
    path: "/smsapi/v1/sms/cancel",
    summary: "Cancel scheduled messages (refunded); answers per id",
    body: CancelRequest,
    contentTypes: ["application/json", "application/x-www-form-urlencoded"],
    response: CancelResponse,
    errors: { "400": "40000 bad body, 40001 no id", "401": "40100 missing or wrong API key", "403": "40300 tenantId is not the key's tenant" },
  },
  async (req, env) => {
    const { tenant } = await authenticateSmsapi(req, env);
    const input = await readInput(req, CancelRequest);
    checkTenant(tenant, input.tenantId);
    const ids = [...new Set(splitList(input.id))];
    if (ids.length === 0) throw new CoreError("invalid_input", "id is empty", { field: "id" });
    if (ids.length > MAX_RECIPIENTS) throw new CoreError("too_many_recipients", `id holds ${ids.length} ids; at most ${MAX_RECIPIENTS} are allowed`);
    const outcomes = await cancelScheduled(env, tenant.id, ids);
    const results = outcomes.map((o) => ({ id: o.id, status: o.outcome, message: MESSAGES[o.outcome] }));
    return ok({ canceled: results.filter((r) => r.status === "canceled").length, results });
  },
);
