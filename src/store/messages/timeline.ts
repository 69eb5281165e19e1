// What the console shows beside one message: its carrier references and receipts, its report row
// and the push that carried it, and its ledger rows, in one D1 batch.
import type { TenantDb } from "../db";
import type { MessageRow } from "./rows";

export interface TimelineRows {
  message: MessageRow | null;
  refs: Array<{ carrier: string; ref: string; part: number; created_at: number; code: string | null; reported_at: number | null; received_at: number | null }>;
  report: { code: string; message: string; reported_at: number; pulled_at: number | null; pushed_at: number | null; push_id: string | null; created_at: number } | null;
  pushes: Array<{ id: string; topic: string; url: string; status: string; attempts: number; last_error: string | null; created_at: number; updated_at: number }>;
  ledger: Array<{ id: number; amount: number; reason: string; note: string | null; created_at: number }>;
}

/** Everything about message `messageId` of tenant `tenantId`, in one D1 batch. */
export async function readTimeline({ db, tenantId }: TenantDb, messageId: string): Promise<TimelineRows> {
  const [message, refs, report, pushes, ledger] = await db.batch([
    db.prepare("SELECT * FROM messages WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, messageId),
    db
      .prepare(
        `SELECT c.carrier, c.ref, c.part, c.created_at, r.code, r.reported_at, r.received_at
         FROM carrier_refs c JOIN messages m ON m.id = c.message_id AND m.tenant_id = ?1
         LEFT JOIN receipts r ON r.carrier = c.carrier AND r.ref = c.ref
         WHERE c.message_id = ?2 ORDER BY c.part, c.created_at`,
      )
      .bind(tenantId, messageId),
    db
      .prepare("SELECT code, message, reported_at, pulled_at, pushed_at, push_id, created_at FROM reports WHERE tenant_id = ?1 AND message_id = ?2")
      .bind(tenantId, messageId),
    // The report row keeps the id of the push it was assigned to (a dead push clears it: then the
    // report became pullable again, and the dead push is listed under webhook deliveries).
    db
      .prepare(
        `SELECT id, topic, url, status, attempts, last_error, created_at, updated_at FROM webhook_deliveries
         WHERE tenant_id = ?1 AND id IN (SELECT push_id FROM reports WHERE tenant_id = ?1 AND message_id = ?2 AND push_id IS NOT NULL)`,
      )
      .bind(tenantId, messageId),
    db
      .prepare("SELECT id, amount, reason, note, created_at FROM ledger WHERE tenant_id = ?1 AND message_id = ?2 ORDER BY id")
      .bind(tenantId, messageId),
  ]);
  return {
    message: (message!.results[0] as MessageRow | undefined) ?? null,
    refs: refs!.results as TimelineRows["refs"],
    report: (report!.results[0] as TimelineRows["report"] | undefined) ?? null,
    pushes: pushes!.results as TimelineRows["pushes"],
    ledger: ledger!.results as TimelineRows["ledger"],
  };
}
