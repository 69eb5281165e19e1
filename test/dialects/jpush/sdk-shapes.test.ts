// The request shapes of JPush's official SDKs (jsms-api-python-client, -php-client, -java-client,
// -csharp-client), byte for byte as their public request code builds them: content types, number
// vs string fields, pretty-printed or \u-escaped JSON, and what each reads back from the answer.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getMessage } from "../../helpers/domain";
import { mobile, money } from "../../helpers/fixtures";
import { call, codeOf, setup, type JpushSetup } from "./helpers";
import { tenantDb } from "../../../src/store/db";

/** Java's NativeHttpClient reads msg_id with getAsLong() in error bodies and as a String on success. */
const javaLong = (id: unknown): boolean => typeof id === "string" && /^\d+$/.test(id) && BigInt(id) < 2n ** 63n;

describe("Python jsms (requests, data=json.dumps(...)): no Content-Type at all", () => {
  const PY = { "content-type": null, "user-agent": "python-requests/2.31.0", accept: "*/*" };
  // json.dumps' default separators put a space after ',' and ':'.
  const dumps = (o: unknown) => JSON.stringify(o).replace(/","/g, '", "').replace(/":/g, '": ');

  it("send_code → valid: msg_id is a string the SDK can concatenate into 'codes/' + msg_id + '/valid'", async () => {
    // The helper sends bytes, so the runtime adds no Content-Type of its own either.
    expect(new Request("http://gw/", { method: "POST", body: new Uint8Array([123, 125]) }).headers.get("content-type")).toBeNull();
    const s = await setup();
    const sent = await call(s, "POST", "/v1/codes", dumps({ mobile: mobile(), temp_id: s.codeTpl }), { headers: PY });
    expect(sent.status).toBe(200);
    expect(typeof sent.body.msg_id).toBe("string");
    const code = await codeOf(s, sent.body.msg_id);
    expect(await call(s, "POST", "/v1/codes/" + sent.body.msg_id + "/valid", dumps({ code }), { headers: PY })).toEqual({ status: 200, body: { is_valid: true } });
  });

  it("send_voice_code(mobile, code, lang, ttl) and send_teml(mobile, temp_id, temp_para)", async () => {
    const s = await setup();
    const voice = await call(s, "POST", "/v1/voice_codes", dumps({ mobile: mobile(), code: "7788", voice_lang: 0, ttl: 120 }), { headers: PY });
    expect(voice).toEqual({ status: 200, body: { msg_id: expect.any(String) } });
    const teml = await call(s, "POST", "/v1/messages", dumps({ mobile: mobile(), temp_id: s.noticeTpl, temp_para: { number: "1", place: "A" } }), { headers: PY });
    expect(teml).toEqual({ status: 200, body: { msg_id: expect.any(String) } });
  });
});

describe("PHP jiguang/jsms (curl, Content-Type: application/json)", () => {
  const PHP = { "content-type": "application/json" };
  // json_encode escapes non-ASCII as \uXXXX and '/' as '\/'.
  const phpJson = (o: unknown) => JSON.stringify(o).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).replace(/\//g, "\\/");

  it("sendCode with temp_id as a string from config; sendMessage with \\u-escaped temp_para", async () => {
    const s = await setup();
    expect((await call(s, "POST", "/v1/codes", phpJson({ mobile: mobile(), temp_id: String(s.codeTpl) }), { headers: PHP })).status).toBe(200);
    const res = await call(s, "POST", "/v1/messages", phpJson({ mobile: mobile(), temp_id: String(s.noticeTpl), temp_para: { number: "A/1", place: "东门" } }), { headers: PHP });
    expect(res.status).toBe(200);
    expect((await getMessage(tenantDb(env, s.tenant.id), res.body.msg_id))!.content).toBe(`【${s.sign.name}】您的快递A/1已到东门`);
  });

  it("sendBatchMessage: numeric array keys make recipients[].mobile a JSON number", async () => {
    const s = await setup();
    const m1 = mobile();
    const m2 = mobile();
    const body = `{"temp_id":"${s.noticeTpl}","recipients":[{"mobile":${m1},"temp_para":{"number":"1","place":"A"}},{"mobile":${m2},"temp_para":{"number":"2","place":"B"}}]}`;
    const res = await call(s, "POST", "/v1/messages/batch", body, { headers: PHP });
    expect(res.body).toMatchObject({ success_count: 2, failure_count: 0, recipients: [{ mobile: m1 }, { mobile: m2 }] });
  });

  it("sendVoiceCode($mobile, 60): a scalar option becomes ttl", async () => {
    const s = await setup();
    expect((await call(s, "POST", "/v1/voice_codes", phpJson({ mobile: mobile(), ttl: 60 }), { headers: PHP })).status).toBe(200);
  });
});

describe("Java jsms-client (NativeHttpClient, Gson)", () => {
  const JAVA = {
    "content-type": "application/json",
    "accept-charset": "UTF-8",
    charset: "UTF-8",
    "user-agent": "JPush-API-Java-Client",
    connection: "Keep-Alive",
  };

  it("sendSMSCode → sendValidSMSCode: msg_id fits a Java long; ValidSMSResult reads is_valid", async () => {
    const s = await setup();
    const sent = await call(s, "POST", "/v1/codes", JSON.stringify({ mobile: mobile(), temp_id: s.codeTpl }), { headers: JAVA });
    expect(sent.body.msg_id).toSatisfy(javaLong);
    const code = await codeOf(s, sent.body.msg_id);
    expect(await call(s, "POST", `/v1/codes/${sent.body.msg_id}/valid`, JSON.stringify({ code }), { headers: JAVA })).toEqual({ status: 200, body: { is_valid: true } });
    // A refusal: setErrorObject reads error.code with getAsInt() and error.message with getAsString().
    const again = await call(s, "POST", `/v1/codes/${sent.body.msg_id}/valid`, JSON.stringify({ code }), { headers: JAVA });
    expect(again.status).toBe(403);
    expect(again.body.error).toEqual({ code: expect.any(Number), message: expect.any(String) });
    expect(again.body.error.code).toSatisfy(Number.isInteger);
  });

  it("sendVoiceSMSCode: SMSPayload with code as a string, voice_lang and ttl as ints", async () => {
    const s = await setup();
    const res = await call(s, "POST", "/v1/voice_codes", JSON.stringify({ mobile: mobile(), ttl: 90, voice_lang: 1, code: "246810" }), { headers: JAVA });
    expect(res.status).toBe(200);
    expect(await call(s, "POST", `/v1/codes/${res.body.msg_id}/valid`, JSON.stringify({ code: "246810" }), { headers: JAVA })).toEqual({ status: 200, body: { is_valid: true } });
  });

  it("sendTemplateSMS with sign_id, and a temp_para map value left null (Gson writes null)", async () => {
    const s = await setup();
    const ok = await call(s, "POST", "/v1/messages", JSON.stringify({ mobile: mobile(), sign_id: s.sign.id, temp_id: s.noticeTpl, temp_para: { number: "1", place: "A" } }), { headers: JAVA });
    expect(ok.status).toBe(200);
    const nulled = await call(s, "POST", "/v1/messages", JSON.stringify({ mobile: mobile(), temp_id: s.noticeTpl, temp_para: { number: "1", place: null } }), { headers: JAVA });
    expect(nulled).toMatchObject({ status: 403, body: { error: { code: 50022 } } });
  });

  it("sendBatchTemplateSMS: BatchSMSResult reads success_count, failure_count and failure_recipients[].error_code as a String", async () => {
    const s = await setup();
    const body = { temp_id: s.noticeTpl, recipients: [{ mobile: mobile(), temp_para: { number: "1", place: "A" } }, { mobile: "1", temp_para: { number: "2", place: "B" } }] };
    const res = await call(s, "POST", "/v1/messages/batch", JSON.stringify(body), { headers: JAVA });
    expect(res.body).toMatchObject({
      success_count: 1,
      failure_count: 1,
      failure_recipients: [{ error_code: "50006", error_message: expect.any(String), mobile: "1", temp_para: { number: "2", place: "B" } }],
    });
  });
});

describe("C# Jiguang.JSMS (HttpClient, StringContent → text/plain; charset=utf-8, JObject.ToString() pretty-printed)", () => {
  const CS = { "content-type": "text/plain; charset=utf-8", accept: "application/json" };
  const pretty = (o: unknown) => JSON.stringify(o, null, 2).replace(/\n/g, "\r\n");

  async function codeFlow(s: JpushSetup): Promise<void> {
    const sent = await call(s, "POST", "/v1/codes", pretty({ mobile: mobile(), temp_id: s.codeTpl }), { headers: CS });
    expect(sent.status).toBe(200);
    const code = await codeOf(s, sent.body.msg_id);
    expect(await call(s, "POST", `/v1/codes/${sent.body.msg_id}/valid`, pretty({ code }), { headers: CS })).toEqual({ status: 200, body: { is_valid: true } });
  }

  it("SendCode → IsCodeValid", async () => {
    await codeFlow(await setup());
  });

  it("VoiceCode: code as a JSON int, voice_lang 0 and ttl 60 always present", async () => {
    const s = await setup({ price: 10 });
    const res = await call(s, "POST", "/v1/voice_codes", pretty({ mobile: mobile(), code: 1234, voice_lang: 0, ttl: 60 }), { headers: CS });
    expect(res.status).toBe(200);
    expect(await call(s, "POST", `/v1/codes/${res.body.msg_id}/valid`, pretty({ code: "1234" }), { headers: CS })).toEqual({ status: 200, body: { is_valid: true } });
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - 10, ledger: 100_000 - 10 });
  });

  it("SendTemplateMessage single and list (temp_para dropped when null)", async () => {
    const s = await setup();
    expect((await call(s, "POST", "/v1/messages", pretty({ mobile: mobile(), temp_id: s.noticeTpl, temp_para: { number: "1", place: "A" } }), { headers: CS })).status).toBe(200);
    const batch = await call(s, "POST", "/v1/messages/batch", pretty({ temp_id: s.noticeTpl, recipients: [{ mobile: mobile(), temp_para: { number: "1", place: "A" } }] }), { headers: CS });
    expect(batch.body).toMatchObject({ success_count: 1, failure_count: 0 });
  });
});
