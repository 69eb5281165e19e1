// The answer shared by smsapi's three send endpoints: one acceptSend call over the items' drafts
// (core/signed-drafts under smsapi's rule: carried 【signature】 or the key's default), and the envelope listing every
// recipient with its id or its refusal.
import { acceptSend } from "../../core/send";
import { signaturesPlan, signedDrafts, type PreloadedSignatures, type SignatureRule } from "../../core/signed-drafts";
import type { PrefetchPlan } from "../../core/prefetch";
import type { IdempotencyContext } from "../../core/idempotency";
import type { Attempt } from "../../core/snapshots";
import type { App, Kind, Tenant } from "../../core/types";
import { itemError, ok, refuse, refuseCore, SMSAPI_ERRORS } from "./errors";

/** One recipient of a send, as the three bodies give it. */
export interface SmsapiItem {
  mobile: string;
  content: string;
  /** The customer's own reference (customer_ref). */
  outId?: string | null;
}

/** smsapi's signature rule: the 【signature】 the content carries, or else the API key's default one. */
const SMSAPI_SIGNATURES: SignatureRule = {
  source: "carried-or-default",
  // Longest text (signature included) a concatenated SMS may carry, as in the Huawei dialect.
  maxChars: 500,
  field: "content",
  say: {
    duplicate: (raw) => `${raw} appears more than once in this request`,
    tooLong: "the content is longer than 500 characters (signature included)",
    noDefault: "the content carries no 【signature】 and the API key has no default signature",
  },
};

/** What authentication reads for these contents: the signatures they carry, and the key's default one if one carries none. */
export const contentSignatures = (contents: string[]): PrefetchPlan<PreloadedSignatures> =>
  signaturesPlan(SMSAPI_SIGNATURES, contents.map((text) => ({ text })));

/**
 * Accepts the items (mode "all": any refusal refuses the request; "each": refused items are listed
 * and cost nothing). When no item is accepted the envelope carries the first refusal's code.
 */
export async function sendItems(
  env: Env,
  ctx: { tenant: Tenant; app: App; kind: Kind; sendAt: number | undefined; mode: "all" | "each"; idempotency?: IdempotencyContext; attempt?: Attempt },
  items: SmsapiItem[],
  pre: PreloadedSignatures,
): Promise<Response> {
  const signed = items.map((it) => ({ mobile: it.mobile, text: it.content, customerRef: it.outId ?? null }));
  const drafts = await signedDrafts(env, ctx.tenant, ctx.app, SMSAPI_SIGNATURES, signed, pre);
  const accepted = await acceptSend(env, drafts, { tenant: ctx.tenant, app: ctx.app, kind: ctx.kind, mode: ctx.mode, sendAt: ctx.sendAt, idempotency: ctx.idempotency, attempt: ctx.attempt });
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
    if (first && !first.ok) throw refuseCore(first.error, data);
    throw refuse(SMSAPI_ERRORS.no_recipients, "no message was accepted", data);
  }
  return ok(data);
}
