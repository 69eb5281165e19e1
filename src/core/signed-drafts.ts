// Drafts of free texts whose signature a dialect's rule names, given as data: either the 【name】
// carried in the text or a signature named by uid (Huawei, chosen per item by its flag), or the
// carried 【name】 else the app's default signature (smsapi). The signatures are read with
// authentication through one plan; each item is checked in its own slot (a bad mobile, a repeat,
// a missing or unapproved signature, a text too long), so a batch answers per item, never whole.
import { CoreError } from "./errors";
import { extractSignature, withSignature } from "./content";
import type { Signature, SignatureRef } from "./catalog";
import type { PrefetchPlan } from "./prefetch";
import { recipientSet, tenantSignatureLookup, textLength } from "./drafts";
import type { Draft } from "./send";
import type { App, Tenant } from "./types";

/** One request item: the recipient, its text, and what it says about its signature. */
export interface SignedItem {
  mobile: string;
  text: string;
  /** The customer's own reference, kept on the message. */
  customerRef?: string | null;
  /** A signature named by uid (Huawei's sign_id). */
  uid?: string | null;
  /** "carried-or-uid" only: the text carries its own 【signature】 (Huawei's message_include_sign_flag). */
  carried?: boolean;
}

/** The words a dialect's clients read when an item is refused (the codes are core's; dialects map them). */
interface Wording {
  duplicate: (raw: string) => string;
  tooLong: string;
}

/** Where a dialect's items take their signature from, as data, and the dialect's words for its refusals. */
export type SignatureRule = {
  /** Longest text (signature included) in handset characters; `field` names the text in refusals. */
  maxChars: number;
  field: string;
  /** Refuse a blank text (invalid_input) with this message; absent, the schema already did. */
  blank?: string;
} & (
  | {
      /**
       * A `carried` item must carry an approved 【name】 (its uid, if any, naming the same signature);
       * any other item names its signature by uid, prefixed to the text, and may not carry another.
       */
      source: "carried-or-uid";
      say: Wording & { noCarried: string; noUid: string; mismatch: string; otherCarried: (name: string) => string };
    }
  | {
      /** The carried 【name】, else the app's default signature prefixed. */
      source: "carried-or-default";
      say: Wording & { noDefault: string };
    }
);

/** Distinct signature names (and uids) read with authentication; any further ones are read on their own. */
const MAX_PRELOADED = 20;

/** The signatures read with authentication (signaturesPlan). */
export interface PreloadedSignatures {
  rows: Signature[];
  /** The refs looked for: one absent from `rows` does not exist. */
  complete: SignatureRef[];
  /** Some text relies on the app's default signature, so it was read too. */
  bare: boolean;
}

/**
 * What authentication should read for `items` under `rule` (core/prefetch): each uid named, each
 * 【name】 an item takes its signature from, and the app's default one when a text falls back to it.
 */
export function signaturesPlan(rule: SignatureRule, items: Array<Pick<SignedItem, "text" | "uid" | "carried">>): PrefetchPlan<PreloadedSignatures> {
  const uids = new Set<string>();
  const names = new Set<string>();
  let bare = false;
  for (const item of items) {
    const uid = item.uid?.trim();
    if (uid && uids.size < MAX_PRELOADED) uids.add(uid);
    if (rule.source === "carried-or-uid" && !item.carried) continue;
    const name = extractSignature(item.text);
    if (name === null) bare ||= rule.source === "carried-or-default";
    else if (names.size < MAX_PRELOADED) names.add(name);
  }
  const complete: SignatureRef[] = [...[...uids].map((uid) => ({ uid })), ...[...names].map((name) => ({ name }))];
  return {
    prefetch: { signatures: { names: [...names], uids: [...uids], withDefault: bare } },
    take: (r) => ({ rows: r.signatures, complete, bare }),
  };
}

/** One draft or refusal per item, in request order; the first occurrence of a mobile is the one sent. */
export async function signedDrafts(
  env: Env,
  tenant: Tenant,
  app: App,
  rule: SignatureRule,
  items: SignedItem[],
  pre: PreloadedSignatures | null,
): Promise<Array<Draft | CoreError>> {
  const complete = [...(pre?.complete ?? [])];
  if (pre?.bare && app.defaultSignatureId !== null) complete.push({ id: app.defaultSignatureId });
  const lookup = tenantSignatureLookup(env, tenant.id, pre ? { rows: pre.rows, complete } : undefined);
  const take = recipientSet((raw) => new CoreError("duplicate_recipient", rule.say.duplicate(raw), { value: raw }));
  const field = { field: rule.field };

  /** The signature's name and the text as sent, or the item's refusal. */
  async function sign(item: SignedItem): Promise<{ name: string; text: string } | CoreError> {
    const carried = extractSignature(item.text);
    const uid = item.uid?.trim() || null;
    if (rule.source === "carried-or-default") {
      if (carried) {
        const sig = await lookup({ name: carried });
        return sig instanceof CoreError ? sig : { name: sig, text: item.text };
      }
      if (app.defaultSignatureId === null) return new CoreError("signature_missing", rule.say.noDefault);
      const sig = await lookup({ id: app.defaultSignatureId });
      return sig instanceof CoreError ? sig : { name: sig, text: withSignature(sig, item.text) };
    }
    if (item.carried) {
      if (!carried) return new CoreError("signature_missing", rule.say.noCarried);
      const sig = await lookup({ name: carried });
      if (sig instanceof CoreError) return sig;
      if (uid) {
        const named = await lookup({ uid });
        if (named instanceof CoreError) return named;
        if (named !== sig) return new CoreError("signature_not_found", rule.say.mismatch);
      }
      return { name: sig, text: item.text };
    }
    if (!uid) return new CoreError("signature_missing", rule.say.noUid);
    const sig = await lookup({ uid });
    if (sig instanceof CoreError) return sig;
    if (carried !== null && carried !== sig) {
      return new CoreError("invalid_input", rule.say.otherCarried(carried), field);
    }
    return { name: sig, text: withSignature(sig, item.text) };
  }

  return Promise.all(
    items.map(async (item): Promise<Draft | CoreError> => {
      // Taken before any await, so the first occurrence in request order is the one sent.
      const mobile = take(item.mobile);
      if (mobile instanceof CoreError) return mobile;
      if (rule.blank !== undefined && item.text.trim() === "") return new CoreError("invalid_input", rule.blank, field);
      const signed = await sign(item);
      if (signed instanceof CoreError) return signed;
      if (textLength(signed.text) > rule.maxChars) return new CoreError("content_too_long", rule.say.tooLong, field);
      return { mobile, normalized: true, text: signed.text, signature: signed.name, customerRef: item.customerRef ?? null };
    }),
  );
}
