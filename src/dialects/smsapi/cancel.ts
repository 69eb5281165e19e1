// POST /smsapi/v1/sms/cancel: cancels scheduled, not yet released messages of the key's tenant and
// refunds them; answers per id: canceled, not_cancelable (already released for sending, or canceled
// before) or not_found (another tenant's id included).
import type { IRequest } from "itty-router";
import { cancelScheduled } from "../../core/cancel";
import { CoreError } from "../../core/errors";
import { authenticateSmsapi, tenantMismatch } from "./auth";
import { ok } from "./errors";
import { readInput } from "./input";
import { CancelRequest, MAX_RECIPIENTS, splitList } from "./schemas";

const MESSAGES = {
  canceled: "canceled and refunded",
  not_cancelable: "already sent (or canceled before): no longer cancelable",
  not_found: "no such message",
} as const;

export async function postCancel(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await authenticateSmsapi(req, env);
  const input = await readInput(req, CancelRequest);
  if (!input.ok) return input.response;
  const mismatch = tenantMismatch(tenant, input.data.tenantId);
  if (mismatch) return mismatch;
  const ids = [...new Set(splitList(input.data.id))];
  if (ids.length === 0) throw new CoreError("invalid_input", "id is empty", { field: "id" });
  if (ids.length > MAX_RECIPIENTS) throw new CoreError("too_many_recipients", `id holds ${ids.length} ids; at most ${MAX_RECIPIENTS} are allowed`);
  const outcomes = await cancelScheduled(env, tenant.id, ids);
  const results = outcomes.map((o) => ({ id: o.id, status: o.outcome, message: MESSAGES[o.outcome] }));
  return ok({ canceled: results.filter((r) => r.status === "canceled").length, results });
}
