// GET or POST /smsapi/v1/sms/status: what became of messages, by the ids a send answered (`ids`)
// or by its `batchId`, in the {code, message, data} envelope. Repeatable; another tenant's ids are
// answered as not found.
import type { z } from "zod";
import { CoreError } from "../../core/errors";
import { isFinal, statesByIds, statesOfBatch, type MessageState } from "../../core/status";
import type { Handler, Route } from "../../http/router";
import { authenticateSmsapi, checkTenant } from "./auth";
import { ok, smsapiRoute } from "./errors";
import { readInput, readQuery } from "./input";
import { MAX_RECIPIENTS, splitList, StatusRequest, StatusResponse, type StatusItem } from "./schemas";

const item = (s: MessageState): z.infer<typeof StatusItem> => ({
  id: s.messageId,
  batchId: s.batchId,
  mobile: s.mobile,
  status: s.status,
  final: isFinal(s.status),
  reportCode: s.code,
  reportMessage: s.code === null ? null : (s.codeMessage ?? ""),
  segments: s.segments,
  outId: s.customerRef,
  sendTime: s.sendAt,
  submitTime: s.submittedAt,
  reportTime: s.reportedAt,
});

const handle: Handler = async (req, env) => {
  const { tenant } = await authenticateSmsapi(req, env);
  const input = req.method === "GET" ? readQuery(req, StatusRequest) : await readInput(req, StatusRequest);
  checkTenant(tenant, input.tenantId);
  const ids = input.ids === undefined ? [] : [...new Set(splitList(input.ids))];
  const batchId = input.batchId?.trim() ?? "";
  if (ids.length === 0 && batchId === "") throw new CoreError("invalid_input", "send ids or batchId", { field: "ids" });
  if (ids.length > MAX_RECIPIENTS) throw new CoreError("too_many_recipients", `ids holds ${ids.length} ids; at most ${MAX_RECIPIENTS} are allowed`);
  if (ids.length > 0) {
    const states = (await statesByIds(env, tenant.id, ids)).filter((s) => batchId === "" || s.batchId === batchId);
    const found = new Set(states.map((s) => s.messageId));
    return ok({ found: states.length, messages: states.map(item), notFound: ids.filter((id) => !found.has(id)) });
  }
  const { states } = await statesOfBatch(env, tenant.id, batchId, { limit: MAX_RECIPIENTS });
  return ok({ found: states.length, messages: states.map(item), notFound: states.length === 0 ? [batchId] : [] });
};

/** Repeatable, so both methods: GET with the query, POST with a JSON or form body. */
export const statusRoutes: Route[] = (["get", "post"] as const).map((method) =>
  smsapiRoute(
    {
      method,
      path: "/smsapi/v1/sms/status",
      summary: "Status of messages by ids (at most 1000) or by batchId; repeatable",
      description: "GET takes ids/batchId in the query, POST in a JSON or form body. Ids of another tenant (or unknown) are listed in notFound.",
      ...(method === "get" ? { query: StatusRequest } : { body: StatusRequest, contentTypes: ["application/json", "application/x-www-form-urlencoded"] }),
      response: StatusResponse,
      errors: { "400": "40000 bad body, 40001 neither ids nor batchId, 40004 over 1000 ids", "401": "40100 missing or wrong API key", "403": "40300 tenantId is not the key's tenant" },
    },
    handle,
  ),
);
