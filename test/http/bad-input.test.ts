// Invalid UTF-8 (issue 14) is refused by every dialect with its malformed-request error and changes
// nothing (no message, no debit); paasw takes JSON only in paramJson.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mobile } from "../helpers/fixtures";
import { call as smsapiCall, setup as smsapiSetup } from "../dialects/smsapi/helpers";
import { call as jpushCall, setup as jpushSetup } from "../dialects/jpush/helpers";
import * as huawei from "../dialects/huawei/helpers";
import * as paasw from "../dialects/paasw/helpers";

/** JSON text with the bytes FF FE spliced in where `@@` stands (inside a string value). */
const badJson = (json: string): Uint8Array => {
  const [a, b] = json.split("@@") as [string, string];
  const enc = new TextEncoder();
  return Uint8Array.from([...enc.encode(a), 0xff, 0xfe, ...enc.encode(b)]);
};

const fetchRaw = (url: string, body: Uint8Array | string, headers: Record<string, string>) =>
  exports.default.fetch(`http://gw${url}`, { method: "POST", headers, body });

async function unchanged(tenantId: string, balance: number): Promise<void> {
  const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(tenantId).first<{ n: number }>();
  const t = await env.DB.prepare("SELECT balance FROM tenants WHERE id = ?1").bind(tenantId).first<{ balance: number }>();
  expect({ messages: n!.n, balance: t!.balance }).toEqual({ messages: 0, balance });
}

describe("invalid UTF-8", () => {
  it("smsapi: 400 40000 for a JSON body and for a form field (%FF%FE)", async () => {
    const s = await smsapiSetup();
    const json = badJson(`{"mobiles":["${mobile()}"],"content":"【${s.sign.name}】你好@@","kind":"notification"}`);
    const a = await smsapiCall(s, "POST", "industry", json);
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ code: 40000, message: expect.stringMatching(/UTF-8/) });
    const form = `mobiles=${mobile()}&content=${encodeURIComponent(`【${s.sign.name}】`)}%FF%FE`;
    const b = await smsapiCall(s, "POST", "industry", form, { headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(b.status).toBe(400);
    expect(b.body).toMatchObject({ code: 40000 });
    await unchanged(s.tenant.id, 10_000);
  });

  it("JPush: 403 50007 for bytes in temp_para", async () => {
    const s = await jpushSetup();
    const body = badJson(`{"mobile":"${mobile()}","temp_id":${s.noticeTpl},"temp_para":{"number":"1@@","place":"x"}}`);
    const res = await jpushCall(s, "POST", "/v1/messages", body);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 50007 } });
    await unchanged(s.tenant.id, 100_000);
  });

  it("Huawei: 400 SMN.9900 for bytes in a message", async () => {
    const s = await huawei.setup({ login: true });
    const body = badJson(`{"endpoint":"${mobile()}","message":"hi@@","sign_id":"${s.sign.uid}"}`);
    const res = await huawei.call(s, "POST", huawei.SMS, body, { headers: { "content-type": "application/json", "X-Project-Id": s.projectId } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "SMN.9900", message: expect.stringMatching(/UTF-8/) });
    await unchanged(s.tenant.id, 10_000);
  });

  it("paasw: 10002 for %FF%FE in a form field, in the query string, and raw bytes in JSON", async () => {
    const s = await paasw.setup();
    const m = mobile();
    const form = `token=${s.token}&phoneNumbers=${m}&sign=${encodeURIComponent(s.sign.name)}&content=%FF%FE`;
    for (const res of [
      await paasw.call(null, "POST", "/sms/send", {}, { raw: form, headers: { "content-type": "application/x-www-form-urlencoded" } }),
      await paasw.call(null, "POST", `/sms/send?${form}`, {}, { form: "query", headers: {} }),
      await paasw.call(null, "POST", "/sms/send", {}, { raw: badJson(`{"token":"${s.token}","phoneNumbers":"${m}","sign":"${s.sign.name}","content":"x@@"}`), headers: { "content-type": "application/json" } }),
    ]) {
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 200, body: { code: "10002", message: expect.stringMatching(/UTF-8/) } });
    }
    await unchanged(s.tenant.id, 100_000);
  });

  it("admin: 400 for a JSON body with bytes in a name, and a query value that decodes to invalid UTF-8", async () => {
    const headers = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" };
    const id = `t-utf8-${crypto.randomUUID().slice(0, 8)}`;
    const res = await fetchRaw("/admin/v1/tenants", badJson(`{"id":"${id}","name":"Acme@@"}`), headers);
    expect(res.status).toBe(400);
    expect(await env.DB.prepare("SELECT id FROM tenants WHERE id = ?1").bind(id).first()).toBeNull();
    const s = await smsapiSetup();
    const q = await exports.default.fetch(`http://gw/admin/v1/tenants/${s.tenant.id}/messages?mobile=%FF%FE`, { headers });
    expect(q.status).toBe(400);
    expect(await q.json()).toMatchObject({ error: { code: "invalid_input" } });
  });
});

describe("paasw parameter types", () => {
  it("a JSON object or array in any field but paramJson is refused (10002), not sent as its JSON text", async () => {
    const s = await paasw.setup();
    const m = mobile();
    for (const bad of [{ content: { a: 1 } }, { content: ["x"] }, { sign: { a: 1 } }, { content: true }]) {
      const res = await paasw.call(s, "POST", "/sms/send", { phoneNumbers: m, sign: s.sign.name, content: "hi", ...bad }, { form: "json" });
      expect(res.body).toMatchObject({ code: "10002" });
    }
    await unchanged(s.tenant.id, 100_000);
    // A number where the value is numeric is still taken.
    const ok = await paasw.call(s, "POST", "/sms/send", { phoneNumbers: Number(m), sign: s.sign.name, content: "hi", kind: 2 }, { form: "json" });
    expect(ok.body).toMatchObject({ code: "10000" });
  });
});
