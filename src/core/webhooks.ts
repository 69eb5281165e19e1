// Pushes to customer URLs: grouping ready reports/replies per app into signed requests in the
// app's dialect format, the outbound URL guard (no private networks), sending with a timeout, and
// the retry schedule. Rows are durable before anything is queued, so nothing is lost.
import type { App, Dialect, Tenant } from "./types";
import type { PushFormat, PushItems, PushTopic, ReplyItem, ReportItem, ReviewItem } from "./push";
import { hmacSha256Hex, openSecret } from "./crypto";
import { newIds } from "./ids";
import { isIpLiteral, isPrivateAddress } from "./ip";
import { hostProblem } from "./dns";
import { pushFormatOf } from "./dialect-registry";
import type { InboundRow } from "../store/inbound";
import type { ReportRow } from "../store/reports";
import {
  appsAndTenants,
  insertPushes,
  loadPushes,
  pushStatements,
  recordPushOutcomes,
  replyAppsOf,
  reportAppsOf,
  type NewPush,
  type PushOutcomes,
  type PushRow,
} from "../store/webhooks";
import { directoryDb, tenantDb } from "../store/db";
import { toApp } from "./apps";
import { toTenant } from "./tenants";

/** Seconds before the 2nd … 6th attempt; after the 6th failure a push is dead (a format may set its own). */
export const PUSH_RETRY_DELAYS = [60, 300, 1800, 7200, 43200] as const;
const DEFAULT_TOPICS: readonly PushTopic[] = ["reports", "replies"];
export const PUSH_TIMEOUT_MS = 10_000;
/** Items per push: several reports travel together, but one request stays small. */
export const PUSH_ITEMS = 100;

/** The body a dialect without its own format gets. */
export const genericFormat: PushFormat = {
  async build(topic, items) {
    const body =
      topic === "reports"
        ? {
            topic,
            reports: (items as ReportItem[]).map((r) => ({
              message_id: r.messageId,
              batch_id: r.batchId,
              mobile: r.mobile,
              status: r.code === "10000" ? "delivered" : r.code === "9" ? "unknown" : "undelivered",
              code: r.code,
              message: r.message,
              segments: r.segments,
              sent_at: r.sentAt,
              reported_at: r.reportedAt,
              ...(r.customerRef ? { customer_ref: r.customerRef } : {}),
            })),
          }
        : topic === "reviews"
          ? {
              topic,
              reviews: (items as ReviewItem[]).map((r) => ({ subject: r.subject, id: r.id, status: r.status, note: r.note, reviewed_at: r.reviewedAt })),
            }
          : {
            topic,
            replies: (items as ReplyItem[]).map((r) => ({
              reply_id: r.replyId,
              mobile: r.mobile,
              content: r.content,
              signature: r.signature,
              extension: r.extension,
              received_at: r.receivedAt,
            })),
          };
    return { contentType: "application/json", body: JSON.stringify(body) };
  },
};

export const formatFor = (dialect: Dialect | string | null): PushFormat => pushFormatOf(dialect) ?? genericFormat;
const tells = (app: App, topic: PushTopic): boolean => (formatFor(app.dialect).topics ?? DEFAULT_TOPICS).includes(topic);

const BLOCKED_HOSTS = [/^localhost$/, /\.localhost$/, /\.internal$/, /\.local$/, /^metadata\.google\.internal$/];

/**
 * Why an outbound URL is refused, or null when it may be called: http(s) only, no userinfo, no
 * loopback/private/link-local/metadata IP literal (IPv6 forms embedding one included), no local-only
 * names. Names are resolved before each push where WEBHOOK_DOH_URL is set (src/core/dns.ts);
 * ALLOW_PRIVATE_WEBHOOKS="true" lifts the address checks for local demos.
 */
export function webhookUrlProblem(env: Env, raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a valid URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "only http and https URLs are allowed";
  if (url.username !== "" || url.password !== "") return "credentials in the URL are not allowed";
  if (env.ALLOW_PRIVATE_WEBHOOKS === "true") return null;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (isIpLiteral(host)) return isPrivateAddress(host) ? "the address is loopback, private, link-local or reserved" : null;
  if (/^[0-9.]+$/.test(host) || /^0x/i.test(host)) return "numeric host names that are not plain IPv4 addresses are not allowed";
  if (!host.includes(".") || BLOCKED_HOSTS.some((r) => r.test(host))) return "the host is a local-only name";
  return null;
}

export const pushSignature = (secret: string, timestamp: string, body: string): Promise<string> => hmacSha256Hex(secret, `${timestamp}.${body}`);

const toReportItem = (r: ReportRow): ReportItem => ({
  reportId: r.id,
  messageId: r.message_id,
  batchId: r.batch_id,
  mobile: r.mobile,
  signature: r.signature,
  code: r.code,
  message: r.message,
  segments: r.segments,
  sentAt: r.sent_at,
  reportedAt: r.reported_at,
  customerRef: r.customer_ref,
});

const toReplyItem = (r: InboundRow): ReplyItem => ({
  replyId: r.id,
  mobile: r.mobile,
  content: r.content,
  signature: r.signature,
  extension: r.extension,
  receivedAt: r.received_at,
});

interface Group {
  app: App;
  tenant: Tenant;
  url: string;
  rowIds: number[];
  items: PushItems;
}

/** The pushes of these groups, chunked to each format's size, and which row each push carries. */
async function buildPushes(env: Env, topic: PushTopic, groups: Group[]): Promise<{ pushes: NewPush[]; pairs: Array<[number, string]> }> {
  const chunks: Group[] = [];
  for (const g of groups) {
    const size = formatFor(g.app.dialect).maxItems ?? PUSH_ITEMS;
    for (let i = 0; i < g.items.length; i += size) {
      chunks.push({ ...g, rowIds: g.rowIds.slice(i, i + size), items: g.items.slice(i, i + size) as PushItems });
    }
  }
  if (chunks.length === 0) return { pushes: [], pairs: [] };
  const ids = newIds(chunks.length);
  const pushes: NewPush[] = [];
  const pairs: Array<[number, string]> = [];
  const assigned = new Set<number>();
  await Promise.all(
    chunks.map(async (c, i) => {
      try {
        const req = await formatFor(c.app.dialect).build(topic, c.items, { env, tenant: c.tenant, app: c.app });
        pushes[i] = { id: ids[i]!, tenantId: c.tenant.id, appId: c.app.id, topic, url: c.url, contentType: req.contentType, body: req.body, headers: req.headers ?? null };
      } catch (e) {
        // The rows stay unassigned, hence pullable: a formatter bug loses nothing.
        console.error(JSON.stringify({ level: "error", event: "push_format_failed", app: c.app.id, topic, error: String(e) }));
      }
    }),
  );
  chunks.forEach((c, i) => {
    if (!pushes[i]) return;
    // A reply pushed to several apps is tied to the first push; any successful one marks it pushed.
    for (const rid of c.rowIds) if (!assigned.has(rid)) (assigned.add(rid), pairs.push([rid, ids[i]!]));
  });
  return { pushes: pushes.filter(Boolean), pairs };
}

async function buildAndStore(env: Env, topic: "reports" | "replies", groups: Group[], now: number): Promise<void> {
  const { pushes, pairs } = await buildPushes(env, topic, groups);
  if (pushes.length === 0) return;
  await insertPushes(directoryDb(env), pushes, { table: topic === "reports" ? "reports" : "inbound", pairs }, now);
  await enqueuePushes(env, pushes.map((p) => p.id));
}

/**
 * The pushes telling a tenant's apps of a review verdict (only dialects whose vendor pushes
 * reviews, to the app's report URL): statements for the caller's batch, so the verdict and its
 * pushes commit together, and the ids to enqueue once it has.
 */
export async function reviewPushes(env: Env, tenantId: string, review: ReviewItem): Promise<{ statements: D1PreparedStatement[]; ids: string[] }> {
  const read = await reportAppsOf(tenantDb(env, tenantId));
  const apps = read.apps.map(toApp);
  const tenant = read.tenant && toTenant(read.tenant);
  if (!tenant) return { statements: [], ids: [] };
  const groups: Group[] = apps
    .filter((app) => app.reportUrl && tells(app, "reviews"))
    .map((app) => ({ app, tenant, url: app.reportUrl!, rowIds: [], items: [review] }));
  const { pushes } = await buildPushes(env, "reviews", groups);
  return { statements: pushes.length > 0 ? pushStatements(directoryDb(env), pushes, null, review.reviewedAt) : [], ids: pushes.map((p) => p.id) };
}

export async function enqueuePushes(env: Env, ids: string[], delaySeconds = 0): Promise<void> {
  try {
    for (let i = 0; i < ids.length; i += 100) {
      await env.WEBHOOK_QUEUE.sendBatch(ids.slice(i, i + 100).map((deliveryId) => ({ body: { deliveryId }, ...(delaySeconds > 0 ? { delaySeconds } : {}) })));
    }
  } catch (e) {
    // The rows are pending with next_at set: the cron re-enqueues them.
    console.error(JSON.stringify({ level: "error", event: "push_enqueue_failed", count: ids.length, error: String(e) }));
  }
}

/** Pushes for report rows, grouped per app (the app that sent the message). */
export async function createReportPushes(env: Env, rows: ReportRow[], now = Date.now()): Promise<void> {
  if (rows.length === 0) return;
  const read = await appsAndTenants(directoryDb(env), [...new Set(rows.map((r) => r.app_id))], [...new Set(rows.map((r) => r.tenant_id))]);
  const apps = new Map([...read.apps].map(([id, r]) => [id, toApp(r)]));
  const tenants = new Map([...read.tenants].map(([id, r]) => [id, toTenant(r)]));
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const app = apps.get(r.app_id);
    const tenant = tenants.get(r.tenant_id);
    if (!app?.reportUrl || !tenant || !tells(app, "reports")) continue;
    const g = groups.get(app.id) ?? { app, tenant, url: app.reportUrl, rowIds: [], items: [] as ReportItem[] };
    g.rowIds.push(r.id);
    (g.items as ReportItem[]).push(toReportItem(r));
    groups.set(app.id, g);
  }
  await buildAndStore(env, "reports", [...groups.values()], now);
}

/** Pushes for replies: to every app of the reply's tenant that has a reply URL. */
export async function createReplyPushes(env: Env, rows: InboundRow[], now = Date.now()): Promise<void> {
  if (rows.length === 0) return;
  const read = await replyAppsOf(directoryDb(env), [...new Set(rows.map((r) => r.tenant_id))]);
  const apps = read.apps.map(toApp);
  const tenants = new Map([...read.tenants].map(([id, r]) => [id, toTenant(r)]));
  const groups: Group[] = [];
  for (const app of apps) {
    const tenant = tenants.get(app.tenantId);
    const mine = rows.filter((r) => r.tenant_id === app.tenantId);
    if (!tenant || !app.replyUrl || mine.length === 0 || !tells(app, "replies")) continue;
    groups.push({ app, tenant, url: app.replyUrl, rowIds: mine.map((r) => r.id), items: mine.map(toReplyItem) });
  }
  await buildAndStore(env, "replies", groups, now);
}

export type PushResult = { id: string; outcome: "delivered" | "skipped" | "dead" } | { id: string; outcome: "retry"; delaySeconds: number };

async function readCapped(res: Response, max = 16 * 1024): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const dec = new TextDecoder();
  return chunks.map((c) => dec.decode(c, { stream: true })).join("").slice(0, max);
}

/** One attempt: null on success, else why it failed. */
async function attempt(env: Env, p: PushRow, now: number): Promise<string | null> {
  const problem = webhookUrlProblem(env, p.url);
  if (problem) return `refused URL: ${problem}`;
  // Production: the name is resolved before each push (it may point elsewhere since it was saved).
  const host = new URL(p.url).hostname.replace(/^\[|\]$/g, "");
  if (env.WEBHOOK_DOH_URL && env.ALLOW_PRIVATE_WEBHOOKS !== "true" && !isIpLiteral(host)) {
    const dns = await hostProblem(env.WEBHOOK_DOH_URL, host);
    if (dns) return dns.transient ? `network error: ${dns.problem}` : `refused URL: ${dns.problem}`;
  }
  const timestamp = String(Math.floor(now / 1000));
  const headers: Record<string, string> = {
    ...(p.headers ? (JSON.parse(p.headers) as Record<string, string>) : {}),
    "content-type": p.content_type,
    "user-agent": "edgesms-webhooks/1",
    "x-edgesms-timestamp": timestamp,
    "x-edgesms-signature": await pushSignature(await openSecret(env, p.webhook_secret), timestamp, p.body),
  };
  try {
    const res = await fetch(p.url, { method: "POST", headers, body: p.body, redirect: "manual", signal: AbortSignal.timeout(PUSH_TIMEOUT_MS) });
    const text = await readCapped(res);
    const format = formatFor(p.dialect);
    const ok = format.acknowledged ? format.acknowledged(res.status, text) : res.status >= 200 && res.status < 300;
    if (ok) return null;
    return res.status >= 300 && res.status < 400 ? `HTTP ${res.status}: redirects are not followed` : `HTTP ${res.status}: ${text.slice(0, 200)}`;
  } catch (e) {
    const name = e instanceof Error ? e.name : "";
    return name === "TimeoutError" || name === "AbortError" ? `timed out after ${PUSH_TIMEOUT_MS / 1000} s` : `network error: ${String(e).slice(0, 200)}`;
  }
}

/** Sends the pending pushes among `ids` in parallel and records every outcome in one batch. */
export async function sendPushes(env: Env, ids: string[], now = Date.now()): Promise<PushResult[]> {
  const rows = new Map((await loadPushes(directoryDb(env), ids)).map((r) => [r.id, r]));
  const outcomes: PushOutcomes = { delivered: [], retry: [], dead: [] };
  const results = await Promise.all(
    ids.map(async (id): Promise<PushResult> => {
      const p = rows.get(id);
      if (!p || p.status !== "pending") return { id, outcome: "skipped" };
      const error = await attempt(env, p, now);
      if (error === null) return (outcomes.delivered.push(id), { id, outcome: "delivered" });
      const n = p.attempts + 1;
      const delays = formatFor(p.dialect).retryDelays ?? PUSH_RETRY_DELAYS;
      if (n > delays.length || error.startsWith("refused URL")) return (outcomes.dead.push({ id, error }), { id, outcome: "dead" });
      const delaySeconds = delays[n - 1]!;
      outcomes.retry.push({ id, error, nextAt: now + delaySeconds * 1000 });
      return { id, outcome: "retry", delaySeconds };
    }),
  );
  await recordPushOutcomes(directoryDb(env), outcomes, now);
  return results;
}
