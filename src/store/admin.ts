// SQL only the operator API needs: tenant creation without overwrite, paged credential lists,
// and read-only views of webhook deliveries and dead letters (written by the delivery engine).
import type { TenantDb } from "./db";
import type { AppRow } from "./apps";
import type { NewTenant } from "./tenants";

/** Inserts the tenant unless the id is taken; false means the id already exists. */
export async function insertTenantIfAbsent(db: D1Database, t: NewTenant): Promise<boolean> {
  const r = await db
    .prepare(
      `INSERT INTO tenants (id, name, balance, price_verification, price_notification, price_marketing,
         timezone, webhook_secret, settings, created_at, updated_at)
       VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(t.id, t.name, t.prices.verification, t.prices.notification, t.prices.marketing, t.timezone, t.webhookSecret, t.settings, t.now)
    .run();
  return r.meta.changes > 0;
}

export async function listAppsPage({ db, tenantId }: TenantDb, limit: number, after: string | null): Promise<AppRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM apps WHERE tenant_id = ?1 AND (?2 IS NULL OR id > ?2) ORDER BY id LIMIT ?3")
    .bind(tenantId, after, limit)
    .all<AppRow>();
  return results;
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

export interface DeadLetter {
  id: number;
  queue: string;
  body: string;
  createdAt: number;
}

/** Newest first across every tenant: dead letters are the operator's, not a tenant's. */
export async function listDeadLetters(db: D1Database, limit: number, before: number | null): Promise<DeadLetter[]> {
  const { results } = await db
    .prepare("SELECT id, queue, body, created_at FROM dead_letters WHERE (?1 IS NULL OR id < ?1) ORDER BY id DESC LIMIT ?2")
    .bind(before, limit)
    .all<{ id: number; queue: string; body: string; created_at: number }>();
  return results.map((r) => ({ id: r.id, queue: r.queue, body: r.body, createdAt: r.created_at }));
}

export async function batchExists({ db, tenantId }: TenantDb, batchId: string): Promise<boolean> {
  const r = await db.prepare("SELECT 1 AS one FROM batches WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, batchId).first();
  return r !== null;
}
