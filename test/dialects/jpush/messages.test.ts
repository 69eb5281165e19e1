// POST /v1/messages through the real Worker: the rendered text, billing, refusals.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getMessage } from "../../helpers/domain";
import { insertOptOut } from "../../../src/store/opt-outs";
import { mobile, money } from "../../helpers/fixtures";
import { call, err, setup } from "./helpers";
import { tenantDb } from "../../../src/store/db";


describe("POST /v1/messages", () => {
  it("renders the template with temp_para and the signature, bills it and answers msg_id as a string", async () => {
    const s = await setup({ price: 45 });
    const m = mobile();
    const res = await call(s, "POST", "/v1/messages", { mobile: m, temp_id: s.noticeTpl, temp_para: { number: "SF1234", place: "东门" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchInlineSnapshot(
      { msg_id: expect.stringMatching(/^\d{19}$/) },
      `
      {
        "msg_id": StringMatching /\\^\\\\d\\{19\\}\\$/,
      }
    `,
    );
    const msg = (await getMessage(tenantDb(env, s.tenant.id), res.body.msg_id))!;
    expect(msg).toMatchObject({
      kind: "notification",
      mobile: `+86${m}`,
      content: `【${s.sign.name}】您的快递SF1234已到东门`,
      templateId: s.noticeTpl,
      params: { number: "SF1234", place: "东门" },
    });
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - 45, ledger: 100_000 - 45 });
  });

  it("a marketing template is sent as marketing; an unsubscribed mobile answers 50024 and costs nothing", async () => {
    const s = await setup();
    const ok = await call(s, "POST", "/v1/messages", { mobile: mobile(), temp_id: s.marketingTpl, temp_para: { name: "张三" } });
    expect((await getMessage(tenantDb(env, s.tenant.id), ok.body.msg_id))!.kind).toBe("marketing");
    const m = mobile();
    await insertOptOut(tenantDb(env, s.tenant.id), `+86${m}`, "test", Date.now());
    expect(await call(s, "POST", "/v1/messages", { mobile: m, temp_id: s.marketingTpl, temp_para: { name: "张三" } })).toEqual({ status: 403, body: err(50024) });
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - 10, ledger: 100_000 - 10 });
  });

  it("sign_id picks another approved signature of the tenant", async () => {
    const s = await setup();
    const { makeSignature } = await import("../../helpers/fixtures");
    const other = await makeSignature(s.tenant, "另一个签名");
    const res = await call(s, "POST", "/v1/messages", { mobile: mobile(), temp_id: s.noticeTpl, sign_id: other.id, temp_para: { number: "1", place: "A" } });
    expect(res.status).toBe(200);
    expect((await getMessage(tenantDb(env, s.tenant.id), res.body.msg_id))!.content).toBe("【另一个签名】您的快递1已到A");
  });

  it("another tenant's temp_id answers 50013, as an unknown one does", async () => {
    const a = await setup();
    const b = await setup();
    expect(await call(b, "POST", "/v1/messages", { mobile: mobile(), temp_id: a.noticeTpl, temp_para: { number: "1", place: "A" } })).toEqual({
      status: 403,
      body: err(50013),
    });
    expect(await call(b, "POST", "/v1/codes", { mobile: mobile(), temp_id: a.codeTpl })).toEqual({ status: 403, body: err(50013) });
    expect(await call(b, "POST", "/v1/messages/batch", { temp_id: a.noticeTpl, recipients: [{ mobile: mobile() }] })).toEqual({
      status: 403,
      body: err(50013),
    });
    expect(await money(b.tenant.id)).toEqual({ balance: 100_000, ledger: 100_000 });
  });
});
