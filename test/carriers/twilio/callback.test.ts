// Twilio's status callbacks and incoming-message webhooks through the carrier type's callback:
// X-Twilio-Signature (computed here independently with WebCrypto), mapping and acknowledgement.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { twilioKind } from "../../../src/carriers/twilio/kind";
import { TwilioSettings } from "../../../src/carriers/twilio/settings";
import { config } from "../fakes";

const ACCOUNT = `AC${"a1".repeat(16)}`;
const settings = TwilioSettings.parse({ accountSid: ACCOUNT, authToken: "auth-token-0123456789", from: "+15005550006", callbackUrl: "https://sms.example.com/webhooks/carriers/tw1", replySignature: "边缘短信" });
const cfg = config("twilio", settings, "tw1");
const SID = `SM${"b2".repeat(16)}`;

/** Twilio's documented algorithm, written out here: URL + sorted name/value pairs, HMAC-SHA1, Base64. */
async function sign(url: string, params: Record<string, string>, token = settings.authToken): Promise<string> {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join("");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(token), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  return btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data)))));
}

/** A webhook as Twilio sends it to the public URL; it reaches the Worker at a local address. */
async function webhook(params: Record<string, string>, opts: { query?: string; signature?: string | null; token?: string } = {}) {
  const query = opts.query ?? "";
  const signature = opts.signature === undefined ? await sign(`https://sms.example.com/webhooks/carriers/tw1${query}`, params, opts.token) : opts.signature;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (signature !== null) headers["x-twilio-signature"] = signature;
  return twilioKind.callback!(new Request(`http://127.0.0.1:8787/webhooks/carriers/tw1${query}`, { method: "POST", headers, body: new URLSearchParams(params).toString() }), env, cfg);
}

const status = (s: string, extra: Record<string, string> = {}) => ({ AccountSid: ACCOUNT, MessageSid: SID, SmsSid: SID, MessageStatus: s, SmsStatus: s, To: "+15005550009", From: "+15005550006", ApiVersion: "2010-04-01", ...extra });

describe("twilio callback", () => {
  it("refuses an unsigned, wrongly signed or other-account webhook with 403", async () => {
    for (const r of [
      await webhook(status("delivered"), { signature: null }),
      await webhook(status("delivered"), { token: "another-token-000000" }),
      await webhook(status("delivered"), { signature: "GvWf1cFY/Q7PnoempGyD5oXAezc=" }),
      await webhook({ ...status("delivered"), AccountSid: `AC${"c3".repeat(16)}` }),
    ]) {
      expect(r instanceof Response && r.status).toBe(403);
    }
  });

  it("a signature over the URL with ?m=<id> (the StatusCallback) verifies; the report names the SID and the id", async () => {
    const r = await webhook(status("delivered"), { query: "?m=1234567890123456789" });
    if (r instanceof Response) throw new Error(await r.text());
    expect(r.events).toEqual({ reports: [{ ref: SID, message_id: "1234567890123456789", code: "10000" }], replies: [] });
    expect(r.ack.headers.get("content-type")).toBe("text/xml");
    expect(await r.ack.text()).toContain("<Response></Response>");
  });

  it("maps statuses: undelivered by ErrorCode, failed → 1, intermediate ones report nothing", async () => {
    const get = async (p: Record<string, string>) => {
      const r = await webhook(p);
      if (r instanceof Response) throw new Error(await r.text());
      return r.events.reports;
    };
    expect(await get(status("undelivered", { ErrorCode: "30004" }))).toEqual([{ ref: SID, code: "7" }]);
    expect(await get(status("undelivered", { ErrorCode: "30007" }))).toEqual([{ ref: SID, code: "6" }]);
    expect(await get(status("undelivered"))).toEqual([{ ref: SID, code: "4" }]);
    expect(await get(status("failed", { ErrorCode: "30001" }))).toEqual([{ ref: SID, code: "1" }]);
    for (const s of ["queued", "sending", "sent", "accepted"]) expect(await get(status(s))).toEqual([]);
  });

  it("turns an incoming message into a reply to the configured signature", async () => {
    const r = await webhook({ AccountSid: ACCOUNT, MessageSid: SID, SmsSid: SID, SmsStatus: "received", From: "+15005550009", To: "+15005550006", Body: "STOP", NumMedia: "0" });
    if (r instanceof Response) throw new Error(await r.text());
    expect(r.events).toEqual({ reports: [], replies: [{ ref: SID, mobile: "+15005550009", content: "STOP", signature: "边缘短信" }] });
  });

  it("without a reply signature an incoming message is a bare reply (to the tenant that last messaged the sender)", async () => {
    const bareCfg = config("twilio", { ...settings, replySignature: null }, "tw1");
    const params = { AccountSid: ACCOUNT, MessageSid: SID, SmsStatus: "received", From: "+15005550009", To: "+15005550006", Body: "hello", NumMedia: "0" };
    const r = await twilioKind.callback!(
      new Request("http://127.0.0.1:8787/webhooks/carriers/tw1", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": await sign("https://sms.example.com/webhooks/carriers/tw1", params) },
        body: new URLSearchParams(params).toString(),
      }),
      env,
      bareCfg,
    );
    if (r instanceof Response) throw new Error(await r.text());
    expect(r.events.replies).toEqual([{ ref: SID, mobile: "+15005550009", content: "hello" }]);
  });

  it("refuses what is not a form post, or a signed form that is neither a status nor a message", async () => {
    const json = await twilioKind.callback!(new Request("http://127.0.0.1/webhooks/carriers/tw1", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), env, cfg);
    expect(json instanceof Response && json.status).toBe(415);
    const odd = await webhook({ AccountSid: ACCOUNT, Foo: "bar" });
    expect(odd instanceof Response && odd.status).toBe(400);
  });
});
