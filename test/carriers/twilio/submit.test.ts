// The Twilio adapter against the loopback fake of the Messages API: one create per message with
// Basic auth, the error table, timeouts as "unknown", and fetch-by-SID / list-by-number queries.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { twilioKind } from "../../../src/carriers/twilio/kind";
import { TwilioSettings } from "../../../src/carriers/twilio/settings";
import { randomHex } from "../../../src/core/crypto";
import { byId, config, fakeRequests, fakeUrl, message, mobile } from "../fakes";

function account(over: Record<string, unknown> = {}) {
  const accountSid = `AC${randomHex(16)}`;
  const settings = TwilioSettings.parse({
    accountSid,
    authToken: `token-${accountSid}`,
    from: "+15005550006",
    callbackUrl: "https://gw.example/webhooks/carriers/tw1",
    endpoint: fakeUrl("twilio"),
    ...over,
  });
  const carrier = twilioKind.create(env, config("twilio", settings));
  return { accountSid, carrier, sent: () => fakeRequests("twilio", accountSid) };
}

describe("twilio submit", () => {
  it("creates one message per SMS: To, Body (the full text), From, StatusCallback carrying the id; ref = SID", async () => {
    const t = account();
    const m = message({ providerTemplate: null });
    const [r] = await t.carrier.submit([m]);
    expect(r).toEqual({ id: m.id, outcome: "sent", refs: [expect.stringMatching(/^SM[0-9a-f]{32}$/)] });
    const [req] = await t.sent();
    expect(req!.action).toBe("CreateMessage");
    expect(req!.params).toEqual({ To: m.mobile, Body: m.content, From: "+15005550006", StatusCallback: `https://gw.example/webhooks/carriers/tw1?m=${m.id}` });
    expect(req!.headers.authorization).toBe(`Basic ${btoa(`${t.accountSid}:token-${t.accountSid}`)}`);
  });

  it("uses an API key when set, a Messaging Service instead of From, and the tenant's sender where given", async () => {
    const sk = `SK${randomHex(16)}`;
    const t = account({ apiKeySid: sk, apiKeySecret: `keysecret-${sk}`, from: null, messagingServiceSid: `MG${randomHex(16)}` });
    const a = message();
    const b = message({ sourceAddr: "+15005550001" });
    const r = await t.carrier.submit([a, b]);
    expect(r.map((x) => x.outcome)).toEqual(["sent", "sent"]);
    const reqs = await t.sent();
    expect(reqs[0]!.headers.authorization).toBe(`Basic ${btoa(`${sk}:keysecret-${sk}`)}`);
    const byTo = new Map(reqs.map((q) => [q.params.To, q.params]));
    expect(byTo.get(a.mobile)).toMatchObject({ MessagingServiceSid: expect.stringMatching(/^MG/) });
    expect(byTo.get(a.mobile).From).toBeUndefined();
    expect(byTo.get(b.mobile)).toMatchObject({ From: "+15005550001" });
  });

  it("maps Twilio's errors: invalid number and STOP permanent, region permission and 429 transient, 500 and a proxy's 502 unknown", async () => {
    const t = account();
    const ms = {
      invalid: message({ mobile: mobile("invalid") }),
      stop: message({ mobile: mobile("frequency") }),
      region: message({ mobile: mobile("account") }),
      rate: message({ mobile: mobile("rate") }),
      server: message({ mobile: mobile("server") }),
      proxy: message({ mobile: mobile("proxy") }),
    };
    const r = byId(await t.carrier.submit(Object.values(ms)));
    expect(r.get(ms.invalid.id)).toMatchObject({ outcome: "permanent", code: "1", reason: expect.stringContaining("21211") });
    expect(r.get(ms.stop.id)).toMatchObject({ outcome: "permanent", code: "7", reason: expect.stringContaining("21610") });
    expect(r.get(ms.region.id)).toMatchObject({ outcome: "transient", reason: expect.stringContaining("21408") });
    expect(r.get(ms.rate.id)).toMatchObject({ outcome: "transient", reason: expect.stringContaining("429") });
    expect(r.get(ms.server.id)).toMatchObject({ outcome: "unknown", reason: expect.stringContaining("20500") });
    expect(r.get(ms.proxy.id)).toMatchObject({ outcome: "unknown", reason: expect.stringContaining("502") });
  });

  it("a wrong Auth Token is refused (20003) and transient; a body over 1600 characters is permanent without a call", async () => {
    const accountSid = `AC${randomHex(16)}`;
    const bad = twilioKind.create(env, config("twilio", TwilioSettings.parse({ accountSid, authToken: "wrong-token-0123456789", from: "+15005550006", callbackUrl: "https://gw.example/cb", endpoint: fakeUrl("twilio") })));
    const m = message();
    expect((await bad.submit([m]))[0]).toMatchObject({ outcome: "transient", reason: expect.stringContaining("20003") });
    const t = account();
    const long = message({ content: "x".repeat(1601) });
    expect((await t.carrier.submit([long]))[0]).toMatchObject({ outcome: "permanent", code: "1" });
    expect(await t.sent()).toHaveLength(0);
  });
});

describe("twilio unknown outcome → fetch by SID or list by number", () => {
  it("a timed-out create that Twilio made is found in the list by number and time (pending, with its SID)", async () => {
    const t = account({ timeoutMs: 300 });
    const m = message({ mobile: mobile("hangSent") });
    const submittedAt = Date.now();
    expect((await t.carrier.submit([m]))[0]).toMatchObject({ outcome: "unknown" });
    expect(await t.carrier.query!([{ id: m.id, mobile: m.mobile, refs: [], submittedAt }])).toEqual([{ id: m.id, state: "pending", refs: [expect.stringMatching(/^SM/)] }]);
    const list = (await t.sent()).find((r) => r.action === "ListMessages")!;
    expect(list.params).toMatchObject({ To: m.mobile });
  });

  it("a create Twilio never made is not_found once a minute has passed, pending before", async () => {
    const t = account({ timeoutMs: 300 });
    const m = message({ mobile: mobile("hangLost") });
    expect((await t.carrier.submit([m]))[0]!.outcome).toBe("unknown");
    expect(await t.carrier.query!([{ id: m.id, mobile: m.mobile, refs: [], submittedAt: Date.now() }])).toEqual([{ id: m.id, state: "pending" }]);
    expect(await t.carrier.query!([{ id: m.id, mobile: m.mobile, refs: [], submittedAt: Date.now() - 120_000 }])).toEqual([{ id: m.id, state: "not_found" }]);
  });

  it("fetches by SID: delivered and undelivered (30003 → 4) are final", async () => {
    const t = account();
    const ok = message();
    const bad = message({ mobile: mobile("undelivered") });
    const sent = byId(await t.carrier.submit([ok, bad]));
    const refs = (id: string) => { const r = sent.get(id)!; return r.outcome === "sent" ? r.refs : []; };
    const q = byId(await t.carrier.query!([ok, bad].map((m) => ({ id: m.id, mobile: m.mobile, refs: refs(m.id), submittedAt: Date.now() }))));
    expect(q.get(ok.id)).toEqual({ id: ok.id, state: "final", code: "10000", refs: refs(ok.id) });
    expect(q.get(bad.id)).toEqual({ id: bad.id, state: "final", code: "4", refs: refs(bad.id) });
    expect((await t.sent()).filter((r) => r.action === "FetchMessage")).toHaveLength(2);
  });
});

describe("twilio settings", () => {
  const base = { accountSid: `AC${"0".repeat(32)}`, authToken: "0123456789abcdef", callbackUrl: "https://gw.example/webhooks/carriers/tw1" };
  it("needs a sender, keeps API key fields together, https endpoints and callback", () => {
    expect(TwilioSettings.safeParse(base).success).toBe(false);
    expect(TwilioSettings.parse({ ...base, from: "+15005550006" }).endpoint).toBe("https://api.twilio.com");
    expect(TwilioSettings.safeParse({ ...base, from: "EdgeSMS" }).error).toBeUndefined();
    expect(TwilioSettings.safeParse({ ...base, from: "+15005550006", apiKeySid: `SK${"0".repeat(32)}` }).success).toBe(false);
    expect(TwilioSettings.safeParse({ ...base, from: "+15005550006", callbackUrl: "http://gw.example/cb" }).success).toBe(false);
    expect(TwilioSettings.safeParse({ ...base, from: "+15005550006", accountSid: "AC123" }).success).toBe(false);
  });
});
