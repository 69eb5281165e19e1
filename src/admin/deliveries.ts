// Delivery problems, read-only: a tenant's webhook pushes by status, and the queues' dead letters.
import { z } from "zod";
import { json } from "../http/respond";
import { adminRoute, parseParams, parseQuery, requireTenant } from "./http";
import { decodeCursor, Page, page, PageQuery } from "./paging";
import { TenantParams } from "./tenants/schemas";
import { directoryDb, tenantDb } from "../store/db";
import { listWebhookDeliveries, type WebhookDelivery } from "../store/webhooks";
import { listDeadLetters, type DeadLetter } from "../store/dead-letters";

export const DeliveryView = z.object({
  id: z.string(),
  app_id: z.string(),
  topic: z.string(),
  url: z.string(),
  content_type: z.string(),
  body: z.string(),
  status: z.enum(["pending", "delivered", "dead"]),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

const deliveryView = (d: WebhookDelivery): z.infer<typeof DeliveryView> => ({
  id: d.id,
  app_id: d.appId,
  topic: d.topic,
  url: d.url,
  content_type: d.contentType,
  body: d.body,
  status: d.status,
  attempts: d.attempts,
  last_error: d.lastError,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
});

export const DeadLetterView = z.object({ id: z.number().int(), queue: z.string(), body: z.string(), created_at: z.number().int() });
const deadLetterView = (d: DeadLetter): z.infer<typeof DeadLetterView> => ({ id: d.id, queue: d.queue, body: d.body, created_at: d.createdAt });

export const DeliveryQuery = PageQuery.extend({ status: z.enum(["pending", "delivered", "dead"]).optional() });

export const listDeliveriesRoute = adminRoute(
  {
    method: "get",
    path: "/admin/v1/tenants/{id}/webhook-deliveries",
    summary: "A tenant's webhook pushes, newest first",
    query: DeliveryQuery,
    response: Page(DeliveryView),
  },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const q = parseQuery(req, DeliveryQuery);
    const cursor = decodeCursor(q.cursor, z.tuple([z.number().int(), z.string()]));
    const rows = await listWebhookDeliveries(tenantDb(env, id), q.status ?? null, q.limit + 1, cursor && { createdAt: cursor[0], id: cursor[1] });
    return json(page(rows, q.limit, deliveryView, (d) => [d.createdAt, d.id]));
  },
);

export const listDeadLettersRoute = adminRoute(
  {
    method: "get",
    path: "/admin/v1/dead-letters",
    summary: "Queue messages that exhausted their retries, newest first",
    query: PageQuery,
    response: Page(DeadLetterView),
  },
  async (req, env) => {
    const q = parseQuery(req, PageQuery);
    const before = decodeCursor(q.cursor, z.number().int());
    const rows = await listDeadLetters(directoryDb(env), q.limit + 1, before);
    return json(page(rows, q.limit, deadLetterView, (d) => d.id));
  },
);
