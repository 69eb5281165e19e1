// Drafts of free texts whose signature is either carried in the text (an approved 【name】) or the
// app's default one prefixed (the smsapi rule): the signatures read with authentication, each item
// checked in its own slot (a bad mobile, a repeat, a missing or unapproved signature, a text too
// long), so a batch answers per item instead of failing whole.
import { CoreError } from "./errors";
import { extractSignature, withSignature } from "./content";
import type { Signature, SignatureRef } from "./catalog";
import type { PrefetchPlan } from "./prefetch";
import { recipientSet, tenantSignatureLookup, textLength } from "./drafts";
import type { Draft } from "./send";
import type { App, Tenant } from "./types";

export interface SignedItem {
  mobile: string;
  content: string;
  /** The customer's own reference (customer_ref). */
  outId?: string | null;
}

/** Longest text (signature included) a concatenated SMS may carry, as in the Huawei dialect. */
export const MAX_CONTENT_CHARS = 500;

/** Distinct signature names read with authentication; any further ones are read on their own. */
const MAX_PRELOADED = 20;

/** The signatures the texts name, read with authentication (signaturesPlan). */
export interface CarriedSignatures {
  rows: Signature[];
  names: string[];
  /** Some text carries no 【signature】, so the app's default signature was read too. */
  bare: boolean;
}

/**
 * What authentication should read for `contents` (core/prefetch): each carried 【name】, and the
 * app's default signature when a text carries none.
 */
export function signaturesPlan(contents: string[]): PrefetchPlan<CarriedSignatures> {
  const names = new Set<string>();
  let bare = false;
  for (const c of contents) {
    const name = extractSignature(c);
    if (name === null) bare = true;
    else if (names.size < MAX_PRELOADED) names.add(name);
  }
  return { prefetch: { signatures: { names: [...names], withDefault: bare } }, take: (r) => ({ rows: r.signatures, names: [...names], bare }) };
}

const tooLong = (d: Draft | CoreError): Draft | CoreError =>
  d instanceof CoreError || textLength(d.text) <= MAX_CONTENT_CHARS
    ? d
    : new CoreError("content_too_long", `the content is longer than ${MAX_CONTENT_CHARS} characters (signature included)`, { field: "content" });

/** One draft or refusal per item, in request order; the first occurrence of a mobile is the one sent. */
export async function signedDrafts(env: Env, tenant: Tenant, app: App, items: SignedItem[], pre: CarriedSignatures | null): Promise<Array<Draft | CoreError>> {
  const complete: SignatureRef[] = pre ? pre.names.map((name) => ({ name })) : [];
  if (pre?.bare && app.defaultSignatureId !== null) complete.push({ id: app.defaultSignatureId });
  const lookup = tenantSignatureLookup(env, tenant.id, pre ? { rows: pre.rows, complete } : undefined);
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
