// /v1/codes, /v1/voice_codes and /v1/codes/{msg_id}/valid through the real Worker: success shapes,
// the code lifecycle (single use, expiry, brute-force cut-off), per-mobile limits under
// concurrency, and tenant isolation of msg_ids.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getMessage } from "../../helpers/domain";
import { mobile, money } from "../../helpers/fixtures";
import { call, codeOf, err, setup, received, wrong } from "./helpers";
import { tenantDb } from "../../../src/store/db";

afterEach(() => {
  vi.useRealTimers();
});

const valid = (s: { auth: string }, msgId: string, code: unknown) => call(s, "POST", `/v1/codes/${msgId}/valid`, { code });

describe("POST /v1/codes", () => {
  it("sends the approved verification template with a fresh 6-digit code and answers msg_id as a string", async () => {
    const s = await setup({ price: 45 });
    const m = mobile();
    const res = await call(s, "POST", "/v1/codes", { mobile: m, temp_id: s.codeTpl });
    expect(res).toEqual({ status: 200, body: { msg_id: expect.stringMatching(/^\d{19}$/) } });
    expect(res.body).toMatchInlineSnapshot(
      { msg_id: expect.any(String) },
      `
      {
        "msg_id": Any<String>,
      }
    `,
    );
    const msg = (await getMessage(tenantDb(env, s.tenant.id), res.body.msg_id))!;
    expect(msg).toMatchObject({ mobile: `+86${m}`, kind: "verification", channel: "sms", templateId: s.codeTpl, dialect: "jpush" });
    expect(msg.content).toMatch(new RegExp(`^【${s.sign.name}】您的验证码是[1-9]\\d{5}，5分钟内有效$`));
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - 45, ledger: 100_000 - 45 });
  });

  it("uses the template's code length (4 and 8)", async () => {
    for (const len of [4, 8]) {
      const s = await setup({ codeLength: len });
      const res = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl });
      expect(res.status).toBe(200);
      expect(await codeOf(s, res.body.msg_id)).toHaveLength(len);
    }
  });

  it("codes differ between sends (random, not a counter)", async () => {
    const s = await setup();
    const codes = await Promise.all(
      Array.from({ length: 5 }, async () => codeOf(s, (await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl })).body.msg_id)),
    );
    expect(new Set(codes).size).toBeGreaterThan(3);
  });

  it("20 parallel requests for one mobile with a 1/min limit: exactly one accepted and billed, 19 × 50009", async () => {
    const s = await setup({ price: 10 });
    const m = mobile();
    const all = await Promise.all(Array.from({ length: 20 }, () => call(s, "POST", "/v1/codes", { mobile: m, temp_id: s.codeTpl })));
    expect(all.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = all.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r).toEqual({ status: 403, body: err(50009) });
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - 10, ledger: 100_000 - 10 });
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(s.tenant.id).first<{ n: number }>();
    expect(n!.n).toBe(1);
  });

  it("a tenant's own windows apply (2 per minute) and the refusal says when to retry", async () => {
    const s = await setup({ settings: { limits: { verification: [{ seconds: 60, max: 2 }] } } });
    const m = mobile();
    for (let i = 0; i < 2; i++) expect((await call(s, "POST", "/v1/codes", { mobile: m, temp_id: s.codeTpl })).status).toBe(200);
    const res = await call(s, "POST", "/v1/codes", { mobile: m, temp_id: s.codeTpl });
    expect(res).toEqual({ status: 403, body: err(50009) });
    expect(res.body.error.message).toMatch(/^out of freq: .*retry in \d+ s/);
  });
});

describe("POST /v1/codes/{msg_id}/valid: the code lifecycle", () => {
  it("the right code is valid once; the second check answers 50012", async () => {
    const s = await setup();
    const { body } = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl });
    const code = await codeOf(s, body.msg_id);
    const ok = await valid(s, body.msg_id, code);
    expect(ok).toEqual({ status: 200, body: { is_valid: true } });
    expect(ok.body).toMatchInlineSnapshot(`
      {
        "is_valid": true,
      }
    `);
    const again = await valid(s, body.msg_id, code);
    expect(again).toEqual({ status: 403, body: { is_valid: false, ...err(50012) } });
    expect(again.body).toMatchInlineSnapshot(
      { error: { message: expect.any(String) } },
      `
      {
        "error": {
          "code": 50012,
          "message": Any<String>,
        },
        "is_valid": false,
      }
    `,
    );
  });

  it("a wrong code answers 50010 and the right one still works afterwards", async () => {
    const s = await setup();
    const { body } = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl });
    const code = await codeOf(s, body.msg_id);
    expect(await valid(s, body.msg_id, wrong(code))).toEqual({ status: 403, body: { is_valid: false, ...err(50010) } });
    expect(await valid(s, body.msg_id, code)).toEqual({ status: 200, body: { is_valid: true } });
  });

  it("after 5 wrong attempts the code is dead: even the right code answers 50010", async () => {
    const s = await setup();
    const { body } = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl });
    const code = await codeOf(s, body.msg_id);
    for (let i = 0; i < 5; i++) expect((await valid(s, body.msg_id, wrong(code))).body.error.code).toBe(50010);
    expect(await valid(s, body.msg_id, code)).toEqual({ status: 403, body: { is_valid: false, ...err(50010) } });
  });

  it("10 parallel checks of the right code: exactly one is valid", async () => {
    const s = await setup();
    const { body } = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl });
    const code = await codeOf(s, body.msg_id);
    const all = await Promise.all(Array.from({ length: 10 }, () => valid(s, body.msg_id, code)));
    expect(all.filter((r) => r.body.is_valid === true)).toHaveLength(1);
    expect(all.filter((r) => r.body.error?.code === 50012)).toHaveLength(9);
  });

  it("a code past its ttl answers 50011 (template ttl; controllable clock)", async () => {
    const s = await setup({ ttl: 120 });
    const { body } = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl });
    const code = await codeOf(s, body.msg_id);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 119_000);
    const early = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl });
    expect(early.status).toBe(200);
    expect(await valid(s, early.body.msg_id, wrong(await codeOf(s, early.body.msg_id)))).toMatchObject({ body: { error: { code: 50010 } } });
    vi.setSystemTime(Date.now() + 2_000);
    expect(await valid(s, body.msg_id, code)).toEqual({ status: 403, body: { is_valid: false, ...err(50011) } });
  });

  it("the request's ttl overrides the template's", async () => {
    const s = await setup({ ttl: 3600 });
    const { body } = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl, ttl: 30 });
    const code = await codeOf(s, body.msg_id);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31_000);
    expect(await valid(s, body.msg_id, code)).toMatchObject({ status: 403, body: { error: { code: 50011 } } });
  });

  it("an unknown msg_id, a non-numeric one and a notification's msg_id answer 50026", async () => {
    const s = await setup();
    expect(await valid(s, "1234567890123456789", "123456")).toEqual({ status: 403, body: { is_valid: false, ...err(50026) } });
    expect(await valid(s, "abc", "123456")).toEqual({ status: 403, body: { is_valid: false, ...err(50026) } });
    const notice = await call(s, "POST", "/v1/messages", { mobile: mobile(), temp_id: s.noticeTpl, temp_para: { number: "1", place: "A" } });
    expect(await valid(s, notice.body.msg_id, "123456")).toEqual({ status: 403, body: { is_valid: false, ...err(50026) } });
  });

  it("another tenant's msg_id answers 50026 and does not use up that code", async () => {
    const a = await setup();
    const b = await setup();
    const { body } = await call(a, "POST", "/v1/codes", { mobile: mobile(), temp_id: a.codeTpl });
    const code = await codeOf(a, body.msg_id);
    expect(await valid(b, body.msg_id, code)).toEqual({ status: 403, body: { is_valid: false, ...err(50026) } });
    expect(await valid(a, body.msg_id, code)).toEqual({ status: 200, body: { is_valid: true } });
  });

  it("a missing or empty code answers 400/50015", async () => {
    const s = await setup();
    const { body } = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl });
    expect(await call(s, "POST", `/v1/codes/${body.msg_id}/valid`, {})).toEqual({ status: 400, body: { is_valid: false, ...err(50015) } });
    expect(await valid(s, body.msg_id, "")).toEqual({ status: 400, body: { is_valid: false, ...err(50015) } });
  });
});

describe("POST /v1/voice_codes", () => {
  it("sends the caller's code on the voice channel and it validates", async () => {
    const s = await setup();
    const m = mobile();
    const res = await call(s, "POST", "/v1/voice_codes", { mobile: m, code: "8421", voice_lang: 1, ttl: 60 });
    expect(res).toEqual({ status: 200, body: { msg_id: expect.stringMatching(/^\d{19}$/) } });
    const msg = (await getMessage(tenantDb(env, s.tenant.id), res.body.msg_id))!;
    expect(msg).toMatchObject({ channel: "voice", kind: "verification", mobile: `+86${m}`, content: "Your verification code is 8 4 2 1" });
    // The carrier's voice channel delivers it: the simulator's handset inbox shows a voice message.
    expect(await received(m, res.body.msg_id)).toMatchObject({ channel: "voice", content: "Your verification code is 8 4 2 1" });
    expect(await valid(s, res.body.msg_id, "8421")).toEqual({ status: 200, body: { is_valid: true } });
  });

  it("generates a 6-digit code when none is given; Chinese by default, both languages for voice_lang 2", async () => {
    const s = await setup();
    const zh = await call(s, "POST", "/v1/voice_codes", { mobile: mobile() });
    expect((await getMessage(tenantDb(env, s.tenant.id), zh.body.msg_id))!.content).toMatch(/^您的验证码是 [1-9]( \d){5}$/);
    const both = await call(s, "POST", "/v1/voice_codes", { mobile: mobile(), voice_lang: 2 });
    const text = (await getMessage(tenantDb(env, s.tenant.id), both.body.msg_id))!.content;
    expect(text).toMatch(/^您的验证码是 (\d( \d){5})。Your verification code is \1$/);
    expect(await valid(s, both.body.msg_id, await codeOf(s, both.body.msg_id))).toEqual({ status: 200, body: { is_valid: true } });
  });

  it("the default ttl is 60 s", async () => {
    const s = await setup();
    const res = await call(s, "POST", "/v1/voice_codes", { mobile: mobile(), code: "5555" });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await valid(s, res.body.msg_id, "5555")).toMatchObject({ status: 403, body: { error: { code: 50011 } } });
  });

  it.each([
    [{ code: "123" }, 50038],
    [{ code: "123456789" }, 50038],
    [{ code: "" }, 50038],
    [{ code: "12a4" }, 50039],
    [{ code: -1234 }, 50039],
    [{ code: 12.5 }, 50039],
    [{ voice_lang: 3 }, 50040],
    [{ voice_lang: "en" }, 50040],
    [{ ttl: 0 }, 50041],
    [{ ttl: -5 }, 50041],
    [{ ttl: 86_401 }, 50041],
    [{ ttl: "soon" }, 50041],
  ])("%j answers 403/%i and sends nothing", async (extra, code) => {
    const s = await setup();
    expect(await call(s, "POST", "/v1/voice_codes", { mobile: mobile(), ...extra })).toEqual({ status: 403, body: err(code) });
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000, ledger: 100_000 });
  });

  it("shares the verification limit with text codes", async () => {
    const s = await setup();
    const m = mobile();
    expect((await call(s, "POST", "/v1/codes", { mobile: m, temp_id: s.codeTpl })).status).toBe(200);
    expect(await call(s, "POST", "/v1/voice_codes", { mobile: m })).toEqual({ status: 403, body: err(50009) });
  });
});
