// POST /sms/sendTemplate through the real Worker: paramJson as one object or one object per number,
// its length rule, missing parameters, template and signature rules, kinds from the template.
import { describe, expect, it } from "vitest";
import { makeSignature, makeTemplate, mobile, money } from "../../helpers/fixtures";
import { call, countMessages, expectOk, expectRefused, FORMS, messageRows, setup } from "./helpers";

const NOTICE = "{{name}}您好，您的快件{{no}}已签收";

describe("POST /sms/sendTemplate", () => {
  for (const form of FORMS) {
    it(`one paramJson object applies to every number (${form})`, async () => {
      const s = await setup({ price: 10, balance: 1000 });
      const templateId = await makeTemplate(s.tenant, { kind: "notification", content: NOTICE });
      const [a, b] = [mobile(), mobile()];
      const body = expectOk(
        await call(s, "POST", "/sms/sendTemplate", { phoneNumbers: `${a}，${b}`, paramJson: JSON.stringify({ name: "张三", no: 42 }), templateId: String(templateId), sign: s.sign.name, content: "ignored" }, { form }),
      );
      expect(body).toEqual({ code: "10000", message: "操作成功", bizId: expect.stringMatching(/^\d{19}$/) });
      const rows = await messageRows(s.tenant.id);
      expect(rows).toHaveLength(2);
      for (const r of rows) {
        expect(r).toMatchObject({ batch_id: body.bizId, content: `【${s.sign.name}】张三您好，您的快件42已签收`, kind: "notification", template_id: templateId, signature: s.sign.name });
        expect(JSON.parse(r.params)).toEqual({ name: "张三", no: "42" });
      }
      expect(await money(s.tenant.id)).toEqual({ balance: 980, ledger: 980 });
    });
  }

  it("a paramJson array gives one object per listed number, in order; a duplicate keeps its first object", async () => {
    const s = await setup();
    const templateId = await makeTemplate(s.tenant, { kind: "notification", content: NOTICE });
    const [a, b] = [mobile(), mobile()];
    const paramJson = [{ name: "甲", no: "1" }, { name: "乙", no: "2" }, { name: "丙", no: "3" }];
    const body = expectOk(await call(s, "POST", "/sms/sendTemplate", { phoneNumbers: `${a},${b},${a}`, paramJson, templateId, sign: s.sign.name }, { form: "json" }));
    const rows = (await messageRows(s.tenant.id)).filter((r) => r.batch_id === body.bizId);
    expect(Object.fromEntries(rows.map((r) => [r.mobile, r.content]))).toEqual({
      [`+86${a}`]: `【${s.sign.name}】甲您好，您的快件1已签收`,
      [`+86${b}`]: `【${s.sign.name}】乙您好，您的快件2已签收`,
    });
  });

  it("the array's length must match the listed numbers; elements must be objects", async () => {
    const s = await setup();
    const templateId = await makeTemplate(s.tenant, { kind: "notification", content: NOTICE });
    const send = (phoneNumbers: string, paramJson: string) => call(s, "POST", "/sms/sendTemplate", { phoneNumbers, paramJson, templateId, sign: s.sign.name });
    expectRefused(await send(`${mobile()},${mobile()}`, JSON.stringify([{ name: "a", no: "1" }])), "30008", /1 objects for 2 phone numbers/);
    expectRefused(await send(mobile(), JSON.stringify([{ name: "a", no: "1" }, { name: "b", no: "2" }])), "30008", /2 objects for 1/);
    expectRefused(await send(`${mobile()},${mobile()}`, JSON.stringify([{ name: "a", no: "1" }, "x"])), "30008", /paramJson\[1\] is not an object/);
    expectRefused(await send(mobile(), "{name:"), "30008", /not valid JSON/);
    expectRefused(await send(mobile(), "42"), "30008", /object or an array/);
    expect(await countMessages(s.tenant.id)).toBe(0);
  });

  it("missing template parameters are refused, naming the parameter (and the array element)", async () => {
    const s = await setup();
    const templateId = await makeTemplate(s.tenant, { kind: "notification", content: NOTICE });
    const send = (phoneNumbers: string, paramJson?: unknown) =>
      call(s, "POST", "/sms/sendTemplate", { phoneNumbers, templateId, sign: s.sign.name, ...(paramJson === undefined ? {} : { paramJson: JSON.stringify(paramJson) }) });
    expectRefused(await send(mobile(), { name: "张三" }), "30008", /"no"/);
    expectRefused(await send(mobile()), "30008", /"name", "no"/);
    expectRefused(await send(`${mobile()},${mobile()}`, [{ name: "a", no: "1" }, { name: "b" }]), "30008", /paramJson\[1\]: .*"no"/);
    expectRefused(await send(mobile(), { name: "", no: "1" }), "30008", /empty/);
    expect(await countMessages(s.tenant.id)).toBe(0);
    const plain = await makeTemplate(s.tenant, { kind: "notification", content: "系统维护通知" });
    expectOk(await call(s, "POST", "/sms/sendTemplate", { phoneNumbers: mobile(), templateId: plain, sign: s.sign.name }));
  });

  for (const form of FORMS) {
    it(`parameter rules (${form})`, async () => {
      const s = await setup();
      const templateId = await makeTemplate(s.tenant, { kind: "notification", content: NOTICE });
      const good = { token: s.token, phoneNumbers: mobile(), paramJson: JSON.stringify({ name: "a", no: "1" }), templateId: String(templateId), sign: s.sign.name };
      const without = (k: keyof typeof good) => Object.fromEntries(Object.entries(good).filter(([x]) => x !== k));
      expectRefused(await call(null, "POST", "/sms/sendTemplate", without("token"), { form }), "20001");
      expectRefused(await call(null, "POST", "/sms/sendTemplate", without("phoneNumbers"), { form }), "10001", /phoneNumbers is required/);
      expectRefused(await call(null, "POST", "/sms/sendTemplate", without("templateId"), { form }), "10001", /templateId is required/);
      expectRefused(await call(null, "POST", "/sms/sendTemplate", without("sign"), { form }), "10001", /sign is required/);
      expectRefused(await call(null, "POST", "/sms/sendTemplate", { ...good, templateId: "abc" }, { form }), "10002", /templateId/);
      expectRefused(await call(null, "POST", "/sms/sendTemplate", { ...good, templateId: "9".repeat(21) }, { form }), "10002", /templateId/);
      expectRefused(await call(null, "POST", "/sms/sendTemplate", { ...good, content: "长".repeat(1001) }, { form }), "10003", /content/);
      expectRefused(await call(null, "POST", "/sms/sendTemplate", { ...good, phoneNumbers: Array.from({ length: 1001 }, mobile).join(",") }, { form: form === "query" ? "form" : form }), "30002");
      expect(await countMessages(s.tenant.id)).toBe(0);
      expectOk(await call(null, "POST", "/sms/sendTemplate", good, { form }));
    });
  }

  it("the template must be the tenant's and approved; its kind must be allowed to the app", async () => {
    const s = await setup({ kinds: "notification" });
    const other = await setup();
    const send = (templateId: number | string) => call(s, "POST", "/sms/sendTemplate", { phoneNumbers: mobile(), templateId, sign: s.sign.name });
    expectRefused(await send(await makeTemplate(s.tenant, { kind: "notification", content: "x", status: "pending" })), "30007");
    expectRefused(await send(await makeTemplate(s.tenant, { kind: "notification", content: "x", status: "rejected" })), "30007");
    expectRefused(await send(await makeTemplate(other.tenant, { kind: "notification", content: "x" })), "30006");
    expectRefused(await send("99999999999999999999"), "30006");
    expectRefused(await send(await makeTemplate(s.tenant, { kind: "marketing", content: "促销" })), "30012");
    const body = expectOk(await send(await makeTemplate(s.tenant, { kind: "notification", content: "通知" })));
    expect((await messageRows(s.tenant.id)).map((r) => [r.batch_id, r.kind])).toEqual([[body.bizId, "notification"]]);
  });

  it("a template bound to a signature is sent only under that signature", async () => {
    const s = await setup();
    const second = await makeSignature(s.tenant);
    const templateId = await makeTemplate(s.tenant, { kind: "notification", content: "通知", signatureId: s.sign.id });
    expectRefused(await call(s, "POST", "/sms/sendTemplate", { phoneNumbers: mobile(), templateId, sign: second.name }), "30013");
    expectOk(await call(s, "POST", "/sms/sendTemplate", { phoneNumbers: mobile(), templateId, sign: s.sign.name }));
  });
});
