// Scheduled sends as a unit: a batch stored `scheduled` and owned by the app that created it. It
// can be read, replaced before it fires (atomically, through acceptSend's `replace`) and deleted
// with the exact refunds of core cancel. Whatever the cron released is no longer changeable.
import { CoreError } from "./errors";
import { cancelScheduled } from "./cancel";
import { getBatch, liveBatchMessages } from "../store/messages/read";
import type { Message } from "./types";
import { tenantDb } from "../store/db";
import { toMessage } from "./messages";
import { formatLocalDateTime } from "./time";

const DAY_MS = 86_400_000;

/** How far ahead a send may be scheduled: SCHEDULE_HORIZON_DAYS (default 30), in days and ms. */
function scheduleHorizon(env: Env): { days: number; ms: number } {
  const days = Number(env.SCHEDULE_HORIZON_DAYS) || 30;
  return { days, ms: days * DAY_MS };
}

/** What a requested send time that is not after the accept time means: sent now, or refused (JPush's send_time). */
export type PastSendTime = "send_now" | "refuse";

/**
 * The send-time rules of the accept pipeline (acceptSend), checked for the whole request before
 * anything is counted or written, whichever dialect asked: a time beyond the horizon is refused; one
 * not after `now` is sent now, or refused where the dialect's rule says so (`past`). The horizon
 * bounds how long a row waits in the store, so it is measured on the wall clock, not on the accept
 * time a caller may pass to date its records.
 */
export function checkSendTime(env: Env, sendAt: number | undefined, rule: { now: number; past: PastSendTime; timeZone: string }, wallClock = Date.now()): void {
  if (sendAt === undefined) return;
  if (rule.past === "refuse" && sendAt <= rule.now) {
    const local = formatLocalDateTime(sendAt, rule.timeZone);
    throw new CoreError("send_time_past", `the send time ${local} (${rule.timeZone}) is not in the future`, { field: "sendAt" });
  }
  const { days, ms } = scheduleHorizon(env);
  if (sendAt > wallClock + ms) throw new CoreError("send_time_too_far", `the send time is more than ${days} days ahead`, { field: "sendAt" });
}

export interface Schedule {
  id: string;
  templateId: number | null;
  sendAt: number;
  /** Its messages except canceled ones (those of earlier versions, or all of them once deleted). */
  messages: Message[];
  deleted: boolean;
}

/** The app's schedule, or null: unknown, another tenant's or app's, or a batch that was never scheduled. */
export async function getSchedule(env: Env, scope: { tenantId: string; appId: string }, id: string): Promise<Schedule | null> {
  const batch = await getBatch(tenantDb(env, scope.tenantId), id);
  if (!batch || batch.app_id !== scope.appId || batch.scheduled !== 1) return null;
  const messages = batch.canceled ? [] : (await liveBatchMessages(tenantDb(env, scope.tenantId), id)).map(toMessage);
  return { id, templateId: batch.template_id, sendAt: batch.send_at, messages, deleted: messages.length === 0 };
}

function refuseFiredOrDeleted(s: Schedule): void {
  if (s.deleted) throw new CoreError("not_cancelable", `schedule ${s.id} was deleted`);
  if (s.messages.some((m) => m.status !== "scheduled")) throw new CoreError("not_cancelable", `schedule ${s.id} already fired`);
}

/** What acceptSend's `replace` cancels and keeps: a schedule's live messages and its batch id. */
export interface Replacement {
  batchId: string;
  messageIds: string[];
}

/** acceptSend's `replace` for `s`; refused (not_cancelable) once it fired or was deleted. */
export function replacing(s: Schedule): Replacement {
  refuseFiredOrDeleted(s);
  return { batchId: s.id, messageIds: s.messages.map((m) => m.id) };
}

/** Cancels and refunds every still-scheduled message of `s`; refused once none is left to cancel. */
export async function deleteSchedule(env: Env, tenantId: string, s: Schedule, now = Date.now()): Promise<{ canceled: number }> {
  if (s.deleted) throw new CoreError("not_cancelable", `schedule ${s.id} was deleted`);
  const waiting = s.messages.filter((m) => m.status === "scheduled").map((m) => m.id);
  if (waiting.length === 0) throw new CoreError("not_cancelable", `schedule ${s.id} already fired`);
  const results = await cancelScheduled(env, tenantId, waiting, now);
  const canceled = results.filter((r) => r.outcome === "canceled").length;
  // The cron released them between the read and the cancel.
  if (canceled === 0) throw new CoreError("not_cancelable", `schedule ${s.id} already fired`);
  return { canceled };
}
