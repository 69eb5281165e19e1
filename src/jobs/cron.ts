// Cron (every minute): small, bounded, idempotent jobs. One failing job does not stop the others.
import { enqueueDispatchRows } from "../core/dispatch-queue";
import { applyReports, finishUnsent } from "../core/delivery";
import { enqueuePushes } from "../core/webhooks";
import { finalCodeTexts, purgeContents, releaseDue, replaceFinalTexts, unreported } from "../store/messages/sweeps";
import { purgeOld } from "../store/retention";
import { maskCodes } from "../core/secrecy";
import { recoverSubmitted, replayCarrierEventLetters, requeueLeftovers } from "./recovery";
import { overduePushes } from "../store/webhooks";
import { reconcileUnknown } from "./reconcile";
import { everyDb } from "../store/db";

/** Rows per job per run: a backlog drains over several minutes instead of one long invocation. */
export const SWEEP_LIMIT = 1000;
export const REPORT_DEADLINE_MS = 72 * 3_600_000;
/** A pending push this far past its expected attempt has lost its queue message. */
export const PUSH_OVERDUE_MS = 10 * 60_000;
export const INBOX_DAYS = 7;

const DAY = 86_400_000;

// A sweep runs on every database (one today; one per shard once tenants are sharded), each bounded by SWEEP_LIMIT.
const idsOver = async (env: Env, sweep: (db: D1Database) => Promise<string[]>): Promise<string[]> => (await Promise.all(everyDb(env).map(sweep))).flat();
const countOver = async (env: Env, sweep: (db: D1Database) => Promise<number>): Promise<number> =>
  (await Promise.all(everyDb(env).map(sweep))).reduce((a, b) => a + b, 0);

export const cronJobs: Record<string, (env: Env, now: number) => Promise<unknown>> = {
  async releaseScheduled(env, now) {
    const released = (await Promise.all(everyDb(env).map((db) => releaseDue(db, now, SWEEP_LIMIT)))).flat();
    // An opt-out that came after acceptance still wins: such marketing messages are not sent.
    await finishUnsent(env, "opted_out", released.map((r) => r.id), "the mobile unsubscribed from marketing messages before the send time", now);
    await enqueueDispatchRows(env, released);
    return released.length;
  },
  requeueStuck: (env, now) => requeueLeftovers(env, now),
  replayCarrierEvents: (env, now) => replayCarrierEventLetters(env, now),
  async reconcileUnknown(env, now) {
    return reconcileUnknown(env, now, 200);
  },
  recoverSubmitted: (env, now) => recoverSubmitted(env, now),
  async expireUnreported(env, now) {
    // The end of the report window: code 9, status 'unknown' (it may have arrived), not refunded.
    const ids = await idsOver(env, (db) => unreported(db, now - REPORT_DEADLINE_MS, SWEEP_LIMIT));
    return (await applyReports(env, null, ids.map((id) => ({ message_id: id, code: "9" as const })), now)).applied;
  },
  async requeuePushes(env, now) {
    const ids = await idsOver(env, (db) => overduePushes(db, now - PUSH_OVERDUE_MS, now, SWEEP_LIMIT));
    await enqueuePushes(env, ids);
    return ids.length;
  },
  async maskCodes(env) {
    // Delivery needs a code's text until the message is final (a crashed claim is resubmitted); after that only a masked copy stays.
    return countOver(env, async (db) => replaceFinalTexts(db, (await finalCodeTexts(db, SWEEP_LIMIT)).map((r) => [r.id, maskCodes(r.content)])));
  },
  async purgeContents(env, now) {
    const days = Math.max(1, Number(env.RETENTION_DAYS) || 30);
    return countOver(env, (db) => purgeContents(db, now - days * DAY, SWEEP_LIMIT));
  },
  async purge(env, now) {
    const days = Math.max(1, Number(env.RETENTION_DAYS) || 30);
    const counts = await Promise.all(everyDb(env).map((db) => purgeOld(db, { now, retentionBefore: now - days * DAY, inboxBefore: now - Math.min(days, INBOX_DAYS) * DAY }, SWEEP_LIMIT)));
    const total: Record<string, number> = {};
    for (const c of counts) for (const [table, n] of Object.entries(c)) total[table] = (total[table] ?? 0) + n;
    return total;
  },
};

export async function runCronJobs(env: Env, now = Date.now()): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, job] of Object.entries(cronJobs)) {
    try {
      out[name] = await job(env, now);
    } catch (e) {
      out[name] = "error";
      console.error(JSON.stringify({ level: "error", event: "cron_job_failed", job: name, error: String(e) }));
    }
  }
  return out;
}

export async function handleScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  void ctx;
  switch (controller.cron) {
    case "* * * * *":
      console.log(JSON.stringify({ event: "cron", ...(await runCronJobs(env)) }));
      return;
    default:
      console.error(JSON.stringify({ level: "error", event: "unknown_cron", cron: controller.cron }));
  }
}
