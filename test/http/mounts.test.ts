// One base URL per dialect: each dialect under its own prefix (/jpush, /paasw, /huawei, /smsapi)
// and on its own host (DIALECT_HOSTS in wrangler.toml: *.localhost), with real sends through both,
// and every unknown path or wrong method answered in that dialect's own 404/405 shape.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mobile } from "../helpers/fixtures";
import { setup as jpushSetup } from "../dialects/jpush/helpers";
import * as paasw from "../dialects/paasw/helpers";
import * as huawei from "../dialects/huawei/helpers";
import { setup as smsapiSetup } from "../dialects/smsapi/helpers";

type Json = Record<string, any>;

const fetchAt = (url: string, init: RequestInit = {}) => exports.default.fetch(url, init);
const jsonPost = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetchAt(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

/** Each base URL a dialect is reachable at (the root mount, its prefix, its host). */
const BASES = {
  jpush: ["http://gw", "http://gw/jpush", "http://jpush.localhost"],
  paasw: ["http://gw", "http://gw/paasw", "http://paasw.localhost"],
  huawei: ["http://gw", "http://gw/huawei", "http://huawei.localhost"],
  // smsapi's own paths start with /smsapi: its prefix is its root mount.
  smsapi: ["http://gw", "http://smsapi.localhost"],
};

describe("sends work at every base URL of a dialect", () => {
  it("JPush /v1/messages", async () => {
    const s = await jpushSetup();
    for (const base of BASES.jpush) {
      const res = await jsonPost(`${base}/v1/messages`, { mobile: mobile(), temp_id: s.noticeTpl, temp_para: { number: "1", place: "A" } }, { authorization: s.auth });
      expect(res.status, base).toBe(200);
      expect(await res.json()).toEqual({ msg_id: expect.any(String) });
    }
  });

  it("paasw /api/token and /sms/send", async () => {
    const s = await paasw.setup();
    for (const base of BASES.paasw) {
      const token = (await paasw.call(null, "GET", "/api/token", { appId: s.appKey, secret: s.secret }, { base })).body as Json;
      expect(token.code, base).toBe("10000");
      const res = await paasw.call(null, "POST", "/sms/send", { token: token.token, phoneNumbers: mobile(), sign: s.sign.name, content: `【${s.sign.name}】您的快件已签收`, kind: "2" }, { base });
      expect((res.body as Json).code, base).toBe("10000");
    }
  });

  it("Huawei IAM login and SMN send", async () => {
    const s = await huawei.setup();
    for (const base of BASES.huawei) {
      const login = await huawei.call(null, "POST", "/v3/auth/tokens", huawei.loginBody(s.user, s.password, { name: "cn-north-4" }, s.tenant.id), { base });
      expect(login.status, base).toBe(201);
      const token = login.headers.get("x-subject-token")!;
      const res = await huawei.call(s, "POST", huawei.SMS, { endpoint: mobile(), message: `【${s.sign.name}】hello`, message_include_sign_flag: true }, { base, token });
      expect(res.status, base).toBe(200);
      expect(res.body).toEqual({ request_id: expect.any(String), message_id: expect.any(String) });
    }
  });

  it("smsapi /smsapi/v1/sms/industry", async () => {
    const s = await smsapiSetup();
    for (const base of BASES.smsapi) {
      const res = await jsonPost(`${base}/smsapi/v1/sms/industry`, { mobile: mobile(), content: `【${s.sign.name}】您的快件已签收` }, { authorization: `Bearer ${s.apiKey}` });
      expect(res.status, base).toBe(200);
      expect(((await res.json()) as Json).code).toBe(0);
    }
  });
});

describe("inside a prefix or on a dialect's host, foreign and unknown paths get that dialect's 404", () => {
  // /v2/… belongs to Huawei at the root; inside JPush's prefix or host it is JPush's.
  const cases: Array<[string, (res: Response, body: Json) => void]> = [
    ["http://gw/jpush/v2/unknown", (r, b) => (expect(r.status).toBe(404), expect(b).toEqual({ error: { code: 50016, message: expect.any(String) } }))],
    ["http://jpush.localhost/v2/unknown", (r, b) => (expect(r.status).toBe(404), expect(b).toEqual({ error: { code: 50016, message: expect.any(String) } }))],
    ["http://jpush.localhost/admin/v1/tenants", (r, b) => (expect(r.status).toBe(404), expect(b.error.code).toBe(50016))],
    ["http://gw/jpush", (r, b) => (expect(r.status).toBe(404), expect(b.error.code).toBe(50016))],
    ["http://gw/paasw/v1/codes", (r, b) => (expect(r.status).toBe(404), expect(b).toEqual({ code: "90404", message: expect.any(String) }))],
    ["http://paasw.localhost/v2/x/notifications/sms", (r, b) => (expect(r.status).toBe(404), expect(b.code).toBe("90404"))],
    ["http://gw/huawei/v1/codes", (r, b) => (expect(r.status).toBe(404), expect(b).toEqual({ request_id: expect.any(String), code: "APIGW.0101", message: expect.any(String) }))],
    ["http://huawei.localhost/sms/send", (r, b) => (expect(r.status).toBe(404), expect(b.code).toBe("APIGW.0101"))],
    ["http://gw/huawei/v3/nope", (r, b) => (expect(r.status).toBe(404), expect(b).toEqual({ error: { code: 404, title: "Not Found", message: expect.any(String) } }))],
    ["http://gw/smsapi/v2/nope", (r, b) => (expect(r.status).toBe(404), expect(b).toEqual({ code: 40400, message: expect.any(String), data: null }))],
    ["http://smsapi.localhost/v1/codes", (r, b) => (expect(r.status).toBe(404), expect(b.code).toBe(40400))],
  ];
  for (const [url, check] of cases) {
    it(url, async () => {
      const res = await fetchAt(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      check(res, (await res.json()) as Json);
    });
  }
});

describe("wrong methods get that dialect's 405 with Allow", () => {
  const cases: Array<[string, string, number, (b: Json) => void]> = [
    ["http://gw/jpush/v1/codes", "GET", 405, (b) => expect(b.error.code).toBe(50018)],
    ["http://jpush.localhost/v1/messages", "DELETE", 405, (b) => expect(b.error.code).toBe(50018)],
    ["http://gw/paasw/sms/send", "PUT", 405, (b) => expect(b.code).toBe("90405")],
    ["http://paasw.localhost/api/token", "DELETE", 405, (b) => expect(b.code).toBe("90405")],
    ["http://gw/huawei/v2/p/notifications/sms", "PUT", 405, (b) => expect(b.code).toBe("SMN.9405")],
    ["http://huawei.localhost/v3/auth/tokens", "GET", 405, (b) => expect(b.error.code).toBe(405)],
    ["http://smsapi.localhost/smsapi/v1/sms/batch", "GET", 405, (b) => expect(b.code).toBe(40500)],
  ];
  for (const [url, method, status, check] of cases) {
    it(`${method} ${url}`, async () => {
      const res = await fetchAt(url, { method });
      expect(res.status).toBe(status);
      expect(res.headers.get("allow")).toMatch(/\S/);
      check((await res.json()) as Json);
    });
  }
});

describe("the root mounts are unchanged", () => {
  it("a host not configured serves every dialect at its root paths, and the generic 404 elsewhere", async () => {
    expect((await fetchAt("http://other.example/v1/codes", { method: "GET" })).status).toBe(405);
    const res = await fetchAt("http://other.example/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
    expect((await fetchAt("http://jpush.localhost/healthz")).status).toBe(200);
  });

});
