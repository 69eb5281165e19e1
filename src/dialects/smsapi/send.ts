// The send path shared by smsapi's three send endpoints: per-item signature rule (an approved
// 【signature】 in the content, else the key's default signature prefixed), duplicates answered per
// item, one acceptSend call, and the envelope listing every recipient with its id or its refusal.
import { CoreError } from "../../core/errors";
import { extractSignature, withSignature } from "../../core/content";
import { recipientSet, signatureLookup, textLength } from "../../core/drafts";
import { acceptSend, type Draft } from "../../core/send";
import type { App, Kind, Tenant } from "../../core/types";
import { fail, failCore, itemError, ok, SMSAPI_ERRORS } from "./errors";

export interface SmsapiItem {
  mobile: string;
  content: string;
}

/** Longest text (signature included) a concatenated SMS may carry here, as in the Huawei dialect. */
export const MAX_CONTENT_CHARS = 500;

const tooLong = (d: Draft | CoreError): Draft | CoreError =>
  d instanceof CoreError || textLength(d.text) <= MAX_CONTENT_CHARS
    ? d
    : new CoreError("content_too_long", `the content is longer than ${MAX_CONTENT_CHARS} characters (signature included)`, { field: "content" });

async function buildDrafts(env: Env, tenant: Tenant, app: App, items: SmsapiItem[]): Promise<Array<Draft | CoreError>> {
  const lookup = signatureLookup(env.DB, tenant.id);
  const take = recipientSet((raw) => new CoreError("conflict", `${raw} appears more than once in this request`, { value: raw }));
  return Promise.all(
    items.map(async (item): Promise<Draft | CoreError> => {
      // Taken before any await, so the first occurrence in request order is the one sent.
      const mobile = take(item.mobile);
      if (mobile instanceof CoreError) return mobile;
      const carried = extractSignature(item.content);
      if (carried) {
        const sig = await lookup({ name: carried });
        return sig instanceof CoreError ? sig : tooLong({ mobile, text: item.content, signature: sig });
      }
      if (app.defaultSignatureId === null) {
        return new CoreError("signature_missing", "the content carries no 【signature】 and the API key has no default signature");
      }
      const sig = await lookup({ id: app.defaultSignatureId });
      return sig instanceof CoreError ? sig : tooLong({ mobile, text: withSignature(sig, item.content), signature: sig });
    }),
  );
}

/**
 * Accepts the items (mode "all": any refusal refuses the request; "each": refused items are listed
 * and cost nothing). When no item is accepted the envelope carries the first refusal's code.
 */
export async function sendItems(
  env: Env,
  ctx: { tenant: Tenant; app: App; kind: Kind; sendAt: number | undefined; mode: "all" | "each"; defer?: (p: Promise<void>) => void },
  items: SmsapiItem[],
): Promise<Response> {
  const drafts = await buildDrafts(env, ctx.tenant, ctx.app, items);
  const accepted = await acceptSend(env, drafts, { tenant: ctx.tenant, app: ctx.app, kind: ctx.kind, mode: ctx.mode, sendAt: ctx.sendAt, defer: ctx.defer });
  const data = {
    batchId: accepted.batchId,
    sendTime: accepted.sendAt,
    scheduled: accepted.scheduled,
    amount: accepted.amount,
    accepted: accepted.items.filter((it) => it.ok).length,
    messages: accepted.items.map((it) =>
      it.ok ? { mobile: items[it.index]!.mobile, id: it.messageId } : { mobile: items[it.index]!.mobile, ...itemError(it.error) },
    ),
  };
  if (data.accepted === 0) {
    const first = accepted.items.find((it) => !it.ok);
    if (first && !first.ok) return failCore(first.error, data);
    return fail(SMSAPI_ERRORS.no_recipients, "no message was accepted", data);
  }
  return ok(data);
}
