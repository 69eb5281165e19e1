// Applying what happens after the carrier took a message: delivery reports (guarded status moves,
// one report row each), replies (routed to a tenant, stored once, opt-out words), the gateway's own
// final failures (refunded), and then the pushes for whatever an app wants pushed.
import { DELIVERY_CODES, type DeliveryCode } from "./types";
import { randomHex } from "./crypto";
import { normalizeMobile } from "./phone";
import { createReplyPushes, createReportPushes } from "./webhooks";
import { recordFinal, wantsFinalRows, type FinalisedRow } from "./stats";
import type { CarrierEvents, CarrierReply, CarrierReport } from "./carrier-events";
import { optOutStatement } from "../store/opt-outs";
import { failStatements, optedOutStatements, rejectStatements } from "../store/messages/claims";
import { completedByRefsStatement, insertReceiptsStatement, type CompletedRow } from "../store/receipts";
import { statsMoveStatements } from "../store/stats";
import { applyReportsStatement } from "../store/messages/reports";
import { insertReportsStatement, pushableReportsStatement, type ReportRow } from "../store/reports";
import { insertInboundStatement, pushableRepliesStatement, replyRouteCandidates, type InboundRow } from "../store/inbound";
import { directoryDb } from "../store/db";

export interface ReportsOutcome {
  /** Messages now final. */
  applied: number;
  /** New receipts by carrier reference, stored until every part of their message has one (early ones included). */
  receipts: number;
  /** Reports that changed nothing: a duplicate receipt, a report by id for a message already final or unknown. */
  ignored: number;
}

export interface RepliesOutcome {
  stored: number;
  duplicates: number;
  unroutable: number;
  optOuts: number;
}

/** Words that, as the whole reply, unsubscribe the mobile from the tenant's marketing. */
const OPT_OUT_WORDS = new Set(["TD", "T", "R", "N", "退订"]);

export const isOptOut = (content: string): boolean => OPT_OUT_WORDS.has(content.trim().toUpperCase());

type FinalRow = [id: string, code: DeliveryCode, message: string, segments: number | null, reportedAt: number];

const finalRow = (r: CompletedRow): FinalRow => [r.id, r.code as DeliveryCode, DELIVERY_CODES[r.code as DeliveryCode], null, r.reported_at];

/**
 * Applies delivery reports of `carrier` (null: the gateway's own sweep, any carrier). A report by
 * message id moves that message; a receipt by carrier reference is stored first and moves its
 * message once every part has one, so an early receipt, a multipart message and a duplicate all
 * come out right. Only `submitted` messages move: a repeated or late report changes nothing.
 */
export async function applyReports(env: Env, carrier: string | null, reports: CarrierReport[], now = Date.now()): Promise<ReportsOutcome> {
  if (reports.length === 0) return { applied: 0, receipts: 0, ignored: 0 };
  const rows: FinalRow[] = [];
  const receipts: Array<[string, DeliveryCode, number]> = [];
  for (const r of reports) {
    if (r.message_id !== undefined) rows.push([r.message_id, r.code, DELIVERY_CODES[r.code], r.segments ?? null, r.reported_at ?? now]);
    else if (carrier !== null) receipts.push([r.ref!, r.code, r.reported_at ?? now]);
  }
  const byIdCount = rows.length;
  let stored = 0;
  if (receipts.length > 0) {
    const [inserted, completed] = await directoryDb(env).batch<CompletedRow>([
      insertReceiptsStatement(directoryDb(env), carrier!, JSON.stringify(receipts), now),
      completedByRefsStatement(directoryDb(env), carrier!, JSON.stringify(receipts.map((r) => r[0]))),
    ]);
    stored = inserted!.meta.changes;
    rows.push(...completed!.results.map(finalRow));
  }
  const moved = await finalise(env, carrier, rows, now);
  const movedById = rows.slice(0, byIdCount).filter((r) => moved.has(r[0])).length;
  return { applied: moved.size, receipts: stored, ignored: reports.length - movedById - stored };
}

/** Finalises messages whose receipts all came before their references were recorded (rows of completedByIdsStatement). */
export async function applyEarlyReceipts(env: Env, carrier: string | null, completed: CompletedRow[], now = Date.now()): Promise<number> {
  return (await finalise(env, carrier, completed.map(finalRow), now)).size;
}

/**
 * Reports finalised per D1 transaction. D1 runs one transaction at a time, so a consumer batch of
 * receipts applied at once (the simulator's arrive 5,000–20,000 together under load) held every
 * accept behind it for up to ~0.2 s; a thousand at a time keep each under ~15 ms (docs/bench.md).
 */
const FINALISE_CHUNK = 1000;

/**
 * Final status, report row and pushes for each message that is still submitted; the ids moved.
 * Each chunk is atomic and idempotent, so a failure part way is repaired by the caller's retry.
 */
async function finalise(env: Env, carrier: string | null, rows: FinalRow[], now: number): Promise<Set<string>> {
  const moved = new Set<string>();
  for (let i = 0; i < rows.length; i += FINALISE_CHUNK) {
    for (const id of await finaliseChunk(env, carrier, rows.slice(i, i + FINALISE_CHUNK), now)) moved.add(id);
  }
  return moved;
}

async function finaliseChunk(env: Env, carrier: string | null, rows: FinalRow[], now: number): Promise<string[]> {
  if (rows.length === 0) return [];
  const idsJson = JSON.stringify(rows.map((r) => r[0]));
  const db = directoryDb(env);
  const res = await db.batch([
    // Only the moved ids come back unless the Analytics Engine dataset wants the rows (7 columns per message).
    ...statsMoveStatements(db, idsJson, [applyReportsStatement(db, JSON.stringify(rows), carrier, now, wantsFinalRows(env) ? "rows" : "ids")]),
    insertReportsStatement(db, idsJson, now),
    pushableReportsStatement(db, idsJson),
  ]);
  await createReportPushes(env, res[4]!.results as unknown as ReportRow[], now);
  const moved = res[1]!.results as unknown as FinalisedRow[];
  recordFinal(env, moved);
  return moved.map((r) => r.id);
}

const UNSENT = { reject: rejectStatements, fail: failStatements, opted_out: optedOutStatements };

/**
 * Gateway-side final outcomes, refunded and reported: "reject" (the carrier refused at submit),
 * "fail" (retries exhausted), "opted_out" (a released marketing message whose mobile unsubscribed
 * after it was accepted; the other ids are left alone).
 */
export async function finishUnsent(
  env: Env,
  how: keyof typeof UNSENT,
  ids: string[],
  reason: string,
  now = Date.now(),
  /** "reject" only: the delivery code the carrier's refusal maps to (default 1, submit failed). */
  code: DeliveryCode = "1",
): Promise<void> {
  if (ids.length === 0) return;
  const idsJson = JSON.stringify(ids);
  const token = `${how}:${randomHex(12)}`;
  const db = directoryDb(env);
  const moves = how === "reject" ? rejectStatements(db, idsJson, reason, token, now, code) : UNSENT[how](db, idsJson, reason, token, now);
  const res = await db.batch([...statsMoveStatements(db, idsJson, moves), insertReportsStatement(db, idsJson, now), pushableReportsStatement(db, idsJson)]);
  await createReportPushes(env, res[res.length - 1]!.results as unknown as ReportRow[], now);
}

const bare = (signature: string): string => signature.trim().replace(/^【(.*)】$/, "$1").trim();

/**
 * Stores replies from `carrier`, each routed to the tenant owning an approved signature of that
 * name (or whose signature id is the extension); where several tenants do, the one that last
 * messaged that mobile wins. A reply naming neither goes to the tenant that last messaged that
 * mobile through this carrier. A reply's carrier ref makes it idempotent.
 */
export async function applyReplies(env: Env, carrier: string, replies: CarrierReply[], now = Date.now()): Promise<RepliesOutcome> {
  if (replies.length === 0) return { stored: 0, duplicates: 0, unroutable: 0, optOuts: 0 };
  const items = replies.map((r) => {
    let mobile: string | null = null;
    try {
      mobile = normalizeMobile(r.mobile);
    } catch {
      // An unparseable sender cannot be routed or opted out; it is counted as unroutable.
    }
    return { mobile, sig: r.signature === undefined ? null : bare(r.signature), ext: r.extension === undefined ? null : Number(r.extension) };
  });
  const best = new Map<number, { tenant: string; name: string; last: number; sigId: number }>();
  for (const c of await replyRouteCandidates(directoryDb(env), carrier, JSON.stringify(items))) {
    if (items[c.idx]?.mobile === null) continue;
    const cur = best.get(c.idx);
    const last = c.last_sent ?? -1;
    if (!cur || last > cur.last || (last === cur.last && c.signature_id < cur.sigId)) {
      best.set(c.idx, { tenant: c.tenant_id, name: c.name, last, sigId: c.signature_id });
    }
  }
  const rows: unknown[] = [];
  const optOuts: unknown[] = [];
  const refs: string[] = [];
  replies.forEach((r, i) => {
    const route = best.get(i);
    const mobile = items[i]!.mobile;
    if (!route || mobile === null) return;
    rows.push([route.tenant, mobile, r.content, route.name, r.extension ?? null, r.ref, r.received_at ?? now]);
    refs.push(r.ref);
    if (isOptOut(r.content)) optOuts.push([route.tenant, mobile, `reply:${r.content.trim()}`]);
  });
  if (rows.length === 0) return { stored: 0, duplicates: 0, unroutable: replies.length, optOuts: 0 };
  const res = await directoryDb(env).batch([
    insertInboundStatement(directoryDb(env), carrier, JSON.stringify(rows), now),
    optOutStatement(directoryDb(env), JSON.stringify(optOuts), now),
    pushableRepliesStatement(directoryDb(env), carrier, JSON.stringify(refs)),
  ]);
  await createReplyPushes(env, res[2]!.results as unknown as InboundRow[], now);
  const stored = res[0]!.results.length;
  return { stored, duplicates: rows.length - stored, unroutable: replies.length - rows.length, optOuts: optOuts.length };
}

export async function applyCarrierEvents(
  env: Env,
  carrier: string,
  events: CarrierEvents,
  now = Date.now(),
): Promise<{ reports: ReportsOutcome; replies: RepliesOutcome }> {
  const reports = await applyReports(env, carrier, events.reports, now);
  const replies = await applyReplies(env, carrier, events.replies, now);
  return { reports, replies };
}
