// Owns the text a paasw send puts on the handset: the tenant's approved signature named by `sign`,
// as 【sign】content, unless the content already carries exactly that 【sign】.
import { checkApprovedSignature, type Signature } from "../../core/catalog";
import type { Prefetch } from "../../core/prefetch";
import { extractSignature, withSignature } from "../../core/content";
import { PAASW_OWN, refuse } from "./errors";

/** The signature named `sign`, read in the token's round trip (auth.ts authenticateTokenWith). */
export const signatureRead = (sign: string): Prefetch => ({ signatures: { names: [sign] } });

/** The approved signature named `sign` among what signatureRead found (core's verdict: not found, pending, rejected). */
export function approvedSignatureOf(rows: Signature[], sign: string): { id: number; name: string } {
  const sig = checkApprovedSignature(rows.find((s) => s.name === sign) ?? null, { name: sign });
  return { id: sig.id, name: sig.name };
}

/**
 * The signed text. The document says content includes 【XX】; a content that carries a different
 * 【signature】 is refused rather than sent with two, because the handset would show the wrong sender.
 */
export function signedText(sign: string, content: string): string {
  const carried = extractSignature(content);
  if (carried !== null && carried !== sign) throw refuse(PAASW_OWN.signMismatch, `content carries 【${carried}】 but sign is ${sign}`);
  return withSignature(sign, content);
}
