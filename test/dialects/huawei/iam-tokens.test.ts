// POST /v3/auth/tokens, the IAM token lifecycle through the real Worker: 201 + X-Subject-Token, the
// SDK-critical body fields, the same token while valid, expiry on a controlled clock, wrong
// password, wrong project or domain, and body refusals in Keystone's shape.
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, type Json, loginBody, setup, SMS } from "./helpers";

const IAM_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$/;

afterEach(() => {
  vi.useRealTimers();
});

describe("POST /v3/auth/tokens", () => {
  it("answers 201 with the token in X-Subject-Token and a Keystone token body (24 h)", async () => {
    const s = await setup();
    const before = Date.now();
    const res = await call(null, "POST", "/v3/auth/tokens", loginBody(s.user, s.password, { name: "cn-north-4" }, s.tenant.id));
    expect(res.status).toBe(201);
    const token = res.headers.get("X-Subject-Token");
    expect(token).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(res.headers.get("access-control-expose-headers")).toBe("X-Subject-Token");
    const body = res.body as Json;
    expect(body).toMatchInlineSnapshot(
      {
        token: {
          expires_at: expect.stringMatching(IAM_TIME),
          issued_at: expect.stringMatching(IAM_TIME),
          project: { id: expect.any(String), domain: { id: expect.any(String), name: expect.any(String) } },
          domain: { id: expect.any(String), name: expect.any(String) },
          user: { id: expect.any(String), name: expect.any(String), domain: { id: expect.any(String), name: expect.any(String) } },
        },
      }, `
      {
        "token": {
          "catalog": [],
          "domain": {
            "id": Any<String>,
            "name": Any<String>,
          },
          "expires_at": StringMatching /\\^\\\\d\\{4\\}-\\\\d\\\\d-\\\\d\\\\dT\\\\d\\\\d:\\\\d\\\\d:\\\\d\\\\d\\\\\\.000000Z\\$/,
          "issued_at": StringMatching /\\^\\\\d\\{4\\}-\\\\d\\\\d-\\\\d\\\\dT\\\\d\\\\d:\\\\d\\\\d:\\\\d\\\\d\\\\\\.000000Z\\$/,
          "methods": [
            "password",
          ],
          "project": {
            "domain": {
              "id": Any<String>,
              "name": Any<String>,
            },
            "id": Any<String>,
            "name": "cn-north-4",
          },
          "roles": [
            {
              "id": "smn_adm",
              "name": "SMN Administrator",
            },
          ],
          "user": {
            "domain": {
              "id": Any<String>,
              "name": Any<String>,
            },
            "id": Any<String>,
            "name": Any<String>,
            "password_expires_at": "",
          },
        },
      }
    `);
    // The SDKs take the project id for their SMS paths from here.
    expect(body.token.project.id).toBe(s.projectId);
    expect(body.token.user.name).toBe(s.user);
    expect(body.token.domain).toEqual({ id: s.tenant.id, name: s.tenant.id });
    const expires = Date.parse(body.token.expires_at);
    expect(expires).toBeGreaterThan(before + 86_400_000 - 2000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 86_400_000);
  });

  it("scopes by project id too, and hands out the same token while it is valid", async () => {
    const s = await setup();
    const a = await call(null, "POST", "/v3/auth/tokens", loginBody(s.user, s.password, { id: s.projectId }));
    const b = await call(null, "POST", "/v3/auth/tokens", loginBody(s.user, s.password, { name: "cn-north-4" }));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.headers.get("X-Subject-Token")).toBe(b.headers.get("X-Subject-Token"));
    const token = a.headers.get("X-Subject-Token")!;
    const send = await call(s, "POST", SMS, { endpoint: "13900001111", message: "hello", sign_id: s.sign.uid }, { token, goSdk: true });
    expect(send.status).toBe(200);
  });

  it("logs in the Java 1.x SDK, which sends Content-Type twice", async () => {
    const s = await setup();
    // Two values of one header, as the SDK sends them, joined as fetch joins them.
    const headers = { "content-type": "application/json, application/json" };
    const res = await call(null, "POST", "/v3/auth/tokens", loginBody(s.user, s.password, { name: "cn-north-1" }), { headers });
    expect(res.status).toBe(201);
    expect(res.headers.get("X-Subject-Token")).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  it("a token stops working after 24 h (controlled clock); a new login gives a new one", async () => {
    const s = await setup();
    const res = await call(null, "POST", "/v3/auth/tokens", loginBody(s.user, s.password, { name: "cn-north-4" }));
    const token = res.headers.get("X-Subject-Token")!;
    const expiresAt = Date.parse((res.body as Json).token.expires_at);

    vi.setSystemTime(expiresAt - 60_000);
    const early = await call(s, "POST", SMS, { endpoint: "13900002222", message: "still valid", sign_id: s.sign.uid }, { token, goSdk: true });
    expect(early.status).toBe(200);

    vi.setSystemTime(expiresAt + 1000);
    const late = await call(s, "POST", SMS, { endpoint: "13900003333", message: "expired", sign_id: s.sign.uid }, { token, goSdk: true });
    expect(late.status).toBe(401);
    expect(late.body).toEqual({
      request_id: expect.any(String),
      code: "APIGW.0301",
      message: "Incorrect IAM authentication information: token expired: request a new one",
    });

    const again = await call(null, "POST", "/v3/auth/tokens", loginBody(s.user, s.password, { name: "cn-north-4" }));
    expect(again.status).toBe(201);
    expect(again.headers.get("X-Subject-Token")).not.toBe(token);
  });

  it("a wrong password or unknown user is 401 in IAM's error shape, with no token", async () => {
    const s = await setup();
    for (const body of [loginBody(s.user, "wrong-password", { name: "cn-north-4" }), loginBody("nobody_here", s.password, { name: "cn-north-4" })]) {
      const res = await call(null, "POST", "/v3/auth/tokens", body);
      expect(res.status).toBe(401);
      expect(res.headers.get("X-Subject-Token")).toBeNull();
      expect(res.body).toEqual({ error: { code: 401, title: "Unauthorized", message: "The username or password is wrong." } });
    }
  });

  it("a project that is not the user's (by id, or a non-region name) is 401", async () => {
    const s = await setup();
    const other = await setup();
    for (const project of [{ id: other.projectId }, { name: "not a region" }]) {
      const res = await call(null, "POST", "/v3/auth/tokens", loginBody(s.user, s.password, project));
      expect(res.status).toBe(401);
      expect(res.headers.get("X-Subject-Token")).toBeNull();
      expect(res.body).toMatchObject({ error: { code: 401, title: "Unauthorized" } });
    }
  });

  it("malformed bodies are 400 in IAM's error shape", async () => {
    const s = await setup();
    const cases: Array<[unknown, RegExp]> = [
      ["{not json", /not valid JSON/],
      [{ auth: { identity: { methods: ["token"], password: { user: { name: s.user, password: s.password } } }, scope: { project: { name: "cn-north-4" } } } }, /password method/],
      [loginBody(s.user, s.password, {}), /scope\.project/],
      [{ auth: {} }, /auth\.identity/],
    ];
    for (const [body, message] of cases) {
      const res = await call(null, "POST", "/v3/auth/tokens", body);
      expect(res.status).toBe(400);
      const json = res.body as Json;
      expect(json.error).toMatchObject({ code: 400, title: "Bad Request" });
      expect(json.error.message).toMatch(message);
    }
  });

  it("unknown /v3 paths and wrong methods keep the IAM shape", async () => {
    const res = await call(null, "POST", "/v3/auth/projects", {});
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 404, title: "Not Found" } });
    const get = await call(null, "GET", "/v3/auth/tokens");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(get.body).toMatchObject({ error: { code: 405, title: "Method Not Allowed" } });
  });
});

describe("IAM login domain", () => {
  it("refuses a domain that is not the credential's, by name or id; the right one or none passes", async () => {
    const s = await setup();
    const body = (domain: Record<string, string> | undefined) => ({
      auth: {
        identity: { methods: ["password"], password: { user: { name: s.user, password: s.password, ...(domain ? { domain } : {}) } } },
        scope: { project: { name: "cn-north-4" } },
      },
    });
    const headers = { "content-type": "application/json" };
    const wrongs: Array<Record<string, string>> = [{ name: "acme" }, { id: "someone-else" }];
    for (const wrong of wrongs) {
      const res = await call(null, "POST", "/v3/auth/tokens", body(wrong), { headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 401, title: "Unauthorized", message: "The username or password is wrong." } });
    }
    const rights: Array<Record<string, string> | undefined> = [{ name: s.tenant.id }, { id: s.tenant.id }, undefined];
    for (const right of rights) expect((await call(null, "POST", "/v3/auth/tokens", body(right), { headers })).status).toBe(201);
  });
});

describe("IAM body refusals", () => {
  it("415 for a content type that is not JSON, 413 past the body cap, in Keystone's shape", async () => {
    const s = await setup();
    const xml = await call(null, "POST", "/v3/auth/tokens", "<auth/>", { headers: { "content-type": "application/xml" } });
    expect({ status: xml.status, body: xml.body }).toEqual({
      status: 415,
      body: { error: { code: 415, title: "Unsupported Media Type", message: "Unsupported content type: application/xml" } },
    });
    const body = loginBody(s.user, s.password, { name: "cn-north-4" }) as Json;
    body.auth.pad = "x".repeat(3 * 1024 * 1024);
    const big = await call(null, "POST", "/v3/auth/tokens", body);
    expect({ status: big.status, body: big.body }).toEqual({
      status: 413,
      body: { error: { code: 413, title: "Request Entity Too Large", message: "The request body is too large." } },
    });
    expect(big.headers.get("x-subject-token")).toBeNull();
  });
});
