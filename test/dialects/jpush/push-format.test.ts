// JPush status callbacks through the real pipeline: send via /v1/messages → simulator report →
// one form-encoded POST per event, signed as JPush's callback document says (verified here
// independently: SHA-1 over appKey, masterSecret, nonce and timestamp).
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { updateApp } from "../../../src/store/apps";
import { makeCredential, makeSignature, makeTemplate, makeTenant, mobile } from "../../helpers/fixtures";
import { special, waitFor } from "../../jobs/support";
import { tenantDb } from "../../../src/store/db";

afterEach(() => vi.restoreAllMocks());

const sha1 = async (s: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode(s)))].map((b) => b.toString(16).padStart(2, "0")).join("");

async function jpushApp(hook: string) {
  const tenant = await makeTenant({ balance: 100_000 });
  const sig = await makeSignature(tenant);
  const tempId = await makeTemplate(tenant, { kind: "notification", content: "您的订单{{order}}已发货", signatureId: sig.id });
  const cred = await makeCredential(tenant, "jpush");
  await updateApp(tenantDb(env, tenant.id), cred.app.id, { reportUrl: `${hook}/reports`, replyUrl: `${hook}/replies` }, Date.now());
  const auth = `Basic ${btoa(`${cred.app.key}:${cred.secret}`)}`;
  const send = async (m: string) => {
    const res = await exports.default.fetch("http://gw/v1/messages", {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({ mobile: m, temp_id: tempId, temp_para: { order: "A1" } }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { msg_id: string }).msg_id;
  };
  return { tenant, sig, cred, send };
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
    const { cred, send } = await jpushApp(hook);
    const ok = await send(mobile());
    const blacklisted = await send(special("0007"));

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
      const expected = await sha1(`appKey=${cred.app.key}&appMasterSecret=${cred.secret}&nonce=${f.get("nonce")}&timestamp=${f.get("timestamp")}`);
      expect(f.get("signature")).toBe(expected);
    }
    const data = reports.map((c) => JSON.parse(c.form.get("data")!) as { msgId: string; status: number; receiveTime: number; phone: string });
    const byId = new Map(data.map((d) => [d.msgId, d]));
    expect(byId.get(ok)).toMatchObject({ status: 4001, phone: expect.stringMatching(/^139\d{8}$/), receiveTime: expect.any(Number) });
    expect(byId.get(blacklisted)).toMatchObject({ status: 4002, phone: special("0007") });
  });

  it("posts SMS_REPLY for a reply to the tenant's signature", async () => {
    const hook = "https://cb2.example.com/jpush";
    const calls = receiver(hook);
    const { sig, cred } = await jpushApp(hook);
    const m = mobile();
    const res = await exports.default.fetch("http://gw/simulator/v1/replies", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mobile: m, content: "好的，收到", signature: sig.name }),
    });
    expect(res.status).toBeLessThan(300);
    const [reply] = await waitFor(async () => {
      const got = calls.filter((c) => c.url.endsWith("/replies"));
      return got.length >= 1 && got;
    }, 20_000, "reply callback");
    expect(reply!.form.get("type")).toBe("SMS_REPLY");
    expect(JSON.parse(reply!.form.get("data")!)).toEqual({ phone: m, replyTime: expect.any(Number), content: "好的，收到" });
    const f = reply!.form;
    expect(f.get("signature")).toBe(await sha1(`appKey=${cred.app.key}&appMasterSecret=${cred.secret}&nonce=${f.get("nonce")}&timestamp=${f.get("timestamp")}`));
  });
});
