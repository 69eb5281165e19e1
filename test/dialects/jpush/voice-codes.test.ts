// POST /v1/voice_codes through the real Worker: the caller's or a generated code, spoken, and held
// for validation like a text code.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getMessage } from "../../helpers/domain";
import { mobile, money } from "../../helpers/fixtures";
import { call, codeOf, err, setup, received, valid } from "./helpers";
import { tenantDb } from "../../../src/store/db";

afterEach(() => {
  vi.useRealTimers();
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
