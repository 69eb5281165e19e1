// The answer shared by smsapi's three send endpoints: one acceptSend call over the items' drafts
// (core/signed-drafts: carried 【signature】 or the key's default), and the envelope listing every
// recipient with its id or its refusal.
import { acceptSend } from "../../core/send";
import { signedDrafts, type CarriedSignatures, type SignedItem } from "../../core/signed-drafts";
import type { IdempotencyContext } from "../../core/idempotency";
import type { App, Kind, Tenant } from "../../core/types";
import { itemError, ok, refuse, refuseCore, SMSAPI_ERRORS } from "./errors";

/**
 * Accepts the items (mode "all": any refusal refuses the request; "each": refused items are listed
 * and cost nothing). When no item is accepted the envelope carries the first refusal's code.
 */
export async function sendItems(
  env: Env,
  ctx: { tenant: Tenant; app: App; kind: Kind; sendAt: number | undefined; mode: "all" | "each"; idempotency?: IdempotencyContext },
  items: SignedItem[],
  pre: CarriedSignatures,
): Promise<Response> {
  const drafts = await signedDrafts(env, ctx.tenant, ctx.app, items, pre);
  const accepted = await acceptSend(env, drafts, { tenant: ctx.tenant, app: ctx.app, kind: ctx.kind, mode: ctx.mode, sendAt: ctx.sendAt, idempotency: ctx.idempotency });
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
