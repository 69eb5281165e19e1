// /v1/templates: create pending, read with JPush's status numbers, change only while not approved,
// delete with an empty 200, every documented template error, tenant isolation.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { reviewTemplate } from "../../../src/core/catalog";
import { makeCredential, makeSignature, makeTenant } from "../../helpers/fixtures";
import { basic, call, err } from "./helpers";

/** A tenant with a jpush app and nothing else (no signature, no template): `call`'s `s`. */
async function client() {
  const tenant = await makeTenant({ balance: 1000 });
  const cred = await makeCredential(tenant, "jpush");
  return { tenant, auth: basic(cred.app.key, cred.secret) };
}

describe("JPush templates", () => {
  it("lifecycle: create pending → change → approved (no more changes) → delete", async () => {
    const s = await client();
    const created = await call(s, "POST", "/v1/templates", { template: "您的验证码是{{code}}，{{ttl}}分钟内有效", type: 2, remark: "登录" });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ temp_id: expect.any(Number) });
    const id = created.body.temp_id as number;
    expect((await call(s, "GET", `/v1/templates/${id}`)).body).toEqual({
      temp_id: id, template: "您的验证码是{{code}}，{{ttl}}分钟内有效", type: 2, ttl: 300, remark: "登录", sign_id: null, status: 0,
    });
    expect((await call(s, "PUT", `/v1/templates/${id}`, { temp_id: id, template: "验证码{{code}}", type: 1, ttl: 120 })).body).toEqual({ temp_id: id });
    expect((await call(s, "GET", `/v1/templates/${id}`)).body).toMatchObject({ template: "验证码{{code}}", type: 1, ttl: 120, status: 0 });

    await reviewTemplate(env, s.tenant.id, id, { status: "approved" }, Date.now());
    expect((await call(s, "GET", `/v1/templates/${id}`)).body).toMatchObject({ status: 1 });
    const locked = await call(s, "PUT", `/v1/templates/${id}`, { template: "验证码{{code}}!", type: 1, ttl: 60 });
    expect(locked).toEqual({ status: 403, body: err(50047) });

    expect(await call(s, "DELETE", `/v1/templates/${id}`)).toEqual({ status: 200, body: "" });
    expect(await call(s, "GET", `/v1/templates/${id}`)).toEqual({ status: 403, body: err(50013) });
  });

  it("sign_id binds the template to one of the tenant's signatures; another tenant's or an unknown one is 50102", async () => {
    const s = await client();
    const own = await makeSignature(s.tenant);
    const stranger = await makeSignature(await makeTenant());
    const id = (await call(s, "POST", "/v1/templates", { template: "取件码{{code_no}}", type: 2, sign_id: own.id })).body.temp_id as number;
    expect((await call(s, "GET", `/v1/templates/${id}`)).body).toMatchObject({ sign_id: own.id });
    for (const sign_id of [stranger.id, 99_999_999, "abc", true]) {
      const r = await call(s, "POST", "/v1/templates", { template: "取件码{{code_no}}", type: 2, sign_id });
      expect(r).toEqual({ status: 403, body: err(50102) });
    }
    const moved = await call(s, "PUT", `/v1/templates/${id}`, { template: "取件码{{code_no}}", type: 2, sign_id: stranger.id });
    expect(moved).toEqual({ status: 403, body: err(50102) });
    expect((await call(s, "GET", `/v1/templates/${id}`)).body).toMatchObject({ sign_id: own.id });
  });

  it("a rejected template may change and goes back to review", async () => {
    const s = await client();
    const id = (await call(s, "POST", "/v1/templates", { template: "促销{{x}}", type: 3 })).body.temp_id as number;
    await reviewTemplate(env, s.tenant.id, id, { status: "rejected", note: "too vague" }, Date.now());
    expect((await call(s, "GET", `/v1/templates/${id}`)).body).toMatchObject({ status: 2 });
    expect((await call(s, "PUT", `/v1/templates/${id}`, { template: "双十一{{x}}折，回TD退订", type: 3 })).status).toBe(200);
    expect((await call(s, "GET", `/v1/templates/${id}`)).body).toMatchObject({ status: 0, type: 3 });
  });

  it.each([
    [{ type: 2 }, 50042],
    [{ template: "  ", type: 2 }, 50042],
    [{ template: "长".repeat(351), type: 2 }, 50043],
    [{ template: "验证码{{code}}{{name}}", type: 1, ttl: 60 }, 50044],
    [{ template: "验证码{{token}}", type: 1, ttl: 60 }, 50044],
    [{ template: "通知{{bad", type: 2 }, 50044],
    [{ template: "通知{{x}}", type: 2, remark: "r".repeat(101) }, 50045],
    [{ template: "验证码{{code}}", type: 1 }, 50041],
    [{ template: "验证码{{code}}", type: 1, ttl: 0 }, 50041],
    [{ template: "验证码{{code}}", type: 1, ttl: 86401 }, 50041],
    [{ template: "【别家】通知{{x}}", type: 2 }, 50052],
    [{ template: "通知{{x}}", type: 4 }, 50007],
  ])("refuses %j with %i", async (body, code) => {
    const s = await client();
    expect(await call(s, "POST", "/v1/templates", body)).toEqual({ status: 403, body: err(code) });
  });

  it("another tenant's template is an invalid temp_id everywhere", async () => {
    const a = await client();
    const b = await client();
    const id = (await call(a, "POST", "/v1/templates", { template: "通知{{x}}", type: 2 })).body.temp_id as number;
    for (const [method, body] of [["GET"], ["PUT", { template: "通知{{y}}", type: 2 }], ["DELETE"]] as const) {
      const res = await call(b, method, `/v1/templates/${id}`, body);
      expect(res).toEqual({ status: 403, body: err(50013) });
    }
    expect((await call(a, "GET", `/v1/templates/${id}`)).status).toBe(200);
  });
});
