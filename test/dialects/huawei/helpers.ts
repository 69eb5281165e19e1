// Huawei test helpers, the shape every dialect's tests share: `setup()` makes a fresh tenant with an
// SMN user (optionally logged in, optionally with an access key) and an approved signature, and
// `call()` sends a request through the real Worker the way the SDKs do and answers
// {status, headers, body} (with the token, or signed with an access key). Also: the IAM login body,
// the SMN error check, and an AK/SK signer written from Huawei's signing guide independently of src/
// (so a test of the verifier is not a test of itself).
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { admin } from "../../admin/helpers";
import { makeCredential, makeSignature, makeTenant } from "../../helpers/fixtures";
import type { Tenant } from "../../../src/core/types";
import { formatSdkDate } from "../../../src/dialects/huawei/aksk";

export type Json = Record<string, any>;

export interface AccessKey {
  ak: string;
  sk: string;
}

export interface SmnSetup {
  tenant: Tenant;
  user: string;
  password: string;
  projectId: string;
  appId: string;
  sign: { id: number; uid: string; name: string };
  /** X-Auth-Token from an IAM login (`login: true`), sent by `call` on every request; else null. */
  token: string | null;
  /** An access key of the credential (`accessKey: true`); else null. */
  accessKey: AccessKey | null;
}

export interface SetupOptions {
  balance?: number;
  price?: number;
  kinds?: string;
  settings?: Record<string, unknown>;
  login?: boolean;
  accessKey?: boolean;
}

export async function setup(opts: SetupOptions = {}): Promise<SmnSetup> {
  const price = opts.price ?? 10;
  const tenant = await makeTenant({
    balance: opts.balance ?? 10_000,
    prices: { notification: price, verification: price, marketing: price },
    ...(opts.settings ? { settings: opts.settings } : {}),
  });
  const cred = await makeCredential(tenant, "huawei", opts.kinds ? { kinds: opts.kinds } : {});
  const sign = await makeSignature(tenant);
  const s: SmnSetup = { tenant, user: cred.app.key, password: cred.secret, projectId: cred.app.projectId!, appId: cred.app.id, sign, token: null, accessKey: null };
  if (opts.login) {
    const res = await call(null, "POST", "/v3/auth/tokens", loginBody(s.user, s.password, { name: "cn-north-4" }, tenant.id));
    expect(res.status).toBe(201);
    s.token = res.headers.get("X-Subject-Token")!;
  }
  if (opts.accessKey) {
    const res = await admin("POST", `/tenants/${tenant.id}/apps/${cred.app.id}/access-keys`, { description: "sdk" });
    expect(res.status).toBe(201);
    s.accessKey = { ak: res.body.access_key, sk: res.body.secret_key };
  }
  return s;
}

/** The two SMN publish paths, as `call` takes them. */
export const SMS = "/v2/{project_id}/notifications/sms";
export const BATCH_SMS = "/v2/{project_id}/notifications/batch_sms";

export interface CallOptions {
  /** Replaces the setup's token; null sends none. */
  token?: string | null;
  headers?: Record<string, string>;
  /** Where the gateway is addressed: http://gw (default), http://gw/huawei, http://huawei.localhost. */
  base?: string;
  /** The project headers the Go SDK sends (X-Project-Id, region): the setup's project (true) or this one. */
  goSdk?: true | string;
  /** Answers the body as its text, unparsed (to read all of it, not only the fields a parse keeps). */
  text?: boolean;
  /** Signs the request with this access key as Huawei's SDKs do (content-type, host, x-sdk-date) instead of a token. */
  aksk?: AkskOptions;
}

export interface AkskOptions {
  key: AccessKey;
  /** The x-sdk-date signed, now by default. */
  date?: number;
  /** Changes the headers after signing. */
  tamper?: (h: Headers) => void;
  /** More headers, signed. */
  extraSigned?: Record<string, string>;
  unsignedPayload?: boolean;
  /** The URL signed, when it is not the one sent. */
  signUrl?: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Json | string;
}

/**
 * `method path` through the Worker. `{project_id}` in `path` is the setup's project; a `path` that is
 * a full URL is used as it is. A body that is a string or bytes is sent as it is, anything else as JSON. The
 * body answered is parsed when it is JSON.
 */
export async function call(s: SmnSetup | null, method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<Answer> {
  const target = s ? path.replace("{project_id}", s.projectId) : path;
  const url = /^https?:/.test(target) ? target : `${opts.base ?? "http://gw"}${target}`;
  const text = body === undefined ? undefined : typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  const res = await exports.default.fetch(url, { method, headers: opts.aksk ? await signedHeaders(method, url, text, opts.aksk) : plainHeaders(s, body, opts), body: text });
  const answered = await res.text();
  const isJson = !opts.text && (res.headers.get("content-type") ?? "").includes("json");
  return { status: res.status, headers: res.headers, body: isJson && answered !== "" ? (JSON.parse(answered) as Json) : answered };
}

function plainHeaders(s: SmnSetup | null, body: unknown, opts: CallOptions): Record<string, string> {
  const token = opts.token === undefined ? (s?.token ?? null) : opts.token;
  const project = opts.goSdk === true ? s!.projectId : opts.goSdk;
  return {
    ...(body === undefined ? {} : { "content-type": "application/json; charset=UTF-8" }),
    ...(token === null ? {} : { "X-Auth-Token": token }),
    ...(project === undefined ? {} : { "X-Project-Id": project, region: "cn-north-4" }),
    ...opts.headers,
  };
}

async function signedHeaders(method: string, url: string, body: string | Uint8Array | undefined, o: AkskOptions): Promise<Headers> {
  const u = new URL(url);
  const headers: Record<string, string> = { "content-type": "application/json", host: u.host, "x-sdk-date": formatSdkDate(o.date ?? Date.now()), ...o.extraSigned };
  const authorization = await sign(o.key.ak, o.key.sk, method, new URL(o.signUrl ?? url), headers, body ?? "", { unsignedPayload: o.unsignedPayload });
  const h = new Headers(headers);
  h.set("authorization", authorization);
  if (o.unsignedPayload) h.set("x-sdk-content-sha256", "UNSIGNED-PAYLOAD");
  o.tamper?.(h);
  return h;
}

/** `domain`: the user's domain name as the SDKs send it (the tenant id); omitted when not given. */
export const loginBody = (user: string, password: string, project: { id?: string; name?: string }, domain?: string) => ({
  auth: {
    identity: { methods: ["password"], password: { user: { name: user, password, ...(domain === undefined ? {} : { domain: { name: domain } }) } } },
    scope: { project },
  },
});

/** An SMN error body: `{request_id, code, message}`, `code` always a string, nothing else. */
export function expectSmn(res: Answer, status: number, code: string, message?: string | RegExp): Json {
  const body = res.body as Json;
  expect({ status: res.status, body }).toEqual({ status, body: { request_id: expect.stringMatching(/^\d{19}$/), code, message: expect.any(String) } });
  if (typeof message === "string") expect(body.message).toBe(message);
  else if (message) expect(body.message).toMatch(message);
  return body;
}

const hex = (buf: ArrayBuffer): string => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
export const sha256 = async (data: string | Uint8Array): Promise<string> =>
  hex(await crypto.subtle.digest("SHA-256", typeof data === "string" ? new TextEncoder().encode(data) : data));
const hmac = async (key: string, msg: string): Promise<string> => {
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(msg)));
};
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Huawei's signing guide step by step, independently of src/: returns the Authorization value. */
export async function sign(ak: string, sk: string, method: string, url: URL, headers: Record<string, string>, body: string | Uint8Array, opts: { unsignedPayload?: boolean } = {}): Promise<string> {
  let path = url.pathname.split("/").map((p) => rfc3986(decodeURIComponent(p))).join("/");
  if (!path.endsWith("/")) path += "/";
  const keys = [...new Set(url.searchParams.keys())].sort();
  const query = keys.flatMap((k) => url.searchParams.getAll(k).sort().map((v) => `${rfc3986(k)}=${rfc3986(v)}`)).join("&");
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((h) => `${h}:${lower[h]!.trim()}\n`).join("");
  const payload = opts.unsignedPayload ? "UNSIGNED-PAYLOAD" : await sha256(body);
  const canonical = [method, path, query, canonicalHeaders, names.join(";"), payload].join("\n");
  const sts = `SDK-HMAC-SHA256\n${lower["x-sdk-date"]}\n${await sha256(canonical)}`;
  return `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=${names.join(";")}, Signature=${await hmac(sk, sts)}`;
}
