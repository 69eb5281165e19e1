// JPush review callbacks (SMS_TEMPLATE, SMS_SIGN) pushed when the operator reviews, signed as the
// callback document says; JPush's retry schedule (3 min, 1 h, 12 h); the echostr check a callback
// URL must pass before it is saved. Only the customer's receiver is mocked, at the network edge.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, newTenant } from "../../admin/helpers";
import { updateApp } from "../../../src/store/apps";
import { deliveriesOf, mockReceiver, rows, runQueue, waitFor, type Hook } from "../../jobs/support";
import { tenantDb } from "../../../src/store/db";
import { callbackSignature } from "./helpers";

afterEach(() => vi.restoreAllMocks());

/** A tenant with a JPush app whose report URL is `hook` (set in the store: the echostr check has its own tests). */
async function jpushTenant(hook: string) {
  const t = await newTenant();
  const app = await admin("POST", `/tenants/${t.id}/apps`, { dialect: "jpush" });
  await updateApp(tenantDb(env, t.id), app.body.id, { reportUrl: hook }, Date.now());
  return { tenantId: t.id as string, appKey: app.body.credentials.appKey as string, masterSecret: app.body.credentials.masterSecret as string };
}

const form = (h: Hook) => new URLSearchParams(h.body);

async function expectSigned(h: Hook, appKey: string, masterSecret: string) {
  const f = form(h);
  expect(new Headers(h.init.headers).get("content-type")).toMatch(/^application\/x-www-form-urlencoded/);
  expect(f.get("timestamp")).toMatch(/^\d{13}$/);
  expect(f.get("signature")).toBe(await callbackSignature(appKey, masterSecret, f));
}

describe("SMS_TEMPLATE and SMS_SIGN callbacks", () => {
  it("an approved and a rejected template are each pushed once, with JPush's status numbers", async () => {
    const calls = mockReceiver(() => new Response("ok"));
    const { tenantId, appKey, masterSecret } = await jpushTenant("https://hooks.example.com/jp-tpl");
    const a = await admin("POST", `/tenants/${tenantId}/templates`, { kind: "notification", content: "订单{{no}}已发货" });
    const b = await admin("POST", `/tenants/${tenantId}/templates`, { kind: "marketing", content: "大促{{x}}，回TD退订" });
    expect((await admin("POST", `/tenants/${tenantId}/templates/${a.body.id}/review`, { status: "approved" })).status).toBe(200);
    expect((await admin("POST", `/tenants/${tenantId}/templates/${b.body.id}/review`, { status: "rejected", note: "缺少退订方式说明" })).status).toBe(200);

    const got = await waitFor(async () => calls.length >= 2 && calls, 15_000, "two template callbacks");
    for (const c of got) await expectSigned(c, appKey, masterSecret);
    const events = got.map((c) => ({ type: form(c).get("type"), data: JSON.parse(form(c).get("data")!) }));
    expect(events).toEqual(
      expect.arrayContaining([
        { type: "SMS_TEMPLATE", data: { tempId: a.body.id, status: 1, refuseReason: null } },
        { type: "SMS_TEMPLATE", data: { tempId: b.body.id, status: 2, refuseReason: "缺少退订方式说明" } },
      ]),
    );
    // Both rows, not "every row" alone: that would also hold while none is written yet.
    await waitFor(async () => (await deliveriesOf(tenantId)).filter((d) => d.status === "delivered").length === 2, 10_000, "both delivered");
    const delivered = { topic: "reviews", status: "delivered" };
    expect((await deliveriesOf(tenantId)).map((d) => ({ topic: d.topic, status: d.status }))).toEqual([delivered, delivered]);
  });

  it("a signature verdict is an SMS_SIGN callback", async () => {
    const calls = mockReceiver(() => new Response("ok"));
    const { tenantId, appKey, masterSecret } = await jpushTenant("https://hooks.example.com/jp-sign");
    const sig = await admin("POST", `/tenants/${tenantId}/signatures`, { name: "极速物流" });
    await admin("POST", `/tenants/${tenantId}/signatures/${sig.body.id}/review`, { status: "rejected", note: "资质不符" });
    const [c] = await waitFor(async () => calls.length >= 1 && calls, 15_000, "a signature callback");
    await expectSigned(c!, appKey, masterSecret);
    expect(form(c!).get("type")).toBe("SMS_SIGN");
    expect(JSON.parse(form(c!).get("data")!)).toEqual({ signId: sig.body.id, status: 2, refuseReason: "资质不符" });
  });

  it("apps of other dialects and other tenants hear nothing; a review of an unknown template changes nothing", async () => {
    const calls = mockReceiver(() => new Response("ok"));
    const { tenantId } = await jpushTenant("https://hooks.example.com/jp-own");
    const other = await jpushTenant("https://hooks.example.com/jp-other");
    const smsapi = await admin("POST", `/tenants/${tenantId}/apps`, { dialect: "smsapi" });
    await updateApp(tenantDb(env, tenantId), smsapi.body.id, { reportUrl: "https://hooks.example.com/smsapi" }, Date.now());
    const t = await admin("POST", `/tenants/${tenantId}/templates`, { kind: "notification", content: "到货{{x}}" });
    await admin("POST", `/tenants/${tenantId}/templates/${t.body.id}/review`, { status: "approved" });
    expect((await admin("POST", `/tenants/${tenantId}/templates/999999/review`, { status: "approved" })).status).toBe(404);
    await waitFor(async () => calls.length >= 1, 15_000, "the callback");
    expect(calls.map((c) => c.url)).toEqual(["https://hooks.example.com/jp-own"]);
    expect(await deliveriesOf(other.tenantId)).toEqual([]);
    expect((await deliveriesOf(tenantId)).length).toBe(1);
  });
});

describe("JPush callback retries", () => {
  it("retried after 3 min, 1 h and 12 h, then dead (four attempts in all)", async () => {
    mockReceiver(() => new Response("busy", { status: 503 }));
    const { tenantId } = await jpushTenant("https://hooks.example.com/jp-retry");
    const t = await admin("POST", `/tenants/${tenantId}/templates`, { kind: "notification", content: "取件码{{x}}" });
    const before = Date.now();
    await admin("POST", `/tenants/${tenantId}/templates/${t.body.id}/review`, { status: "approved" });
    const first = await waitFor(async () => {
      const [d] = await rows<{ id: string; attempts: number; next_at: number }>("SELECT id, attempts, next_at FROM webhook_deliveries WHERE tenant_id = ?1", tenantId);
      return d && d.attempts === 1 && d;
    }, 15_000, "the first attempt");
    // The first failure is retried 3 minutes later.
    expect(first.next_at - before).toBeGreaterThanOrEqual(180_000);
    expect(first.next_at - Date.now()).toBeLessThanOrEqual(180_000);
    const delays: Array<number | undefined> = [];
    for (let attempt = 2; attempt <= 4; attempt++) {
      delays.push((await runQueue("edgesms-webhooks", [{ id: `j${attempt}`, attempts: attempt, body: { deliveryId: first.id } }])).retryMessages[0]?.delaySeconds);
    }
    expect(delays).toEqual([3600, 43200, undefined]);
    expect((await deliveriesOf(tenantId))[0]).toMatchObject({ status: "dead", attempts: 4, last_error: "HTTP 503: busy" });
  });
});

describe("callback URL echostr check", () => {
  async function jpushApp() {
    const t = await newTenant();
    const app = await admin("POST", `/tenants/${t.id}/apps`, { dialect: "jpush" });
    return `/tenants/${t.id}/apps/${app.body.id}`;
  }

  it("a URL that echoes the 8-character echostr is saved; the check is a GET on that URL with its own query kept", async () => {
    const calls = mockReceiver((c) => new Response(new URL(c.url).searchParams.get("echostr") ?? ""));
    const url = await jpushApp();
    const res = await admin("PATCH", url, { report_url: "https://hooks.example.com/jp-echo?app=1", reply_url: "https://hooks.example.com/jp-echo-replies" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ report_url: "https://hooks.example.com/jp-echo?app=1", reply_url: "https://hooks.example.com/jp-echo-replies" });
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      expect(c.init.method).toBe("GET");
      expect(new URL(c.url).searchParams.get("echostr")).toMatch(/^[A-Za-z0-9]{8}$/);
    }
    expect(new URL(calls[0]!.url).searchParams.get("app")).toBe("1");
    // Setting the same URL again does not check it again.
    expect((await admin("PATCH", url, { report_url: "https://hooks.example.com/jp-echo?app=1" })).status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it.each([
    ["a wrong answer", () => new Response("hello"), "the echostr check was not answered with the echostr value"],
    ["a non-2xx answer", () => new Response("nope", { status: 404 }), "the echostr check got HTTP 404"],
    [
      "no answer in time",
      () => {
        throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
      },
      "the echostr check timed out after 5 s",
    ],
  ])("%s refuses the URL with 400 and saves nothing", async (_name, answer, message) => {
    mockReceiver(answer);
    const url = await jpushApp();
    const res = await admin("PATCH", url, { report_url: "https://hooks.example.com/jp-bad", name: "changed" });
    expect(res.status).toBe(400);
    expect(res.body.error.issues).toEqual([{ path: "report_url", message }]);
    expect((await admin("GET", url)).body).toMatchObject({ report_url: null, name: "" });
  });

  it("other dialects' URLs are saved without a check", async () => {
    const calls = mockReceiver(() => new Response(""));
    const t = await newTenant();
    const app = await admin("POST", `/tenants/${t.id}/apps`, { dialect: "paasw" });
    expect((await admin("PATCH", `/tenants/${t.id}/apps/${app.body.id}`, { report_url: "https://hooks.example.com/paasw" })).status).toBe(200);
    expect(calls).toHaveLength(0);
  });
});
