// JPush status callbacks through the real pipeline: send via /v1/messages → simulator report →
// one form-encoded POST per event, signed as JPush's callback document says (verified here
// independently: SHA-1 over appKey, masterSecret, nonce and timestamp).
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { updateApp } from "../../../src/store/apps";
import { mobile } from "../../helpers/fixtures";
import { special, waitFor } from "../../jobs/support";
import { tenantDb } from "../../../src/store/db";
import { call, callbackSignature, setup, type JpushSetup } from "./helpers";

afterEach(() => vi.restoreAllMocks());

/** A jpush app whose report and reply URLs are under `hook`. */
async function jpushApp(hook: string): Promise<JpushSetup> {
  const s = await setup();
  await updateApp(tenantDb(env, s.tenant.id), s.appId, { reportUrl: `${hook}/reports`, replyUrl: `${hook}/replies` }, Date.now());
  return s;
}

/** One notice to `m` through /v1/messages; its msg_id. */
async function send(s: JpushSetup, m: string): Promise<string> {
  const res = await call(s, "POST", "/v1/messages", { mobile: m, temp_id: s.noticeTpl, temp_para: { number: "A1", place: "前台" } });
  expect(res.status).toBe(200);
  return res.body.msg_id as string;
}

function receiver(prefix: string) {
  const calls: Array<{ url: string; contentType: string; form: URLSearchParams }> = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith(prefix)) return realFetch(input, init);
    calls.push({ url, contentType: new Headers(init?.headers).get("content-type") ?? "", form: new URLSearchParams(String(init?.body)) });
    return new Response("ok");
  });
  return calls;
}

describe("JPush callbacks (SMS_REPORT, SMS_REPLY)", () => {
  it("posts one signed SMS_REPORT per message, status mapped from the delivery code", async () => {
    const hook = "https://cb.example.com/jpush";
    const calls = receiver(hook);
    const s = await jpushApp(hook);
    const ok = await send(s, mobile());
    const blacklisted = await send(s, special("0007"));

    const reports = await waitFor(async () => {
      const got = calls.filter((c) => c.url.endsWith("/reports"));
      return got.length >= 2 && got;
    }, 20_000, "two report callbacks");
    for (const c of reports) {
      expect(c.contentType).toMatch(/^application\/x-www-form-urlencoded/);
      const f = c.form;
      expect(f.get("type")).toBe("SMS_REPORT");
      expect(f.get("nonce")).toMatch(/^-?\d+$/);
      expect(f.get("timestamp")).toMatch(/^\d{13}$/);
      expect(f.get("signature")).toBe(await callbackSignature(s.appKey, s.secret, f));
    }
    const data = reports.map((c) => JSON.parse(c.form.get("data")!) as { msgId: string; status: number; receiveTime: number; phone: string });
    const byId = new Map(data.map((d) => [d.msgId, d]));
    expect(byId.get(ok)).toMatchObject({ status: 4001, phone: expect.stringMatching(/^139\d{8}$/), receiveTime: expect.any(Number) });
    expect(byId.get(blacklisted)).toMatchObject({ status: 4002, phone: special("0007") });
  });

  it("posts SMS_REPLY for a reply to the tenant's signature", async () => {
    const hook = "https://cb2.example.com/jpush";
    const calls = receiver(hook);
    const s = await jpushApp(hook);
    const m = mobile();
    const res = await call(null, "POST", "/simulator/v1/replies", { mobile: m, content: "好的，收到", signature: s.sign.name });
    expect(res.status).toBeLessThan(300);
    const [reply] = await waitFor(async () => {
      const got = calls.filter((c) => c.url.endsWith("/replies"));
      return got.length >= 1 && got;
    }, 20_000, "reply callback");
    expect(reply!.form.get("type")).toBe("SMS_REPLY");
    expect(JSON.parse(reply!.form.get("data")!)).toEqual({ phone: m, replyTime: expect.any(Number), content: "好的，收到" });
    const f = reply!.form;
    expect(f.get("signature")).toBe(await callbackSignature(s.appKey, s.secret, f));
  });
});
