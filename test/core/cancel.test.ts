// Cancel and refund: only scheduled messages, exact refund rows, at most once under a race.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { acceptSend, type Draft } from "../../src/core/send";
import { cancelBatch, cancelScheduled } from "../../src/core/cancel";
import { getAppByKey } from "../helpers/domain";
import { makeCredential, makeTenant, mobile, money } from "../helpers/fixtures";

async function scheduled(n: number, balance = 10_000) {
  const tenant = await makeTenant({ balance, prices: { notification: 10, marketing: 10, verification: 10 } });
  const cred = await makeCredential(tenant, "smsapi");
  const app = (await getAppByKey(env.DB, "smsapi", cred.app.key))!;
  const drafts: Draft[] = Array.from({ length: n }, () => ({ mobile: mobile(), text: "【测试】明天见", signature: "测试" }));
  const res = await acceptSend(env, drafts, { tenant, app, kind: "notification", mode: "all", sendAt: Date.now() + 3_600_000 });
  return { tenant, app, batchId: res.batchId!, ids: res.items.map((i) => i.messageId) };
}

const statuses = async (ids: string[]) =>
  (
    await env.DB.prepare("SELECT status FROM messages WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id").bind(JSON.stringify(ids)).all<{ status: string }>()
  ).results.map((r) => r.status);

const refunds = async (tenantId: string) =>
  (await env.DB.prepare("SELECT message_id, amount FROM ledger WHERE tenant_id = ?1 AND reason = 'refund' ORDER BY message_id").bind(tenantId).all())
    .results;

describe("cancelScheduled", () => {
  it("cancels scheduled messages, refunds each once and keeps balance == ledger", async () => {
    const { tenant, ids } = await scheduled(3);
    expect(await money(tenant.id)).toEqual({ balance: 9970, ledger: 9970 });
    const out = await cancelScheduled(env, tenant.id, [ids[1]!, ids[0]!]);
    expect(out).toEqual([
      { id: ids[1], outcome: "canceled" },
      { id: ids[0], outcome: "canceled" },
    ]);
    expect(await money(tenant.id)).toEqual({ balance: 9990, ledger: 9990 });
    expect(await refunds(tenant.id)).toHaveLength(2);
    // Again: nothing more is refunded, the outcome says why.
    expect(await cancelScheduled(env, tenant.id, [ids[0]!])).toEqual([{ id: ids[0], outcome: "not_cancelable" }]);
    expect(await money(tenant.id)).toEqual({ balance: 9990, ledger: 9990 });
  });

  it("ids of another tenant and unknown ids are not_found and untouched", async () => {
    const a = await scheduled(1);
    const b = await scheduled(1);
    const out = await cancelScheduled(env, a.tenant.id, [b.ids[0]!, "1234567890123456789", a.ids[0]!]);
    expect(out.map((o) => o.outcome)).toEqual(["not_found", "not_found", "canceled"]);
    expect(await statuses(b.ids)).toEqual(["scheduled"]);
    expect(await money(b.tenant.id)).toEqual({ balance: 9990, ledger: 9990 });
  });

  it("a message already released (queued) is not cancelable and not refunded", async () => {
    const { tenant, ids } = await scheduled(2);
    await env.DB.prepare("UPDATE messages SET status = 'queued' WHERE id = ?1").bind(ids[0]).run();
    const out = await cancelScheduled(env, tenant.id, ids);
    expect(out.map((o) => o.outcome)).toEqual(["not_cancelable", "canceled"]);
    expect(await money(tenant.id)).toEqual({ balance: 9990, ledger: 9990 });
    expect(await refunds(tenant.id)).toEqual([{ message_id: ids[1], amount: 10 }]);
  });

  it("20 concurrent cancels of the same messages: exactly one refund per message", async () => {
    const { tenant, ids } = await scheduled(5);
    const outs = await Promise.all(Array.from({ length: 20 }, () => cancelScheduled(env, tenant.id, ids)));
    for (const id of ids) {
      const canceledBy = outs.filter((o) => o.find((r) => r.id === id)!.outcome === "canceled");
      expect(canceledBy).toHaveLength(1);
    }
    expect(await refunds(tenant.id)).toHaveLength(5);
    expect(await money(tenant.id)).toEqual({ balance: 10_000, ledger: 10_000 });
  });
});

describe("cancelBatch", () => {
  it("cancels what is still scheduled and summarises", async () => {
    const { tenant, batchId, ids } = await scheduled(3);
    await env.DB.prepare("UPDATE messages SET status = 'queued' WHERE id = ?1").bind(ids[2]).run();
    const out = await cancelBatch(env, tenant.id, batchId);
    expect(out.summary).toEqual({ canceled: 2, notCancelable: 1, refunded: 20 });
    expect(out.results).toHaveLength(3);
    expect(await money(tenant.id)).toEqual({ balance: 9990, ledger: 9990 });
    const batch = await env.DB.prepare("SELECT canceled FROM batches WHERE id = ?1").bind(batchId).first<{ canceled: number }>();
    expect(batch!.canceled).toBe(0);
  });

  it("a fully canceled batch is flagged; another tenant's batch is not_found", async () => {
    const a = await scheduled(2);
    const b = await scheduled(1);
    await expect(cancelBatch(env, a.tenant.id, b.batchId)).rejects.toMatchObject({ code: "not_found" });
    expect((await cancelBatch(env, a.tenant.id, a.batchId)).summary.canceled).toBe(2);
    const batch = await env.DB.prepare("SELECT canceled FROM batches WHERE id = ?1").bind(a.batchId).first<{ canceled: number }>();
    expect(batch!.canceled).toBe(1);
    expect(await statuses(b.ids)).toEqual(["scheduled"]);
  });
});
