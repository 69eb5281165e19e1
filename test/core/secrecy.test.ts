// Verification codes (issue 14): shown masked to operators, their text masked in storage once the
// message is final, message contents emptied after the retention period, and codes never logged.
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cronTick } from "../helpers/cron";
import { mobile } from "../helpers/fixtures";
import { call, codeOf, setup } from "../dialects/jpush/helpers";
import { waitFor } from "../jobs/support";

afterEach(() => vi.restoreAllMocks());

const tick = async (): Promise<void> => void (await cronTick());

const stored = async (id: string) =>
  (await env.DB.prepare("SELECT content, status, params FROM messages WHERE id = ?1").bind(id).first<{ content: string; status: string; params: string | null }>())!;

const adminGet = async (tenantId: string, id: string) =>
  (await (await exports.default.fetch(`http://gw/admin/v1/tenants/${tenantId}/messages/${id}`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } })).json()) as {
    content: string;
  };

describe("verification codes", () => {
  it("operators see the code masked; once delivered the stored text is masked too; nothing logs the code", async () => {
    const logged: string[] = [];
    for (const level of ["log", "error", "warn", "info", "debug"] as const) {
      const orig = console[level].bind(console);
      vi.spyOn(console, level).mockImplementation((...a: unknown[]) => (logged.push(a.map(String).join(" ")), orig(...a)));
    }
    const s = await setup();
    const res = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl });
    expect(res.status).toBe(200);
    const id = res.body.msg_id as string;
    const code = await codeOf(s, id);
    expect((await adminGet(s.tenant.id, id)).content).toBe(`【${s.sign.name}】您的验证码是${"*".repeat(code.length)}，5分钟内有效`);
    await waitFor(async () => (await stored(id)).status === "delivered", 15_000, "delivered");
    await tick();
    expect((await stored(id)).content).not.toContain(code);
    expect((await stored(id)).content).toContain("*".repeat(code.length));
    // The code still validates: the guard holds its hash, not the text.
    expect((await call(s, "POST", `/v1/codes/${id}/valid`, { code })).body).toMatchObject({ is_valid: true });
    expect(logged.filter((l) => l.includes(code))).toEqual([]);
  });

  it("a message still in flight keeps its text (a resubmit needs it)", async () => {
    const s = await setup();
    const res = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl });
    const id = res.body.msg_id as string;
    await env.DB.prepare("UPDATE messages SET status = 'queued', updated_at = ?2 WHERE id = ?1").bind(id, Date.now()).run();
    const before = (await stored(id)).content;
    await tick();
    expect((await stored(id)).content).toBe(before);
    expect(before).toMatch(/\d{4,}/);
  });
});

describe("retention", () => {
  it("contents of final messages older than RETENTION_DAYS are emptied; newer ones are kept", async () => {
    const s = await setup();
    const old = await call(s, "POST", "/v1/messages", { mobile: mobile(), temp_id: s.noticeTpl, temp_para: { number: "SF1", place: "东门" } });
    const recent = await call(s, "POST", "/v1/messages", { mobile: mobile(), temp_id: s.noticeTpl, temp_para: { number: "SF2", place: "东门" } });
    const [a, b] = [old.body.msg_id as string, recent.body.msg_id as string];
    await waitFor(async () => (await stored(a)).status === "delivered" && (await stored(b)).status === "delivered", 15_000, "delivered");
    await env.DB.prepare("UPDATE messages SET created_at = ?2 WHERE id = ?1").bind(a, Date.now() - 31 * 86_400_000).run();
    await tick();
    expect(await stored(a)).toMatchObject({ content: "", params: null });
    expect((await stored(b)).content).toContain("SF2");
  });
});
