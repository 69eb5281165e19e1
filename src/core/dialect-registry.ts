// What core needs to know about each dialect without importing it: the shape of its credentials,
// its push format, and whether it holds verification codes. Dialects register these at wiring time
// (src/dialects/registrations.ts, called from src/index.ts), so the arrows keep pointing inward.
import type { PushFormat } from "./push";
import type { Dialect } from "./types";

/** How a dialect's credentials look, as the vendor's own clients expect them. */
export interface CredentialShape {
  key: () => string;
  secret: () => string;
  /** Whether the secret must stay recoverable (kept AES-GCM encrypted besides its hash). */
  recoverable: boolean;
  /** A project id issued with the credential (for APIs that carry one in their paths). */
  projectId?: () => string;
}

export interface DialectTraits {
  credential: CredentialShape;
  /** Absent: the generic JSON push body. */
  pushFormat?: PushFormat;
  /**
   * Whether the dialect's verification sends leave a code in MobileGuard: then a code the guard no
   * longer holds has expired; a message of another dialect carried no verifiable code at all.
   */
  holdsCodes?: boolean;
  /** Whether its credentials may carry access keys (AK/SK request signing, as Huawei Cloud's). */
  accessKeys?: boolean;
}

const registry = new Map<Dialect, DialectTraits>();

/** Registers (or replaces: registration is idempotent) one dialect's traits. */
export function registerDialect(dialect: Dialect, traits: DialectTraits): void {
  registry.set(dialect, traits);
}

/** A dialect's traits; an unregistered one is a wiring bug, not a client's error. */
export function dialectTraits(dialect: Dialect): DialectTraits {
  const t = registry.get(dialect);
  if (!t) throw new Error(`dialect ${dialect} is not registered with core (src/dialects/registrations.ts)`);
  return t;
}

/** The registered push format, if the dialect has one (unknown or null dialects get none). */
export const pushFormatOf = (dialect: string | null): PushFormat | undefined => registry.get(dialect as Dialect)?.pushFormat;
