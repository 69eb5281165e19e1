// Aliyun RPC request signing, signature version 1.0 (HMAC-SHA1), as Aliyun documents it for
// dysmsapi 2017-05-25: sort the parameters, percent-encode (RFC 3986) names and values, join,
// StringToSign = METHOD & %2F & encode(query), key = AccessKeySecret + "&", Base64 of the HMAC.
import { hmac, toBase64 } from "../provider-http";

/** RFC 3986 encoding as Aliyun requires: everything but A-Z a-z 0-9 - _ . ~ is %XX (UTF-8). */
export const percentEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonicalized query string: parameters sorted by name (byte order), encoded, joined by "&". */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join("&");
}

export const stringToSign = (method: "GET" | "POST", params: Record<string, string>): string =>
  `${method}&${percentEncode("/")}&${percentEncode(canonicalQuery(params))}`;

export async function rpcSignature(method: "GET" | "POST", params: Record<string, string>, accessKeySecret: string): Promise<string> {
  return toBase64(await hmac("SHA-1", `${accessKeySecret}&`, stringToSign(method, params)));
}

/** "2017-07-12T02:42:19Z": ISO 8601 in UTC without milliseconds. */
export const aliyunTimestamp = (now: number): string => new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * The form body of one signed POST: the common parameters (Format JSON, the API version, the key,
 * a fresh nonce, the time) plus the action's own, and Signature.
 */
export async function signedBody(
  action: string,
  params: Record<string, string>,
  key: { accessKeyId: string; accessKeySecret: string; regionId: string },
  now: number,
  nonce: string,
): Promise<string> {
  const all: Record<string, string> = {
    AccessKeyId: key.accessKeyId,
    Action: action,
    Format: "JSON",
    RegionId: key.regionId,
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: nonce,
    SignatureVersion: "1.0",
    Timestamp: aliyunTimestamp(now),
    Version: "2017-05-25",
    ...params,
  };
  const signature = await rpcSignature("POST", all, key.accessKeySecret);
  return `${canonicalQuery(all)}&Signature=${percentEncode(signature)}`;
}
