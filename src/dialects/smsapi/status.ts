// GET or POST /smsapi/v1/sms/status: what became of messages, by the ids a send answered (`ids`)
// or by its `batchId`, in the {code, message, data} envelope. Repeatable; another tenant's ids are
// answered as not found.
import type { IRequest } from "itty-router";
import { z } from "zod";
import { CoreError } from "../../core/errors";
import { isFinal, statesByIds, statesOfBatch, type MessageState } from "../../core/status";
import { authenticateSmsapi, tenantMismatch } from "./auth";
import { fail, ok, SMSAPI_OWN } from "./errors";
import { readInput } from "./input";
import { MAX_RECIPIENTS, splitList } from "./schemas";

export const StatusRequest = z.object({
  ids: z.union([z.string(), z.array(z.union([z.string(), z.number()]).transform(String))]).optional().describe("message ids (comma list or array), at most 1000"),
  batchId: z.union([z.string(), z.number()]).transform(String).optional().describe("a send's batchId: all its messages"),
  tenantId: z.union([z.string().max(128), z.number()]).transform(String).optional().nullable(),
});

export const StatusItem = z.object({
  id: z.string(),
  batchId: z.string(),
  mobile: z.string().describe("E.164"),
  status: z.enum(["scheduled", "queued", "submitted", "delivered", "undelivered", "unknown", "failed", "canceled"]),
  final: z.boolean(),
  reportCode: z.string().nullable().describe("once final: 10000 delivered; 1, 4–9 otherwise (docs/smsapi.md)"),
  reportMessage: z.string().nullable(),
  segments: z.number().int(),
  outId: z.string().nullable(),
  sendTime: z.number().int().describe("ms: when it was (or is to be) sent"),
  submitTime: z.number().int().nullable(),
  reportTime: z.number().int().nullable(),
});
export const StatusResponse = z.object({
  code: z.literal(0),
  message: z.literal("ok"),
  data: z.object({ found: z.number().int(), messages: z.array(StatusItem), notFound: z.array(z.string()) }),
});

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

async function readStatusRequest(req: Request): Promise<{ ok: true; data: z.output<typeof StatusRequest> } | { ok: false; response: Response }> {
  if (req.method !== "GET") return readInput(req, StatusRequest);
  const parsed = StatusRequest.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, response: fail(SMSAPI_OWN.badBody, `${issue.path.join(".") || "query"}: ${issue.message}`) };
}

export async function handleStatus(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await authenticateSmsapi(req, env);
  const input = await readStatusRequest(req);
  if (!input.ok) return input.response;
  const mismatch = tenantMismatch(tenant, input.data.tenantId);
  if (mismatch) return mismatch;
  const ids = input.data.ids === undefined ? [] : [...new Set(splitList(input.data.ids))];
  const batchId = input.data.batchId?.trim() ?? "";
  if (ids.length === 0 && batchId === "") throw new CoreError("invalid_input", "send ids or batchId", { field: "ids" });
  if (ids.length > MAX_RECIPIENTS) throw new CoreError("too_many_recipients", `ids holds ${ids.length} ids; at most ${MAX_RECIPIENTS} are allowed`);
  if (ids.length > 0) {
    const states = (await statesByIds(env, tenant.id, ids)).filter((s) => batchId === "" || s.batchId === batchId);
    const found = new Set(states.map((s) => s.messageId));
    return ok({ found: states.length, messages: states.map(item), notFound: ids.filter((id) => !found.has(id)) });
  }
  const { states } = await statesOfBatch(env, tenant.id, batchId, { limit: MAX_RECIPIENTS });
  return ok({ found: states.length, messages: states.map(item), notFound: states.length === 0 ? [batchId] : [] });
}
