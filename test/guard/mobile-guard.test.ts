// MobileGuard through its RPC methods and its storage: codes held per message (single use, expiry,
// 5 wrong attempts then dead), release, atomic admission under concurrency, and the one alarm
// that purges expired codes and old send history so storage stays bounded.
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { acceptSend } from "../../src/core/send";
import { codeHash, validateCode } from "../../src/core/verification";
import { secretsKey } from "../../src/core/crypto";
import { getAppByKey } from "../helpers/domain";
import { makeCredential, makeTenant, mobile } from "../helpers/fixtures";
import { randomHex } from "../../src/core/crypto";
import { CODE_RETAIN_MS, MAX_WRONG_ATTEMPTS } from "../../src/guard/codes";
import { guardBucket, guardBuckets, guardName, type AdmitRequest, type MobileGuard } from "../../src/guard/mobile-guard";

afterEach(() => {
  vi.useRealTimers();
});

const DAY = 86400_000;
const guard = () => env.MOBILE_GUARD.getByName(`test_${randomHex(6)}:+8613900000000`);
const hash = (c: string) => c.padEnd(64, "0");

const req = (now: number, extra: Partial<AdmitRequest> = {}): AdmitRequest => ({
  mobile: "+8613900000000",
  kind: "verification",
  messageId: randomHex(8),
  code: null,
  now,
  windows: [],
  contentHash: null,
  repeatWindowSeconds: 0,
  ...extra,
});

const rows = (stub: DurableObjectStub<MobileGuard>) =>
  runInDurableObject(stub, (_, state) => ({
    sends: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sends").one().n,
    codes: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM codes").one().n,
  }));

describe("MobileGuard codes", () => {
  it("holds a code from admit: right once, then used; wrong before that does not consume it", async () => {
    const g = guard();
    const now = Date.now();
    const r = req(now, { code: { hash: hash("aa"), expiresAt: now + 60_000 } });
    expect(await g.admit(r)).toMatchObject({ ok: true });
    expect(await g.verify(r.messageId, hash("bb"), now)).toBe("wrong");
    expect(await g.verify(r.messageId, hash("aa"), now)).toBe("ok");
    expect(await g.verify(r.messageId, hash("aa"), now)).toBe("used");
    expect(await g.verify("other", hash("aa"), now)).toBe("unknown");
  });

  it(`is dead after ${MAX_WRONG_ATTEMPTS} wrong attempts, and expired at expiresAt`, async () => {
    const g = guard();
    const now = Date.now();
    const a = req(now, { code: { hash: hash("aa"), expiresAt: now + 60_000 } });
    const b = req(now, { code: { hash: hash("cc"), expiresAt: now + 60_000 } });
    await g.admit(a);
    await g.admit(b);
    for (let i = 0; i < MAX_WRONG_ATTEMPTS; i++) expect(await g.verify(a.messageId, hash("bb"), now)).toBe("wrong");
    expect(await g.verify(a.messageId, hash("aa"), now)).toBe("wrong");
    expect(await g.verify(b.messageId, hash("cc"), now + 59_999)).toBe("ok");
    const c = req(now, { code: { hash: hash("dd"), expiresAt: now + 60_000 } });
    await g.admit(c);
    expect(await g.verify(c.messageId, hash("dd"), now + 60_000)).toBe("expired");
  });

  it("release gives back the send and drops its code", async () => {
    const g = guard();
    const now = Date.now();
    const r = req(now, { code: { hash: hash("aa"), expiresAt: now + 60_000 }, windows: [{ seconds: 60, max: 1 }] });
    const d = await g.admit(r);
    if (!d.ok) throw new Error("refused");
    expect(await g.admit(req(now, { windows: [{ seconds: 60, max: 1 }] }))).toMatchObject({ ok: false, reason: "rate_limited" });
    await g.release(d.ticket);
    expect(await g.verify(r.messageId, hash("aa"), now)).toBe("unknown");
    expect(await rows(g)).toEqual({ sends: 0, codes: 0 });
    expect(await g.admit(req(now, { windows: [{ seconds: 60, max: 1 }] }))).toMatchObject({ ok: true });
  });

  it("admission is atomic: 20 concurrent admits against 3 per minute → exactly 3", async () => {
    const g = guard();
    const now = Date.now();
    const all = await Promise.all(Array.from({ length: 20 }, () => g.admit(req(now, { windows: [{ seconds: 60, max: 3 }] }))));
    expect(all.filter((d) => d.ok)).toHaveLength(3);
    expect(all.filter((d) => !d.ok && d.reason === "rate_limited" && d.retryAfter === 60)).toHaveLength(17);
  });

  it("several windows: each is judged on its own sends, and the one that is full says when a slot frees", async () => {
    const g = guard();
    const t0 = Date.now() - 200_000;
    const windows = [{ seconds: 60, max: 1 }, { seconds: 3600, max: 3 }, { seconds: 86400, max: 10 }];
    for (const at of [t0, t0 + 61_000, t0 + 122_000]) expect(await g.admit(req(at, { windows }))).toMatchObject({ ok: true });
    // A minute after the last: the minute window is free, the hour holds three since t0.
    expect(await g.admit(req(t0 + 183_000, { windows }))).toEqual({ ok: false, reason: "rate_limited", retryAfter: 3417 });
    // Within the minute of the last: the minute window answers first, with its own wait.
    expect(await g.admit(req(t0 + 150_000, { windows }))).toEqual({ ok: false, reason: "rate_limited", retryAfter: 32 });
    // Once t0 has left the hour, one slot is free again.
    expect(await g.admit(req(t0 + 3_601_000, { windows }))).toMatchObject({ ok: true });
  });

  it("after a limit is lowered, the wait is until the window holds one send fewer than the new limit", async () => {
    const g = guard();
    const t0 = Date.now() - 100_000;
    for (let i = 0; i < 5; i++) expect(await g.admit(req(t0 + i * 10_000, { windows: [{ seconds: 3600, max: 5 }] }))).toMatchObject({ ok: true });
    // Now 2 per hour: sends at t0 … t0+40 s are in the window; a slot frees when the second newest
    // (t0+30 s) leaves it, not the oldest (after which four would still be there).
    const now = t0 + 50_000;
    expect(await g.admit(req(now, { windows: [{ seconds: 3600, max: 2 }] }))).toEqual({ ok: false, reason: "rate_limited", retryAfter: 3580 });
    expect(await g.admit(req(t0 + 30_000 + 3_600_001, { windows: [{ seconds: 3600, max: 2 }] }))).toMatchObject({ ok: true });
  });
});

describe("MobileGuard alarm", () => {
  it("is armed for the earliest due row, purges expired codes then old history, and stops when empty", async () => {
    const g = guard();
    const t0 = Date.now();
    const r = req(t0, { code: { hash: hash("aa"), expiresAt: t0 + 300_000 } });
    await g.admit(r);
    const alarmAt = () => runInDurableObject(g, (_, state) => state.storage.getAlarm());
    expect(await alarmAt()).toBe(t0 + 300_000 + CODE_RETAIN_MS);

    // Not yet due: the alarm changes nothing (idempotent) and re-arms for the same row.
    expect(await runDurableObjectAlarm(g)).toBe(true);
    expect(await rows(g)).toEqual({ sends: 1, codes: 1 });
    expect(await alarmAt()).toBe(t0 + 300_000 + CODE_RETAIN_MS);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(t0 + 300_000 + CODE_RETAIN_MS + 1);
    expect(await runDurableObjectAlarm(g)).toBe(true);
    expect(await rows(g)).toEqual({ sends: 1, codes: 0 });
    expect(await alarmAt()).toBe(t0 + 7 * DAY);

    vi.setSystemTime(t0 + 7 * DAY + 1);
    expect(await runDurableObjectAlarm(g)).toBe(true);
    expect(await rows(g)).toEqual({ sends: 0, codes: 0 });
    expect(await alarmAt()).toBeNull();
  });

  it("a new, sooner code moves the alarm earlier; a later one leaves it", async () => {
    const g = guard();
    const t0 = Date.now();
    await g.admit(req(t0));
    const alarmAt = () => runInDurableObject(g, (_, state) => state.storage.getAlarm());
    expect(await alarmAt()).toBe(t0 + 7 * DAY);
    await g.admit(req(t0, { code: { hash: hash("aa"), expiresAt: t0 + 60_000 } }));
    expect(await alarmAt()).toBe(t0 + 60_000 + CODE_RETAIN_MS);
    await g.admit(req(t0, { code: { hash: hash("bb"), expiresAt: t0 + 600_000 } }));
    expect(await alarmAt()).toBe(t0 + 60_000 + CODE_RETAIN_MS);
  });

  it("storage stays bounded under steady use: old history and codes are gone after a purge", async () => {
    const g = guard();
    const t0 = Date.now();
    for (let i = 0; i < 50; i++) await g.admit(req(t0 + i * 1000, { code: { hash: hash("aa"), expiresAt: t0 + i * 1000 + 60_000 } }));
    expect(await rows(g)).toEqual({ sends: 50, codes: 50 });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(t0 + 8 * DAY);
    await runDurableObjectAlarm(g);
    expect(await rows(g)).toEqual({ sends: 0, codes: 0 });
  });
});

describe("MobileGuard buckets", () => {
  /** `n` distinct mobiles that hash to the same bucket of `buckets`. */
  const sameBucket = (n: number, buckets: number): string[] => {
    const by = new Map<number, string[]>();
    for (let i = 0; ; i++) {
      const m = `+86139${String(i).padStart(8, "0")}`;
      const b = guardBucket(m, buckets);
      const list = by.get(b) ?? [];
      list.push(m);
      by.set(b, list);
      if (list.length === n) return list;
    }
  };

  it("maps a mobile to one stable bucket, spread over all of them", () => {
    expect(guardBucket("+8613900000000", 64)).toBe(guardBucket("+8613900000000", 64));
    const seen = new Set(Array.from({ length: 2000 }, (_, i) => guardBucket(`+86139${String(i * 7919).padStart(8, "0")}`, 64)));
    expect(seen.size).toBe(64);
    expect(guardName("t1", "+8613900000000", 64)).toMatch(/^t1:guard:\d+\/64$/);
    expect(guardBuckets({ GUARD_BUCKETS: "" })).toBe(64);
    expect(guardBuckets({ GUARD_BUCKETS: "256" })).toBe(256);
    expect(() => guardBuckets({ GUARD_BUCKETS: "0" })).toThrow(/GUARD_BUCKETS/);
    expect(() => guardBuckets({ GUARD_BUCKETS: "1.5" })).toThrow(/GUARD_BUCKETS/);
  });

  it("keeps each mobile's window apart inside one object, exact under concurrency", async () => {
    const g = guard();
    const now = Date.now();
    const [a, b] = sameBucket(2, 64);
    const w = [{ seconds: 60, max: 3 }];
    const all = await Promise.all(
      Array.from({ length: 40 }, (_, i) => g.admit(req(now, { mobile: i % 2 ? a! : b!, windows: w })).then((d) => ({ m: i % 2 ? a : b, d }))),
    );
    expect(all.filter((x) => x.m === a && x.d.ok)).toHaveLength(3);
    expect(all.filter((x) => x.m === b && x.d.ok)).toHaveLength(3);
    expect(await rows(g)).toEqual({ sends: 6, codes: 0 });
  });

  it("repeat detection is per mobile: the same text to another mobile of the bucket passes", async () => {
    const g = guard();
    const now = Date.now();
    const [a, b] = sameBucket(2, 64);
    const r = { contentHash: hash("c1"), repeatWindowSeconds: 30 };
    expect(await g.admit(req(now, { mobile: a!, ...r }))).toMatchObject({ ok: true });
    expect(await g.admit(req(now, { mobile: a!, ...r }))).toMatchObject({ ok: false, reason: "repeat_send", retryAfter: 30 });
    expect(await g.admit(req(now, { mobile: b!, ...r }))).toMatchObject({ ok: true });
  });

  it("codes to many mobiles of a tenant go to at most GUARD_BUCKETS objects, each mobile to one", async () => {
    const buckets = guardBuckets(env);
    const tenant = `test_${randomHex(6)}`;
    const mobiles = Array.from({ length: buckets * 3 }, (_, i) => `+86139${String(i * 104729).padStart(8, "0")}`);
    const names = new Set(mobiles.map((m) => guardName(tenant, m, buckets)));
    expect(names.size).toBeLessThanOrEqual(buckets);
    const now = Date.now();
    for (const m of mobiles.slice(0, 8)) {
      const stub = env.MOBILE_GUARD.getByName(guardName(tenant, m, buckets));
      const r = req(now, { mobile: m, code: { hash: hash("ab"), expiresAt: now + 60_000 } });
      await stub.admit(r);
      expect(await env.MOBILE_GUARD.getByName(guardName(tenant, m, buckets)).verify(r.messageId, hash("ab"), now)).toBe("ok");
    }
  });

  it("a code sent through the accept pipeline is held by the mobile's bucket object and checked there", async () => {
    const tenant = await makeTenant({ balance: 1000, prices: { notification: 10, marketing: 10, verification: 10 } });
    const cred = await makeCredential(tenant, "smsapi");
    const app = (await getAppByKey(env.DB, "smsapi", cred.app.key))!;
    const [m1, m2] = [mobile(), mobile()];
    const now = Date.now();
    const send = async (m: string, code: string) => {
      const e164 = `+86${m.replace(/^\+?86/, "")}`;
      const hash = await codeHash(secretsKey(env), tenant.id, e164, code);
      const res = await acceptSend(env, [{ mobile: m, text: `【测试】验证码${code}`, signature: "测试", code: { hash, expiresAt: now + 60_000 } }], {
        tenant,
        app,
        kind: "verification",
        mode: "all",
        now,
      });
      const item = res.items[0]!;
      if (!item.ok) throw item.error;
      return { id: item.messageId, e164: item.mobile };
    };
    const a = await send(m1, "123456");
    const b = await send(m2, "654321");
    const held = (e164: string) =>
      runInDurableObject(env.MOBILE_GUARD.getByName(guardName(tenant.id, e164, tenant.guard.buckets)), (_, state) => ({
        sends: state.storage.sql.exec<{ message_id: string }>("SELECT message_id FROM sends WHERE mobile = ?", e164).toArray().map((r) => r.message_id),
      }));
    expect(await held(a.e164)).toEqual({ sends: [a.id] });
    expect(await held(b.e164)).toEqual({ sends: [b.id] });
    await expect(validateCode(env, tenant, b.id, "000000", now)).rejects.toMatchObject({ code: "code_wrong" });
    await validateCode(env, tenant, b.id, "654321", now);
    await expect(validateCode(env, tenant, b.id, "654321", now)).rejects.toMatchObject({ code: "code_used" });
    await validateCode(env, tenant, a.id, "123456", now);
  });
});
