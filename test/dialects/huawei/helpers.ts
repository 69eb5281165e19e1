// Huawei test helpers: a fresh tenant with an SMN user, an approved signature, and the IAM login
// and SMS calls made the way the SDKs make them, through the real Worker.
import { exports } from "cloudflare:workers";
import { makeCredential, makeSignature, makeTenant } from "../../helpers/fixtures";
import type { Tenant } from "../../../src/core/types";

export interface SmnSetup {
  tenant: Tenant;
  user: string;
  password: string;
  projectId: string;
  appId: string;
  sign: { id: number; uid: string; name: string };
}

export async function smnSetup(opts: { balance?: number; price?: number; kinds?: string; settings?: Record<string, unknown> } = {}): Promise<SmnSetup> {
  const price = opts.price ?? 10;
  const tenant = await makeTenant({
    balance: opts.balance ?? 10_000,
    prices: { notification: price, verification: price, marketing: price },
    ...(opts.settings ? { settings: opts.settings } : {}),
  });
  const cred = await makeCredential(tenant, "huawei", opts.kinds ? { kinds: opts.kinds } : {});
  const sign = await makeSignature(tenant);
  return { tenant, user: cred.app.key, password: cred.secret, projectId: cred.app.projectId!, appId: cred.app.id, sign };
}

/** `domain`: the user's domain name as the SDKs send it (the tenant id); omitted when not given. */
export const loginBody = (user: string, password: string, project: { id?: string; name?: string }, domain?: string) => ({
  auth: {
    identity: { methods: ["password"], password: { user: { name: user, password, ...(domain === undefined ? {} : { domain: { name: domain } }) } } },
    scope: { project },
  },
});

export const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  exports.default.fetch(`http://gw${path}`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=UTF-8", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

export async function login(s: SmnSetup): Promise<string> {
  const res = await post("/v3/auth/tokens", loginBody(s.user, s.password, { name: "cn-north-4" }, s.tenant.id));
  if (res.status !== 201) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return res.headers.get("X-Subject-Token")!;
}

/** POST …/notifications/{path} with the token and the project headers the Go SDK sends. */
export const sms = (s: SmnSetup, token: string, body: unknown, path = "sms", project = s.projectId): Promise<Response> =>
  post(`/v2/${project}/notifications/${path}`, body, { "X-Auth-Token": token, "X-Project-Id": project, region: "cn-north-4" });

export type Json = Record<string, any>;
