// POST /v1/codes/{msg_id}/valid through the real Worker: the code lifecycle (single use, expiry,
// brute-force cut-off) and tenant isolation of msg_ids.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mobile } from "../../helpers/fixtures";
import { call, codeOf, err, setup, valid, wrong } from "./helpers";

afterEach(() => {
  vi.useRealTimers();
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
