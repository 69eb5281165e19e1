/// <reference types="vite/client" />
// smsapi codes not exercised with their endpoints elsewhere: 40011 blocked word, 42901 repeated
// content (with Retry-After), and 50000 real server faults,
// each in the {code, message, data} envelope with its HTTP status, nothing internal and nothing
// half-written. The last test checks that every code of src/dialects/smsapi/errors.ts is named by a test.
import { afterEach, describe, expect, it, vi } from "vitest";
import { SMSAPI_ERRORS, SMSAPI_OWN } from "../../../src/dialects/smsapi/errors";
import { mobile, money } from "../../helpers/fixtures";
import { corruptTenantSettings, failMessageInserts, INTERNALS, written } from "../../helpers/faults";
import { admin } from "../../admin/helpers";
import self from "./errors.test.ts?raw";
import { setup, call, expectEnvelope, type SmsapiSetup, type Json, type Answer } from "./helpers";

afterEach(() => vi.restoreAllMocks());

async function settle(s: SmsapiSetup, settings: Record<string, unknown>): Promise<void> {
  const res = await admin("PATCH", `/tenants/${s.tenant.id}`, { settings });
  expect(res.status).toBe(200);
}

const codes = (body: Json) => body.data.messages.map((m: Json) => m.code ?? "ok");

describe("40011: a blocked word in the content", () => {
  it("refuses a single send whole and lists it per item in batches; refused items cost nothing", async () => {
    const s = await setup({ balance: 1000, price: 10 });
    await settle(s, { blockedWords: ["澳门赌场"] });
    const text = (t: string) => `【${s.sign.name}】${t}`;
    const before = await written(s.tenant.id);

    const single = expectEnvelope(await call(s, "POST", "industry", { mobile: mobile(), content: text("欢迎光临澳门赌场") }), 400, 40011, /blocked word: 澳门赌场/);
    expect(single.data).toBeNull();
    // The global list applies to every tenant.
    expectEnvelope(await call(s, "POST", "industry", { mobile: mobile(), content: text("六合彩开奖") }), 400, 40011, /六合彩/);
    const allBlocked = expectEnvelope(await call(s, "POST", "batch", { mobiles: `${mobile()},${mobile()}`, content: text("澳门赌场"), sendTime: 0 }), 400, 40011);
    expect(codes(allBlocked)).toEqual([40011, 40011]);
    expect(await written(s.tenant.id)).toEqual(before);

    const mixed = expectEnvelope(
      await call(s, "POST", "personality", { smses: [{ mobile: mobile(), content: text("澳门赌场") }, { mobile: mobile(), content: text("澳门美食") }], sendTime: 0 }),
      200,
      0,
    );
    expect(codes(mixed)).toEqual([40011, "ok"]);
    expect(mixed.data).toMatchObject({ accepted: 1, amount: 10 });
    expect(await money(s.tenant.id)).toEqual({ balance: 990, ledger: 990 });
  });
});

describe("42901: the same content to the same mobile inside the repeat window", () => {
  it("429 with Retry-After for a single send; per item in a batch; another text goes", async () => {
    const s = await setup({ balance: 1000, price: 10 });
    await settle(s, { repeatWindowSeconds: 300 });
    const m = mobile();
    const body = { mobile: m, content: `【${s.sign.name}】您的快件已签收` };
    expectEnvelope(await call(s, "POST", "industry", body), 200, 0);

    const res = await call(s, "POST", "industry", body);
    const retry = Number(res.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(300);
    const refused = expectEnvelope(res, 429, 42901, /same content .* retry in \d+ s/);
    expect(refused.message).not.toMatch(INTERNALS);
    expect(await money(s.tenant.id)).toEqual({ balance: 990, ledger: 990 });

    const other = mobile();
    const batch = expectEnvelope(await call(s, "POST", "batch", { mobiles: `${m},${other}`, content: body.content, sendTime: 0 }), 200, 0);
    expect(codes(batch)).toEqual([42901, "ok"]);
    expectEnvelope(await call(s, "POST", "industry", { mobile: m, content: `【${s.sign.name}】您的快件已派送` }), 200, 0);
    expect(await money(s.tenant.id)).toEqual({ balance: 970, ledger: 970 });
  });
});

describe("50000: real server faults", () => {
  const serverError = (res: Answer) => {
    expect({ status: res.status, body: res.body }).toEqual({ status: 500, body: { code: 50000, message: "internal server error", data: null } });
    expect(JSON.stringify(res.body)).not.toMatch(INTERNALS);
  };

  it("a D1 failure inside the accept batch: every send route, now or scheduled; nothing debited or written; logged", async () => {
    const s = await setup({ balance: 1000, price: 10 });
    const content = `【${s.sign.name}】通知`;
    const before = await written(s.tenant.id);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const restore = await failMessageInserts(s.tenant.id);
    try {
      serverError(await call(s, "POST", "industry", { mobile: mobile(), content }));
      serverError(await call(s, "POST", "personality", { smses: [{ mobile: mobile(), content }, { mobile: mobile(), content }], sendTime: 0 }));
      serverError(await call(s, "POST", "batch", { mobiles: `${mobile()},${mobile()}`, content, sendTime: Math.floor(Date.now() / 1000) + 3600 }));
    } finally {
      await restore();
    }
    expect(await written(s.tenant.id)).toEqual(before);
    expect(await money(s.tenant.id)).toEqual({ balance: 1000, ledger: 1000 });
    const logged = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"where":"smsapi"'));
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/disk is full/);
    expectEnvelope(await call(s, "POST", "industry", { mobile: mobile(), content }), 200, 0);
  });

  it("a stored tenant row that cannot be read: 50000 on every route, cancel included", async () => {
    const s = await setup();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await corruptTenantSettings(s.tenant.id);
    serverError(await call(s, "POST", "industry", { mobile: mobile(), content: `【${s.sign.name}】x` }));
    serverError(await call(s, "POST", "cancel", { id: "1234567890123456789" }));
    expect(await money(s.tenant.id)).toEqual({ balance: 10_000, ledger: 10_000 });
  });
});

describe("the code table", () => {
  it("every code in src/dialects/smsapi/errors.ts is asserted by some smsapi test, except those no route can raise", () => {
    const sources = import.meta.glob(["./*.test.ts", "!./errors.test.ts"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;
    expect(Object.keys(sources).length).toBeGreaterThanOrEqual(2);
    const text = [...Object.values(sources), self].join("\n");
    const unreachable = [
      SMSAPI_ERRORS.template_not_found.code, // 40010: these routes take no template
      SMSAPI_ERRORS.code_wrong.code, // 40014: nothing verifies a code
      SMSAPI_ERRORS.not_cancelable.code, // 40900: cancel answers per id with a status, never this code
    ];
    expect(unreachable).toEqual([40010, 40014, 40900]);
    const all = [...new Set([...Object.values(SMSAPI_ERRORS), ...Object.values(SMSAPI_OWN)].map((e) => e.code))];
    // A code counts when a test asserts it as a number (expectEnvelope(…, status, code) or code: N).
    expect(all.filter((c) => !unreachable.includes(c) && !new RegExp(`(, |: |\\[)${c}\\b`).test(text))).toEqual([]);
  });
});
