// POST /v1/messages/batch through the real Worker: partial success, per-recipient codes, billing.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeTemplate, mobile, money } from "../../helpers/fixtures";
import { call, err, setup } from "./helpers";


describe("POST /v1/messages/batch", () => {
  it("partial success exactly as the document's example: valid recipients sent and billed, refused ones listed for free", async () => {
    const s = await setup({ price: 10 });
    const good = mobile();
    const res = await call(s, "POST", "/v1/messages/batch", {
        temp_id: s.noticeTpl,
        recipients: [
          { mobile: good, temp_para: { number: "741627", place: "A" } },
          { mobile: "18603050709x", temp_para: { number: "147721", place: "B" } },
          { mobile: mobile(), temp_para: { number: "1" } },
          { mobile: mobile(), temp_para: { number: "", place: "C" } },
          { temp_para: { number: "2", place: "D" } },
          "13800000000",
        ],
      });
    expect(res.status).toBe(200);
    const id = expect.stringMatching(/^\d{19}$/);
    // The reason after the document's message is the core's (src/core/phone.ts) wording.
    const invalidMobile = expect.stringMatching(/^invalid mobile: "18603050709x" /);
    const { recipients, ...summary } = res.body;
    // `recipients` lists everyone in the request's order: the refused exactly as failure_recipients shows them.
    expect(recipients).toEqual([{ mobile: good, msg_id: id }, ...summary.failure_recipients]);
    expect(summary).toMatchInlineSnapshot(
      {
        failure_recipients: [{ msg_id: id, error_message: invalidMobile }, { msg_id: id, mobile: expect.any(String) }, { msg_id: id, mobile: expect.any(String) }, { msg_id: id }, { msg_id: id }],
      }, `
      {
        "failure_count": 5,
        "failure_recipients": [
          {
            "error_code": "50006",
            "error_message": StringMatching /\\^invalid mobile: "18603050709x" /,
            "mobile": "18603050709x",
            "msg_id": StringMatching /\\^\\\\d\\{19\\}\\$/,
            "temp_para": {
              "number": "147721",
              "place": "B",
            },
          },
          {
            "error_code": "50022",
            "error_message": "parameters not all replaced: missing template parameter "place"",
            "mobile": Any<String>,
            "msg_id": StringMatching /\\^\\\\d\\{19\\}\\$/,
            "temp_para": {
              "number": "1",
            },
          },
          {
            "error_code": "50023",
            "error_message": "parameters is empty: template parameter "number" is empty",
            "mobile": Any<String>,
            "msg_id": StringMatching /\\^\\\\d\\{19\\}\\$/,
            "temp_para": {
              "number": "",
              "place": "C",
            },
          },
          {
            "error_code": "50004",
            "error_message": "missing mobile: recipients.4.mobile is required",
            "mobile": "",
            "msg_id": StringMatching /\\^\\\\d\\{19\\}\\$/,
            "temp_para": {
              "number": "2",
              "place": "D",
            },
          },
          {
            "error_code": "50007",
            "error_message": "invalid body: recipients.5 must be an object {mobile, temp_para}",
            "mobile": "",
            "msg_id": StringMatching /\\^\\\\d\\{19\\}\\$/,
          },
        ],
        "success_count": 1,
      }
    `);
    expect(await money(s.tenant.id)).toEqual({ balance: 100_000 - 10, ledger: 100_000 - 10 });
    const rows = await env.DB.prepare("SELECT id, mobile FROM messages WHERE tenant_id = ?1").bind(s.tenant.id).all<{ id: string; mobile: string }>();
    expect(rows.results).toEqual([{ id: res.body.recipients[0].msg_id, mobile: `+86${good}` }]);
  });

  it("1000 recipients are accepted and billed in one batch; 1001 answer 50031; none answer 50030", async () => {
    const s = await setup({ price: 7, balance: 10_000 });
    const recipients = Array.from({ length: 1000 }, (_, i) => ({ mobile: `1391111${String(i).padStart(4, "0")}`, temp_para: { number: String(i), place: "A" } }));
    const res = await call(s, "POST", "/v1/messages/batch", { temp_id: s.noticeTpl, recipients });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success_count: 1000, failure_count: 0, failure_recipients: [] });
    expect(new Set(res.body.recipients.map((r: { msg_id: string }) => r.msg_id)).size).toBe(1000);
    expect(await money(s.tenant.id)).toEqual({ balance: 3_000, ledger: 3_000 });
    const batches = await env.DB.prepare("SELECT COUNT(DISTINCT batch_id) AS n FROM messages WHERE tenant_id = ?1").bind(s.tenant.id).first<{ n: number }>();
    expect(batches!.n).toBe(1);

    expect(await call(s, "POST", "/v1/messages/batch", { temp_id: s.noticeTpl, recipients: [...recipients, recipients[0]] })).toEqual({
      status: 403,
      body: err(50031),
    });
    expect(await call(s, "POST", "/v1/messages/batch", { temp_id: s.noticeTpl, recipients: [] })).toEqual({ status: 403, body: err(50030) });
    expect(await call(s, "POST", "/v1/messages/batch", { temp_id: s.noticeTpl })).toEqual({ status: 403, body: err(50030) });
    expect(await money(s.tenant.id)).toEqual({ balance: 3_000, ledger: 3_000 });
  });

  it("a balance short for the valid recipients refuses the whole batch with 50014 and writes nothing", async () => {
    const s = await setup({ price: 10, balance: 25 });
    const recipients = [mobile(), mobile(), mobile()].map((m) => ({ mobile: m, temp_para: { number: "1", place: "A" } }));
    expect(await call(s, "POST", "/v1/messages/batch", { temp_id: s.noticeTpl, recipients })).toEqual({ status: 403, body: err(50014) });
    expect(await money(s.tenant.id)).toEqual({ balance: 25, ledger: 25 });
    // Two valid and one invalid recipient fit the balance: the invalid one is not charged.
    const mixed = [...recipients.slice(0, 2), { mobile: "12", temp_para: { number: "1", place: "A" } }];
    const res = await call(s, "POST", "/v1/messages/batch", { temp_id: s.noticeTpl, recipients: mixed });
    expect(res.body).toMatchObject({ success_count: 2, failure_count: 1 });
    expect(await money(s.tenant.id)).toEqual({ balance: 5, ledger: 5 });
  });

  it("a verification template answers 50025 (use /v1/codes), a pending one 50020, a rejected one 50021", async () => {
    const s = await setup();
    const body = (temp_id: number) => ({ temp_id, recipients: [{ mobile: mobile(), temp_para: { number: "1", place: "A" } }] });
    expect(await call(s, "POST", "/v1/messages/batch", body(s.codeTpl))).toEqual({ status: 403, body: err(50025) });
    const pending = await makeTemplate(s.tenant, { kind: "notification", content: "x{{number}}", signatureId: s.sign.id, status: "pending" });
    const rejected = await makeTemplate(s.tenant, { kind: "notification", content: "x{{number}}", signatureId: s.sign.id, status: "rejected" });
    expect(await call(s, "POST", "/v1/messages/batch", body(pending))).toEqual({ status: 403, body: err(50020) });
    expect(await call(s, "POST", "/v1/messages/batch", body(rejected))).toEqual({ status: 403, body: err(50021) });
  });
});
