// POST /v1/codes through the real Worker: success shapes, the template's code length and ttl,
// per-mobile limits under concurrency.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getMessage } from "../../helpers/domain";
import { mobile, money } from "../../helpers/fixtures";
import { call, codeOf, err, setup } from "./helpers";
import { tenantDb } from "../../../src/store/db";

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
