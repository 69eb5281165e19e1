// Unknown submit outcomes reconciled by asking the provider (Carrier.query), never by sending again
// blindly: through the real Worker, queues and the providers' loopback fakes.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomHex } from "../../src/core/crypto";
import { reconcileUnknown } from "../../src/jobs/reconcile";
import { cronJobs } from "../../src/jobs/cron";
import { admin } from "../admin/helpers";
import { call, setup, type JpushSetup } from "../dialects/jpush/helpers";
import { rows, waitFor } from "../jobs/support";
import { fakeRequests, fakeUrl, mobile } from "./fakes";

interface Msg {
  status: string;
  result_code: string | null;
  carrier: string | null;
  carrier_ref: string | null;
  submit_unknown: number;
}
const messageRow = async (id: string) => (await rows<Msg>("SELECT status, result_code, carrier, carrier_ref, submit_unknown FROM messages WHERE id = ?1", id))[0]!;

/** The unknown outcome happened two minutes ago: old enough to be asked about (and for the provider's listing to be complete). */
const age = (id: string) => env.DB.prepare("UPDATE messages SET updated_at = updated_at - 120000, submitted_at = submitted_at - 120000 WHERE id = ?1").bind(id).run();

async function unknownSend(s: JpushSetup, carriers: string[], m: string): Promise<string> {
  await admin("PUT", "/routes", [{ tenant: s.tenant.id, carriers }, { carriers: ["simulator"] }]);
  const id = (await call(s, "POST", "/v1/messages", { mobile: m, temp_id: s.noticeTpl, temp_para: { number: "SF1", place: "前台" } })).body.msg_id as string;
  await waitFor(async () => (await messageRow(id)).submit_unknown === 1, 15_000, "unknown outcome");
  await age(id);
  return id;
}

async function aliyunCarrier(s: JpushSetup) {
  const accessKeyId = `LTAI${randomHex(8)}`;
  const name = `ali-${randomHex(3)}`;
  await admin("POST", "/carriers", { name, type: "aliyun", aliyun: { accessKeyId, accessKeySecret: `secret-${accessKeyId}`, callbackToken: `tok${randomHex(10)}`, endpoint: fakeUrl("aliyun"), timeoutMs: 300 } });
  await admin("PUT", `/carriers/${name}/templates`, { tenant_id: s.tenant.id, templates: [{ template_id: s.noticeTpl, code: "SMS_1", sign_name: "边缘测试" }] });
  return { name, accessKeyId };
}

describe("reconciling unknown submits", () => {
  it("Aliyun never got it (QuerySendDetails finds nothing): queued again and handed over — only after asking", async () => {
    const s = await setup();
    const ali = await aliyunCarrier(s);
    await unknownSend(s, [ali.name], mobile("hangLost").slice(3));
    expect(await reconcileUnknown(env, Date.now(), 100)).toMatchObject({ asked: 1, requeued: 1 });
    const actions = await waitFor(async () => {
      const r = await fakeRequests("aliyun", ali.accessKeyId);
      return r.filter((x) => x.action === "SendSms").length === 2 && r.map((x) => x.action);
    }, 15_000, "the second SendSms");
    expect(actions).toEqual(["SendSms", "QuerySendDetails", "SendSms"]);
  });

  it("Aliyun did get it (waiting for its receipt): left submitted, never sent again; asked again only after the interval", async () => {
    const s = await setup();
    const ali = await aliyunCarrier(s);
    const id = await unknownSend(s, [ali.name], mobile("hangSent").slice(3));
    expect(await reconcileUnknown(env, Date.now(), 100)).toMatchObject({ asked: 1, requeued: 0 });
    expect(await reconcileUnknown(env, Date.now(), 100)).toMatchObject({ asked: 0 });
    // The stuck-claim sweep (a crashed consumer's rows) never takes an unknown submit, however old.
    await env.DB.prepare("UPDATE messages SET submitted_at = submitted_at - 3600000 WHERE id = ?1").bind(id).run();
    await cronJobs.requeueStuck!(env, Date.now());
    expect(await messageRow(id)).toMatchObject({ status: "submitted", submit_unknown: 1, carrier: ali.name });
    expect((await fakeRequests("aliyun", ali.accessKeyId)).map((x) => x.action)).toEqual(["SendSms", "QuerySendDetails"]);
  });

  it("Tencent reports it final: the message is final with that code", async () => {
    const s = await setup();
    const secretId = `AKID${randomHex(8)}`;
    const tc = `tc-${randomHex(3)}`;
    await admin("POST", "/carriers", { name: tc, type: "tencent", tencent: { secretId, secretKey: `secret-${secretId}`, smsSdkAppId: "1400000009", callbackToken: `tok${randomHex(10)}`, endpoint: fakeUrl("tencent"), timeoutMs: 300 } });
    await admin("PUT", `/carriers/${tc}/templates`, { tenant_id: s.tenant.id, templates: [{ template_id: s.noticeTpl, code: "1", sign_name: "边缘测试" }] });
    const id = await unknownSend(s, [tc], mobile("hangSent").slice(3));
    expect(await reconcileUnknown(env, Date.now(), 100)).toMatchObject({ asked: 1, final: 1 });
    expect(await messageRow(id)).toMatchObject({ status: "delivered", result_code: "10000" });
  });

  it("Twilio made it (found in the list): its SID is recorded, and Twilio's status callback then delivers it", async () => {
    const s = await setup();
    const accountSid = `AC${randomHex(16)}`;
    const tw = `tw-${randomHex(3)}`;
    await admin("POST", "/carriers", { name: tw, type: "twilio", twilio: { accountSid, authToken: `token-${accountSid}`, from: "+15005550006", callbackUrl: `https://gw.example/webhooks/carriers/${tw}`, endpoint: fakeUrl("twilio"), timeoutMs: 300 } });
    const m = mobile("hangSent").slice(3);
    const id = await unknownSend(s, [tw], m);
    expect(await reconcileUnknown(env, Date.now(), 100)).toMatchObject({ asked: 1, recorded: 1 });
    const row = await messageRow(id);
    expect(row).toMatchObject({ status: "submitted", submit_unknown: 0, carrier: tw, carrier_ref: expect.stringMatching(/^SM/) });
    const params = { AccountSid: accountSid, MessageSid: row.carrier_ref!, MessageStatus: "delivered", To: `+86${m}`, From: "+15005550006" };
    const data = `https://gw.example/webhooks/carriers/${tw}` + Object.keys(params).sort().map((k) => k + params[k as keyof typeof params]).join("");
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(`token-${accountSid}`), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
    const sig = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data)))));
    const res = await exports.default.fetch(`http://gw/webhooks/carriers/${tw}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": sig }, body: new URLSearchParams(params).toString() });
    expect(res.status).toBe(200);
    expect(await messageRow(id)).toMatchObject({ status: "delivered", result_code: "10000" });
    expect((await fakeRequests("twilio", accountSid)).map((x) => x.action)).toEqual(["CreateMessage", "ListMessages"]);
  });
});
