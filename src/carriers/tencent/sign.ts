// Tencent Cloud API 3.0 request signing, TC3-HMAC-SHA256, as Tencent documents it: canonical
// request (method, "/", empty query, content-type and host headers, SHA-256 of the payload),
// string to sign over the credential scope date/service/tc3_request, a key derived by chained
// HMAC-SHA256 from "TC3" + SecretKey, and the Authorization header.
import { hmac, toHex } from "../provider-http";

const enc = new TextEncoder();
const sha256Hex = async (s: string): Promise<string> => toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(s))));

export const CONTENT_TYPE = "application/json; charset=utf-8";
export const SIGNED_HEADERS = "content-type;host";

/** The UTC date (YYYY-MM-DD) of a Unix timestamp: the credential scope's date. */
export const tc3Date = (timestamp: number): string => new Date(timestamp * 1000).toISOString().slice(0, 10);

export async function canonicalRequest(host: string, payload: string): Promise<string> {
  return ["POST", "/", "", `content-type:${CONTENT_TYPE}\nhost:${host}\n`, SIGNED_HEADERS, await sha256Hex(payload)].join("\n");
}

export async function tc3Signature(args: { secretKey: string; service: string; host: string; payload: string; timestamp: number }): Promise<string> {
  const date = tc3Date(args.timestamp);
  const scope = `${date}/${args.service}/tc3_request`;
  const toSign = ["TC3-HMAC-SHA256", String(args.timestamp), scope, await sha256Hex(await canonicalRequest(args.host, args.payload))].join("\n");
  const kDate = await hmac("SHA-256", `TC3${args.secretKey}`, date);
  const kService = await hmac("SHA-256", kDate, args.service);
  const kSigning = await hmac("SHA-256", kService, "tc3_request");
  return toHex(await hmac("SHA-256", kSigning, toSign));
}

export async function tc3Authorization(args: { secretId: string; secretKey: string; service: string; host: string; payload: string; timestamp: number }): Promise<string> {
  const signature = await tc3Signature(args);
  return `TC3-HMAC-SHA256 Credential=${args.secretId}/${tc3Date(args.timestamp)}/${args.service}/tc3_request, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`;
}
