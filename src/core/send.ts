// The accept pipeline every dialect calls: validate → MobileGuard → price → ONE atomic D1 batch
// (debit + ledger + batch + messages) → enqueue for dispatch (or leave scheduled for the cron).
// A 2xx may only follow a successful return from acceptSend: by then everything is durable.
import { CoreError } from "./errors";
import { normalizeMobile } from "./phone";
import { countSegments } from "./segments";
import { newIds } from "./ids";
import { sha256Hex } from "./crypto";
import { findBlockedWord } from "./blocked-words";
import { afterQuietHours } from "./time";
import { earlierGuardName, guardName, type AdmitDecision } from "../guard/mobile-guard";
import { optedOutAmong } from "../store/opt-outs";
import { acceptStatements, isGuardFailure, stillScheduledGuard } from "../store/messages/accept";
import type { NewMessage } from "../store/messages/rows";
import { cancelInBatch } from "./cancel";
import { pricerFor } from "./pricing";
import { dayStartOf } from "./app-caps";
import { isOverdraft, isStaleRevision } from "../store/tenants";
import { StaleSnapshot, type Attempt } from "./snapshots";
import { appSpendStatements, isAppCapFailure } from "../store/app-caps";
import { enqueueDispatch } from "./dispatch-queue";
import { checkSendTime, type PastSendTime, type Replacement } from "./schedule";
import { appScope, batchWithReservation, checkIdempotency, type IdempotencyContext } from "./idempotency";
import { countRefusals, recordAccepted } from "./stats";
import type { App, Channel, Kind, Tenant } from "./types";
import { tenantDb } from "../store/db";

/** One message a dialect wants sent, before validation. */
export interface Draft {
  /** As the client sent it; normalised to E.164 here. */
  mobile: string;
  /** `mobile` is normalizeMobile's output already (the dialect normalised it to de-duplicate): not parsed again. */
  normalized?: boolean;
  /** The full text as the handset will show it, 【signature】 included. */
  text: string;
  signature: string | null;
  templateId?: number | null;
  params?: Record<string, string> | null;
  channel?: Channel;
  /** A verification code carried by this message: MobileGuard keeps its hash for validation. */
  code?: { hash: string; expiresAt: number };
  /** The customer's own reference (Aliyun's outId): stored, echoed in reports, pushes and status queries. */
  customerRef?: string | null;
}

export interface AcceptOptions {
  tenant: Tenant;
  app: App;
  kind: Kind;
  /** Epoch ms; a time after `now` stores the messages as scheduled. */
  sendAt?: number;
  /** A `sendAt` not after `now`: sent now (the default), or refused as send_time_past. */
  pastSendTime?: PastSendTime;
  /**
   * "all": any refused item refuses the request (single sends, paasw lists).
   * "each": refused items are reported and cost nothing; the rest are accepted (batch APIs).
   */
  mode: "all" | "each";
  templateId?: number | null;
  now?: number;
  /**
   * Replaces a schedule before it fires (src/core/schedule.ts): in the same D1 batch as the new
   * messages, `messageIds` (its live messages) are canceled and refunded and the batch row keeps
   * `batchId`. If any of them is no longer scheduled by then, nothing at all is written
   * (not_cancelable). With no accepted item nothing is written either: the schedule stays as it was.
   */
  replace?: Replacement;
  /** The request's Idempotency-Key: an earlier answer is replayed, else the key is reserved with the debit. */
  idempotency?: IdempotencyContext;
  /** The router's run of this request (core/snapshots.ts): marked committed once the batch is written. */
  attempt?: Attempt;
}

export type ItemOutcome =
  | { ok: true; index: number; messageId: string; mobile: string }
  | { ok: false; index: number; messageId: string; error: CoreError };

export interface Accepted {
  /** null when no item was accepted (nothing was written). */
  batchId: string | null;
  items: ItemOutcome[];
  amount: number;
  sendAt: number;
  scheduled: boolean;
}

interface Valid {
  index: number;
  id: string;
  row: NewMessage;
  code: { hash: string; expiresAt: number } | null;
}

/**
 * A draft slot is either a draft or an error the dialect already found for that item. What is
 * refused is counted by reason for the statistics (src/core/stats.ts), after the answer is decided.
 */
export async function acceptSend(env: Env, drafts: Array<Draft | CoreError>, opts: AcceptOptions): Promise<Accepted> {
  const at = Date.now();
  // A refusal decided on a snapshot is not final: the router runs the request again on fresh rows
  // (core/snapshots.ts), and that run's answer is the one counted.
  const final = !opts.attempt?.reused;
  let out: Accepted;
  try {
    out = await acceptOnce(env, drafts, opts);
  } catch (e) {
    if (e instanceof CoreError && final) await countRefusals(env, opts.tenant.id, opts.app.dialect, [[e.code, Math.max(1, drafts.length)]], at);
    throw e;
  }
  if (out.batchId === null && !final) throw new StaleSnapshot();
  await countRefusals(env, opts.tenant.id, opts.app.dialect, out.items.flatMap((i) => (i.ok ? [] : [[i.error.code, 1] as [string, number]])), at);
  const accepted = out.items.length - out.items.filter((i) => !i.ok).length;
  if (accepted > 0) recordAccepted(env, opts.tenant.id, opts.app.dialect, opts.kind, accepted, out.amount);
  return out;
}

async function acceptOnce(env: Env, drafts: Array<Draft | CoreError>, opts: AcceptOptions): Promise<Accepted> {
  const { tenant, app, kind } = opts;
  const tdb = tenantDb(env, tenant.id);
  const now = opts.now ?? Date.now();
  const requested = Math.max(opts.sendAt ?? now, now);
  const quiet = kind === "marketing" ? tenant.settings.quietHours : null;
  const sendAt = quiet ? afterQuietHours(requested, quiet, tenant.timezone) : requested;
  const scheduled = sendAt > now;
  if (!app.kinds.includes(kind)) throw new CoreError("kind_not_allowed", `this app may not send ${kind} messages`);
  if (drafts.length === 0) throw new CoreError("no_recipients", "no recipients");
  checkSendTime(env, opts.sendAt, { now, past: opts.pastSendTime ?? "send_now", timeZone: tenant.timezone });
  if (opts.replace && !scheduled) throw new CoreError("invalid_input", "a schedule can only be replaced by a later scheduled send", { field: "sendAt" });

  // A retry is answered before anything is counted (MobileGuard windows, codes) or written.
  await checkIdempotency(tdb.db, opts.idempotency, appScope(app.id), now);

  const ids = newIds(drafts.length + 1);
  const batchId = opts.replace?.batchId ?? ids[drafts.length]!;
  const items: ItemOutcome[] = [];
  const valid: Valid[] = [];
  const fail = (index: number, error: CoreError) => {
    if (opts.mode === "all") throw error;
    items.push({ ok: false, index, messageId: ids[index]!, error });
  };

  const priceOf = pricerFor(tenant, kind);
  // Mode "all": every unpriced mobile is named in one refusal, so one corrected retry suffices.
  const unpriced: CoreError[] = [];
  drafts.forEach((d, index) => {
    if (d instanceof CoreError) return fail(index, d);
    try {
      const mobile = d.normalized ? d.mobile : normalizeMobile(d.mobile);
      if (d.text.trim() === "") throw new CoreError("invalid_input", "content is empty", { field: "content" });
      const word = findBlockedWord(d.text, tenant.settings.blockedWords);
      if (word) throw new CoreError("blocked_word", `content contains a blocked word: ${word}`);
      const seg = countSegments(d.text);
      const price = priceOf(mobile);
      if (price instanceof CoreError) {
        if (opts.mode === "all") return void unpriced.push(price);
        throw price;
      }
      valid.push({
        index,
        id: ids[index]!,
        row: {
          id: ids[index]!,
          mobile,
          content: d.text,
          signature: d.signature,
          templateId: d.templateId ?? null,
          params: d.params ?? null,
          channel: d.channel ?? "sms",
          encoding: seg.encoding,
          segments: seg.segments,
          price: seg.segments * price,
          customerRef: d.customerRef ?? null,
        },
        code: d.code ?? null,
      });
    } catch (e) {
      if (!(e instanceof CoreError)) throw e;
      fail(index, e);
    }
  });
  if (unpriced.length > 0) throw unpricedError(unpriced, kind);

  let admitted = valid;
  if (kind === "marketing" && admitted.length > 0) {
    const out = await optedOutAmong(tdb, [...new Set(admitted.map((v) => v.row.mobile))]);
    if (out.size > 0 && opts.mode === "all") {
      // The whole request is refused: name every such mobile, so one corrected retry suffices.
      const named = [...out].slice(0, 50).join(", ") + (out.size > 50 ? ` and ${out.size - 50} more` : "");
      throw new CoreError("opted_out", `${out.size === 1 ? "this mobile" : `${out.size} mobiles`} unsubscribed from marketing messages: ${named}`);
    }
    if (out.size > 0) {
      admitted = admitted.filter((v) => {
        if (!out.has(v.row.mobile)) return true;
        fail(v.index, new CoreError("opted_out", `${v.row.mobile} unsubscribed from marketing messages`));
        return false;
      });
    }
  }

  const tickets = await admitAll(env, tenant, kind, admitted, now);
  const refused = admitted.find((v) => !tickets.get(v.index)!.ok);
  if (refused && opts.mode === "all") {
    // The whole request is refused: the others' slots (and codes) are handed back before answering.
    await releaseAll(env, tenant, admitted, tickets);
    throw guardError(tickets.get(refused.index) as Extract<AdmitDecision, { ok: false }>);
  }
  admitted = admitted.filter((v) => {
    const decision = tickets.get(v.index)!;
    if (decision.ok) return true;
    fail(v.index, guardError(decision));
    return false;
  });

  const amount = admitted.reduce((sum, v) => sum + v.row.price, 0);
  if (admitted.length > 0) {
    try {
      // Replacing: guard, then cancel + refund the old messages, then debit + write the new ones, so
      // the balance CHECK sees the refund before the debit.
      const replacing = opts.replace
        ? [stillScheduledGuard(tdb, JSON.stringify(opts.replace.messageIds)), ...cancelInBatch(tdb, opts.replace.messageIds, now)]
        : [];
      await batchWithReservation(tdb.db, opts.idempotency, appScope(app.id), tenant.id, now, [
        ...replacing,
        ...acceptStatements(tdb, {
          id: batchId,
          appId: app.id,
          dialect: app.dialect,
          kind,
          templateId: opts.templateId ?? null,
          sendAt,
          scheduled,
          amount,
          now,
          // Nothing is written if the tenant's settings, credentials, templates or signatures changed
          // since `tenant` was read (by this request, or for a snapshot: core/snapshots.ts); a route
          // then runs the request again on fresh rows.
          revision: tenant.revision,
          messages: admitted.map((v) => v.row),
          replaces: opts.replace !== undefined,
        }),
        // After the debit, so an overdraft is refused as such before an app's cap is looked at.
        // A snapshot's app without caps needs no cap guard: setting a cap moves the tenant's revision,
        // which the debit above compares (one statement less on the hot path).
        ...appSpendStatements(tdb, {
          appId: app.id,
          amount,
          dayStart: dayStartOf(now, tenant.timezone),
          checkCaps: !(opts.attempt?.reused && app.caps.daily === null && app.caps.total === null),
        }),
      ]);
    } catch (e) {
      await releaseAll(env, tenant, admitted, tickets);
      if (isStaleRevision(e)) throw new StaleSnapshot();
      if (isGuardFailure(e)) throw new CoreError("not_cancelable", "the schedule fired or changed while it was being modified; nothing was changed");
      if (isAppCapFailure(e)) throw new CoreError("app_cap_exceeded", "this send would pass the app's daily or total spending cap");
      if (isOverdraft(e)) throw new CoreError("insufficient_balance", "the balance does not cover this send");
      throw e;
    }
    if (opts.attempt) opts.attempt.committed = true;
    // Awaited, not handed to ctx.waitUntil: in A/B runs the deferred enqueue halved p50 but raised
    // p99 2–4× at equal throughput (open-loop enqueues with no back-pressure), docs/bench.md.
    if (!scheduled) await enqueueDispatch(env, tenant.id, admitted.map((v) => v.id));
  }

  for (const v of admitted) items.push({ ok: true, index: v.index, messageId: v.id, mobile: v.row.mobile });
  items.sort((a, b) => a.index - b.index);
  return { batchId: admitted.length > 0 ? batchId : null, items, amount, sendAt, scheduled };
}

function unpricedError(errors: CoreError[], kind: string): CoreError {
  if (errors.length === 1) return errors[0]!;
  const named = errors.slice(0, 50).map((e) => e.detail.value).join(", ") + (errors.length > 50 ? ` and ${errors.length - 50} more` : "");
  return new CoreError("no_price", `${errors.length} mobiles have no ${kind} price for their destination (not enabled for the account): ${named}`);
}

function guardError(d: Extract<AdmitDecision, { ok: false }>): CoreError {
  return d.reason === "rate_limited"
    ? new CoreError("rate_limited", `too many messages to this mobile; retry in ${d.retryAfter} s`, { retryAfter: d.retryAfter })
    : new CoreError("repeat_send", `the same content was sent to this mobile moments ago; retry in ${d.retryAfter} s`, {
        retryAfter: d.retryAfter,
      });
}

/**
 * Asks each mobile's MobileGuard, in parallel. Items of a kind with no limits and no repeat window,
 * and carrying no code, skip it (a 1000-recipient marketing batch makes no Durable Object calls).
 */
async function admitAll(env: Env, tenant: Tenant, kind: Kind, items: Valid[], now: number): Promise<Map<number, AdmitDecision>> {
  const windows = tenant.settings.limits[kind];
  const repeat = tenant.settings.repeatWindowSeconds;
  const out = new Map<number, AdmitDecision>();
  const guarded = windows.length > 0 || repeat > 0;
  // How far back a decision looks: sends from before a move of the tenant's bucket count are still
  // in the objects of the earlier count while a window reaches back past the move.
  const reachMs = Math.max(0, repeat, ...windows.map((w) => w.seconds)) * 1000;
  const settled = await Promise.allSettled(
    items.map(async (v) => {
      if (!guarded && !v.code) return out.set(v.index, { ok: true, ticket: "" });
      const mobile = v.row.mobile;
      const ask = { mobile, kind, now, windows, contentHash: repeat > 0 ? await sha256Hex(v.row.content) : null, repeatWindowSeconds: repeat };
      const before = earlierGuardName(tenant.id, mobile, tenant.guard, now, reachMs);
      const earlier = before === null ? undefined : await env.MOBILE_GUARD.getByName(before).history(ask);
      const stub = env.MOBILE_GUARD.getByName(guardName(tenant.id, mobile, tenant.guard.buckets));
      out.set(v.index, await stub.admit({ ...ask, messageId: v.id, code: v.code, earlier }));
    }),
  );
  const failure = settled.find((r) => r.status === "rejected");
  if (failure) {
    // One guard could not answer: nothing is sent, so the slots the others granted go back.
    await releaseAll(env, tenant, items, out);
    throw failure.reason;
  }
  return out;
}

async function releaseAll(env: Env, tenant: Tenant, items: Valid[], tickets: Map<number, AdmitDecision>): Promise<void> {
  await Promise.all(
    items.map(async (v) => {
      const d = tickets.get(v.index);
      if (d?.ok && d.ticket) await env.MOBILE_GUARD.getByName(guardName(tenant.id, v.row.mobile, tenant.guard.buckets)).release(d.ticket);
    }),
  );
}
