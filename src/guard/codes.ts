// The active verification codes one MobileGuard holds: stored hashed per message, checked once,
// cut off after too many wrong guesses, and dropped a while after they expire.

const bytesOfHex = (s: string): Uint8Array => Uint8Array.from({ length: s.length / 2 }, (_, i) => parseInt(s.slice(i * 2, i * 2 + 2), 16));

/** Constant-time comparison of two hex digests: the guard owns it so that it never imports core. */
function digestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length || a.length % 2 !== 0) return false;
  return crypto.subtle.timingSafeEqual(bytesOfHex(a), bytesOfHex(b));
}

/** Wrong guesses a code survives; the next check answers "wrong" without comparing. */
export const MAX_WRONG_ATTEMPTS = 5;

/**
 * How long a code row outlives its expiry, so that a late check still answers "expired" or
 * "used" exactly; after that the row goes (the validate operation then answers "expired" from D1).
 */
export const CODE_RETAIN_MS = 3600 * 1000;

export type VerifyOutcome = "ok" | "wrong" | "expired" | "used" | "unknown";

interface CodeRow extends Record<string, SqlStorageValue> {
  hash: string;
  expires_at: number;
  attempts: number;
  used_at: number | null;
}

export function storeCode(sql: SqlStorage, messageId: string, hash: string, expiresAt: number): void {
  sql.exec(
    "INSERT OR REPLACE INTO codes (message_id, hash, expires_at, attempts, used_at) VALUES (?, ?, ?, 0, NULL)",
    messageId,
    hash,
    expiresAt,
  );
}

/**
 * One check of a presented code's hash. Synchronous from read to write, so concurrent checks of
 * the same code are serialised: a right code is accepted exactly once.
 */
export function verifyCode(sql: SqlStorage, messageId: string, hash: string, now: number): VerifyOutcome {
  const row = sql.exec<CodeRow>("SELECT hash, expires_at, attempts, used_at FROM codes WHERE message_id = ?", messageId).toArray()[0];
  if (!row) return "unknown";
  if (row.used_at !== null) return "used";
  // A dead code no longer compares, so guessing on cannot tell a right code from a wrong one.
  if (row.attempts >= MAX_WRONG_ATTEMPTS) return "wrong";
  if (now >= row.expires_at) return "expired";
  if (!digestsEqual(row.hash, hash)) {
    sql.exec("UPDATE codes SET attempts = attempts + 1 WHERE message_id = ?", messageId);
    return "wrong";
  }
  sql.exec("UPDATE codes SET used_at = ? WHERE message_id = ?", now, messageId);
  return "ok";
}

export function purgeCodes(sql: SqlStorage, now: number): void {
  sql.exec("DELETE FROM codes WHERE expires_at <= ?", now - CODE_RETAIN_MS);
}

/** When the oldest code row becomes purgeable, or null when none is held. */
export function nextCodePurge(sql: SqlStorage): number | null {
  const at = sql.exec<{ at: number | null }>("SELECT MIN(expires_at) AS at FROM codes").toArray()[0]?.at;
  return at == null ? null : at + CODE_RETAIN_MS;
}
