// POST /v1/messages/batch: one template to 1–1000 recipients, each with its own temp_para.
// Recipients are judged one by one: refused ones are listed with their code and cost nothing;
// the others are billed and queued together in one atomic batch.
import { attemptOf, sending } from "../../http/router";
import { CoreError } from "../../core/errors";
import type { z } from "zod";
import { acceptSend, type AcceptOptions, type Accepted, type Draft } from "../../core/send";
import { idempotencyOf } from "../../core/idempotency";
import type { App, Tenant } from "../../core/types";
import { isPlainObject } from "../../http/body";
import { json } from "../../http/respond";
import { codes, itemError, jpushRoute, JpushRefusal, refuse, TEMPLATE_403, type JpushErrorName } from "./errors";
import { issueRefusal, parseInput, readJsonObject } from "./input";
import { BatchRecipient, BatchRequest, BatchRequestDoc, BatchResponse, MAX_RECIPIENTS } from "./schemas";
import { authAndTemplate, prepareTemplate, renderFor, storedParams, type Prepared } from "./template-use";

interface Slot {
  mobile: string;
  tempPara: unknown;
  draft: Draft | CoreError;
  /** A refusal only the dialect knows (its code has no CoreError): reported instead of `draft`. */
  own: JpushRefusal | null;
}

function slotFor(raw: unknown, index: number, prepared: Prepared): Slot {
  const obj = isPlainObject(raw) ? raw : null;
  const shownMobile = obj && (typeof obj.mobile === "string" || typeof obj.mobile === "number") ? String(obj.mobile) : "";
  // The draft is set on every path below; a dialect-only refusal gets a stand-in CoreError then
  // (built only for refused recipients: an Error per accepted recipient costs a stack capture each).
  const slot = { mobile: shownMobile, tempPara: obj?.temp_para ?? undefined, own: null } as Omit<Slot, "draft"> & { draft?: Slot["draft"] };
  try {
    if (!obj) throw refuse("invalidBody", `recipients.${index} must be an object {mobile, temp_para}`);
    if (obj.mobile === undefined || obj.mobile === null || shownMobile.trim() === "") throw refuse("missingMobile", `recipients.${index}.mobile is required`);
    const parsed = BatchRecipient.safeParse(obj);
    if (!parsed.success) throw issueRefusal(parsed.error.issues[0]!, `recipients.${index}.`);
    const r = parsed.data;
    const text = renderFor(prepared, r.temp_para);
    slot.draft = { mobile: r.mobile, text, signature: prepared.signature, templateId: prepared.template.id, params: storedParams(r.temp_para) };
  } catch (e) {
    if (e instanceof JpushRefusal) {
      slot.own = e;
      slot.draft = new CoreError("invalid_input", e.message);
    } else if (e instanceof CoreError) slot.draft = e;
    else throw e;
  }
  return slot as Slot;
}

/** Per recipient: its msg_id, or its refusal (which the failure list repeats, as the Java SDK reads it). */
function outcome(slots: Slot[], res: Accepted): { recipients: Array<Record<string, unknown>>; failures: Array<Record<string, unknown>> } {
  const recipients: Array<Record<string, unknown>> = [];
  const failures: Array<Record<string, unknown>> = [];
  for (const it of res.items) {
    const slot = slots[it.index]!;
    if (it.ok) {
      recipients.push({ msg_id: it.messageId, mobile: slot.mobile });
      continue;
    }
    const failure = {
      ...itemError(slot.own ?? it.error),
      msg_id: it.messageId,
      mobile: slot.mobile,
      ...(isPlainObject(slot.tempPara) ? { temp_para: slot.tempPara } : {}),
    };
    recipients.push(failure);
    failures.push(failure);
  }
  return { recipients, failures };
}

/** Accepts a validated batch body (now, or as /v1/schedule/batch asks): the shared path of /v1/messages/batch and /v1/schedule/batch. */
export async function acceptRecipients(
  env: Env,
  who: { app: App; tenant: Tenant },
  input: z.output<typeof BatchRequest>,
  extra: Pick<AcceptOptions, "sendAt" | "pastSendTime" | "now" | "replace" | "idempotency" | "attempt"> = {},
  read?: Prepared,
) {
  const { app, tenant } = who;
  checkRecipientCount(input);
  const prepared = read ?? (await prepareTemplate(env, tenant, app, input.temp_id, input.sign_id, "message"));
  const slots = input.recipients.map((r, i) => slotFor(r, i, prepared));
  const res = await acceptSend(
    env,
    slots.map((s) => s.draft),
    { tenant, app, kind: prepared.template.kind, mode: "each", templateId: prepared.template.id, ...extra },
  );
  return { res, ...outcome(slots, res) };
}

function checkRecipientCount(input: z.output<typeof BatchRequest>): void {
  if (input.recipients.length === 0) throw refuse("recipientsEmpty", "recipients must list at least one recipient");
  if (input.recipients.length > MAX_RECIPIENTS) {
    throw refuse("tooManyRecipients", `recipients lists ${input.recipients.length}; at most ${MAX_RECIPIENTS} per request`);
  }
}

/** temp_id and recipients first, each with the document's "missing" code. */
export const BATCH_REQUIRED: Array<[string, JpushErrorName]> = [
  ["temp_id", "missingTempId"],
  ["recipients", "recipientsEmpty"],
];

export const batchRoute = sending(jpushRoute(
  {
    method: "post",
    path: "/v1/messages/batch",
    summary: "Send one template to 1–1000 recipients",
    description: "Refused recipients are listed with error_code (a string) and cost nothing; the others are billed and queued in one atomic batch.",
    body: BatchRequestDoc,
    contentTypes: ["application/json", "text/plain"],
    response: BatchResponse,
    errors: { "400": codes("missingAuth", "missingBody", "missingTempId"), "403": codes("invalidBody", "noSmsAuth", "noMoney", "recipientsEmpty", "tooManyRecipients", ...TEMPLATE_403) },
  },
  async (req, env) => {
    // Authentication and the template share one D1 round trip; the recipient count is checked before the template, as before.
    const { app, tenant, input, prepared } = await authAndTemplate(req, env, "message", async () => {
      const body = parseInput(BatchRequest, await readJsonObject(req), BATCH_REQUIRED);
      checkRecipientCount(body);
      return body;
    });
    const { recipients, failures } = await acceptRecipients(env, { app, tenant }, input, { idempotency: idempotencyOf(req), attempt: attemptOf(req) }, prepared);
    return json({
      success_count: recipients.length - failures.length,
      failure_count: failures.length,
      recipients,
      failure_recipients: failures,
    });
  },
));
