// The pull side of delivery reports and replies (paasw /sms/deliver and /sms/smsUp, JPush's receipt
// API): each row is handed out once, oldest first, and never one that a push has taken (store/pulls).
import { pullReplies, pullReports, PULL_LIMIT, type ReplyItem, type ReportItem } from "../store/pulls";
import { tenantDb } from "../store/db";

export interface PullOptions {
  /** Only those of this signature name (null: all). */
  signature?: string | null;
  limit?: number;
  /** Reports reported before this time are left to retention (epoch ms). */
  since?: number;
}

/** The app's reports not yet handed out, marked handed out at `now`. */
export function pullAppReports(env: Env, tenantId: string, appId: string, now: number, opts: PullOptions = {}): Promise<ReportItem[]> {
  return pullReports(tenantDb(env, tenantId), appId, opts.signature ?? null, now, opts.limit ?? PULL_LIMIT, opts.since ?? 0);
}

/** The tenant's replies not yet handed out, marked handed out at `now`. */
export function pullTenantReplies(env: Env, tenantId: string, now: number, opts: Omit<PullOptions, "since"> = {}): Promise<ReplyItem[]> {
  return pullReplies(tenantDb(env, tenantId), opts.signature ?? null, now, opts.limit ?? PULL_LIMIT);
}
