// Cron (every minute): small, bounded, idempotent jobs. One failing job does not stop the others.
import { enqueueDispatch } from "../core/dispatch-queue";
import { applyReports, finishUnsent } from "../core/delivery";
import { enqueuePushes } from "../core/webhooks";
import { finalCodeTexts, purgeContents, purgeOld, releaseDue, replaceFinalTexts, unreported } from "../store/delivery-sweeps";
import { maskCodes } from "../core/secrecy";
import { recoverSubmitted, replayCarrierEventLetters, requeueLeftovers } from "./recovery";
import { overduePushes } from "../store/webhooks";
import { reconcileUnknown } from "./reconcile";

/** Rows per job per run: a backlog drains over several minutes instead of one long invocation. */
export const SWEEP_LIMIT = 1000;
export const REPORT_DEADLINE_MS = 72 * 3_600_000;
/** A pending push this far past its expected attempt has lost its queue message. */
export const PUSH_OVERDUE_MS = 10 * 60_000;
export const INBOX_DAYS = 7;

const DAY = 86_400_000;

export const cronJobs: Record<string, (env: Env, now: number) => Promise<unknown>> = {
  async releaseScheduled(env, now) {
    const ids = await releaseDue(env.DB, now, SWEEP_LIMIT);
    // An opt-out that came after acceptance still wins: such marketing messages are not sent.
    await finishUnsent(env, "opted_out", ids, "the mobile unsubscribed from marketing messages before the send time", now);
    await enqueueDispatch(env, ids);
    return ids.length;
  },
  requeueStuck: (env, now) => requeueLeftovers(env, now),
  replayCarrierEvents: (env, now) => replayCarrierEventLetters(env, now),
  async reconcileUnknown(env, now) {
    return reconcileUnknown(env, now, 200);
  },
  recoverSubmitted: (env, now) => recoverSubmitted(env, now),
  async expireUnreported(env, now) {
    // The end of the report window: code 9, status 'unknown' (it may have arrived), not refunded.
    const ids = await unreported(env.DB, now - REPORT_DEADLINE_MS, SWEEP_LIMIT);
    return (await applyReports(env, null, ids.map((id) => ({ message_id: id, code: "9" as const })), now)).applied;
  },
  async requeuePushes(env, now) {
    const ids = await overduePushes(env.DB, now - PUSH_OVERDUE_MS, now, SWEEP_LIMIT);
    await enqueuePushes(env, ids);
    return ids.length;
  },
  async maskCodes(env) {
    // Delivery needs a code's text until the message is final (a crashed claim is resubmitted); after that only a masked copy stays.
    const rows = await finalCodeTexts(env.DB, SWEEP_LIMIT);
    return replaceFinalTexts(env.DB, rows.map((r) => [r.id, maskCodes(r.content)]));
  },
  async purgeContents(env, now) {
    const days = Math.max(1, Number(env.RETENTION_DAYS) || 30);
    return purgeContents(env.DB, now - days * DAY, SWEEP_LIMIT);
  },
  async purge(env, now) {
    const days = Math.max(1, Number(env.RETENTION_DAYS) || 30);
    return purgeOld(env.DB, { now, retentionBefore: now - days * DAY, inboxBefore: now - Math.min(days, INBOX_DAYS) * DAY }, SWEEP_LIMIT);
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
