// The send rows: one spec per dialect endpoint (how to build a fresh request, what counts as
// accepted, how long to load it). Batch rows run one connection so their latency is one request's.
import { randomInt } from "node:crypto";
import { mobile } from "./load.mjs";
import { SIGN } from "./seed.mjs";

const basic = (c) => `Basic ${Buffer.from(`${c.key}:${c.secret}`).toString("base64")}`;
const order = () => `SF${randomInt(1e9, 1e10)}`;
/** n distinct mobiles: a repeated one would be refused per item as a duplicate (Huawei, smsapi) and count as refused. */
const mobiles = (n, gen = mobile) => {
  const out = new Set();
  while (out.size < n) out.add(gen());
  return [...out];
};
const form = (o) => new URLSearchParams(o).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded" };

const SINGLE = { duration: 10 };
// The rows added later run shorter, so the whole bench stays within a few minutes.
const SHORT = { duration: 6 };
const BATCH = { connections: 1, amount: 20, warmup: 2 };

const jpushOk = (status, d) => status === 200 && typeof d === "object" && d.msg_id !== undefined;
const jpushBatchOk = (n) => (status, d) => status === 200 && d?.success_count === n;
const paaswOk = (status, d) => status === 200 && String(d?.code) === "10000";
const smsapiOk = (status, d) => status < 300 && Number(d?.code) === 0;
const huaweiSingleOk = (status, d) => status < 300 && typeof d?.message_id === "string";
const huaweiOk = (n) => (status, d) => status < 300 && Array.isArray(d?.result) && d.result.filter((r) => r.message_id).length === n;

/** @type {Array<{id: string, label: string, vs: string, recipients: number, needs: (s: any) => string | null, load: object, endpoint: (s: any, gen?: () => string) => object}>} */
export const SEND_ROWS = [
  {
    id: "jpush_single",
    label: "JPush POST /v1/messages",
    vs: "insert",
    recipients: 1,
    needs: (s) => (s.creds.jpush && s.templates.notification ? null : "no JPush credential / notification template"),
    load: SINGLE,
    endpoint: (s, gen = mobile) => ({
      headers: { authorization: basic(s.creds.jpush), "content-type": "application/json" },
      build: () => ({ path: "/v1/messages", body: JSON.stringify({ mobile: gen(), temp_id: s.templates.notification, temp_para: { order: order() } }) }),
      ok: jpushOk,
    }),
  },
  {
    id: "paasw_send_1",
    label: "paasw POST /sms/send (1 number)",
    vs: "insert",
    recipients: 1,
    needs: (s) => (s.creds.paasw?.token ? null : "no paasw token"),
    load: SINGLE,
    endpoint: (s) => ({
      headers: FORM,
      build: () => ({ path: "/sms/send", body: form({ token: s.creds.paasw.token, phoneNumbers: mobile(), sign: SIGN, content: `您的订单${order()}已发货，请注意查收。`, kind: "2" }) }),
      ok: paaswOk,
    }),
  },
  {
    id: "jpush_batch_1000",
    label: "JPush POST /v1/messages/batch (1000)",
    vs: "insert",
    recipients: 1000,
    needs: (s) => (s.creds.jpush && s.templates.notification ? null : "no JPush credential / notification template"),
    load: BATCH,
    endpoint: (s, gen = mobile) => ({
      headers: { authorization: basic(s.creds.jpush), "content-type": "application/json" },
      build: () => ({
        path: "/v1/messages/batch",
        body: JSON.stringify({ temp_id: s.templates.notification, recipients: mobiles(1000, gen).map((m) => ({ mobile: m, temp_para: { order: order() } })) }),
      }),
      ok: jpushBatchOk(1000),
    }),
  },
  {
    id: "paasw_send_1000",
    label: "paasw POST /sms/send (1000 numbers)",
    vs: "insert",
    recipients: 1000,
    needs: (s) => (s.creds.paasw?.token ? null : "no paasw token"),
    load: BATCH,
    endpoint: (s, gen = mobile) => ({
      headers: FORM,
      build: () => ({ path: "/sms/send", body: form({ token: s.creds.paasw.token, phoneNumbers: mobiles(1000, gen).join(","), sign: SIGN, content: "会议改到下午三点，请准时参加。", kind: "2" }) }),
      ok: paaswOk,
    }),
  },
  {
    id: "huawei_batch_999",
    label: "Huawei SMN batch (999 contents)",
    vs: "insert",
    recipients: 999,
    needs: (s) => (s.creds.huawei?.token && s.signature?.uid ? null : "no Huawei token / signature uid"),
    load: BATCH,
    endpoint: (s, gen = mobile) => ({
      headers: { "x-auth-token": s.creds.huawei.token, "content-type": "application/json" },
      build: () => ({
        path: `/v2/${s.creds.huawei.projectId}/notifications/sms`,
        body: JSON.stringify({
          sms_message: mobiles(999, gen).map((m, i) => ({ endpoint: `+86${m}`, message: `您的订单${order()}（第${i + 1}件）已发货。`, sign_id: s.signature.uid })),
        }),
      }),
      ok: huaweiOk(999),
    }),
  },
  {
    id: "smsapi_batch_1000",
    label: "smsapi POST /smsapi/v1/sms/batch (1000)",
    vs: "insert",
    recipients: 1000,
    needs: (s) => (s.creds.smsapi ? null : "no smsapi credential"),
    load: BATCH,
    endpoint: (s, gen = mobile) => ({
      headers: { authorization: `Bearer ${s.creds.smsapi.apiKey}`, "content-type": "application/json" },
      build: () => ({ path: "/smsapi/v1/sms/batch", body: JSON.stringify({ mobiles: mobiles(1000, gen).join(","), content: `【${SIGN}】会议改到下午三点，请准时参加。`, sendTime: 0 }) }),
      ok: smsapiOk,
    }),
  },
  {
    id: "jpush_voice_codes",
    label: "JPush POST /v1/voice_codes",
    vs: "insert",
    recipients: 1,
    needs: (s) => (s.creds.jpush ? null : "no JPush credential"),
    load: SHORT,
    endpoint: (s, gen = mobile) => ({
      headers: { authorization: basic(s.creds.jpush), "content-type": "application/json" },
      build: () => ({ path: "/v1/voice_codes", body: JSON.stringify({ mobile: gen(), voice_lang: 0, ttl: 60 }) }),
      ok: jpushOk,
    }),
  },
  {
    id: "paasw_template_1",
    label: "paasw POST /sms/sendTemplate (1 number)",
    vs: "insert",
    recipients: 1,
    needs: (s) => (s.creds.paasw?.token && s.templates.notification ? null : "no paasw token / notification template"),
    load: SHORT,
    endpoint: (s) => ({
      headers: FORM,
      build: () => ({
        path: "/sms/sendTemplate",
        body: form({ token: s.creds.paasw.token, phoneNumbers: mobile(), sign: SIGN, templateId: String(s.templates.notification), paramJson: JSON.stringify({ order: order() }) }),
      }),
      ok: paaswOk,
    }),
  },
  {
    id: "paasw_template_1000",
    label: "paasw POST /sms/sendTemplate (1000 numbers, 1000 paramJson objects)",
    vs: "insert",
    recipients: 1000,
    needs: (s) => (s.creds.paasw?.token && s.templates.notification ? null : "no paasw token / notification template"),
    load: BATCH,
    endpoint: (s, gen = mobile) => ({
      headers: FORM,
      build: () => ({
        path: "/sms/sendTemplate",
        body: form({
          token: s.creds.paasw.token,
          phoneNumbers: mobiles(1000, gen).join(","),
          sign: SIGN,
          templateId: String(s.templates.notification),
          paramJson: JSON.stringify(Array.from({ length: 1000 }, () => ({ order: order() }))),
        }),
      }),
      ok: paaswOk,
    }),
  },
  {
    id: "huawei_single",
    label: "Huawei SMN single {endpoint, message, sign_id}",
    vs: "insert",
    recipients: 1,
    needs: (s) => (s.creds.huawei?.token && s.signature?.uid ? null : "no Huawei token / signature uid"),
    load: SHORT,
    endpoint: (s) => ({
      headers: { "x-auth-token": s.creds.huawei.token, "content-type": "application/json" },
      build: () => ({
        path: `/v2/${s.creds.huawei.projectId}/notifications/sms`,
        body: JSON.stringify({ endpoint: `+86${mobile()}`, message: `您的订单${order()}已发货。`, sign_id: s.signature.uid }),
      }),
      ok: huaweiSingleOk,
    }),
  },
  {
    id: "huawei_endpoints_1000",
    label: "Huawei SMN endpoints (one text to 1000)",
    vs: "insert",
    recipients: 1000,
    needs: (s) => (s.creds.huawei?.token && s.signature?.uid ? null : "no Huawei token / signature uid"),
    load: BATCH,
    endpoint: (s, gen = mobile) => ({
      headers: { "x-auth-token": s.creds.huawei.token, "content-type": "application/json" },
      build: () => ({
        path: `/v2/${s.creds.huawei.projectId}/notifications/sms`,
        body: JSON.stringify({ endpoints: mobiles(1000, gen).map((m) => `+86${m}`), message: "会议改到下午三点，请准时参加。", sign_id: s.signature.uid }),
      }),
      ok: huaweiOk(1000),
    }),
  },
  {
    id: "smsapi_industry",
    label: "smsapi POST /smsapi/v1/sms/industry",
    vs: "insert",
    recipients: 1,
    needs: (s) => (s.creds.smsapi ? null : "no smsapi credential"),
    load: SHORT,
    endpoint: (s) => ({
      headers: { authorization: `Bearer ${s.creds.smsapi.apiKey}`, "content-type": "application/json" },
      build: () => ({ path: "/smsapi/v1/sms/industry", body: JSON.stringify({ mobile: mobile(), content: `【${SIGN}】您的订单${order()}已发货，请注意查收。` }) }),
      ok: smsapiOk,
    }),
  },
  {
    id: "smsapi_personality_1000",
    label: "smsapi POST /smsapi/v1/sms/personality (1000 contents)",
    vs: "insert",
    recipients: 1000,
    needs: (s) => (s.creds.smsapi ? null : "no smsapi credential"),
    load: BATCH,
    endpoint: (s, gen = mobile) => ({
      headers: { authorization: `Bearer ${s.creds.smsapi.apiKey}`, "content-type": "application/json" },
      build: () => ({
        path: "/smsapi/v1/sms/personality",
        body: JSON.stringify({ smses: mobiles(1000, gen).map((m, i) => ({ mobile: m, content: `【${SIGN}】您的订单${order()}（第${i + 1}件）已发货。` })), sendTime: 0 }),
      }),
      ok: smsapiOk,
    }),
  },
];
