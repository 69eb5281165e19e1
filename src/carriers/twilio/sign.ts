// Twilio request validation, as Twilio documents it: the full URL Twilio requested, then every
// POST parameter sorted by name with its value appended (no separators), HMAC-SHA1 keyed with the
// account's Auth Token, Base64 — compared in constant time with X-Twilio-Signature.
import { hmac, sameSecret, toBase64 } from "../provider-http";

export function signedString(url: string, params: [string, string][]): string {
  const sorted = [...params].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return url + sorted.map(([k, v]) => k + v).join("");
}

export async function twilioSignature(authToken: string, url: string, params: [string, string][]): Promise<string> {
  return toBase64(await hmac("SHA-1", authToken, signedString(url, params)));
}

export async function signatureValid(authToken: string, url: string, params: [string, string][], presented: string | null): Promise<boolean> {
  return sameSecret(presented, await twilioSignature(authToken, url, params));
}
