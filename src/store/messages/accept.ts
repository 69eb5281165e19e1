// The accept write (one atomic D1 batch) and the guard that makes a schedule change lose cleanly
// against a release or cancel that took its messages first.
import type { TenantDb } from "../db";
import { tenantIds, type NewBatch } from "./rows";
import type { MessageStatus } from "../columns";
import { statsDeltaStatement } from "../stats";

// D1 caps bound parameters at 100 per statement, so rows travel as one JSON parameter and are
// expanded by json_each: one statement per ~256 KB of rows instead of one per 4 rows.
const CHUNK_CHARS = 256 * 1024;

function messageChunks(b: NewBatch): string[] {
  const chunks: string[] = [];
  let rows: string[] = [];
  let size = 0;
  for (const m of b.messages) {
    const row = JSON.stringify([
      m.id, m.mobile, m.content, m.signature, m.templateId, m.params === null ? null : JSON.stringify(m.params),
      m.channel, m.encoding, m.segments, m.price, m.customerRef ?? null,
    ]);
    if (size + row.length > CHUNK_CHARS && rows.length > 0) {
      chunks.push(`[${rows.join(",")}]`);
      rows = [];
      size = 0;
    }
    rows.push(row);
    size += row.length + 1;
  }
  if (rows.length > 0) chunks.push(`[${rows.join(",")}]`);
  return chunks;
}

/**
 * The statements of one accept: debit (with the revision check), ledger row, batch row, message
 * rows. Run them in ONE db.batch (a transaction): an overdraft fails the balance CHECK and nothing
 * is written.
 */
export function acceptStatements({ db, tenantId }: TenantDb, b: NewBatch): D1PreparedStatement[] {
  const status: MessageStatus = b.scheduled ? "scheduled" : "queued";
  const stmts = [
    // The debit also compares the tenant's revision stamp with the one the send was decided on
    // (core/snapshots.ts): a stamp that moved becomes NULL, the NOT NULL constraint refuses it and
    // the whole batch rolls back (isStaleRevision), before the balance CHECK is looked at. In every
    // accept, so that no caller can forget it; one statement instead of a guard of its own.
    db
      .prepare("UPDATE tenants SET balance = balance - ?2, updated_at = ?3, revision = CASE revision WHEN ?4 THEN revision END WHERE id = ?1")
      .bind(tenantId, b.amount, b.now, b.revision),
    db
      .prepare("INSERT INTO ledger (tenant_id, amount, reason, batch_id, created_at) VALUES (?1, ?2, 'send', ?3, ?4)")
      .bind(tenantId, -b.amount, b.id, b.now),
    b.replaces
      ? db
          .prepare(
            `UPDATE batches SET kind = ?3, template_id = ?4, size = ?5, amount = ?6, send_at = ?7, scheduled = ?8, canceled = 0, updated_at = ?9
             WHERE tenant_id = ?1 AND id = ?2`,
          )
          .bind(tenantId, b.id, b.kind, b.templateId, b.messages.length, b.amount, b.sendAt, Number(b.scheduled), b.now)
      : db
          .prepare(
            `INSERT INTO batches (id, tenant_id, app_id, dialect, kind, template_id, size, amount, send_at, scheduled, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)`,
          )
          .bind(b.id, tenantId, b.appId, b.dialect, b.kind, b.templateId, b.messages.length, b.amount, b.sendAt, Number(b.scheduled), b.now),
  ];
  for (const chunk of messageChunks(b)) {
    stmts.push(
      db
        .prepare(
          `INSERT INTO messages (id, tenant_id, app_id, batch_id, dialect, kind, status, send_at, created_at, updated_at,
             mobile, content, signature, template_id, params, channel, encoding, segments, price, customer_ref)
           SELECT json_extract(value, '$[0]'), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9,
             json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'),
             json_extract(value, '$[4]'), json_extract(value, '$[5]'), json_extract(value, '$[6]'),
             json_extract(value, '$[7]'), json_extract(value, '$[8]'), json_extract(value, '$[9]'), json_extract(value, '$[10]')
           FROM json_each(?1)`,
        )
        .bind(chunk, tenantId, b.appId, b.id, b.dialect, b.kind, status, b.sendAt, b.now),
    );
  }
  // The new rows counted in the statistics: one grouped statement for the whole batch.
  stmts.push(statsDeltaStatement(db, JSON.stringify(b.messages.map((m) => m.id)), 1, tenantId));
  return stmts;
}

/**
 * Aborts the db.batch it runs in (through batch_guards' CHECK) when any of `idsJson` is no longer
 * `scheduled`: the release or a cancel got there first.
 */
export function stillScheduledGuard({ db, tenantId }: TenantDb, idsJson: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO batch_guards (reason) SELECT 'not scheduled' WHERE EXISTS (
         SELECT 1 FROM messages WHERE ${tenantIds("?1", "?2")} AND status <> 'scheduled')`,
    )
    .bind(tenantId, idsJson);
}

/** The error D1 raises when a stillScheduledGuard aborted the batch (test this before isOverdraft: both are CHECK failures). */
export const isGuardFailure = (e: unknown): boolean => e instanceof Error && /batch_guard_failed|batch_guards/i.test(e.message);
