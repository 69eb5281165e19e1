// Authentication snapshots (src/core/snapshots.ts): a send route may take its credential, tenant and
// template from what the isolate read for an earlier send, and stays exact — any change to the
// tenant's settings, credentials, templates or signatures since is seen by the very next send, which
// is written once; a refusal is decided on fresh rows and counted once.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admin } from "../admin/helpers";
import { basic, call, setup, type JpushSetup } from "../dialects/jpush/helpers";
import { mobile, money } from "../helpers/fixtures";
import * as paasw from "../dialects/paasw/helpers";
import * as smsapi from "../dialects/smsapi/helpers";
import { rotateCredential } from "../../src/core/credentials";
import { getAppByKey } from "../helpers/domain";

const send = (s: Pick<JpushSetup, "auth" | "noticeTpl">, place = "北京", headers: Record<string, string> = {}, to = mobile()) =>
  call(s, "POST", "/v1/messages", { mobile: to, temp_id: s.noticeTpl, temp_para: { number: "SF1", place } }, { headers });

const revision = async (tenantId: string): Promise<number> =>
  (await env.DB.prepare("SELECT revision FROM tenants WHERE id = ?1").bind(tenantId).first<number>("revision"))!;

const contentOf = async (id: string): Promise<string> =>
  (await env.DB.prepare("SELECT content FROM messages WHERE id = ?1").bind(id).first<string>("content"))!;

const messageCount = async (tenantId: string): Promise<number> =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE tenant_id = ?1").bind(tenantId).first<number>("n"))!;

describe("authentication snapshots", () => {
  it("the next send is served from the snapshot: a change the revision stamp does not cover is not seen", async () => {
    const s = await setup();
    expect((await send(s)).status).toBe(200);
    // Hide a template edit from the stamp: only a snapshot explains the old text.
    const stamp = await revision(s.tenant.id);
    await env.DB.prepare("UPDATE templates SET content = '您的快递{{number}}已签收' WHERE id = ?1").bind(s.noticeTpl).run();
    await env.DB.prepare("UPDATE tenants SET revision = ?2 WHERE id = ?1").bind(s.tenant.id, stamp).run();
    const served = await send(s);
    expect(served.status).toBe(200);
    expect(await contentOf(served.body.msg_id)).toContain("已到北京");
  });

  it("a template edit is seen by the very next send, which is written and billed once (with its Idempotency-Key)", async () => {
    const s = await setup({ price: 10 });
    expect((await send(s)).status).toBe(200);
    const before = await money(s.tenant.id);
    await env.DB.prepare("UPDATE templates SET content = '您的快递{{number}}已签收' WHERE id = ?1").bind(s.noticeTpl).run();
    const key = { "idempotency-key": `snap-${mobile()}` };
    const to = mobile();
    const first = await send(s, "北京", key, to);
    expect(first.status).toBe(200);
    expect(await contentOf(first.body.msg_id)).toContain("已签收");
    const replay = await send(s, "北京", key, to);
    expect(replay.body).toEqual(first.body);
    expect(await messageCount(s.tenant.id)).toBe(2);
    expect(await money(s.tenant.id)).toEqual({ balance: before.balance - 10, ledger: before.ledger - 10 });
  });

  it("a price change applies to the next send at once", async () => {
    const s = await setup({ price: 10 });
    expect((await send(s)).status).toBe(200);
    expect((await admin("PATCH", `/tenants/${s.tenant.id}`, { prices: { notification: 25 } })).status).toBe(200);
    const before = await money(s.tenant.id);
    expect((await send(s)).status).toBe(200);
    expect((await money(s.tenant.id)).balance).toBe(before.balance - 25);
  });

  it("a rotated secret: the old one is refused at once, the new one accepted", async () => {
    const s = await setup();
    expect((await send(s)).status).toBe(200);
    const rotated = await admin("POST", `/tenants/${s.tenant.id}/apps/${s.appId}/rotate`);
    expect(rotated.status).toBe(200);
    const old = await send(s);
    expect([old.status, old.body.error?.code]).toEqual([401, 50002]);
    const fresh = { auth: basic(s.appKey, rotated.body.credentials.masterSecret as string), noticeTpl: s.noticeTpl };
    expect((await send(fresh)).status).toBe(200);
  });

  it("blocking and unblocking an app: each takes effect on the next send", async () => {
    const s = await setup();
    expect((await send(s)).status).toBe(200);
    const block = (b: number) => env.DB.prepare("UPDATE apps SET blocked = ?2 WHERE id = ?1").bind(s.appId, b).run();
    await block(1);
    const refused = await send(s);
    expect([refused.status, refused.body.error?.code]).toEqual([403, 50036]);
    await block(0);
    expect((await send(s)).status).toBe(200);
    expect(await messageCount(s.tenant.id)).toBe(2);
  });

  it("a refusal decided on a snapshot is decided again on fresh rows: a word unblocked a moment ago passes, and each refusal is counted once", async () => {
    const s = await setup({ settings: { blockedWords: ["上海"] } });
    expect((await send(s)).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const refused = await send(s, "上海");
      expect([refused.status, refused.body.error?.code]).toEqual([403, 50037]);
    }
    const counted = await env.DB.prepare("SELECT SUM(messages) AS n FROM stats_refusals WHERE tenant_id = ?1 AND reason = 'blocked_word'")
      .bind(s.tenant.id)
      .first<number>("n");
    expect(counted).toBe(2);
    expect((await admin("PATCH", `/tenants/${s.tenant.id}`, { settings: { blockedWords: [] } })).status).toBe(200);
    expect((await send(s, "上海")).status).toBe(200);
  });

  it("sends, refunds and top-ups leave the stamp alone (the hot path never invalidates a snapshot)", async () => {
    const s = await setup();
    const stamp = await revision(s.tenant.id);
    expect((await send(s)).status).toBe(200);
    expect((await admin("POST", `/tenants/${s.tenant.id}/balance`, { amount: 1000, reason: "topup", note: "top-up" })).status).toBe(200);
    expect(await revision(s.tenant.id)).toBe(stamp);
    await env.DB.prepare("UPDATE signatures SET remark = 'x' WHERE id = ?1").bind(s.sign.id).run();
    expect(await revision(s.tenant.id)).not.toBe(stamp);
  });

  it("the stamp's triggers name every column of tenants and apps but the money counters (a new column must be placed in one list)", async () => {
    const hot = { tenants: ["balance", "updated_at", "revision"], apps: ["spent_day", "spent_day_start", "spent_total", "spend_since", "updated_at"] };
    for (const [table, trigger] of [["tenants", "tenants_revision"], ["apps", "apps_revision_update"]] as const) {
      const { results } = await env.DB.prepare(`SELECT name FROM pragma_table_info('${table}')`).all<{ name: string }>();
      const sql = (await env.DB.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1").bind(trigger).first<string>("sql"))!;
      const named = /UPDATE OF([\s\S]*?)\sON\s/.exec(sql)![1]!.split(",").map((c) => c.trim());
      expect({ table, columns: results.map((r) => r.name).sort() }).toEqual({ table, columns: [...named, ...hot[table]].sort() });
    }
  });

  it("a login token (paasw): a rotated secret revokes the token the snapshot was keyed by, at once", async () => {
    const s = await paasw.setup();
    const sendTo = () => paasw.call(s, "POST", "/sms/send", { phoneNumbers: mobile(), sign: s.sign.name, content: "你的快件已签收", kind: "2" });
    paasw.expectOk(await sendTo());
    paasw.expectOk(await sendTo());
    await rotateCredential(env, (await getAppByKey(env.DB, "paasw", s.appKey))!, Date.now());
    const refused = await sendTo();
    expect([refused.body.code, refused.body.message]).toEqual(["20003", expect.stringMatching(/revoked/)]);
    expect(await messageCount(s.tenant.id)).toBe(2);
  });

  it("a spending cap set on an app the snapshot saw without one applies to the very next send", async () => {
    const s = await setup({ price: 10 });
    expect((await send(s)).status).toBe(200);
    expect((await send(s)).status).toBe(200);
    expect((await admin("PATCH", `/tenants/${s.tenant.id}/apps/${s.appId}`, { cap_total: 20 })).status).toBe(200);
    const refused = await send(s);
    expect([refused.status, refused.body.error?.code]).toEqual([403, 50014]);
    expect(await messageCount(s.tenant.id)).toBe(2);
  });

  it("other routes reuse the credential's owner only while the stamp read in their own round trip is unchanged (/v1/codes/{id}/valid)", async () => {
    const s = await setup();
    const code = await call(s, "POST", "/v1/codes", { mobile: mobile(), temp_id: s.codeTpl });
    expect(code.status).toBe(200);
    const valid = () => call(s, "POST", `/v1/codes/${code.body.msg_id}/valid`, { code: "000000" });
    expect((await valid()).body.error?.code).toBe(50010);
    // Blocked, hidden from the stamp: only the kept owner explains an answer about the code.
    const stamp = await revision(s.tenant.id);
    await env.DB.prepare("UPDATE apps SET blocked = 1 WHERE id = ?1").bind(s.appId).run();
    await env.DB.prepare("UPDATE tenants SET revision = ?2 WHERE id = ?1").bind(s.tenant.id, stamp).run();
    expect((await valid()).body.error?.code).toBe(50010);
    // Any change the stamp sees: read afresh, and the block is seen.
    await env.DB.prepare("UPDATE signatures SET remark = 'x' WHERE id = ?1").bind(s.sign.id).run();
    const refused = await valid();
    expect([refused.status, refused.body.error?.code]).toEqual([403, 50036]);
  });

  it("every send route is guarded, whichever way it hands the attempt on (smsapi batch: a rotated key is refused at once)", async () => {
    const s = await smsapi.setup();
    const batch = () => smsapi.call(s, "POST", "/smsapi/v1/sms/batch", { mobiles: mobile(), content: `【${s.sign.name}】会议改到三点`, sendTime: 0 });
    smsapi.expectEnvelope(await batch(), 200, 0);
    smsapi.expectEnvelope(await batch(), 200, 0);
    expect((await admin("POST", `/tenants/${s.tenant.id}/apps/${s.appId}/rotate`)).status).toBe(200);
    const refused = await batch();
    expect(refused.status).toBe(401);
    expect(await messageCount(s.tenant.id)).toBe(2);
  });
});
