// The webhook-URL guard (issue 14): IPv6 forms that embed a private IPv4 address are refused, and in
// production (WEBHOOK_DOH_URL set) a host name is resolved over DNS-over-HTTPS before each push and
// refused when it resolves to a private address. Only the DoH resolver's HTTP API and the customer's
// receiver are faked.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mobile } from "../helpers/fixtures";
import { webhookUrlProblem } from "../../src/core/webhooks";
import { accept, deliveriesOf, runQueue, sender, waitFor } from "../jobs/support";

afterEach(() => vi.restoreAllMocks());

const PRIVATE = "the address is loopback, private, link-local or reserved";

describe("IPv6 forms embedding IPv4", () => {
  const strict = { ...env, ALLOW_PRIVATE_WEBHOOKS: "false" } as Env;
  it.each([
    ["http://[::7f00:1]/", PRIVATE], // IPv4-compatible 127.0.0.1
    ["http://[::127.0.0.1]/", PRIVATE],
    ["http://[::ffff:169.254.169.254]/", PRIVATE], // IPv4-mapped
    ["http://[::ffff:0:a00:1]/", PRIVATE], // IPv4-translated 10.0.0.1
    ["http://[2002:a9fe:a9fe::]/", PRIVATE], // 6to4 of 169.254.169.254
    ["http://[2002:c0a8:101::1]/", PRIVATE], // 6to4 of 192.168.1.1
    ["http://[64:ff9b::a9fe:a9fe]/", PRIVATE], // NAT64 of 169.254.169.254
    ["http://[64:ff9b:1::1]/", PRIVATE], // local-use NAT64
    ["http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", PRIVATE], // Teredo, client 127.0.0.1 (inverted)
    ["http://[2001:0:a00:1::1]/", PRIVATE], // Teredo, server 10.0.0.1
    ["http://[2002:5db8:d822::1]/", null], // 6to4 of a public address
    ["http://[64:ff9b::5db8:d822]/", null], // NAT64 of a public address
    ["http://[2606:4700::1111]/", null],
  ])("%s → %s", (url, problem) => {
    expect(webhookUrlProblem(strict, url)).toBe(problem);
  });
});

/** A fake DoH JSON API checking requests as the real one does (GET, accept: application/dns-json, name and type). */
function fakeDoh(records: Record<string, { A?: string[]; AAAA?: string[] }>, receiver: string[]) {
  const realFetch = globalThis.fetch;
  return vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.origin === "https://doh.example") {
      const accept = new Headers(init?.headers).get("accept");
      const name = url.searchParams.get("name");
      const type = url.searchParams.get("type");
      if (url.pathname !== "/dns-query" || accept !== "application/dns-json" || !name || (type !== "A" && type !== "AAAA")) {
        return new Response("bad request", { status: 400 });
      }
      const r = records[name];
      if (!r) return Response.json({ Status: 3, Answer: [] });
      const data = r[type] ?? [];
      return Response.json({ Status: 0, Answer: data.map((d) => ({ name, type: type === "A" ? 1 : 28, TTL: 60, data: d })) });
    }
    if (url.origin.endsWith(".example.com")) {
      receiver.push(url.href);
      return new Response("ok");
    }
    return realFetch(input, init);
  });
}

describe("DNS-over-HTTPS before each push (production)", () => {
  const prod = { ALLOW_PRIVATE_WEBHOOKS: "false", WEBHOOK_DOH_URL: "https://doh.example/dns-query" } as Partial<Env>;

  async function pushTo(url: string) {
    const s = await sender({ reportUrl: url });
    // Stored while the queue's own consumer runs with the test env (no DoH): wait for its first try, then drive it.
    await accept(s, [mobile()]);
    const d = await waitFor(async () => {
      const row = (await deliveriesOf(s.tenant.id))[0];
      return row && row.attempts >= 1 && row;
    }, 15_000, "the first push attempt");
    await env.DB.prepare("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, last_error = NULL WHERE id = ?1").bind(d.id).run();
    await runQueue("edgesms-webhooks", [{ id: "w1", attempts: 1, body: { deliveryId: d.id } }], prod);
    const out = (await deliveriesOf(s.tenant.id))[0]!;
    return out;
  }

  it("a name resolving to a private address is refused (dead, never called); a public one is pushed", async () => {
    const receiver: string[] = [];
    fakeDoh({ "evil.example.com": { A: ["93.184.216.34"], AAAA: ["::ffff:a9fe:a9fe"] }, "good.example.com": { A: ["93.184.216.34"], AAAA: ["2606:4700::1111"] } }, receiver);
    const bad = await pushTo("https://evil.example.com/hook");
    expect(bad).toMatchObject({ status: "dead" });
    expect(bad.last_error).toMatch(/^refused URL: the host resolves to a loopback, private, link-local or reserved address/);
    const good = await pushTo("https://good.example.com/hook");
    expect(good).toMatchObject({ status: "delivered", last_error: null });
    expect(receiver.filter((u) => u.includes("evil"))).toHaveLength(1); // the test env's own consumer (no DoH) only
    expect(receiver.filter((u) => u.includes("good")).length).toBeGreaterThanOrEqual(1);
  });

  it("a name that does not resolve is retried later, not pushed", async () => {
    const receiver: string[] = [];
    fakeDoh({}, receiver);
    const d = await pushTo("https://nowhere.example.com/hook");
    expect(d).toMatchObject({ status: "pending", attempts: 1 });
    expect(d.last_error).toMatch(/does not exist/);
    expect(receiver.filter((u) => u.includes("nowhere"))).toHaveLength(1); // the test env's own consumer (no DoH) only
  });
});
