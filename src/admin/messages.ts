// Message lookups: one message, a batch's messages, and a tenant's messages filtered, newest first.
import { z } from "zod";
import { normalizeMobile } from "../core/phone";
import { CoreError } from "../core/errors";
import { json } from "../http/respond";
import { getMessage, listBatchMessages, listMessages, batchExists } from "../store/messages/read";
import { AdminError, adminRoute, invalid, parseParams, parseQuery, requireTenant } from "./http";
import { decodeCursor, Page, page, PageQuery } from "./paging";
import { TenantParams } from "./tenants/schemas";
import { MessageView, messageView } from "./views";
import { tenantDb } from "../store/db";
import { toMessage } from "../core/messages";

const MessageParams = TenantParams.extend({ messageId: z.string().min(1).max(64) });
const BatchParams = TenantParams.extend({ batchId: z.string().min(1).max(64) });

const Status = z.enum(["scheduled", "queued", "submitted", "delivered", "undelivered", "unknown", "failed", "canceled"]);
const EpochMs = z.coerce.number().int().min(0);

export const MessageQuery = PageQuery.extend({
  status: Status.optional(),
  mobile: z.string().max(32).optional().describe("any accepted spelling; normalised to E.164"),
  from: EpochMs.optional().describe("created at or after (epoch ms)"),
  to: EpochMs.optional().describe("created before (epoch ms)"),
});

const MessageCursor = z.tuple([z.number().int(), z.string()]);

export const getMessageRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}/messages/{messageId}", summary: "Get a message", response: MessageView },
  async (req, env) => {
    const { id, messageId } = parseParams(req, MessageParams);
    await requireTenant(env, id);
    const row = await getMessage(tenantDb(env, id), messageId);
    const m = row && toMessage(row);
    if (!m) throw new AdminError(404, "not_found", `message ${messageId} does not exist`);
    return json(messageView(m));
  },
);

export const listBatchMessagesRoute = adminRoute(
  {
    method: "get",
    path: "/admin/v1/tenants/{id}/batches/{batchId}/messages",
    summary: "A batch's messages (by id)",
    query: PageQuery,
    response: Page(MessageView),
  },
  async (req, env) => {
    const { id, batchId } = parseParams(req, BatchParams);
    await requireTenant(env, id);
    const q = parseQuery(req, PageQuery);
    const after = decodeCursor(q.cursor, z.string());
    if (!(await batchExists(tenantDb(env, id), batchId))) throw new AdminError(404, "not_found", `batch ${batchId} does not exist`);
    const rows = (await listBatchMessages(tenantDb(env, id), batchId, q.limit + 1, after)).map(toMessage);
    return json(page(rows, q.limit, messageView, (m) => m.id));
  },
);

function mobileFilter(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return normalizeMobile(raw);
  } catch (e) {
    if (e instanceof CoreError) throw invalid("the request has invalid fields", [{ path: "mobile", message: e.message }]);
    throw e;
  }
}

export const listMessagesRoute = adminRoute(
  {
    method: "get",
    path: "/admin/v1/tenants/{id}/messages",
    summary: "A tenant's messages, newest first",
    query: MessageQuery,
    response: Page(MessageView),
  },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const q = parseQuery(req, MessageQuery);
    const cursor = decodeCursor(q.cursor, MessageCursor);
    const filter = { status: q.status, mobile: mobileFilter(q.mobile), from: q.from, to: q.to };
    const rows = (await listMessages(tenantDb(env, id), filter, q.limit + 1, cursor && { createdAt: cursor[0], id: cursor[1] })).map(toMessage);
    return json(page(rows, q.limit, messageView, (m) => [m.createdAt, m.id]));
  },
);
