// SECRETS_KEY fails closed: unset or short, nothing is encrypted, signed or hashed under it, the
// request is answered as the dialect's server fault (no reason on the wire) and nothing is written.
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { secretsKey } from "../../src/core/crypto";
import { money } from "../helpers/fixtures";
import { setup } from "../dialects/jpush/helpers";

afterEach(() => vi.restoreAllMocks());

/** The fault log line the request writes: the real reason is logged, never answered. */
const faultLog = () => vi.spyOn(console, "error").mockImplementation(() => undefined);
const logged = (log: ReturnType<typeof faultLog>): string => log.mock.calls.map((c) => String(c[0])).join("\n");

async function fetchWith(overrides: Partial<Env>, url: string, init: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("SECRETS_KEY", () => {
  it.each([undefined, "", "   ", "short-key"])("%j is refused", (key) => {
    expect(() => secretsKey({ ...env, SECRETS_KEY: key as string })).toThrow("SECRETS_KEY is unset or shorter than 32 characters");
  });

  it("the configured key is used as it is", () => {
    expect(secretsKey(env)).toBe(env.SECRETS_KEY);
  });

  it("without it a verification code is not sent: JPush's 50019, no reason on the wire, nothing billed", async () => {
    const s = await setup();
    const before = await money(s.tenant.id);
    const log = faultLog();
    const res = await fetchWith({ SECRETS_KEY: "" }, "http://gw/v1/codes", {
      method: "POST",
      headers: { authorization: s.auth, "content-type": "application/json" },
      body: JSON.stringify({ mobile: "13912345678", temp_id: s.codeTpl }),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 50019, message: "server error" } });
    expect(logged(log)).toContain("SECRETS_KEY is unset or shorter than 32 characters");
    expect(await money(s.tenant.id)).toEqual(before);
    const { n } = (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(s.tenant.id).first<{ n: number }>())!;
    expect(n).toBe(0);
  });

  it("without it no JPush credential is issued (its masterSecret could not be sealed)", async () => {
    const headers = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" };
    const id = `t-sk-${Date.now().toString(36)}`;
    expect((await fetchWith({}, "http://gw/admin/v1/tenants", { method: "POST", headers, body: JSON.stringify({ id, name: "K" }) })).status).toBe(201);
    const log = faultLog();
    const res = await fetchWith({ SECRETS_KEY: undefined as unknown as string }, `http://gw/admin/v1/tenants/${id}/apps`, {
      method: "POST",
      headers,
      body: JSON.stringify({ dialect: "jpush" }),
    });
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("SECRETS_KEY");
    expect(logged(log)).toContain("SECRETS_KEY is unset or shorter than 32 characters");
    const { n } = (await env.DB.prepare("SELECT COUNT(*) AS n FROM apps WHERE tenant_id = ?1").bind(id).first<{ n: number }>())!;
    expect(n).toBe(0);
  });
});
