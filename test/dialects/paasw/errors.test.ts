/// <reference types="vite/client" />
// paasw codes not exercised with their endpoints elsewhere: the per-mobile policy (40002 rate
// limited, 40003 repeat send, 30011 blocked word), 20007 SMS disabled, 10004 body too large,
// 30010 a rendered template too long, and 99999 real server faults (HTTP 200, the fixed envelope,
// nothing internal, nothing half-written). Every refusal is HTTP 200 (docs/paasw.md). The other codes
// of src/dialects/paasw/errors.ts are in send, send-template, token, balance and pull tests; the last
// test here checks that the table holds no code that no test names.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { updateApp } from "../../../src/store/apps";
import { errorTable } from "../../../src/dialects/paasw/errors";
import { makeTemplate, mobile, money } from "../../helpers/fixtures";
import { corruptTenantSettings, failMessageInserts, INTERNALS, written } from "../../helpers/faults";
import { admin } from "../../admin/helpers";
import self from "./errors.test.ts?raw";
import { type Answer, call, expectOk, expectRefused, FORMS, messageRows, type PaaswSetup, setup } from "./helpers";
import { tenantDb } from "../../../src/store/db";

afterEach(() => vi.restoreAllMocks());

/** Tenant settings through the operator API (merged into what is stored). */
async function settle(s: PaaswSetup, settings: Record<string, unknown>): Promise<void> {
  const res = await admin("PATCH", `/tenants/${s.tenant.id}`, { settings });
  expect(res.status).toBe(200);
}

const send = (s: PaaswSetup, phoneNumbers: string, content: string, kind = "2") =>
  call(s, "POST", "/sms/send", { phoneNumbers, sign: s.sign.name, content, kind });

describe("per-mobile policy", () => {
  it("40002 when a per-mobile limit is full: the whole list is refused, the other numbers' slots are given back", async () => {
    const s = await setup({ price: 10, balance: 1000 });
    await settle(s, { limits: { notification: [{ seconds: 3600, max: 1 }] } });
    const [a, b] = [mobile(), mobile()];
    expectOk(await send(s, b, "第一条"));
    const before = await money(s.tenant.id);
    expect(before).toEqual({ balance: 990, ledger: 990 });

    const body = expectRefused(await send(s, `${a},${b}`, "第二条"), "40002", /^发送超频: too many messages to this mobile; retry in \d+ s$/);
    expect(body.message).not.toMatch(INTERNALS);
    expect(await money(s.tenant.id)).toEqual(before);
    expect((await written(s.tenant.id)).messages).toBe(1);
    // a was admitted before b was refused: its slot must have been released, so it can still be sent.
    expectOk(await send(s, a, "第三条"));
    expectRefused(await send(s, a, "第四条"), "40002");
    // Another kind has no limit.
    expectOk(await send(s, b, "营销", "3"));
  });

  it("40002 for the second verification code inside a minute (the default limits), on /sms/sendTemplate too", async () => {
    const s = await setup();
    const tpl = await makeTemplate(s.tenant, { kind: "verification", content: "验证码{{code}}，5分钟内有效" });
    const m = mobile();
    const code = (c: string) => call(s, "POST", "/sms/sendTemplate", { phoneNumbers: m, templateId: tpl, sign: s.sign.name, paramJson: JSON.stringify({ code: c }) });
    expectOk(await code("123456"));
    expectRefused(await code("654321"), "40002", /retry in \d+ s/);
    expect(await money(s.tenant.id)).toEqual({ balance: 99_990, ledger: 99_990 });
  });

  it("40003 for the same content to the same mobile inside the repeat window; other content or another mobile goes", async () => {
    const s = await setup({ price: 10, balance: 1000 });
    await settle(s, { repeatWindowSeconds: 300 });
    const m = mobile();
    expectOk(await send(s, m, "您的快件已签收"));
    const body = expectRefused(await send(s, m, "您的快件已签收"), "40003", /^重复发送: the same content was sent to this mobile moments ago; retry in \d+ s$/);
    expect(body.message).not.toMatch(INTERNALS);
    // In a list, one repeated number refuses all of them.
    const other = mobile();
    expectRefused(await send(s, `${other},${m}`, "您的快件已签收"), "40003");
    expect(await written(s.tenant.id)).toMatchObject({ messages: 1, balance: 990 });
    expectOk(await send(s, m, "您的快件已派送"));
    expectOk(await send(s, other, "您的快件已签收"));
    expect(await money(s.tenant.id)).toEqual({ balance: 970, ledger: 970 });
  });

  it("40003 on /sms/sendTemplate when the rendered text repeats", async () => {
    const s = await setup();
    await settle(s, { repeatWindowSeconds: 120 });
    const tpl = await makeTemplate(s.tenant, { kind: "notification", content: "{{name}}您好，快件{{no}}已签收" });
    const m = mobile();
    const sendTpl = (no: string) => call(s, "POST", "/sms/sendTemplate", { phoneNumbers: m, templateId: tpl, sign: s.sign.name, paramJson: { name: "张三", no } }, { form: "json" });
    expectOk(await sendTpl("1"));
    expectRefused(await sendTpl("1"), "40003");
    expectOk(await sendTpl("2"));
    expect((await written(s.tenant.id)).messages).toBe(2);
  });

  it("30011 for a blocked word of the tenant or of the global list, in the content or the rendered template; nothing written", async () => {
    const s = await setup();
    await settle(s, { blockedWords: ["澳门赌场"] });
    const before = await written(s.tenant.id);
    const blocked = expectRefused(await send(s, `${mobile()},${mobile()}`, "欢迎光临澳门赌场"), "30011", /澳门赌场/);
    expect(blocked.message).toMatch(/^内容含屏蔽词: /);
    // The global list applies to every tenant.
    expectRefused(await send(s, mobile(), "正规博彩平台"), "30011", /博彩/);
    const tpl = await makeTemplate(s.tenant, { kind: "notification", content: "{{place}}开业了" });
    expectRefused(await call(s, "POST", "/sms/sendTemplate", { phoneNumbers: mobile(), templateId: tpl, sign: s.sign.name, paramJson: { place: "澳门赌场" } }, { form: "json" }), "30011");
    expect(await written(s.tenant.id)).toEqual(before);
    expectOk(await send(s, mobile(), "欢迎光临澳门"));
  });
});

describe("app and request", () => {
  it("20007 when SMS is disabled for the app: on every endpoint that takes the token, nothing sent", async () => {
    const s = await setup();
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { smsEnabled: false }, Date.now());
    expectRefused(await send(s, mobile(), "通知"), "20007", /not enabled/);
    const tpl = await makeTemplate(s.tenant, { kind: "notification", content: "通知" });
    expectRefused(await call(s, "POST", "/sms/sendTemplate", { phoneNumbers: mobile(), templateId: tpl, sign: s.sign.name }), "20007");
    expectRefused(await call(s, "GET", "/sms/balance", {}), "20007");
    expectRefused(await call(null, "GET", "/api/token", { appId: s.appKey, secret: s.secret }), "20007");
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000, ledger: 100_000 });
    expect((await written(s.tenant.id)).messages).toBe(0);
    await updateApp(tenantDb(env, s.tenant.id), s.appId, { smsEnabled: true }, Date.now());
    expectOk(await send(s, mobile(), "通知"));
  });

  it("10004 for a body over 2 MB, streamed or declared; 2 MB itself is read", async () => {
    const s = await setup();
    const head = `token=${s.token}&phoneNumbers=${mobile()}&sign=${encodeURIComponent(s.sign.name)}&kind=2&content=x&pad=`;
    const sized = (bytes: number) => head + "a".repeat(bytes - head.length);
    const post = (raw: string | ReadableStream) => call(null, "POST", "/sms/send", {}, { raw, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expectRefused(await post(sized(2 * 1024 * 1024 + 1)), "10004", /too large/);
    // A streamed body without Content-Length is cut off as soon as it passes the cap.
    const big = new TextEncoder().encode(sized(3 * 1024 * 1024));
    let at = 0;
    const stream = new ReadableStream({
      pull(c) {
        if (at >= big.length) return c.close();
        c.enqueue(big.slice(at, (at += 64 * 1024)));
      },
    });
    expectRefused(await post(stream), "10004");
    expect(at).toBeLessThan(big.length);
    // JSON bodies too.
    const json = JSON.stringify({ token: s.token, phoneNumbers: mobile(), sign: s.sign.name, content: "x", kind: "2", pad: "a".repeat(2 * 1024 * 1024) });
    expectRefused(await call(null, "POST", "/sms/send", {}, { raw: json, headers: { "content-type": "application/json" } }), "10004");
    expect((await written(s.tenant.id)).messages).toBe(0);
    // Exactly at the cap the body is read (and sent).
    expectOk(await post(sized(2 * 1024 * 1024)));
    expect((await written(s.tenant.id)).messages).toBe(1);
  });

  it("30010 for a rendered template longer than /sms/send's 1000-character content; 1000 is sent", async () => {
    const s = await setup({ price: 10, balance: 100_000 });
    // Eleven values: ten of 99 characters (each within the 100-character cap) and one of `last`.
    const tpl = await makeTemplate(s.tenant, { kind: "notification", content: "{{a}}{{b}}{{c}}{{d}}{{e}}{{f}}{{g}}{{h}}{{i}}{{j}}{{k}}" });
    const params = (last: number) => Object.fromEntries("abcdefghijk".split("").map((k, i) => [k, "长".repeat(i < 10 ? 99 : last)]));
    const sendTpl = (paramJson: unknown) =>
      call(s, "POST", "/sms/sendTemplate", { phoneNumbers: `${mobile()},${mobile()}`, templateId: tpl, sign: s.sign.name, paramJson }, { form: "json" });
    const body = expectRefused(await sendTpl(params(11)), "30010", /1001 characters/);
    expect(body.message).toMatch(/^内容超长: /);
    expectRefused(await sendTpl([params(10), params(11)]), "30010", /^内容超长: paramJson\[1\]: /);
    expect(await written(s.tenant.id)).toMatchObject({ messages: 0, batches: 0, balance: 100_000 });
    // 990 + 10: exactly 1000 before the signature, as /sms/send allows.
    const sent = expectOk(await sendTpl([params(10), params(10)]));
    const rows = (await messageRows(s.tenant.id)).filter((r) => r.batch_id === sent.bizId);
    expect(rows.map((r) => r.content.length)).toEqual([1000 + s.sign.name.length + 2, 1000 + s.sign.name.length + 2]);
  });
});

describe("server faults: 99999, HTTP 200, the fixed envelope and nothing else", () => {
  // The text is asserted as sent, unparsed: no internals anywhere in it, not only in the message.
  const fault = (res: Answer) => {
    expect({ status: res.status, body: JSON.parse(res.body as string) }).toEqual({ status: 200, body: { code: "99999", message: "系统繁忙，请稍后重试" } });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body).not.toMatch(INTERNALS);
  };

  for (const form of FORMS) {
    it(`a D1 failure inside the accept batch: nothing debited or written, the fault logged with its reason (${form})`, async () => {
      const s = await setup({ price: 10, balance: 1000 });
      const before = await written(s.tenant.id);
      const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const restore = await failMessageInserts(s.tenant.id);
      try {
        fault(await call(s, "POST", "/sms/send", { phoneNumbers: `${mobile()},${mobile()}`, sign: s.sign.name, content: "通知", kind: "2" }, { form, text: true }));
        const tpl = await makeTemplate(s.tenant, { kind: "notification", content: "通知{{n}}" });
        fault(await call(s, "POST", "/sms/sendTemplate", { phoneNumbers: mobile(), templateId: tpl, sign: s.sign.name, paramJson: JSON.stringify({ n: "1" }) }, { form, text: true }));
      } finally {
        await restore();
      }
      expect(await written(s.tenant.id)).toEqual(before);
      expect(await money(s.tenant.id)).toEqual({ balance: 1000, ledger: 1000 });
      const logged = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"where":"paasw"'));
      expect(logged).toHaveLength(2);
      expect(logged[0]).toMatch(/disk is full/);
      // The same request goes through once the fault is gone: the fault, not the request, was refused.
      expectOk(await call(s, "POST", "/sms/send", { phoneNumbers: mobile(), sign: s.sign.name, content: "通知", kind: "2" }, { form }));
    });
  }

  it("a stored tenant row that cannot be read (malformed settings JSON): 99999 on every token endpoint", async () => {
    const s = await setup();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await corruptTenantSettings(s.tenant.id);
    fault(await call(s, "POST", "/sms/send", { phoneNumbers: mobile(), sign: s.sign.name, content: "通知", kind: "2" }, { text: true }));
    fault(await call(s, "GET", "/sms/balance", {}, { text: true }));
    fault(await call(s, "GET", "/sms/deliver", {}, { text: true }));
    fault(await call(null, "GET", "/api/token", { appId: s.appKey, secret: s.secret }, { text: true }));
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000, ledger: 100_000 });
    expect((await written(s.tenant.id)).messages).toBe(0);
  });
});

describe("the code table", () => {
  it("every code in src/dialects/paasw/errors.ts is asserted by some paasw test, except 30009, which no endpoint can raise", async () => {
    // Read the test sources as text: a code counts when a test asserts it as a string literal.
    // (A glob leaves out the file that holds it: this file is added by name.)
    const sources = import.meta.glob(["./*.test.ts", "!./errors.test.ts"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;
    expect(Object.keys(sources).length).toBeGreaterThanOrEqual(6);
    const text = [...Object.values(sources), self].join("\n");
    // 30009: the kind of a paasw template send is the template's own kind, so it cannot misfit.
    const unreachable = ["30009"];
    const untested = errorTable()
      .map((x) => x.code)
      .filter((code) => !unreachable.includes(code) && !text.includes(`"${code}"`));
    expect(untested).toEqual([]);
  });
});

