// HTTP providers end to end, through the real Worker and queues: operator API (carrier, template
// mapping, route) → a JPush send → dispatch → the provider's loopback fake → the provider's own
// callback at /webhooks/carriers/{name} → the message's report and the tenant's replies.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomDigits, randomHex } from "../../src/core/crypto";
import { admin } from "../admin/helpers";
import { call, setup, type JpushSetup } from "../dialects/jpush/helpers";
import { rows, runQueue, waitFor } from "../jobs/support";
import { fakeRequests, fakeUrl, mobile } from "./fakes";

interface Msg {
  id: string;
  status: string;
  result_code: string | null;
  carrier: string | null;
  carrier_ref: string | null;
  submit_unknown: number;
  content: string;
}
const messageRow = async (id: string) => (await rows<Msg>("SELECT id, status, result_code, carrier, carrier_ref, submit_unknown, content FROM messages WHERE id = ?1", id))[0]!;
const settled = (id: string, what: (m: Msg) => boolean, label: string) => waitFor(async () => { const m = await messageRow(id); return what(m) && m; }, 15_000, label);

async function addCarrier(type: "aliyun" | "tencent" | "twilio", settings: Record<string, unknown>): Promise<string> {
  const name = `${type.slice(0, 3)}-${randomHex(3)}`;
  const res = await admin("POST", "/carriers", { name, type, [type]: settings });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return name;
}

function aliyun(over: Record<string, unknown> = {}) {
  const accessKeyId = `LTAI${randomHex(8)}`;
  const token = `tok${randomHex(12)}`;
  return { accessKeyId, token, settings: { accessKeyId, accessKeySecret: `secret-${accessKeyId}`, callbackToken: token, endpoint: fakeUrl("aliyun"), ...over } };
}

function twilio(name: string) {
  const accountSid = `AC${randomHex(16)}`;
  return { accountSid, authToken: `token-${accountSid}`, settings: { accountSid, authToken: `token-${accountSid}`, from: "+15005550006", callbackUrl: `https://gw.example/webhooks/carriers/${name}`, endpoint: fakeUrl("twilio") } };
}

const route = (s: JpushSetup, carriers: string[]) => admin("PUT", "/routes", [{ tenant: s.tenant.id, carriers }, { carriers: ["simulator"] }]);

const notice = (s: JpushSetup, m: string) => call(s, "POST", "/v1/messages", { mobile: m, temp_id: s.noticeTpl, temp_para: { number: "SF1234", place: "前台" } });

const webhook = (name: string, query: string, body: string, headers: Record<string, string>) =>
  exports.default.fetch(`http://gw/webhooks/carriers/${name}${query}`, { method: "POST", headers, body });

async function twilioSign(token: string, url: string, params: Record<string, string>): Promise<string> {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join("");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(token), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  return btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data)))));
}

describe("aliyun end to end", () => {
  it("sends a mapped template with SendSms; Aliyun's SmsReport push delivers it; a duplicate changes nothing; SmsUp becomes the tenant's reply", async () => {
    const s = await setup();
    const a = aliyun();
    const ali = await addCarrier("aliyun", a.settings);
    expect((await admin("PUT", `/carriers/${ali}/templates`, { tenant_id: s.tenant.id, templates: [{ template_id: s.noticeTpl, code: "SMS_900001", sign_name: "边缘测试" }] })).status).toBe(200);
    await route(s, [ali]);
    const m = mobile().slice(3);
    const sent = await notice(s, m);
    expect(sent.status).toBe(200);
    const id = sent.body.msg_id as string;

    const submitted = await settled(id, (r) => r.carrier_ref !== null, "carrier reference");
    expect(submitted).toMatchObject({ status: "submitted", carrier: ali });
    const [req] = await fakeRequests("aliyun", a.accessKeyId);
    expect(req!.params).toMatchObject({ Action: "SendSms", PhoneNumbers: m, TemplateCode: "SMS_900001", SignName: "边缘测试", OutId: id, SmsUpExtendCode: String(s.sign.id) });
    expect(JSON.parse(req!.params.TemplateParam)).toEqual({ number: "SF1234", place: "前台" });
    const bizId = submitted.carrier_ref!.split(":")[0]!;

    const report = JSON.stringify([{ phone_number: m, send_time: "2026-12-01 10:00:00", report_time: "2026-12-01 10:00:09", success: true, err_code: "DELIVERED", err_msg: "用户接收成功", sms_size: "1", biz_id: bizId, out_id: "" }]);
    const unsigned = await webhook(ali, "", report, { "content-type": "application/json" });
    expect(unsigned.status).toBe(401);
    expect((await messageRow(id)).status).toBe("submitted");

    for (let i = 0; i < 2; i++) {
      const res = await webhook(ali, `?token=${a.token}`, report, { "content-type": "application/json" });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ code: 0, msg: "成功" });
    }
    expect(await messageRow(id)).toMatchObject({ status: "delivered", result_code: "10000" });
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", id)).toEqual([{ code: "10000" }]);

    // A receipt for a reference never recorded is kept (to be matched later), not dropped.
    const stray = JSON.stringify([{ phone_number: "13800000000", success: false, err_code: "UNDELIV", biz_id: "777^0", report_time: "2026-12-01 10:00:09" }]);
    expect((await webhook(ali, `?token=${a.token}`, stray, { "content-type": "application/json" })).status).toBe(200);
    expect(await rows("SELECT code FROM receipts WHERE carrier = ?1 AND ref = ?2", ali, "777^0:13800000000")).toEqual([{ code: "4" }]);

    const up = JSON.stringify([{ phone_number: m, send_time: "2026-12-01 10:05:00", content: "收到，谢谢", sign_name: s.sign.name, dest_code: String(s.sign.id), sequence_id: Number(`1${randomDigits(8)}`) }]);
    expect((await webhook(ali, `?token=${a.token}`, up, { "content-type": "application/json" })).status).toBe(200);
    expect(await rows("SELECT mobile, content FROM inbound WHERE tenant_id = ?1", s.tenant.id)).toEqual([{ mobile: `+86${m}`, content: "收到，谢谢" }]);
  });

  it("a timeout leaves the message submitted with an unknown outcome, and a second dispatch does not send it again", async () => {
    const s = await setup();
    const a = aliyun({ timeoutMs: 300 });
    const ali = await addCarrier("aliyun", a.settings);
    await admin("PUT", `/carriers/${ali}/templates`, { tenant_id: s.tenant.id, templates: [{ template_id: s.noticeTpl, code: "SMS_900001", sign_name: "边缘测试" }] });
    await route(s, [ali]);
    const id = (await notice(s, mobile("hangSent").slice(3))).body.msg_id as string;
    await settled(id, (r) => r.submit_unknown === 1, "unknown outcome");
    await runQueue("edgesms-dispatch", [{ id: `q-${randomHex(3)}`, attempts: 1, body: { ids: [id] } }]);
    expect(await messageRow(id)).toMatchObject({ status: "submitted", carrier: ali, submit_unknown: 1 });
    expect((await fakeRequests("aliyun", a.accessKeyId)).filter((r) => r.action === "SendSms")).toHaveLength(1);
  });
});

describe("failover across providers", () => {
  it("a template without an Aliyun mapping goes to Twilio as free text; Twilio's signed status callback delivers it", async () => {
    const s = await setup();
    const a = aliyun();
    const ali = await addCarrier("aliyun", a.settings);
    const twName = `twi-${randomHex(3)}`;
    const t = twilio(twName);
    expect((await admin("POST", "/carriers", { name: twName, type: "twilio", twilio: t.settings })).status).toBe(201);
    await route(s, [ali, twName]);
    const m = mobile().slice(3);
    const id = (await notice(s, m)).body.msg_id as string;
    const row = await settled(id, (r) => r.carrier_ref !== null, "carrier reference");
    expect(row.carrier).toBe(twName);
    expect(await fakeRequests("aliyun", a.accessKeyId)).toEqual([]);
    const [req] = await fakeRequests("twilio", t.accountSid);
    expect(req!.params).toEqual({ To: `+86${m}`, Body: row.content, From: "+15005550006", StatusCallback: `https://gw.example/webhooks/carriers/${twName}?m=${id}` });

    const params = { AccountSid: t.accountSid, MessageSid: row.carrier_ref!, SmsSid: row.carrier_ref!, MessageStatus: "delivered", SmsStatus: "delivered", To: `+86${m}`, From: "+15005550006", ApiVersion: "2010-04-01" };
    const form = new URLSearchParams(params).toString();
    const forged = await webhook(twName, `?m=${id}`, form, { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": await twilioSign("wrong-token", `https://gw.example/webhooks/carriers/${twName}?m=${id}`, params) });
    expect(forged.status).toBe(403);
    const ok = await webhook(twName, `?m=${id}`, form, { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": await twilioSign(t.authToken, `https://gw.example/webhooks/carriers/${twName}?m=${id}`, params) });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("<Response>");
    expect(await messageRow(id)).toMatchObject({ status: "delivered", result_code: "10000" });

    // Twilio retries a callback: the same one again changes nothing; an "undelivered" for it now neither.
    const again = await webhook(twName, `?m=${id}`, form, { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": await twilioSign(t.authToken, `https://gw.example/webhooks/carriers/${twName}?m=${id}`, params) });
    expect(again.status).toBe(200);
    expect(await messageRow(id)).toMatchObject({ status: "delivered", result_code: "10000" });
    expect(await rows("SELECT code FROM reports WHERE message_id = ?1", id)).toEqual([{ code: "10000" }]);

    // A callback for a SID never recorded (and no id) is kept as a receipt, to be matched later.
    const strangerSid = `SM${randomHex(16)}`;
    const stranger = { ...params, MessageSid: strangerSid, SmsSid: strangerSid, MessageStatus: "undelivered", SmsStatus: "undelivered", ErrorCode: "30003" };
    const strange = await webhook(twName, "", new URLSearchParams(stranger).toString(), {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": await twilioSign(t.authToken, `https://gw.example/webhooks/carriers/${twName}`, stranger),
    });
    expect(strange.status).toBe(200);
    expect(await rows("SELECT code FROM receipts WHERE carrier = ?1 AND ref = ?2", twName, strangerSid)).toEqual([{ code: "4" }]);

    // The recipient answers: Twilio names no signature, so the reply goes to the tenant that last messaged that number through this carrier.
    const replySid = `SM${randomHex(16)}`;
    const inbound = { AccountSid: t.accountSid, MessageSid: replySid, SmsSid: replySid, SmsStatus: "received", From: `+86${m}`, To: "+15005550006", Body: "好的", NumMedia: "0" };
    const hook = await webhook(twName, "", new URLSearchParams(inbound).toString(), {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": await twilioSign(t.authToken, `https://gw.example/webhooks/carriers/${twName}`, inbound),
    });
    expect(hook.status).toBe(200);
    expect(await rows("SELECT mobile, content, carrier_ref FROM inbound WHERE tenant_id = ?1", s.tenant.id)).toEqual([{ mobile: `+86${m}`, content: "好的", carrier_ref: replySid }]);
  });

  it("Aliyun refusing transiently (a wrong key) passes the message to Twilio within the same attempt", async () => {
    const s = await setup();
    const a = aliyun({ accessKeySecret: "not-the-secret" });
    const ali = await addCarrier("aliyun", a.settings);
    await admin("PUT", `/carriers/${ali}/templates`, { tenant_id: s.tenant.id, templates: [{ template_id: s.noticeTpl, code: "SMS_900001", sign_name: "边缘测试" }] });
    const twName = `twi-${randomHex(3)}`;
    const t = twilio(twName);
    await admin("POST", "/carriers", { name: twName, type: "twilio", twilio: t.settings });
    await route(s, [ali, twName]);
    const id = (await notice(s, mobile().slice(3))).body.msg_id as string;
    expect(await settled(id, (r) => r.carrier_ref !== null, "carrier reference")).toMatchObject({ carrier: twName, status: "submitted" });
    expect((await fakeRequests("aliyun", a.accessKeyId)).map((r) => [r.action, r.refused])).toEqual([["SendSms", "SignatureDoesNotMatch"]]);
    expect(await fakeRequests("twilio", t.accountSid)).toHaveLength(1);
  });
});

describe("tencent end to end", () => {
  it("sends positional parameters in the mapping's order; the status push delivers; the reply push reaches the tenant", async () => {
    const s = await setup();
    const secretId = `AKID${randomHex(10)}`;
    const token = `tok${randomHex(12)}`;
    const tc = await addCarrier("tencent", { secretId, secretKey: `secret-${secretId}`, smsSdkAppId: "1400000002", callbackToken: token, endpoint: fakeUrl("tencent") });
    await admin("PUT", `/carriers/${tc}/templates`, { tenant_id: s.tenant.id, templates: [{ template_id: s.noticeTpl, code: "1888888", sign_name: "边缘测试", params: ["place", "number"] }] });
    await route(s, [tc]);
    const m = mobile().slice(3);
    const id = (await notice(s, m)).body.msg_id as string;
    const row = await settled(id, (r) => r.carrier_ref !== null, "carrier reference");
    const [req] = await fakeRequests("tencent", secretId);
    expect(req!.params).toEqual({ PhoneNumberSet: [`+86${m}`], SmsSdkAppId: "1400000002", TemplateId: "1888888", SignName: "边缘测试", TemplateParamSet: ["前台", "SF1234"], SessionContext: id, ExtendCode: String(s.sign.id) });

    const status = JSON.stringify([{ user_receive_time: "2026-12-01 10:00:05", nationcode: "86", mobile: m, report_status: "FAIL", errmsg: "REJECTD", description: "rejected", sid: row.carrier_ref }]);
    expect((await webhook(tc, "?token=wrong-token-000000", status, { "content-type": "application/json" })).status).toBe(401);
    const res = await webhook(tc, `?token=${token}`, status, { "content-type": "application/json" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: 0, errmsg: "OK" });
    expect(await messageRow(id)).toMatchObject({ status: "undelivered", result_code: "6" });

    const reply = JSON.stringify({ extend: String(s.sign.id), mobile: m, nationcode: "86", sign: s.sign.name, text: "TD", time: Math.floor(Date.now() / 1000) });
    for (let i = 0; i < 2; i++) expect((await webhook(tc, `?token=${token}`, reply, { "content-type": "application/json" })).status).toBe(200);
    expect(await rows("SELECT mobile, content FROM inbound WHERE tenant_id = ?1", s.tenant.id)).toEqual([{ mobile: `+86${m}`, content: "TD" }]);
  });
});
