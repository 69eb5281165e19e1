// The template mapping API (/admin/v1/carriers/{name}/templates) through the real Worker: a
// tenant's edgesms templates → the provider's template code and sign name, per carrier.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomHex } from "../../src/core/crypto";
import { templateMappings } from "../../src/store/carrier-templates";
import { admin, newTenant, paths } from "../admin/helpers";
import { makeTemplate } from "../helpers/fixtures";
import { getTenant } from "../helpers/domain";
import { tenantDb } from "../../src/store/db";

async function aliyunCarrier(): Promise<string> {
  const name = `ali-${randomHex(3)}`;
  const res = await admin("POST", "/carriers", { name, type: "aliyun", aliyun: { accessKeyId: "LTAItest", accessKeySecret: "s3cret", callbackToken: `tok${randomHex(10)}` } });
  expect(res.status).toBe(201);
  return name;
}

async function tenantWithTemplates() {
  const t = await newTenant();
  const tenant = (await getTenant(tenantDb(env, t.id)))!;
  const notice = await makeTemplate(tenant, { kind: "notification", content: "您的快递{{number}}已到{{place}}" });
  const code = await makeTemplate(tenant, { kind: "verification", content: "您的验证码是{{code}}" });
  return { id: t.id, notice, code };
}

describe("carrier template mapping API", () => {
  it("PUT replaces a tenant's mapping, GET lists it, dispatch's reader finds it in one query", async () => {
    const c = await aliyunCarrier();
    const t = await tenantWithTemplates();
    const put = await admin("PUT", `/carriers/${c}/templates`, {
      tenant_id: t.id,
      templates: [
        { template_id: t.notice, code: "SMS_200001", sign_name: "边缘短信" },
        { template_id: t.code, code: "SMS_200002", sign_name: "边缘短信", params: ["code"] },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      tenant_id: t.id,
      templates: [
        { tenant_id: t.id, template_id: t.notice, code: "SMS_200001", sign_name: "边缘短信", params: null, updated_at: expect.any(Number) },
        { tenant_id: t.id, template_id: t.code, code: "SMS_200002", sign_name: "边缘短信", params: ["code"], updated_at: expect.any(Number) },
      ].sort((a, b) => a.template_id - b.template_id),
    });
    const got = await admin("GET", `/carriers/${c}/templates?tenant_id=${t.id}`);
    expect(got.body.items).toEqual(put.body.templates);
    expect(got.body.next_cursor).toBeNull();

    const found = await templateMappings(env.DB, c, [{ tenantId: t.id, templateId: t.notice }, { tenantId: t.id, templateId: t.code }, { tenantId: "other", templateId: t.notice }]);
    expect(found.of(c, { tenantId: t.id, templateId: t.notice })).toEqual({ code: "SMS_200001", signName: "边缘短信" });
    expect(found.of(c, { tenantId: t.id, templateId: t.code })).toEqual({ code: "SMS_200002", signName: "边缘短信", params: ["code"] });
    expect(found.of(c, { tenantId: "other", templateId: t.notice })).toBeNull();
    expect(found.of("another-carrier", { tenantId: t.id, templateId: t.notice })).toBeNull();

    // Replacing with one entry drops the other; [] removes the tenant's mapping.
    await admin("PUT", `/carriers/${c}/templates`, { tenant_id: t.id, templates: [{ template_id: t.code, code: "SMS_200003", sign_name: "边缘" }] });
    expect((await admin("GET", `/carriers/${c}/templates`)).body.items.map((i: any) => [i.template_id, i.code])).toEqual([[t.code, "SMS_200003"]]);
    await admin("PUT", `/carriers/${c}/templates`, { tenant_id: t.id, templates: [] });
    expect((await admin("GET", `/carriers/${c}/templates`)).body.items).toEqual([]);
  });

  it("is per tenant: another tenant's PUT leaves this one's mapping alone; pages by (tenant, template)", async () => {
    const c = await aliyunCarrier();
    const a = await tenantWithTemplates();
    const b = await tenantWithTemplates();
    await admin("PUT", `/carriers/${c}/templates`, { tenant_id: a.id, templates: [{ template_id: a.notice, code: "SMS_1", sign_name: "A" }, { template_id: a.code, code: "SMS_2", sign_name: "A" }] });
    await admin("PUT", `/carriers/${c}/templates`, { tenant_id: b.id, templates: [{ template_id: b.notice, code: "SMS_3", sign_name: "B" }] });
    const first = await admin("GET", `/carriers/${c}/templates?limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await admin("GET", `/carriers/${c}/templates?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.next_cursor).toBeNull();
    expect([...first.body.items, ...second.body.items].map((i: any) => i.code).sort()).toEqual(["SMS_1", "SMS_2", "SMS_3"]);
    expect((await admin("GET", `/carriers/${c}/templates?tenant_id=${b.id}`)).body.items.map((i: any) => i.code)).toEqual(["SMS_3"]);
  });

  it("refuses templates that are not the tenant's, parameters the template lacks, duplicates — naming each field", async () => {
    const c = await aliyunCarrier();
    const t = await tenantWithTemplates();
    const other = await tenantWithTemplates();
    const res = await admin("PUT", `/carriers/${c}/templates`, {
      tenant_id: t.id,
      templates: [
        { template_id: other.notice, code: "SMS_1", sign_name: "A" },
        { template_id: t.notice, code: "SMS_2", sign_name: "A", params: ["number", "city"] },
        { template_id: t.notice, code: "SMS_3", sign_name: "A" },
      ],
    });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(["templates.0.template_id", "templates.1.params.1", "templates.2.template_id"]);
    const bad = await admin("PUT", `/carriers/${c}/templates`, { tenant_id: t.id, templates: [{ template_id: t.notice, code: "SMS 1", sign_name: "", extra: 1 }] });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(expect.arrayContaining(["templates.0.code", "templates.0.sign_name", "templates.0.extra"]));
    expect((await admin("GET", `/carriers/${c}/templates`)).body.items).toEqual([]);
  });

  it("404 for an unknown carrier or tenant, 409 for a carrier that sends free text, 401 without the token", async () => {
    const t = await tenantWithTemplates();
    const body = { tenant_id: t.id, templates: [] };
    expect((await admin("PUT", "/carriers/nope/templates", body)).status).toBe(404);
    expect((await admin("GET", "/carriers/nope/templates")).status).toBe(404);
    const c = await aliyunCarrier();
    expect((await admin("PUT", `/carriers/${c}/templates`, { tenant_id: "t-missing", templates: [] })).status).toBe(404);
    const tw = `tw-${randomHex(3)}`;
    expect(
      (await admin("POST", "/carriers", { name: tw, type: "twilio", twilio: { accountSid: `AC${randomHex(16)}`, authToken: "0123456789abcdef", from: "+15005550006", callbackUrl: "https://gw.example/webhooks/carriers/tw" } })).status,
    ).toBe(201);
    const free = await admin("PUT", `/carriers/${tw}/templates`, body);
    expect(free.status).toBe(409);
    expect(free.body.error.code).toBe("not_templated");
    expect((await admin("GET", `/carriers/${c}/templates`, undefined, null)).status).toBe(401);
  });

  it("is documented in /openapi.json", async () => {
    const doc = (await (await exports.default.fetch("http://gw/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/admin/v1/carriers/{name}/templates"] ?? {}).sort()).toEqual(["get", "put"]);
  });

  it("deleting the carrier deletes its mapping", async () => {
    const c = await aliyunCarrier();
    const t = await tenantWithTemplates();
    await admin("PUT", `/carriers/${c}/templates`, { tenant_id: t.id, templates: [{ template_id: t.notice, code: "SMS_1", sign_name: "A" }] });
    expect((await admin("DELETE", `/carriers/${c}`)).status).toBeLessThan(300);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM carrier_templates WHERE carrier = ?1").bind(c).first<{ n: number }>();
    expect(left!.n).toBe(0);
  });
});
