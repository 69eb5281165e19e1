// The rules JPush sends share with core: the template's kind and signature (sign_id, else the
// template's, else the app's default) on the schedule path that reads them on its own as on the
// send path that reads them with authentication; a send_time not in the future refused by the
// accept pipeline (50027, nothing charged); and a template remark that is not a string (50007).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeCredential, makeSignature, makeTemplate, mobile, money } from "../../helpers/fixtures";
import { basic, call, setup } from "./helpers";

/** Asia/Shanghai wall-clock time `ms` from now (UTC+8 all year), as send_time is written. */
const shanghai = (ms: number): string => new Date(Math.floor((Date.now() + ms) / 1000) * 1000 + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
const para = { number: "1", place: "东门" };
const code = (r: { body: Record<string, unknown> }) => (r.body.error as { code: number } | undefined)?.code;
const message = (r: { body: Record<string, unknown> }) => (r.body.error as { message: string }).message;

describe("template kind and signature (core/template-drafts)", () => {
  it("a template with no signature takes the app's default, on /v1/messages and on /v1/schedule alike", async () => {
    const s = await setup();
    const def = await makeSignature(s.tenant, "默认签名");
    const withDefault = await makeCredential(s.tenant, "jpush", { defaultSignatureId: def.id });
    const who = { auth: basic(withDefault.app.key, withDefault.secret) };
    const bare = await makeTemplate(s.tenant, { kind: "notification", content: "您的快递{{number}}已到{{place}}", signatureId: null });
    const now = await call(who, "POST", "/v1/messages", { mobile: mobile(), temp_id: bare, temp_para: para });
    const later = await call(who, "POST", "/v1/schedule", { mobile: mobile(), temp_id: bare, temp_para: para, send_time: shanghai(3_600_000) });
    expect([now.status, later.status]).toEqual([200, 200]);
    const texts = await env.DB.prepare("SELECT content FROM messages WHERE tenant_id = ?1 ORDER BY created_at").bind(s.tenant.id).all<{ content: string }>();
    expect(texts.results.map((r) => r.content)).toEqual(["【默认签名】您的快递1已到东门", "【默认签名】您的快递1已到东门"]);
    // The setup's app has no default signature: 50046 on both paths.
    const none = [
      await call(s, "POST", "/v1/messages", { mobile: mobile(), temp_id: bare, temp_para: para }),
      await call(s, "POST", "/v1/schedule", { mobile: mobile(), temp_id: bare, temp_para: para, send_time: shanghai(3_600_000) }),
    ];
    expect(none.map((r) => [r.status, code(r)])).toEqual([
      [403, 50046],
      [403, 50046],
    ]);
  });

  it("a verification template is refused for messages and schedules, any other for codes (50025)", async () => {
    const s = await setup();
    const answers = [
      await call(s, "POST", "/v1/messages", { mobile: mobile(), temp_id: s.codeTpl }),
      await call(s, "POST", "/v1/schedule", { mobile: mobile(), temp_id: s.codeTpl, send_time: shanghai(3_600_000) }),
      await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.noticeTpl }),
    ];
    expect(answers.map((r) => [r.status, code(r)])).toEqual([
      [403, 50025],
      [403, 50025],
      [403, 50025],
    ]);
    expect(message(answers[1]!)).toMatch(/send it with \/v1\/codes/);
    expect(message(answers[2]!)).toMatch(/needs a verification-code template/);
  });
});

describe("send_time not in the future (the accept pipeline's rule, JPush's answer)", () => {
  it("a past send_time is 50027 on create and on change: nothing charged, the schedule kept as it was", async () => {
    const s = await setup({ balance: 100 });
    const past = await call(s, "POST", "/v1/schedule", { mobile: mobile(), temp_id: s.noticeTpl, temp_para: para, send_time: shanghai(-60_000) });
    expect([past.status, code(past)]).toEqual([403, 50027]);
    expect(message(past)).toMatch(/not in the future/);
    const at = shanghai(3_600_000);
    const made = await call(s, "POST", "/v1/schedule", { mobile: mobile(), temp_id: s.noticeTpl, temp_para: para, send_time: at });
    expect(made.status).toBe(200);
    const id = made.body.schedule_id as string;
    const change = await call(s, "PUT", `/v1/schedule/${id}`, { mobile: mobile(), temp_id: s.noticeTpl, temp_para: para, send_time: shanghai(-1000) });
    expect([change.status, code(change)]).toEqual([403, 50027]);
    expect(await money(s.tenant.id)).toEqual({ balance: 90, ledger: 90 });
    const kept = await call(s, "GET", `/v1/schedule/${id}`);
    expect([kept.status, kept.body.send_time]).toEqual([200, at]);
  });
});

describe("template remark", () => {
  it.each([
    ["an object", { note: "登录" }],
    ["a number", 42],
    ["an array", ["登录"]],
  ])("%s as remark is 50007, nothing stored", async (_, remark) => {
    const s = await setup();
    const r = await call(s, "POST", "/v1/templates", { template: "通知{{x}}", type: 2, remark });
    expect([r.status, code(r), message(r)]).toEqual([403, 50007, "invalid body: remark must be a string"]);
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM templates WHERE tenant_id = ?1").bind(s.tenant.id).first<{ n: number }>();
    expect(n!.n).toBe(3);
  });

  it("a string remark is stored and read back as given; none is null", async () => {
    const s = await setup();
    const given = await call(s, "POST", "/v1/templates", { template: "通知{{x}}", type: 2, remark: "登录" });
    const absent = await call(s, "POST", "/v1/templates", { template: "通知{{y}}", type: 2 });
    const read = [await call(s, "GET", `/v1/templates/${given.body.temp_id}`), await call(s, "GET", `/v1/templates/${absent.body.temp_id}`)];
    expect(read.map((r) => r.body.remark)).toEqual(["登录", null]);
  });
});
