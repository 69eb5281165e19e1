// Huawei Cloud's AK/SK request signing (SDK-HMAC-SHA256) as its API gateway documents it: the
// canonical request (method, URI-encoded path ending in "/", sorted query, the signed headers
// lower-cased and trimmed, hex SHA-256 of the body), the string to sign
// "SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex SHA-256 of the canonical request>", and the signature as
// hex HMAC-SHA256 keyed with the secret key itself (no derived key). Pure functions;
// test/dialects/huawei/aksk.test.ts checks them against the values Huawei publishes.
import { digestsEqual, hmacSha256Hex } from "../../core/crypto";

export const ALGORITHM = "SDK-HMAC-SHA256";
/** The gateway refuses an X-Sdk-Date more than 15 minutes from its own clock, either way. */
export const MAX_SKEW_MS = 15 * 60 * 1000;
/** X-Sdk-Content-Sha256 value that leaves the body out of the signature. */
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

export interface SignedAuthorization {
  access: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH = /^SDK-HMAC-SHA256\s+Access=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-fA-F]{64})\s*$/;

/** "SDK-HMAC-SHA256 Access=…, SignedHeaders=a;b, Signature=<64 hex>", or null. */
export function parseAuthorization(header: string): SignedAuthorization | null {
  const m = AUTH.exec(header.trim());
  if (!m) return null;
  const signedHeaders = m[2]!.split(";");
  if (signedHeaders.some((h) => h === "" || h !== h.toLowerCase())) return null;
  return { access: m[1]!, signedHeaders, signature: m[3]!.toLowerCase() };
}

/** X-Sdk-Date (YYYYMMDDTHHMMSSZ, UTC) as epoch ms, or null. */
export function parseSdkDate(value: string): number | null {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Refuses dates that Date.UTC would roll over (20260231T…).
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? ms : null;
}

export const formatSdkDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** RFC 3986 escaping as the signing SDKs do it: everything but A–Z a–z 0–9 - _ . ~ as %XX. */
export const escape = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The path's segments decoded and re-escaped, always ending in "/" (the SDKs append one). */
export function canonicalUri(path: string): string {
  const uri = path.split("/").map((seg) => escape(decode(seg))).join("/");
  return uri.endsWith("/") ? uri : `${uri}/`;
}

/** Keys sorted, each key's values sorted, `escape(k)=escape(v)` joined by "&". */
export function canonicalQuery(query: URLSearchParams): string {
  const keys = [...new Set(query.keys())].sort();
  const parts: string[] = [];
  for (const k of keys) for (const v of query.getAll(k).sort()) parts.push(`${escape(k)}=${escape(v)}`);
  return parts.join("&");
}

export interface SigningInput {
  method: string;
  /** The path the client addressed (prefix included, undecoded). */
  path: string;
  query: URLSearchParams;
  /** Values of the signed headers; `host` is what the client sent as Host. */
  header: (lowerName: string) => string | null;
  signedHeaders: string[];
  /** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD. */
  payloadHash: string;
}

export function canonicalRequest(x: SigningInput): string {
  const headers = [...x.signedHeaders].sort().map((h) => `${h}:${(x.header(h) ?? "").trim()}\n`).join("");
  return [x.method.toUpperCase(), canonicalUri(x.path), canonicalQuery(x.query), headers, [...x.signedHeaders].sort().join(";"), x.payloadHash].join("\n");
}

export async function stringToSign(sdkDate: string, canonical: string): Promise<string> {
  return `${ALGORITHM}\n${sdkDate}\n${await sha256HexOf(canonical)}`;
}

export async function signatureOf(secretKey: string, sdkDate: string, canonical: string): Promise<string> {
  return hmacSha256Hex(secretKey, await stringToSign(sdkDate, canonical));
}

/** Constant-time comparison of the presented signature with the one computed from the request. */
export async function signatureMatches(secretKey: string, sdkDate: string, canonical: string, presented: string): Promise<boolean> {
  return digestsEqual(await signatureOf(secretKey, sdkDate, canonical), presented.toLowerCase());
}

export async function sha256HexOf(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let out = "";
  for (const b of digest) out += b.toString(16).padStart(2, "0");
  return out;
}
