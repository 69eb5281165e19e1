// Owns verification codes as the domain sees them: generation, the keyed hash that MobileGuard
// holds (the plain code is never stored outside the message text), and validation by message id.
import { CoreError } from "./errors";
import { dialectTraits } from "./dialect-registry";
import { hmacSha256Hex, randomBytes, secretsKey } from "./crypto";
import { codeGuardNames, type VerifyOutcome } from "../guard/mobile-guard";
import { getMessage, type CodeMessage } from "../store/messages/read";
import { tenantDb } from "../store/db";
import { toMessage } from "./messages";
import type { Tenant } from "./types";

export const CODE_MIN_LENGTH = 4;
export const CODE_MAX_LENGTH = 8;
export const DEFAULT_CODE_LENGTH = 6;

/**
 * `length` random digits (4–8; anything else becomes 6) by rejection sampling, so no digit is
 * likelier than another. The first digit is never 0: some clients carry codes as numbers (the C#
 * SDK sends `code` as an int), which would silently drop a leading zero.
 */
export function generateCode(length: number): string {
  const n = Number.isInteger(length) && length >= CODE_MIN_LENGTH && length <= CODE_MAX_LENGTH ? length : DEFAULT_CODE_LENGTH;
  let out = "";
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (out.length === n || b >= 250) continue;
      const digit = b % 10;
      if (out.length === 0 && digit === 0) continue;
      out += String(digit);
    }
  }
  return out;
}

/**
 * HMAC of the code bound to its tenant and mobile: a code space of 10^4–10^8 would fall to a plain
 * hash at once, so the hash is keyed with SECRETS_KEY and useless without it.
 */
export function codeHash(secretsKey: string, tenantId: string, mobile: string, code: string): Promise<string> {
  return hmacSha256Hex(secretsKey, `code\u0000${tenantId}\u0000${mobile}\u0000${code}`);
}

export interface IssuedCode {
  /** The plain code, for the message text only. */
  code: string;
  /** What travels with the draft into MobileGuard. */
  held: { hash: string; expiresAt: number };
}

/** A code for `mobile` (E.164): the caller's own, or a generated one of `length` digits. */
export async function issueCode(
  env: Env,
  tenantId: string,
  mobile: string,
  opts: { code?: string; length?: number; ttlSeconds: number; now: number },
): Promise<IssuedCode> {
  const code = opts.code ?? generateCode(opts.length ?? DEFAULT_CODE_LENGTH);
  const hash = await codeHash(secretsKey(env), tenantId, mobile, code);
  return { code, held: { hash, expiresAt: opts.now + opts.ttlSeconds * 1000 } };
}

/**
 * Checks `code` against the code sent as message `messageId` of this tenant. Resolves when it is
 * right (and marks it used); otherwise throws not_found, code_used, code_expired or code_wrong.
 */
export async function validateCode(env: Env, tenant: CodeTenant, messageId: string, code: string, now: number): Promise<void> {
  const row = isMessageId(messageId) ? await getMessage(tenantDb(env, tenant.id), messageId) : null;
  const msg = row && toMessage(row);
  return checkCode(env, tenant, messageId, msg, code, now);
}

/** What checking a code needs of its tenant: whose it is, and where its MobileGuard objects are. */
export type CodeTenant = Pick<Tenant, "id" | "guard">;

/** What a message id may look like; anything else is not_found without a read. */
export const isMessageId = (id: string): boolean => /^\d{1,24}$/.test(id);


/** validateCode, once message `messageId` of this tenant has been read (null: none). */
export async function checkCode(env: Env, tenant: CodeTenant, messageId: string, msg: CodeMessage | null, code: string, now: number): Promise<void> {
  if (!msg || msg.kind !== "verification") throw new CoreError("not_found", `msg_id ${messageId.slice(0, 40)} is not a verification code of this app's account`);
  const hash = await codeHash(secretsKey(env), tenant.id, msg.mobile, code);
  // The object that held the code when it was sent (the tenant's bucket count may have moved since).
  let outcome: VerifyOutcome = "unknown";
  for (const name of codeGuardNames(tenant.id, msg.mobile, tenant.guard, msg.createdAt)) {
    outcome = await env.MOBILE_GUARD.getByName(name).verify(messageId, hash, now);
    if (outcome !== "unknown") break;
  }
  switch (outcome) {
    case "ok":
      return;
    case "wrong":
      throw new CoreError("code_wrong", "the code is wrong");
    case "used":
      throw new CoreError("code_used", "the code was already verified");
    case "expired":
      throw new CoreError("code_expired", "the code has expired");
    case "unknown":
      // The guard forgets a code some time after it expired; a verification message it never
      // held (sent without a code by another dialect) cannot be checked either.
      if (dialectTraits(msg.dialect).holdsCodes) throw new CoreError("code_expired", "the code has expired");
      throw new CoreError("not_found", `msg_id ${messageId} carries no verifiable code`);
  }
}
