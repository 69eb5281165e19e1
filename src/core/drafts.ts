// Helpers for dialects that turn many request items into drafts: per-request memoised signature
// lookups (each distinct signature is read once, never once per item) and first-wins de-duplication
// of recipients, both answering per item with a CoreError instead of failing the request.
import { tenantDb, type TenantDb } from "../store/db";
import { CoreError } from "./errors";
import { normalizeMobile } from "./phone";
import { checkApprovedSignature, requireApprovedSignature, type Signature, type SignatureRef } from "./catalog";

const refKey = (by: SignatureRef): string => ("id" in by ? `i:${by.id}` : "uid" in by ? `u:${by.uid}` : `n:${by.name}`);

/**
 * Returns a lookup giving an approved signature's name, or the refusal as a value. `known` are
 * signatures already read for this request (with authentication): a ref they answer costs no read,
 * and `known.complete` names refs looked for there (absent from the rows = not found).
 */
export function signatureLookup(
  { db, tenantId }: TenantDb,
  
  known?: { rows: Signature[]; complete: SignatureRef[] },
): (by: SignatureRef) => Promise<string | CoreError> {
  const cache = new Map<string, Promise<string | CoreError>>();
  for (const by of known?.complete ?? []) {
    const sig = known!.rows.find((s) => ("id" in by ? s.id === by.id : "uid" in by ? s.uid === by.uid : s.name === by.name)) ?? null;
    let verdict: string | CoreError;
    try {
      verdict = checkApprovedSignature(sig, by).name;
    } catch (e) {
      if (!(e instanceof CoreError)) throw e;
      verdict = e;
    }
    cache.set(refKey(by), Promise.resolve(verdict));
  }
  return (by) => {
    const key = refKey(by);
    let hit = cache.get(key);
    if (!hit) {
      hit = requireApprovedSignature({ db, tenantId }, by).then(
        (s) => s.name,
        (e: unknown) => {
          if (e instanceof CoreError) return e;
          throw e;
        },
      );
      cache.set(key, hit);
    }
    return hit;
  };
}

/** signatureLookup over the tenant's own store handle: the form dialects use (they hold no store handle). */
export const tenantSignatureLookup = (
  env: Env,
  tenantId: string,
  known?: { rows: Signature[]; complete: SignatureRef[] },
): ((by: SignatureRef) => Promise<string | CoreError>) => signatureLookup(tenantDb(env, tenantId), known);

/** Normalises recipients of one request; a number seen before (in any spelling) gets `duplicate()`. */
export function recipientSet(duplicate: (raw: string) => CoreError): (raw: string) => string | CoreError {
  const seen = new Set<string>();
  return (raw) => {
    let mobile: string;
    try {
      mobile = normalizeMobile(raw);
    } catch (e) {
      if (e instanceof CoreError) return e;
      throw e;
    }
    if (seen.has(mobile)) return duplicate(raw);
    seen.add(mobile);
    return mobile;
  };
}

/** Characters as the handset counts them (code points, so an emoji is one). */
export const textLength = (text: string): number => [...text].length;
