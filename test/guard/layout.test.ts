// A tenant's MobileGuard bucket count (migration 0020): fixed when the tenant is created, moved only
// by the operator, and a move keeps every open window, repeat window and code in flight, through the
// real Worker (JPush codes and messages, the operator API) and the real objects.
import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { admin } from "../admin/helpers";
import { call, codeOf, err, setup, valid } from "../dialects/jpush/helpers";
import { mobile } from "../helpers/fixtures";
import { guardBuckets, guardName } from "../../src/guard/mobile-guard";

afterEach(() => {
  vi.useRealTimers();
});

const code = (s: Awaited<ReturnType<typeof setup>>, to: string) => call(s, "POST", "/v1/codes", { mobile: to, temp_id: s.codeTpl });

/** The message ids an object holds sends of, for one mobile. */
const sendsIn = (name: string, e164: string) =>
  runInDurableObject(env.MOBILE_GUARD.getByName(name), (_, state) =>
    state.storage.sql.exec<{ message_id: string }>("SELECT message_id FROM sends WHERE mobile = ? ORDER BY at", e164).toArray().map((r) => r.message_id),
  );

describe("a tenant's MobileGuard bucket count", () => {
  it("a new tenant gets GUARD_BUCKETS and no move; the operator API shows it", async () => {
    const created = await admin("POST", "/tenants", { name: "Guard layout" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ guard_buckets: guardBuckets(env), guard_buckets_before: null, guard_moved_at: null });
  });

  it("a move keeps the open window exact and the codes sent before it checkable", async () => {
    const s = await setup({ settings: { limits: { verification: [{ seconds: 60, max: 3 }] } } });
    const to = mobile();
    const first = await code(s, to);
    const second = await code(s, to);
    expect([first.status, second.status]).toEqual([200, 200]);

    const moved = await admin("PATCH", `/tenants/${s.tenant.id}`, { guard_buckets: 8 });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ guard_buckets: 8, guard_buckets_before: s.tenant.guard.buckets, guard_moved_at: expect.any(Number) });

    // Two sends before the move and one after fill the window of 3: the fourth is refused.
    const third = await code(s, to);
    expect(third.status).toBe(200);
    const refused = await code(s, to);
    expect(refused).toEqual({ status: 403, body: err(50009) });
    // The window frees when the oldest of the three leaves it: the first send, held by the earlier object.
    const wait = Number(/retry in (\d+) s/.exec(refused.body.error.message)![1]);
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);

    // Each send was recorded once, in the object of the count in force when it was decided.
    const e164 = `+86${to}`;
    expect(await sendsIn(guardName(s.tenant.id, e164, s.tenant.guard.buckets), e164)).toEqual([first.body.msg_id, second.body.msg_id]);
    expect(await sendsIn(guardName(s.tenant.id, e164, 8), e164)).toEqual([third.body.msg_id]);

    // A code is checked where it was held: before the move in the earlier object, after it in the new one.
    expect(await valid(s, first.body.msg_id, await codeOf(s, first.body.msg_id))).toEqual({ status: 200, body: { is_valid: true } });
    expect(await valid(s, third.body.msg_id, await codeOf(s, third.body.msg_id))).toEqual({ status: 200, body: { is_valid: true } });
    expect(await valid(s, second.body.msg_id, "000000")).toEqual({ status: 403, body: { is_valid: false, ...err(50010) } });
  });

  it("a move keeps the repeat window: the same text again is refused after it", async () => {
    const s = await setup({ settings: { repeatWindowSeconds: 300 } });
    const to = mobile();
    const notice = { mobile: to, temp_id: s.noticeTpl, temp_para: { number: "SF1", place: "北京" } };
    expect((await call(s, "POST", "/v1/messages", notice)).status).toBe(200);
    expect((await admin("PATCH", `/tenants/${s.tenant.id}`, { guard_buckets: 3 })).status).toBe(200);
    expect(await call(s, "POST", "/v1/messages", notice)).toEqual({ status: 403, body: err(50034) });
    expect((await call(s, "POST", "/v1/messages", { ...notice, temp_para: { number: "SF2", place: "北京" } })).status).toBe(200);
  });

  it("once every window has passed the move, the earlier objects no longer count", async () => {
    const s = await setup({ settings: { limits: { verification: [{ seconds: 60, max: 1 }] } } });
    const to = mobile();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now());
    expect((await code(s, to)).status).toBe(200);
    expect((await admin("PATCH", `/tenants/${s.tenant.id}`, { guard_buckets: 5 })).status).toBe(200);
    expect((await code(s, to)).status).toBe(403);
    vi.setSystemTime(Date.now() + 61_000);
    expect((await code(s, to)).status).toBe(200);
    expect((await code(s, to)).status).toBe(403);
  });

  it("one move per 7 days: an earlier second move is refused with its date and changes nothing at all", async () => {
    const s = await setup();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now());
    expect((await admin("PATCH", `/tenants/${s.tenant.id}`, { guard_buckets: 16 })).status).toBe(200);
    vi.setSystemTime(Date.now() + 7 * 86_400_000 - 1_000);
    const early = await admin("PATCH", `/tenants/${s.tenant.id}`, { name: "Renamed", guard_buckets: 32 });
    expect(early.status).toBe(400);
    expect(JSON.stringify(early.body)).toMatch(/guard_buckets was changed at .*; it can change again from /);
    expect((await admin("GET", `/tenants/${s.tenant.id}`)).body).toMatchObject({ name: s.tenant.name, guard_buckets: 16 });
    // The same count again is no move, so it is not refused.
    expect((await admin("PATCH", `/tenants/${s.tenant.id}`, { guard_buckets: 16 })).status).toBe(200);
    vi.setSystemTime(Date.now() + 2_000);
    const later = await admin("PATCH", `/tenants/${s.tenant.id}`, { guard_buckets: 32 });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ guard_buckets: 32, guard_buckets_before: 16 });
  });

  it.each([0, 65_537, 1.5, "8", null])("guard_buckets %j is refused as invalid input", async (value) => {
    const s = await setup();
    const res = await admin("PATCH", `/tenants/${s.tenant.id}`, { guard_buckets: value });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/guard_buckets/);
    expect((await admin("GET", `/tenants/${s.tenant.id}`)).body).toMatchObject({ guard_buckets: s.tenant.guard.buckets, guard_moved_at: null });
  });
});
