// POST /sms/send through the real Worker: the three parameter forms, the number list rules
// (separators, duplicates, 1000/1001, invalid numbers named), signature and kind rules, atomic billing.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeSignature, mobile, money } from "../../helpers/fixtures";
import { call, countMessages, expectOk, expectRefused, FORMS, messageRows, setup } from "./helpers";

describe("POST /sms/send", () => {
  for (const form of FORMS) {
    it(`sends 【sign】content to each number as one batch (${form})`, async () => {
      const s = await setup({ price: 10, balance: 1000 });
      const [a, b] = [mobile(), mobile()];
      const res = await call(s, "POST", "/sms/send", { phoneNumbers: `${a},${b}`, sign: s.sign.name, content: "你的快件已签收，谢谢使用", kind: "2" }, { form });
      const body = expectOk(res);
      expect(body).toEqual({ code: "10000", message: "操作成功", bizId: expect.stringMatching(/^\d{19}$/) });
      const rows = await messageRows(s.tenant.id);
      expect(rows.map((r) => r.mobile).sort()).toEqual([`+86${a}`, `+86${b}`].sort());
      expect(rows).not.toHaveLength(0);
      expect(rows.filter((r) => !(r.batch_id === body.bizId && r.content === `【${s.sign.name}】你的快件已签收，谢谢使用` && r.signature === s.sign.name && r.kind === "notification"))).toEqual([]);
      expect(await money(s.tenant.id)).toEqual({ balance: 980, ledger: 980 });
    });
  }

  it("accepts GET as well, and body values override query values", async () => {
    const s = await setup();
    expectOk(await call(s, "GET", "/sms/send", { phoneNumbers: mobile(), sign: s.sign.name, content: "内容", kind: "2" }));
    const m = mobile();
    const raw = `phoneNumbers=${m}&sign=${encodeURIComponent(s.sign.name)}&content=hi&kind=2`;
    const body = expectOk(await call(s, "POST", "/sms/send", { phoneNumbers: mobile(), kind: "3" }, { raw, headers: { "content-type": "application/x-www-form-urlencoded" } }));
    const rows = (await messageRows(s.tenant.id)).filter((r) => r.batch_id === body.bizId);
    expect(rows.map((r) => [r.mobile, r.kind])).toEqual([[`+86${m}`, "notification"]]);
  });

  it("raw, un-encoded UTF-8 form bodies (the vendor's curl scripts) are read", async () => {
    const s = await setup();
    const m = mobile();
    const raw = `token=${s.token}&phoneNumbers=${m}&sign=${s.sign.name}&content=【${s.sign.name}】你的快件56682551825已签收&kind=2`;
    const body = expectOk(await call(null, "POST", "/sms/send", {}, { raw, headers: {} }));
    const [row] = (await messageRows(s.tenant.id)).filter((r) => r.batch_id === body.bizId);
    expect(row!.content).toBe(`【${s.sign.name}】你的快件56682551825已签收`);
  });

  it("content already carrying 【sign】 is not signed twice; a different 【signature】 is refused", async () => {
    const s = await setup();
    const b1 = expectOk(await call(s, "POST", "/sms/send", { phoneNumbers: mobile(), sign: s.sign.name, content: `【${s.sign.name}】已签收`, kind: "2" }));
    const b2 = expectOk(await call(s, "POST", "/sms/send", { phoneNumbers: mobile(), sign: `【${s.sign.name}】`, content: "已签收", kind: "2" }));
    const rows = await messageRows(s.tenant.id);
    for (const b of [b1, b2]) expect(rows.find((r) => r.batch_id === b.bizId)!.content).toBe(`【${s.sign.name}】已签收`);
    expectRefused(await call(s, "POST", "/sms/send", { phoneNumbers: mobile(), sign: s.sign.name, content: "【别家】已签收", kind: "2" }), "30013", /别家/);
    expect(await countMessages(s.tenant.id)).toBe(2);
  });

  it("1000 numbers are accepted and billed in one atomic batch; 1001 are refused with nothing written", async () => {
    const s = await setup({ price: 10, balance: 20_000 });
    const numbers = Array.from({ length: 1000 }, (_, i) => `139${String(10_000_000 + i * 7919).slice(0, 8)}`);
    expect(new Set(numbers).size).toBe(1000);
    const body = expectOk(await call(s, "POST", "/sms/send", { phoneNumbers: numbers.join(","), sign: s.sign.name, content: "批量通知", kind: "2" }));
    const n = await env.DB.prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT mobile) AS d, SUM(price) AS p FROM messages WHERE batch_id = ?1").bind(body.bizId).first();
    expect(n).toEqual({ n: 1000, d: 1000, p: 10_000 });
    expect(await money(s.tenant.id)).toEqual({ balance: 10_000, ledger: 10_000 });
    const ledger = await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger WHERE tenant_id = ?1 AND reason = 'send'").bind(s.tenant.id).first<{ n: number }>();
    expect(ledger!.n).toBe(1);

    expectRefused(await call(s, "POST", "/sms/send", { phoneNumbers: [...numbers, mobile()].join(","), sign: s.sign.name, content: "批量通知", kind: "2" }), "30002", /1001/);
    expect(await countMessages(s.tenant.id)).toBe(1000);
    expect(await money(s.tenant.id)).toEqual({ balance: 10_000, ledger: 10_000 });
  });

  it("a balance short of the whole batch refuses all of it", async () => {
    const s = await setup({ price: 10, balance: 25 });
    expectRefused(await call(s, "POST", "/sms/send", { phoneNumbers: [mobile(), mobile(), mobile()].join(","), sign: s.sign.name, content: "x", kind: "2" }), "40001");
    expect(await countMessages(s.tenant.id)).toBe(0);
    expect(await money(s.tenant.id)).toEqual({ balance: 25, ledger: 25 });
  });

  it("separators , and ， with spaces; empty entries skipped; duplicates (in any spelling) sent once", async () => {
    const s = await setup({ price: 10, balance: 1000 });
    const [a, b, c] = [mobile(), mobile(), mobile()];
    const list = ` ${a} ， ${b},${c}，, ${a}, +86${b} ,0086${c}，`;
    const body = expectOk(await call(s, "POST", "/sms/send", { phoneNumbers: list, sign: s.sign.name, content: "x", kind: "2" }));
    const rows = (await messageRows(s.tenant.id)).filter((r) => r.batch_id === body.bizId);
    expect(rows.map((r) => r.mobile).sort()).toEqual([a, b, c].map((m) => `+86${m}`).sort());
    expect(await money(s.tenant.id)).toEqual({ balance: 970, ledger: 970 });
  });

  it("invalid numbers refuse the request, each one named", async () => {
    const s = await setup();
    const res = await call(s, "POST", "/sms/send", { phoneNumbers: `${mobile()},12345,${mobile()},010-12345678，abc`, sign: s.sign.name, content: "x", kind: "2" });
    const body = expectRefused(res, "30001");
    expect(body.message).toMatch(/^手机号码无效: 3 invalid numbers: 12345, 010-12345678, abc$/);
    expectRefused(await call(s, "POST", "/sms/send", { phoneNumbers: " , ，", sign: s.sign.name, content: "x", kind: "2" }), "30003");
    expect(await countMessages(s.tenant.id)).toBe(0);
  });

  for (const form of FORMS) {
    it(`parameter rules (${form})`, async () => {
      const s = await setup();
      const good = { token: s.token, phoneNumbers: mobile(), sign: s.sign.name, content: "内容", kind: "2" };
      const without = (k: keyof typeof good) => Object.fromEntries(Object.entries(good).filter(([x]) => x !== k));
      expectRefused(await call(null, "POST", "/sms/send", without("token"), { form }), "20001");
      expectRefused(await call(null, "POST", "/sms/send", without("phoneNumbers"), { form }), "10001", /phoneNumbers is required/);
      expectRefused(await call(null, "POST", "/sms/send", without("sign"), { form }), "10001", /sign is required/);
      expectRefused(await call(null, "POST", "/sms/send", without("content"), { form }), "10001", /content is required/);
      expectRefused(await call(null, "POST", "/sms/send", { ...good, content: "   " }, { form }), "10001", /content is required/);
      expectRefused(await call(null, "POST", "/sms/send", { ...good, content: "长".repeat(1001) }, { form }), "10003", /content is longer than 1000/);
      expectRefused(await call(null, "POST", "/sms/send", { ...good, sign: "签".repeat(21) }, { form }), "10003", /sign is longer than 20/);
      expectRefused(await call(null, "POST", "/sms/send", { ...good, sign: "a【b】" }, { form }), "10002", /sign must not contain 【】/);
      expectRefused(await call(null, "POST", "/sms/send", { ...good, kind: "4" }, { form }), "10002", /kind must be 1/);
      expectRefused(await call(null, "POST", "/sms/send", without("kind"), { form }), "10001", /kind is required/);
      expect(await countMessages(s.tenant.id)).toBe(0);
      expectOk(await call(null, "POST", "/sms/send", { ...good, content: "长".repeat(1000) }, { form }));
    });
  }

  it("kind: optional for a single-kind app, mapped 1/2/3, refused when the app may not send it", async () => {
    const one = await setup({ kinds: "verification" });
    const b = expectOk(await call(one, "POST", "/sms/send", { phoneNumbers: mobile(), sign: one.sign.name, content: "验证码 1234" }));
    expect((await messageRows(one.tenant.id)).find((r) => r.batch_id === b.bizId)!.kind).toBe("verification");
    expectRefused(await call(one, "POST", "/sms/send", { phoneNumbers: mobile(), sign: one.sign.name, content: "x", kind: "3" }), "30012", /marketing/);

    const all = await setup();
    for (const [k, kind] of [["1", "verification"], ["2", "notification"], ["3", "marketing"]]) {
      const r = expectOk(await call(all, "POST", "/sms/send", { phoneNumbers: mobile(), sign: all.sign.name, content: "x", kind: Number(k) }, { form: "json" }));
      expect((await messageRows(all.tenant.id)).find((m) => m.batch_id === r.bizId)!.kind).toBe(kind);
    }
  });

  it("the signature must be the tenant's and approved", async () => {
    const s = await setup();
    const pending = await makeSignature(s.tenant, undefined, "pending");
    const other = await setup();
    const send = (sign: string) => call(s, "POST", "/sms/send", { phoneNumbers: mobile(), sign, content: "x", kind: "2" });
    expectRefused(await send("没有这个签名"), "30004");
    expectRefused(await send(other.sign.name), "30004");
    expectRefused(await send(pending.name), "30005", /review/);
    expect(await countMessages(s.tenant.id)).toBe(0);
  });

  it("marketing to an opted-out mobile is refused (40004); notification still goes", async () => {
    const s = await setup();
    const m = mobile();
    await env.DB.prepare("INSERT INTO opt_outs (tenant_id, mobile, source, created_at) VALUES (?1, ?2, 'reply', ?3)").bind(s.tenant.id, `+86${m}`, Date.now()).run();
    expectRefused(await call(s, "POST", "/sms/send", { phoneNumbers: `${mobile()},${m}`, sign: s.sign.name, content: "促销", kind: "3" }), "40004");
    expectOk(await call(s, "POST", "/sms/send", { phoneNumbers: m, sign: s.sign.name, content: "通知", kind: "2" }));
  });

  it("a refused marketing list names every opted-out mobile at once, and nothing is sent", async () => {
    const s = await setup();
    const [a, b] = [mobile(), mobile()];
    for (const m of [a, b]) {
      await env.DB.prepare("INSERT INTO opt_outs (tenant_id, mobile, source, created_at) VALUES (?1, ?2, 'reply', ?3)").bind(s.tenant.id, `+86${m}`, Date.now()).run();
    }
    const body = expectRefused(await call(s, "POST", "/sms/send", { phoneNumbers: `${a},${mobile()},${b}`, sign: s.sign.name, content: "促销", kind: "3" }), "40004");
    expect(body.message).toContain(`+86${a}`);
    expect(body.message).toContain(`+86${b}`);
    expect(await countMessages(s.tenant.id)).toBe(0);
  });

  it("malformed bodies are parameter errors, never a 500", async () => {
    const s = await setup();
    const json = { "content-type": "application/json" };
    expectRefused(await call(s, "POST", "/sms/send", {}, { raw: "{not json", headers: json }), "10002", /JSON/);
    expectRefused(await call(s, "POST", "/sms/send", {}, { raw: "[1,2]", headers: json }), "10002", /object/);
    expectRefused(await call(s, "POST", "/sms/send", { phoneNumbers: { a: 1 }, sign: s.sign.name, content: "x", kind: "2" }, { form: "json" }), "10002", /phoneNumbers must be a string/);
  });
});

describe("routing", () => {
  it("an unknown paasw path is a 404 in the envelope; another method a 405", async () => {
    expectRefused(await call(null, "GET", "/sms/nope"), "90404", /\/sms\/nope/, 404);
    const res = await call(null, "PUT", "/sms/send", {}, { raw: "", headers: {} });
    expect(res.headers.get("allow")).toBe("GET, POST");
    expectRefused(res, "90405", /PUT/, 405);
  });

  it("/openapi.json documents every paasw endpoint with the error table", async () => {
    const doc = (await call(null, "GET", "/openapi.json")).body as { paths: Record<string, Record<string, any>> };
    for (const [path, method] of [["/api/token", "get"], ["/sms/send", "post"], ["/sms/sendTemplate", "post"], ["/sms/deliver", "get"], ["/sms/smsUp", "get"], ["/sms/balance", "get"]]) {
      const op = doc.paths[path!]![method!];
      expect(op.tags).toEqual(["paasw gateway v1"]);
      expect(op.responses.default.description).toMatch(/30001 手机号码无效.*40001 余额不足/);
    }
    expect(doc.paths["/sms/send"]!.post.requestBody.content["application/x-www-form-urlencoded"].schema.required).toEqual(["token", "phoneNumbers", "sign", "content"]);
  });
});

