// Pushes: retried on 500 and on timeout with the documented schedule, dead after the last attempt
// (rows become pullable, a dead letter is kept), never followed into redirects or private networks.
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mobile } from "../helpers/fixtures";
import { webhookUrlProblem } from "../../src/core/webhooks";
import { accept, deliveriesOf, hmacHex, mockReceiver, rows, runQueue, sender, waitFor } from "./support";

afterEach(() => vi.restoreAllMocks());

const firstAttempt = (tenantId: string) =>
  waitFor(async () => {
    const d = await deliveriesOf(tenantId);
    return d.length === 1 && d[0]!.attempts >= 1 && d[0]!;
  }, 15_000, "the first push attempt");

const reportPushState = (tenantId: string) =>
  rows<{ push_id: string | null; pushed_at: number | null }>("SELECT push_id, pushed_at FROM reports WHERE tenant_id = ?1", tenantId);

describe("webhook pushes", () => {
  it("a 500 is retried after 60 s; the next 2xx marks the push and its reports delivered", async () => {
    const calls = mockReceiver((_c, n) => new Response(n === 1 ? "boom" : "ok", { status: n === 1 ? 500 : 200 }));
    const s = await sender({ reportUrl: "https://hooks.example.com/r" });
    await accept(s, [mobile()]);
    const d = await firstAttempt(s.tenant.id);
    expect(d).toMatchObject({ status: "pending", attempts: 1, last_error: "HTTP 500: boom", topic: "reports" });
    expect(await reportPushState(s.tenant.id)).toEqual([{ push_id: d.id, pushed_at: null }]);

    const res = await runQueue("edgesms-webhooks", [{ id: "w2", attempts: 2, body: { deliveryId: d.id } }]);
    expect(res.explicitAcks).toEqual(["w2"]);
    expect((await deliveriesOf(s.tenant.id))[0]).toMatchObject({ status: "delivered", attempts: 2, last_error: null });
    expect((await reportPushState(s.tenant.id))[0]!.pushed_at).toEqual(expect.any(Number));
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toBe(calls[0]!.body);
    // A late redelivery of an already delivered push sends nothing.
    await runQueue("edgesms-webhooks", [{ id: "w3", attempts: 3, body: { deliveryId: d.id } }]);
    expect(calls).toHaveLength(2);
  });

  it("a timeout is a failure retried on schedule; after the 6th failure the push is dead and its reports pullable", async () => {
    mockReceiver(() => {
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    });
    const s = await sender({ reportUrl: "https://hooks.example.com/slow" });
    await accept(s, [mobile(), mobile()]);
    const d = await firstAttempt(s.tenant.id);
    expect(d.last_error).toBe("timed out after 10 s");
    const delays: Array<number | undefined> = [];
    for (let attempt = 2; attempt <= 6; attempt++) {
      const res = await runQueue("edgesms-webhooks", [{ id: `w${attempt}`, attempts: attempt, body: { deliveryId: d.id } }]);
      delays.push(res.retryMessages[0]?.delaySeconds);
    }
    expect(delays).toEqual([300, 1800, 7200, 43200, undefined]);
    expect((await deliveriesOf(s.tenant.id))[0]).toMatchObject({ status: "dead", attempts: 6 });
    expect(await reportPushState(s.tenant.id)).toEqual([
      { push_id: null, pushed_at: null },
      { push_id: null, pushed_at: null },
    ]);
    const dead = await rows<{ body: string }>("SELECT body FROM dead_letters WHERE queue = 'edgesms-webhooks' AND body LIKE ?1", `%${d.id}%`);
    expect(JSON.parse(dead[0]!.body)).toEqual({ deliveryId: d.id, error: "timed out after 10 s" });
  });

  it("a redirect is a failure, not followed", async () => {
    const calls = mockReceiver(() => new Response(null, { status: 302, headers: { location: "http://169.254.169.254/" } }));
    const s = await sender({ reportUrl: "https://hooks.example.com/moved" });
    await accept(s, [mobile()]);
    const d = await firstAttempt(s.tenant.id);
    expect(d.last_error).toBe("HTTP 302: redirects are not followed");
    expect(calls).not.toHaveLength(0);
    expect(calls.filter((c) => !(c.url === "https://hooks.example.com/moved"))).toEqual([]);
  });

  it("a private or local URL is refused without a request and the push is dead at once", async () => {
    const calls = mockReceiver(() => new Response("ok"));
    const s = await sender({ reportUrl: "http://169.254.169.254/latest/meta-data" });
    await accept(s, [mobile()]);
    const d = await waitFor(async () => (await deliveriesOf(s.tenant.id)).find((x) => x.status === "dead"), 15_000, "dead push");
    expect(d.last_error).toMatch(/^refused URL: /);
    expect(calls).toHaveLength(0);
    expect((await reportPushState(s.tenant.id))[0]!.push_id).toBeNull();
  });

  it("replies are pushed, signed, to every app of the tenant with a reply URL", async () => {
    const calls = mockReceiver(() => new Response("ok"));
    const s = await sender({ replyUrl: "https://hooks.example.com/replies" });
    const m = mobile();
    const inject = await exports.default.fetch("http://gw/simulator/v1/replies", {
      method: "POST",
      body: JSON.stringify({ mobile: m, content: "收到，谢谢", signature: `【${s.signature}】` }),
    });
    expect(inject.status).toBe(200);
    await waitFor(async () => calls.length === 1, 15_000, "reply push");
    const h = new Headers(calls[0]!.init.headers);
    const ts = h.get("x-edgesms-timestamp")!;
    expect(h.get("x-edgesms-signature")).toBe(await hmacHex(s.tenant.webhookSecret, `${ts}.${calls[0]!.body}`));
    expect(JSON.parse(calls[0]!.body)).toEqual({
      topic: "replies",
      replies: [{ reply_id: expect.any(Number), mobile: `+86${m}`, content: "收到，谢谢", signature: s.signature, extension: null, received_at: expect.any(Number) }],
    });
    await waitFor(async () => (await rows<{ pushed_at: number | null }>("SELECT pushed_at FROM inbound WHERE tenant_id = ?1", s.tenant.id))[0]?.pushed_at, 15_000, "pushed_at");
  });
});

describe("webhookUrlProblem (SSRF guard)", () => {
  const strict = { ...env, ALLOW_PRIVATE_WEBHOOKS: "false" } as Env;
  it.each([
    ["https://hooks.example.com/x", null],
    ["http://93.184.216.34:8080/x", null],
    ["ftp://example.com/x", "only http and https URLs are allowed"],
    ["https://user:pw@example.com/", "credentials in the URL are not allowed"],
    ["http://127.0.0.1/", "the address is loopback, private, link-local or reserved"],
    ["http://10.1.2.3/", "the address is loopback, private, link-local or reserved"],
    ["http://169.254.169.254/latest", "the address is loopback, private, link-local or reserved"],
    ["http://[::1]/", "the address is loopback, private, link-local or reserved"],
    ["http://[fd00::1]/", "the address is loopback, private, link-local or reserved"],
    ["http://localhost:8787/", "the host is a local-only name"],
    ["http://api.localhost/", "the host is a local-only name"],
    ["http://metadata.google.internal/", "the host is a local-only name"],
    ["http://printer.local/", "the host is a local-only name"],
    ["http://intranet/", "the host is a local-only name"],
    ["http://2130706433/", "the address is loopback, private, link-local or reserved"],
    ["not a url", "not a valid URL"],
  ])("%s → %s", (url, problem) => {
    expect(webhookUrlProblem(strict, url)).toBe(problem);
  });

  it("ALLOW_PRIVATE_WEBHOOKS=true lifts the address checks, not the scheme checks", () => {
    const dev = { ...env, ALLOW_PRIVATE_WEBHOOKS: "true" } as Env;
    expect(webhookUrlProblem(dev, "http://127.0.0.1:9000/hook")).toBeNull();
    expect(webhookUrlProblem(dev, "file:///etc/passwd")).toBe("only http and https URLs are allowed");
  });
});
