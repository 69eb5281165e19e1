// Idempotency-Key on every send and schedule endpoint of every dialect and on the operator's balance
// endpoint (issue 14): the same key and request within 24 h answer the first answer (same ids, one
// debit); the same key with another request is the dialect's invalid-request error and changes
// nothing; keys are per credential; concurrent duplicates never both succeed.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeCredential, makeTemplate, mobile } from "../helpers/fixtures";
import { setup as jpushSetup } from "../dialects/jpush/helpers";
import { setup as smsapiSetup } from "../dialects/smsapi/helpers";
import * as huawei from "../dialects/huawei/helpers";
import * as paasw from "../dialects/paasw/helpers";

interface Answer {
  status: number;
  text: string;
  replayed: string | null;
}

interface Case {
  name: string;
  /** A fresh credential; `send(body variant, key)` and the tenant whose money and messages are checked. */
  setup(): Promise<{ tenantId: string; send(variant: number, key: string | null): Promise<Answer>; other?(key: string): Promise<Answer> }>;
  /** The dialect's invalid-request refusal. */
  refusal: RegExp;
  /** Another app of the same tenant can send the same request. */
  perCredential?: boolean;
}

async function fetchAnswer(url: string, init: RequestInit & { headers: Record<string, string> }, key: string | null): Promise<Answer> {
  const res = await exports.default.fetch(`http://gw${url}`, { ...init, headers: { ...init.headers, ...(key ? { "Idempotency-Key": key } : {}) } });
  return { status: res.status, text: await res.text(), replayed: res.headers.get("idempotent-replayed") };
}

const jsonPost = (url: string, body: unknown, headers: Record<string, string>, key: string | null, method = "POST") =>
  fetchAnswer(url, { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }, key);

const shanghai = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");

interface Fixed {
  m2: string;
  at: string;
}

const jpushCase = (name: string, path: string, body: (s: Awaited<ReturnType<typeof jpushSetup>>, m: string, variant: number, f: Fixed) => unknown, method = "POST"): Case => ({
  name: `JPush ${method} ${name}`,
  perCredential: !path.includes("{id}"),
  refusal: /"code":50007|"code":5000\d/,
  async setup() {
    const s = await jpushSetup();
    const m = mobile();
    const f: Fixed = { m2: mobile(), at: shanghai(Date.now() + 3 * 3_600_000) };
    const other = await makeCredential(s.tenant, "jpush");
    let target = path;
    if (path.includes("{id}")) {
      const first = await jsonPost("/v1/schedule", { send_time: shanghai(Date.now() + 7_200_000), temp_id: s.noticeTpl, mobile: m, temp_para: { number: "0", place: "x" } }, { authorization: s.auth }, null);
      target = path.replace("{id}", JSON.parse(first.text).schedule_id);
    }
    return {
      tenantId: s.tenant.id,
      send: (v, key) => jsonPost(target, body(s, m, v, f), { authorization: s.auth }, key, method),
      other: path.includes("{id}") ? undefined : (key) => jsonPost(target, body(s, mobile(), 0, f), { authorization: `Basic ${btoa(`${other.app.key}:${other.secret}`)}` }, key, method),
    };
  },
});


const CASES: Case[] = [
  jpushCase("/v1/messages", "/v1/messages", (s, m, v) => ({ mobile: m, temp_id: s.noticeTpl, temp_para: { number: `${v}`, place: "东门" } })),
  jpushCase("/v1/messages/batch", "/v1/messages/batch", (s, m, v, f) => ({ temp_id: s.noticeTpl, recipients: [{ mobile: m, temp_para: { number: `${v}`, place: "x" } }, { mobile: f.m2, temp_para: { number: "2", place: "y" } }].slice(0, 1 + (v % 2)) })),
  jpushCase("/v1/codes", "/v1/codes", (s, m, v) => ({ mobile: m, temp_id: s.codeTpl, ttl: 60 + v })),
  jpushCase("/v1/voice_codes", "/v1/voice_codes", (_s, m, v) => ({ mobile: m, code: `842${v}`, voice_lang: 1, ttl: 60 })),
  jpushCase("/v1/schedule", "/v1/schedule", (s, m, v, f) => ({ send_time: f.at, temp_id: s.noticeTpl, mobile: m, temp_para: { number: `${v}`, place: "x" } })),
  jpushCase("/v1/schedule/batch", "/v1/schedule/batch", (s, m, v, f) => ({ send_time: f.at, temp_id: s.noticeTpl, recipients: [{ mobile: m, temp_para: { number: `${v}`, place: "x" } }] })),
  jpushCase("/v1/schedule/{id}", "/v1/schedule/{id}", (s, m, v, f) => ({ send_time: f.at, temp_id: s.noticeTpl, mobile: m, temp_para: { number: `${v}`, place: "x" } }), "PUT"),
  ...(["industry", "personality", "batch"] as const).map(
    (path): Case => ({
      name: `smsapi /sms/${path}`,
      perCredential: true,
      refusal: /"code":400\d\d/,
      async setup() {
        const s = await smsapiSetup({ balance: 100_000 });
        const other = await makeCredential(s.tenant, "smsapi");
        const m = mobile();
        const content = (v: number) => `【${s.sign.name}】您的包裹${v}已签收`;
        const body = (v: number) =>
          path === "industry" ? { mobile: m, content: content(v) } : path === "personality" ? { smses: [{ mobile: m, content: content(v) }], sendTime: 0 } : { mobiles: m, content: content(v), sendTime: 0 };
        return {
          tenantId: s.tenant.id,
          send: (v, key) => jsonPost(`/smsapi/v1/sms/${path}`, body(v), { authorization: `Bearer ${s.apiKey}` }, key),
          other: (key) => jsonPost(`/smsapi/v1/sms/${path}`, body(0), { authorization: `Bearer ${other.app.key}.${other.secret}` }, key),
        };
      },
    }),
  ),
  {
    name: "Huawei SMN sms publish",
    perCredential: true,
    refusal: /SMN\.\d+/,
    async setup() {
      const s = await huawei.setup({ balance: 100_000, login: true });
      const token = s.token!;
      const m = mobile();
      const headers = { "X-Auth-Token": token, "X-Project-Id": s.projectId };
      // Another SMN user of the same tenant (its own project): the same key is its own.
      const cred = await makeCredential(s.tenant, "huawei");
      const login = await huawei.call(null, "POST", "/v3/auth/tokens", huawei.loginBody(cred.app.key, cred.secret, { name: "cn-north-4" }, s.tenant.id));
      expect(login.status).toBe(201);
      const otherToken = login.headers.get("X-Subject-Token")!;
      const otherHeaders = { "X-Auth-Token": otherToken, "X-Project-Id": cred.app.projectId! };
      return {
        tenantId: s.tenant.id,
        send: (v, key) => jsonPost(`/v2/${s.projectId}/notifications/sms`, { endpoint: m, message: `您好${v}`, sign_id: s.sign.uid }, headers, key),
        other: (key) => jsonPost(`/v2/${cred.app.projectId}/notifications/sms`, { endpoint: mobile(), message: "您好0", sign_id: s.sign.uid }, otherHeaders, key),
      };
    },
  },
  ...(["/sms/send", "/sms/sendTemplate"] as const).map(
    (path): Case => ({
      name: `paasw ${path}`,
      perCredential: true,
      refusal: /"code":"10002"/,
      async setup() {
        const s = await paasw.setup();
        const tpl = await makeTemplate(s.tenant, { kind: "notification", content: "{{name}}您好" });
        const m = mobile();
        const body = (v: number) =>
          path === "/sms/send"
            ? { token: s.token, phoneNumbers: m, sign: s.sign.name, content: `您好${v}`, kind: "2" }
            : { token: s.token, phoneNumbers: m, sign: s.sign.name, templateId: String(tpl), paramJson: JSON.stringify({ name: `n${v}` }) };
        const cred = await makeCredential(s.tenant, "paasw");
        const otherToken = paasw.expectOk(await paasw.call(null, "GET", "/api/token", { appId: cred.app.key, secret: cred.secret })).token as string;
        return {
          tenantId: s.tenant.id,
          send: (v, key) => jsonPost(path, body(v), {}, key),
          other: (key) => jsonPost(path, { ...body(0), token: otherToken, phoneNumbers: mobile() }, {}, key),
        };
      },
    }),
  ),
];

async function state(tenantId: string) {
  const t = await env.DB.prepare("SELECT balance FROM tenants WHERE id = ?1").bind(tenantId).first<{ balance: number }>();
  const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1 AND status <> 'canceled'").bind(tenantId).first<{ n: number }>();
  const l = await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger WHERE tenant_id = ?1").bind(tenantId).first<{ n: number }>();
  return { balance: t!.balance, messages: n!.n, ledger: l!.n };
}

describe.each(CASES)("Idempotency-Key: $name", (c) => {
  it("a retry with the same key and request gets the first answer (same ids), debited once", async () => {
    const x = await c.setup();
    const key = crypto.randomUUID();
    const first = await x.send(1, key);
    expect(first.status).toBe(200);
    expect(first.text).not.toMatch(c.refusal);
    const after = await state(x.tenantId);
    const again = await x.send(1, key);
    expect({ status: again.status, text: again.text, replayed: again.replayed }).toEqual({ status: first.status, text: first.text, replayed: "true" });
    expect(await state(x.tenantId)).toEqual(after);
    // Without a key, the same request is a new send (the header is what makes it a retry).
    if (!c.name.includes("PUT")) expect((await x.send(1, null)).text).not.toEqual(first.text);
  });

  it("the same key with a different request is the dialect's invalid-request error and changes nothing", async () => {
    const x = await c.setup();
    const key = crypto.randomUUID();
    await x.send(1, key);
    const before = await state(x.tenantId);
    const other = await x.send(2, key);
    expect(other.text).toMatch(c.refusal);
    expect(other.text).toMatch(/Idempotency-Key/);
    expect(await state(x.tenantId)).toEqual(before);
  });

  it("concurrent duplicates: exactly one is accepted and debited", async () => {
    const x = await c.setup();
    const before = await state(x.tenantId);
    const key = crypto.randomUUID();
    const answers = await Promise.all(Array.from({ length: 4 }, () => x.send(1, key)));
    const firsts = answers.filter((a) => a.replayed === null && a.status === 200 && !c.refusal.test(a.text));
    expect(firsts).toHaveLength(1);
    for (const a of answers) if (a !== firsts[0]) expect(a.replayed === "true" ? a.text : "refused").toEqual(a.replayed === "true" ? firsts[0]!.text : "refused");
    const after = await state(x.tenantId);
    const single = await c.setup();
    const s0 = await state(single.tenantId);
    await single.send(1, crypto.randomUUID());
    const s1 = await state(single.tenantId);
    expect(after.messages - before.messages).toBe(s1.messages - s0.messages);
    expect(before.balance - after.balance).toBe(s0.balance - s1.balance);
  });

  // Only where another credential of the tenant can make the same request.
  if (c.perCredential === true) it("keys are per credential: another app of the tenant may use the same key", async () => {
    const x = await c.setup();
    const key = crypto.randomUUID();
    const a = await x.send(0, key);
    const b = await x.other!(key);
    expect(b.replayed).toBeNull();
    expect(b.status).toBe(a.status);
    expect(b.text).not.toMatch(c.refusal);
  });
});

describe("Idempotency-Key on the operator API", () => {
  const balance = (id: string, body: unknown, key: string | null) =>
    jsonPost(`/admin/v1/tenants/${id}/balance`, body, { authorization: `Bearer ${env.ADMIN_TOKEN}` }, key);

  it("a top-up retried with the same key credits once; another body with it is a 400", async () => {
    const s = await smsapiSetup({ balance: 1000 });
    const key = crypto.randomUUID();
    const a = await balance(s.tenant.id, { amount: 500, reason: "topup", note: "inv-1" }, key);
    const b = await balance(s.tenant.id, { amount: 500, reason: "topup", note: "inv-1" }, key);
    expect(a).toMatchObject({ status: 200, text: JSON.stringify({ balance: 1500 }) });
    expect(b).toEqual({ ...a, replayed: "true" });
    const c = await balance(s.tenant.id, { amount: 700, reason: "topup", note: "inv-1" }, key);
    expect(c.status).toBe(400);
    expect((await state(s.tenant.id)).balance).toBe(1500);
    const concurrent = crypto.randomUUID();
    await Promise.all(Array.from({ length: 5 }, () => balance(s.tenant.id, { amount: 1, reason: "topup", note: "x" }, concurrent)));
    expect((await state(s.tenant.id)).balance).toBe(1501);
  });

  it("a malformed key is refused before anything is done", async () => {
    const s = await smsapiSetup({ balance: 1000 });
    const res = await balance(s.tenant.id, { amount: 5, reason: "topup", note: "x" }, "x".repeat(256));
    expect(res.status).toBe(400);
    expect((await state(s.tenant.id)).balance).toBe(1000);
  });
});
