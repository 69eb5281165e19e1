// Huawei AK/SK (SDK-HMAC-SHA256). First the algorithm against the values Huawei publishes in its
// API signing guide (the VPC list request signed at 20191115T033655Z), both by our verifier's
// functions and by an independent signer written here from the guide's steps; then that signer
// drives every Huawei route through the real Worker: good, wrong, stale and malformed signatures.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { canonicalRequest, formatSdkDate, parseSdkDate, signatureMatches, signatureOf, stringToSign } from "../../../src/dialects/huawei/aksk";
import { mobile } from "../../helpers/fixtures";
import { admin } from "../../admin/helpers";
import { login, smnSetup, type Json, type SmnSetup } from "./helpers";

// Huawei's published example (API Request Signing Guide, "Constructing a Standard Request" ff.).
const PUBLISHED = {
  url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
  headers: { "content-type": "application/json", host: "service.region.example.com", "x-sdk-date": "20191115T033655Z" },
  hashedCanonicalRequest: "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
  stringToSign: "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
  ak: "QTWAOYTTINDUT2QVKYUC",
  sk: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
  signature: "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
  authorization:
    "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
};

const hex = (buf: ArrayBuffer): string => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
const sha256 = async (data: string | Uint8Array): Promise<string> =>
  hex(await crypto.subtle.digest("SHA-256", typeof data === "string" ? new TextEncoder().encode(data) : data));
const hmac = async (key: string, msg: string): Promise<string> => {
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(msg)));
};
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The guide's steps, independently of src/: returns the Authorization value. */
async function sign(ak: string, sk: string, method: string, url: URL, headers: Record<string, string>, body: string, opts: { unsignedPayload?: boolean } = {}): Promise<string> {
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

describe("the algorithm against Huawei's published example", () => {
  it("the independent signer reproduces the published Authorization header", async () => {
    const { headers } = PUBLISHED;
    expect(await sign(PUBLISHED.ak, PUBLISHED.sk, "GET", new URL(PUBLISHED.url), headers, "")).toBe(PUBLISHED.authorization);
  });

  it("our verifier's canonical request hashes to the published value, and the published signature verifies", async () => {
    const url = new URL(PUBLISHED.url);
    const input = {
      method: "GET",
      path: url.pathname,
      query: url.searchParams,
      header: (h: string) => (PUBLISHED.headers as Record<string, string>)[h] ?? null,
      signedHeaders: ["content-type", "host", "x-sdk-date"],
      payloadHash: await sha256(""),
    };
    const canonical = canonicalRequest(input);
    expect(canonical).toBe(
      "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n" +
        "content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n" +
        "content-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(await sha256(canonical)).toBe(PUBLISHED.hashedCanonicalRequest);
    expect(await stringToSign("20191115T033655Z", canonical)).toBe(PUBLISHED.stringToSign);
    expect(await signatureOf(PUBLISHED.sk, "20191115T033655Z", canonical)).toBe(PUBLISHED.signature);
    expect(await signatureMatches(PUBLISHED.sk, "20191115T033655Z", canonical, PUBLISHED.signature)).toBe(true);
    expect(await signatureMatches(PUBLISHED.sk, "20191115T033656Z", canonical, PUBLISHED.signature)).toBe(false);
    expect(await signatureMatches("x" + PUBLISHED.sk, "20191115T033655Z", canonical, PUBLISHED.signature)).toBe(false);
  });

  it("X-Sdk-Date is YYYYMMDDTHHMMSSZ in UTC, and impossible dates are refused", () => {
    expect(parseSdkDate("20191115T033655Z")).toBe(Date.UTC(2019, 10, 15, 3, 36, 55));
    expect(formatSdkDate(Date.UTC(2019, 10, 15, 3, 36, 55))).toBe("20191115T033655Z");
    for (const bad of ["20190231T000000Z", "2019-11-15T03:36:55Z", "20191115T033655", "20191115T246000Z"]) expect(parseSdkDate(bad)).toBeNull();
  });
});

interface AkSetup extends SmnSetup {
  ak: string;
  sk: string;
}

async function akSetup(): Promise<AkSetup> {
  const s = await smnSetup();
  const res = await admin("POST", `/tenants/${s.tenant.id}/apps/${s.appId}/access-keys`, { description: "sdk" });
  expect(res.status).toBe(201);
  return { ...s, ak: res.body.access_key, sk: res.body.secret_key };
}

/** A request signed as Huawei's SDKs sign it (content-type, host, x-sdk-date). */
async function signed(
  method: string,
  url: string,
  body: unknown,
  key: { ak: string; sk: string },
  opts: { date?: number; tamper?: (h: Headers) => void; extraSigned?: Record<string, string>; unsignedPayload?: boolean; signUrl?: string } = {},
): Promise<Response> {
  const text = body === undefined ? "" : JSON.stringify(body);
  const u = new URL(url);
  const headers: Record<string, string> = { "content-type": "application/json", host: u.host, "x-sdk-date": formatSdkDate(opts.date ?? Date.now()), ...opts.extraSigned };
  const authorization = await sign(key.ak, key.sk, method, new URL(opts.signUrl ?? url), headers, text, { unsignedPayload: opts.unsignedPayload });
  const h = new Headers(headers);
  h.set("authorization", authorization);
  if (opts.unsignedPayload) h.set("x-sdk-content-sha256", "UNSIGNED-PAYLOAD");
  opts.tamper?.(h);
  return exports.default.fetch(url, { method, headers: h, body: method === "GET" ? undefined : text });
}

const expectApigw = async (res: Response, status: number, code: string, message: RegExp) => {
  expect(res.status).toBe(status);
  const body = (await res.json()) as Json;
  expect(body).toEqual({ request_id: expect.any(String), code, message: expect.stringMatching(message) });
};

const routes = (s: AkSetup, base = "http://gw") => ({
  single: [`${base}/v2/${s.projectId}/notifications/sms`, { endpoint: mobile(), message: `【${s.sign.name}】验证码 1234`, message_include_sign_flag: true }] as const,
  batch: [`${base}/v2/${s.projectId}/notifications/batch_sms`, { sms_message: [{ endpoint: mobile(), message: "hello", sign_id: s.sign.uid }] }] as const,
});

describe("AK/SK through the real Worker", () => {
  it("a signed publish is accepted on every SMN route, at the root and under /huawei and huawei.localhost", async () => {
    const s = await akSetup();
    for (const base of ["http://gw", "http://gw/huawei", "http://huawei.localhost"]) {
      const r = routes(s, base);
      const single = await signed("POST", r.single[0], r.single[1], s);
      expect(single.status, base).toBe(200);
      expect(await single.json()).toEqual({ request_id: expect.any(String), message_id: expect.any(String) });
      const batch = await signed("POST", r.batch[0], r.batch[1], s);
      expect(batch.status, base).toBe(200);
      expect(((await batch.json()) as Json).result[0]).toEqual({ endpoint: expect.any(String), message_id: expect.any(String) });
    }
  });

  it("every signed Huawei route: a good signature passes, a wrong secret and a stale date are 401 APIGW.0301", async () => {
    const s = await akSetup();
    const sent = (await (await signed("POST", ...routes(s).single, s)).json()) as Json;
    const all: Array<[string, string, unknown]> = [
      ["POST", ...routes(s).single],
      ["POST", ...routes(s).batch],
      ["GET", `http://gw/v2/${s.projectId}/notifications/sms?message_id=${sent.message_id}`, undefined],
      ["GET", "http://gw/v3/projects?name=cn-north-4", undefined],
    ];
    for (const [method, url, body] of all) {
      expect((await signed(method, url, body, s)).status, `${method} ${url}`).toBe(200);
      await expectApigw(await signed(method, url, body, { ak: s.ak, sk: s.sk.slice(1) }), 401, "APIGW.0301", /verify aksk signature fail/);
      await expectApigw(await signed(method, url, body, s, { date: Date.now() - 16 * 60_000 }), 401, "APIGW.0301", /signature expired/);
    }
  });

  it("GET /v3/projects?name={region} answers the credential's project, signed or with a token", async () => {
    const s = await akSetup();
    const res = await signed("GET", "http://gw/v3/projects?name=cn-north-4", undefined, s);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body).toEqual({
      projects: [
        {
          id: s.projectId,
          name: "cn-north-4",
          domain_id: s.tenant.id,
          parent_id: s.tenant.id,
          is_domain: false,
          enabled: true,
          description: "",
          links: { self: `http://gw/v3/projects/${s.projectId}` },
        },
      ],
      links: { self: "http://gw/v3/projects?name=cn-north-4", previous: null, next: null },
    });
    const other = await signed("GET", "http://gw/v3/projects?name=not%20a%20region", undefined, s);
    expect(((await other.json()) as Json).projects).toEqual([]);
    const token = await login(s);
    const byToken = await exports.default.fetch("http://gw/v3/projects?name=ap-southeast-1", { headers: { "x-auth-token": token } });
    expect(((await byToken.json()) as Json).projects[0]).toMatchObject({ id: s.projectId, name: "ap-southeast-1" });
  });

  it("a signed status query works, and its query string is covered by the signature", async () => {
    const s = await akSetup();
    const sent = (await (await signed("POST", ...routes(s).single, s)).json()) as Json;
    const url = `http://gw/v2/${s.projectId}/notifications/sms?request_id=${sent.request_id}`;
    const res = await signed("GET", url, undefined, s);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).sms[0].message_id).toBe(sent.message_id);
    // Signed for one request_id, sent with another.
    await expectApigw(await signed("GET", `${url}0`, undefined, s, { signUrl: url }), 401, "APIGW.0301", /verify aksk signature fail/);
  });

  it("refuses a wrong secret, a changed body, an unknown AK and a malformed header with APIGW.0301, writing nothing", async () => {
    const s = await akSetup();
    const [url, body] = routes(s).single;
    await expectApigw(await signed("POST", url, body, { ak: s.ak, sk: `${s.sk}x` }), 401, "APIGW.0301", /^Incorrect IAM authentication information: verify aksk signature fail$/);
    await expectApigw(await signed("POST", url, body, { ak: "NOSUCHACCESSKEY00000", sk: s.sk }), 401, "APIGW.0301", /Get secretKey failed/);
    // The same signature over another body.
    const text = JSON.stringify(body);
    const h = new Headers({ "content-type": "application/json", host: "gw", "x-sdk-date": formatSdkDate(Date.now()) });
    h.set("authorization", await sign(s.ak, s.sk, "POST", new URL(url), Object.fromEntries(h), text));
    const swapped = await exports.default.fetch(url, { method: "POST", headers: h, body: text.replace("1234", "9999") });
    await expectApigw(swapped, 401, "APIGW.0301", /verify aksk signature fail/);
    await expectApigw(await signed("POST", url, body, s, { tamper: (hh) => hh.set("authorization", `SDK-HMAC-SHA256 Access=${s.ak}`) }), 401, "APIGW.0301", /Authorization header is not/);
    // x-sdk-date present but not among the signed headers.
    await expectApigw(
      await signed("POST", url, body, s, { tamper: (hh) => hh.set("authorization", hh.get("authorization")!.replace("content-type;host;x-sdk-date", "content-type;host")) }),
      401,
      "APIGW.0301",
      /x-sdk-date must be sent and signed/,
    );
  });

  it("refuses an X-Sdk-Date more than 15 minutes off either way; within 15 minutes it passes", async () => {
    const s = await akSetup();
    const [url, body] = routes(s).single;
    await expectApigw(await signed("POST", url, body, s, { date: Date.now() - 16 * 60_000 }), 401, "APIGW.0301", /signature expired/);
    await expectApigw(await signed("POST", url, body, s, { date: Date.now() + 16 * 60_000 }), 401, "APIGW.0301", /signature expired/);
    expect((await signed("POST", ...routes(s).single, s, { date: Date.now() - 14 * 60_000 })).status).toBe(200);
    await expectApigw(await signed("GET", "http://gw/v3/projects", undefined, s, { date: Date.now() - 20 * 60_000 }), 401, "APIGW.0301", /signature expired/);
  });

  it("UNSIGNED-PAYLOAD leaves the body out; a prefixed path must be signed with its prefix", async () => {
    const s = await akSetup();
    expect((await signed("POST", ...routes(s).single, s, { unsignedPayload: true })).status).toBe(200);
    const [url, body] = routes(s, "http://gw/huawei").single;
    await expectApigw(await signed("POST", url, body, s, { signUrl: url.replace("/huawei", "") }), 401, "APIGW.0301", /verify aksk signature fail/);
    // A client cannot move the signed path by sending the internal mount header itself.
    const [rootUrl, rootBody] = routes(s).single;
    await expectApigw(
      await signed("POST", rootUrl, rootBody, s, { signUrl: url, tamper: (h) => h.set("x-edgesms-mount", "/huawei") }),
      401,
      "APIGW.0301",
      /verify aksk signature fail/,
    );
  });

  it("the key acts as its credential: another project is 403, a blocked credential 403, a deleted key 401", async () => {
    const s = await akSetup();
    const other = await akSetup();
    const res = await signed("POST", `http://gw/v2/${other.projectId}/notifications/sms`, routes(s).single[1], s);
    await expectApigw(res, 403, "APIGW.0302", /access key is not valid for project/);
    expect((await admin("PATCH", `/tenants/${s.tenant.id}/apps/${s.appId}`, { blocked: true })).status).toBe(200);
    await expectApigw(await signed("POST", ...routes(s).single, s), 403, "APIGW.0302", /blocked/);
    expect((await admin("DELETE", `/tenants/${other.tenant.id}/apps/${other.appId}/access-keys/${other.ak}`)).status).toBe(204);
    await expectApigw(await signed("POST", ...routes(other).single, other), 401, "APIGW.0301", /Get secretKey failed/);
  });
});

describe("access keys in the operator API", () => {
  it("the secret key is shown once, listed never, at most 2 per credential, huawei credentials only", async () => {
    const s = await akSetup();
    const list = await admin("GET", `/tenants/${s.tenant.id}/apps/${s.appId}/access-keys`);
    expect(list.body).toEqual({ access_keys: [{ access_key: s.ak, app_id: s.appId, description: "sdk", created_at: expect.any(Number) }] });
    expect(s.ak).toMatch(/^[A-Z0-9]{20}$/);
    expect(s.sk).toMatch(/^[A-Za-z0-9]{40}$/);
    expect((await admin("POST", `/tenants/${s.tenant.id}/apps/${s.appId}/access-keys`, {})).status).toBe(201);
    const third = await admin("POST", `/tenants/${s.tenant.id}/apps/${s.appId}/access-keys`, {});
    expect(third.status).toBe(409);
    // Stored sealed, never as the secret itself.
    const { env } = await import("cloudflare:workers");
    const row = await env.DB.prepare("SELECT secret_enc FROM access_keys WHERE access_key = ?1").bind(s.ak).first<{ secret_enc: string }>();
    expect(row!.secret_enc).toMatch(/^v1\./);
    expect(row!.secret_enc).not.toContain(s.sk);
    // Another tenant's path finds nothing.
    const stranger = await smnSetup();
    expect((await admin("GET", `/tenants/${stranger.tenant.id}/apps/${s.appId}/access-keys`)).status).toBe(404);
    expect((await admin("DELETE", `/tenants/${s.tenant.id}/apps/${s.appId}/access-keys/NOPE`)).status).toBe(404);
  });
});

describe("IAM login domain", () => {
  it("refuses a domain that is not the credential's, by name or id; the right one or none passes", async () => {
    const s = await smnSetup();
    const body = (domain: Record<string, string> | undefined) => ({
      auth: {
        identity: { methods: ["password"], password: { user: { name: s.user, password: s.password, ...(domain ? { domain } : {}) } } },
        scope: { project: { name: "cn-north-4" } },
      },
    });
    const post = (b: unknown) => exports.default.fetch("http://gw/v3/auth/tokens", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(b) });
    const wrongs: Array<Record<string, string>> = [{ name: "acme" }, { id: "someone-else" }];
    for (const wrong of wrongs) {
      const res = await post(body(wrong));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 401, title: "Unauthorized", message: "The username or password is wrong." } });
    }
    const rights: Array<Record<string, string> | undefined> = [{ name: s.tenant.id }, { id: s.tenant.id }, undefined];
    for (const right of rights) expect((await post(body(right))).status).toBe(201);
  });
});
