// Turns SMN items into the accept pipeline's drafts, keeping each item's place: a repeated endpoint,
// a bad sign_id or a missing signature becomes a CoreError in that slot (answered per item).
// Signatures are looked up once per distinct sign_id / name, never once per item.
import { CoreError } from "../../core/errors";
import { extractSignature, withSignature } from "../../core/content";
import type { Signature, SignatureRef } from "../../core/catalog";
import type { PrefetchPlan } from "../../core/prefetch";
import { recipientSet, tenantSignatureLookup, textLength } from "../../core/drafts";
import type { Draft } from "../../core/send";
import type { Tenant } from "../../core/types";
import type { SmnItemInput } from "./input";

/** The CMPP limit the SDKs warn about; counted on the text the handset shows (signature included). */
const MAX_MESSAGE_CHARS = 500;

/** Signatures read with the token (preloadSignatures): the rows found and the refs looked for. */
export interface Preloaded {
  rows: Signature[];
  complete: SignatureRef[];
}

/** Distinct sign_ids (and carried names) read with the token; any further ones are read on their own. */
const MAX_PRELOADED = 20;

/** The reads of the signatures the items name (sign_id, or the 【name】 a flagged message carries), built to share the token's round trip. */
export function preloadSignatures(items: SmnItemInput[]): PrefetchPlan<Preloaded> {
  const uids = new Set<string>();
  const names = new Set<string>();
  for (const item of items) {
    const uid = item.sign_id?.trim();
    if (uid && uids.size < MAX_PRELOADED) uids.add(uid);
    if (item.message_include_sign_flag) {
      const name = extractSignature(item.message);
      if (name !== null && names.size < MAX_PRELOADED) names.add(name);
    }
  }
  const complete: SignatureRef[] = [...[...uids].map((uid) => ({ uid })), ...[...names].map((name) => ({ name }))];
  return { prefetch: { signatures: { names: [...names], uids: [...uids] } }, take: (r) => ({ rows: r.signatures, complete }) };
}

export async function buildDrafts(env: Env, tenant: Tenant, items: SmnItemInput[], pre?: Preloaded | null): Promise<Array<Draft | CoreError>> {
  const lookup = tenantSignatureLookup(env, tenant.id, pre ?? undefined);
  const take = recipientSet((raw) => new CoreError("duplicate_recipient", "This endpoint already exists.", { value: raw }));
  return Promise.all(
    items.map(async (item): Promise<Draft | CoreError> => {
      // Taken synchronously, before any await, so the first occurrence in request order wins.
      const mobile = take(item.endpoint);
      if (mobile instanceof CoreError) return mobile;
      if (item.message.trim() === "") return new CoreError("invalid_input", "Parameter: message is empty.", { field: "message" });

      const signId = item.sign_id?.trim() || null;
      let text: string;
      let name: string;
      if (item.message_include_sign_flag) {
        const carried = extractSignature(item.message);
        if (!carried) return new CoreError("signature_missing", "message_include_sign_flag is true but the message carries no 【signature】.");
        const sig = await lookup({ name: carried });
        if (sig instanceof CoreError) return sig;
        if (signId) {
          const named = await lookup({ uid: signId });
          if (named instanceof CoreError) return named;
          if (named !== sig) return new CoreError("signature_not_found", "The sign_id does not match the signature name in the message.");
        }
        text = item.message;
        name = sig;
      } else {
        if (!signId) return new CoreError("signature_missing", "Parameter: sign_id is required when message_include_sign_flag is false.", { field: "sign_id" });
        const sig = await lookup({ uid: signId });
        if (sig instanceof CoreError) return sig;
        const other = extractSignature(item.message);
        if (other !== null && other !== sig) {
          return new CoreError("invalid_input", `The message already carries 【${other}】: set message_include_sign_flag to true or remove it.`, { field: "message" });
        }
        text = withSignature(sig, item.message);
        name = sig;
      }
      if (textLength(text) > MAX_MESSAGE_CHARS) {
        return new CoreError("content_too_long", `The message is longer than ${MAX_MESSAGE_CHARS} characters.`, { field: "message" });
      }
      return { mobile, normalized: true, text, signature: name, customerRef: item.extend ?? null };
    }),
  );
}
