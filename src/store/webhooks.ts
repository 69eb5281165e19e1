// Outbound pushes (webhook_deliveries): written before they are queued, claimed rows marked with
// push_id, outcomes per attempt, and the operator-visible dead ones.
import type { TenantDb } from "./db";
import type { PushTopic } from "./columns";
import type { AppRow } from "./apps";
import type { TenantRow } from "./tenants";

export interface NewPush {
  id: string;
  tenantId: string;
  appId: string;
  topic: PushTopic;
  url: string;
  contentType: string;
  body: string;
  headers: Record<string, string> | null;
}

export async function appsAndTenants(db: D1Database, appIds: string[], tenantIds: string[]): Promise<{ apps: Map<string, AppRow>; tenants: Map<string, TenantRow> }> {
  const [a, t] = await db.batch([
    db.prepare("SELECT * FROM apps WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(appIds)),
    db.prepare("SELECT * FROM tenants WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(tenantIds)),
  ]);
  return {
    apps: new Map((a!.results as unknown as AppRow[]).map((r) => [r.id, r])),
    tenants: new Map((t!.results as unknown as TenantRow[]).map((r) => [r.id, r])),
  };
}

/** Every app of these tenants with a reply URL, and the tenants. */
export async function replyAppsOf(db: D1Database, tenantIds: string[]): Promise<{ apps: AppRow[]; tenants: Map<string, TenantRow> }> {
  const json = JSON.stringify(tenantIds);
  const [a, t] = await db.batch([
    db.prepare("SELECT * FROM apps WHERE tenant_id IN (SELECT value FROM json_each(?1)) AND reply_url IS NOT NULL ORDER BY id").bind(json),
    db.prepare("SELECT * FROM tenants WHERE id IN (SELECT value FROM json_each(?1))").bind(json),
  ]);
  return {
    apps: a!.results as unknown as AppRow[],
    tenants: new Map((t!.results as unknown as TenantRow[]).map((r) => [r.id, r])),
  };
}

const CHUNK_CHARS = 512 * 1024;

/** Rows handed to pushes: [[rowId, pushId], …] of the reports or inbound table. */
export interface PushAssignment {
  table: "reports" | "inbound";
  pairs: Array<[number, string]>;
}

/**
 * The statements that insert the pushes and assign their rows, for the caller's batch. The
 * assignment skips rows already assigned or pulled, so a row is handed out once.
 */
export function pushStatements(db: D1Database, pushes: NewPush[], assign: PushAssignment | null, now: number): D1PreparedStatement[] {
  const stmts: D1PreparedStatement[] = [];
  let rows: string[] = [];
  let size = 0;
  const flush = () => {
    if (rows.length === 0) return;
    stmts.push(
      db
        .prepare(
          `INSERT INTO webhook_deliveries (id, tenant_id, app_id, topic, url, content_type, body, headers, status, attempts, next_at, created_at, updated_at)
           SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'),
             json_extract(value, '$[4]'), json_extract(value, '$[5]'), json_extract(value, '$[6]'), json_extract(value, '$[7]'),
             'pending', 0, ?2, ?2, ?2
           FROM json_each(?1)`,
        )
        .bind(`[${rows.join(",")}]`, now),
    );
    rows = [];
    size = 0;
  };
  for (const p of pushes) {
    const row = JSON.stringify([p.id, p.tenantId, p.appId, p.topic, p.url, p.contentType, p.body, p.headers ? JSON.stringify(p.headers) : null]);
    if (size + row.length > CHUNK_CHARS) flush();
    rows.push(row);
    size += row.length + 1;
  }
  flush();
  if (!assign) return stmts;
  // The table name is one of two constants, never caller input.
  const target = assign.table === "reports" ? "reports" : "inbound";
  stmts.push(
    db
      .prepare(
        `UPDATE ${target} SET push_id = j.push
         FROM (SELECT json_extract(value, '$[0]') AS rid, json_extract(value, '$[1]') AS push FROM json_each(?1)) AS j
         WHERE ${target}.id = j.rid AND ${target}.push_id IS NULL AND ${target}.pulled_at IS NULL`,
      )
      .bind(JSON.stringify(assign.pairs)),
  );
  return stmts;
}

export async function insertPushes(db: D1Database, pushes: NewPush[], assign: PushAssignment | null, now: number): Promise<void> {
  await db.batch(pushStatements(db, pushes, assign, now));
}

/** Every app of this tenant that has a report URL (where JPush-style review callbacks go). */
export async function reportAppsOf({ db, tenantId }: TenantDb): Promise<{ apps: AppRow[]; tenant: TenantRow | null }> {
  const [a, t] = await db.batch([
    db.prepare("SELECT * FROM apps WHERE tenant_id = ?1 AND report_url IS NOT NULL ORDER BY id").bind(tenantId),
    db.prepare("SELECT * FROM tenants WHERE id = ?1").bind(tenantId),
  ]);
  const tenantRow = (t!.results as unknown as TenantRow[])[0];
  return { apps: a!.results as unknown as AppRow[], tenant: tenantRow ?? null };
}

export interface PushRow {
  id: string;
  tenant_id: string;
  app_id: string;
  topic: string;
  url: string;
  content_type: string;
  body: string;
  headers: string | null;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  webhook_secret: string;
  dialect: string | null;
}

export async function loadPushes(db: D1Database, ids: string[]): Promise<PushRow[]> {
  const { results } = await db
    .prepare(
      `SELECT d.id, d.tenant_id, d.app_id, d.topic, d.url, d.content_type, d.body, d.headers, d.status, d.attempts, t.webhook_secret, a.dialect
       FROM webhook_deliveries d JOIN tenants t ON t.id = d.tenant_id LEFT JOIN apps a ON a.id = d.app_id
       WHERE d.id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(ids))
    .all<PushRow>();
  return results;
}

export interface PushOutcomes {
  delivered: string[];
  retry: Array<{ id: string; error: string; nextAt: number }>;
  dead: Array<{ id: string; error: string }>;
}

/** All outcomes of one consumer run in one batch; each guarded by status = 'pending'. */
export async function recordPushOutcomes(db: D1Database, o: PushOutcomes, now: number): Promise<void> {
  const delivered = JSON.stringify(o.delivered);
  const dead = JSON.stringify(o.dead.map((d) => [d.id, d.error]));
  const deadIds = JSON.stringify(o.dead.map((d) => d.id));
  const stmts: D1PreparedStatement[] = [];
  if (o.delivered.length > 0) {
    stmts.push(
      db
        .prepare(
          `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_error = NULL, next_at = NULL, updated_at = ?2
           WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'pending'`,
        )
        .bind(delivered, now),
      db.prepare("UPDATE reports SET pushed_at = ?2 WHERE push_id IN (SELECT value FROM json_each(?1)) AND pushed_at IS NULL").bind(delivered, now),
      db.prepare("UPDATE inbound SET pushed_at = ?2 WHERE push_id IN (SELECT value FROM json_each(?1)) AND pushed_at IS NULL").bind(delivered, now),
    );
  }
  if (o.retry.length > 0) {
    stmts.push(
      db
        .prepare(
          `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = j.err, next_at = j.next, updated_at = ?2
           FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS err, json_extract(value, '$[2]') AS next FROM json_each(?1)) AS j
           WHERE webhook_deliveries.id = j.id AND webhook_deliveries.status = 'pending'`,
        )
        .bind(JSON.stringify(o.retry.map((r) => [r.id, r.error, r.nextAt])), now),
    );
  }
  if (o.dead.length > 0) {
    stmts.push(
      db
        .prepare(
          `UPDATE webhook_deliveries SET status = 'dead', attempts = attempts + 1, last_error = j.err, next_at = NULL, updated_at = ?2
           FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS err FROM json_each(?1)) AS j
           WHERE webhook_deliveries.id = j.id AND webhook_deliveries.status = 'pending'`,
        )
        .bind(dead, now),
      // Rows a dead push carried become pullable again (unless another push already delivered them).
      db.prepare("UPDATE reports SET push_id = NULL WHERE push_id IN (SELECT value FROM json_each(?1)) AND pushed_at IS NULL").bind(deadIds),
      db.prepare("UPDATE inbound SET push_id = NULL WHERE push_id IN (SELECT value FROM json_each(?1)) AND pushed_at IS NULL").bind(deadIds),
      db
        .prepare(
          `INSERT INTO dead_letters (queue, body, created_at)
           SELECT 'edgesms-webhooks', json_object('deliveryId', json_extract(value, '$[0]'), 'error', json_extract(value, '$[1]')), ?2 FROM json_each(?1)`,
        )
        .bind(dead, now),
    );
  }
  if (stmts.length > 0) await db.batch(stmts);
}

/** Pending pushes whose queue message is long overdue (a lost enqueue): bumped and returned once per sweep. */
export async function overduePushes(db: D1Database, before: number, nextAt: number, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `UPDATE webhook_deliveries SET next_at = ?2
       WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_at < ?1 ORDER BY next_at LIMIT ?3)
         AND status = 'pending' RETURNING id`,
    )
    .bind(before, nextAt, limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

export interface WebhookDelivery {
  id: string;
  appId: string;
  topic: string;
  url: string;
  contentType: string;
  body: string;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

interface WebhookDeliveryRow {
  id: string;
  app_id: string;
  topic: string;
  url: string;
  content_type: string;
  body: string;
  status: WebhookDelivery["status"];
  attempts: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** Newest first; the cursor is the (created_at, id) of the last row of the previous page. */
export async function listWebhookDeliveries(
  { db, tenantId }: TenantDb,
  
  status: WebhookDelivery["status"] | null,
  limit: number,
  cursor: { createdAt: number; id: string } | null,
): Promise<WebhookDelivery[]> {
  const { results } = await db
    .prepare(
      `SELECT id, app_id, topic, url, content_type, body, status, attempts, last_error, created_at, updated_at
       FROM webhook_deliveries WHERE tenant_id = ?1 AND (?2 IS NULL OR status = ?2)
         AND (?3 IS NULL OR created_at < ?3 OR (created_at = ?3 AND id < ?4))
       ORDER BY created_at DESC, id DESC LIMIT ?5`,
    )
    .bind(tenantId, status, cursor?.createdAt ?? null, cursor?.id ?? null, limit)
    .all<WebhookDeliveryRow>();
  return results.map((r) => ({
    id: r.id,
    appId: r.app_id,
    topic: r.topic,
    url: r.url,
    contentType: r.content_type,
    body: r.body,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
