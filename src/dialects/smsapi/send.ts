// The send path shared by smsapi's three send endpoints: per-item signature rule (an approved
// 【signature】 in the content, else the key's default signature prefixed), duplicates answered per
// item, one acceptSend call, and the envelope listing every recipient with its id or its refusal.
import { CoreError } from "../../core/errors";
import { extractSignature, withSignature } from "../../core/content";
import type { Signature, SignatureRef } from "../../core/catalog";
import { READ_NOTHING, type PrefetchPlan } from "../../core/prefetch";
import { recipientSet, signatureLookup, textLength } from "../../core/drafts";
import { acceptSend, type Draft } from "../../core/send";
import type { IdempotencyContext } from "../../core/idempotency";
import type { App, Kind, Tenant } from "../../core/types";
import { fail, failCore, itemError, ok, SMSAPI_ERRORS } from "./errors";
import { tenantDb } from "../../store/db";

export interface SmsapiItem {
  mobile: string;
  content: string;
  outId?: string | null;
}

/** Longest text (signature included) a concatenated SMS may carry here, as in the Huawei dialect. */
export const MAX_CONTENT_CHARS = 500;

const tooLong = (d: Draft | CoreError): Draft | CoreError =>
  d instanceof CoreError || textLength(d.text) <= MAX_CONTENT_CHARS
    ? d
    : new CoreError("content_too_long", `the content is longer than ${MAX_CONTENT_CHARS} characters (signature included)`, { field: "content" });

/** The signatures the items name, read with authentication (preloadSignatures). */
export interface Preloaded {
  rows: Signature[];
  names: string[];
  /** Some item carries no 【signature】, so the key's default signature was read too. */
  bare: boolean;
}

/** Distinct signature names read with authentication; any further ones are read on their own. */
const MAX_PRELOADED = 20;

/**
 * The reads of the signatures `contents` will need (each carried 【name】, and the key's default when
 * a content carries none), read with authentication (authenticateSmsapiWith).
 */
export function preloadSignatures(contents: string[]): PrefetchPlan<Preloaded> {
  const names = new Set<string>();
  let bare = false;
  for (const c of contents) {
    const name = extractSignature(c);
    if (name === null) bare = true;
    else if (names.size < MAX_PRELOADED) names.add(name);
  }
  return { prefetch: { signatures: { names: [...names], withDefault: bare } }, take: (r) => ({ rows: r.signatures, names: [...names], bare }) };
}

/** For a request whose body was refused: authentication reads nothing more. */
export const NOTHING = READ_NOTHING;

async function buildDrafts(env: Env, tenant: Tenant, app: App, items: SmsapiItem[], pre: Preloaded | null): Promise<Array<Draft | CoreError>> {
  const complete: SignatureRef[] = pre ? pre.names.map((name) => ({ name })) : [];
  if (pre?.bare && app.defaultSignatureId !== null) complete.push({ id: app.defaultSignatureId });
  const lookup = signatureLookup(tenantDb(env, tenant.id), pre ? { rows: pre.rows, complete } : undefined);
  const take = recipientSet((raw) => new CoreError("duplicate_recipient", `${raw} appears more than once in this request`, { value: raw }));
  return Promise.all(
    items.map(async (item): Promise<Draft | CoreError> => {
      // Taken before any await, so the first occurrence in request order is the one sent.
      const mobile = take(item.mobile);
      if (mobile instanceof CoreError) return mobile;
      const carried = extractSignature(item.content);
      if (carried) {
        const sig = await lookup({ name: carried });
        return sig instanceof CoreError ? sig : tooLong({ mobile, normalized: true, text: item.content, signature: sig, customerRef: item.outId ?? null });
      }
      if (app.defaultSignatureId === null) {
        return new CoreError("signature_missing", "the content carries no 【signature】 and the API key has no default signature");
      }
      const sig = await lookup({ id: app.defaultSignatureId });
      return sig instanceof CoreError ? sig : tooLong({ mobile, normalized: true, text: withSignature(sig, item.content), signature: sig, customerRef: item.outId ?? null });
    }),
  );
}

/**
 * Accepts the items (mode "all": any refusal refuses the request; "each": refused items are listed
 * and cost nothing). When no item is accepted the envelope carries the first refusal's code.
 */
export async function sendItems(
  env: Env,
  ctx: { tenant: Tenant; app: App; kind: Kind; sendAt: number | undefined; mode: "all" | "each"; idempotency?: IdempotencyContext },
  items: SmsapiItem[],
  pre: Preloaded | null = null,
): Promise<Response> {
  const drafts = await buildDrafts(env, ctx.tenant, ctx.app, items, pre);
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
    if (first && !first.ok) return failCore(first.error, data);
    return fail(SMSAPI_ERRORS.no_recipients, "no message was accepted", data);
  }
  return ok(data);
}
