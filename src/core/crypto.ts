// Hashing, constant-time comparison, random values and at-rest encryption of secrets.
// Every random value comes from crypto.getRandomValues; secrets are compared as equal-length digests.

const enc = new TextEncoder();

// A table lookup per byte: toString(16).padStart per byte was ~3% of a single send's CPU.
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
const hex = (buf: ArrayBuffer | Uint8Array): string => {
  const bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
};

const fromHex = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
};

const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromB64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", enc.encode(text)));
}

export async function sha1Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-1", enc.encode(text)));
}

export async function hmacSha256Hex(key: string, message: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", k, enc.encode(message)));
}

/** Constant-time equality of two hex digests (unequal lengths are simply unequal). */
export function digestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length || a.length % 2 !== 0) return false;
  return crypto.subtle.timingSafeEqual(fromHex(a), fromHex(b));
}

/** Constant-time check of a presented secret against its stored SHA-256 hash. */
export async function secretMatches(presented: string, storedHash: string): Promise<boolean> {
  return digestsEqual(await sha256Hex(presented), storedHash);
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

export const randomHex = (bytes: number): string => hex(randomBytes(bytes));

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** An unguessable string of `length` characters from [A-Za-z0-9] (rejection sampling, no bias). */
export function randomAlnum(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += ALNUM[b % 62];
    }
  }
  return out;
}

/** `digits` random decimal digits (rejection sampling, no modulo bias). */
export function randomDigits(digits: number): string {
  let out = "";
  while (out.length < digits) {
    for (const b of randomBytes(digits * 2)) {
      if (b < 250 && out.length < digits) out += String(b % 10);
    }
  }
  return out;
}

/**
 * SECRETS_KEY, refused (a server fault, logged, never on the wire) when unset or shorter than 32
 * characters: an absent key must never quietly become a known constant that encrypts and signs.
 */
export function secretsKey(env: Env): string {
  const key = env.SECRETS_KEY;
  if (typeof key !== "string" || key.trim().length < 32) throw new Error("SECRETS_KEY is unset or shorter than 32 characters");
  return key;
}

async function aesKey(secretsKey: string): Promise<CryptoKey> {
  // SECRETS_KEY is 32 bytes of base64; derive through SHA-256 so any length still yields an AES-256 key.
  const raw = await crypto.subtle.digest("SHA-256", enc.encode(`edgesms-aes:${secretsKey}`));
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** AES-GCM encryption of a secret that must be recoverable: "v1.<iv b64>.<ciphertext b64>". */
export async function encryptSecret(secretsKey: string, plain: string): Promise<string> {
  const iv = randomBytes(12);
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(secretsKey), enc.encode(plain));
  return `v1.${b64(iv)}.${b64(new Uint8Array(ct))}`;
}

export async function decryptSecret(secretsKey: string, sealed: string): Promise<string> {
  const [version, iv, ct] = sealed.split(".");
  if (version !== "v1" || !iv || !ct) throw new Error("unknown sealed-secret format");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromB64(iv) }, await aesKey(secretsKey), fromB64(ct));
  return new TextDecoder().decode(plain);
}

/** A stored secret that must stay recoverable: sealed ("v1.…") ones are opened; rows written before sealing are plain. */
export async function openSecret(env: Env, stored: string): Promise<string> {
  return stored.startsWith("v1.") ? decryptSecret(secretsKey(env), stored) : stored;
}
