// Owns the pull side of reports and replies (the receipt APIs of the dialects): what an app has not
// been handed yet, each record once, and the per-app calling interval some vendors impose.
import { directoryDb, tenantDb } from "../store/db";
import * as pulls from "../store/pulls";
import type { ReplyItem, ReportItem } from "../store/pulls";

export type { ReplyItem, ReportItem };

export interface PullOptions {
  /** Only records of this signature (null: all). */
  signature?: string | null;
  limit?: number;
  /** Only reports received since (epoch ms); older ones are left to retention. */
  since?: number;
}

/**
 * Admits one pull of `appId` for `kind` unless another was admitted within `intervalMs` (one
 * guarded upsert: two concurrent calls cannot both pass).
 */
export const admitPull = (env: Env, appId: string, kind: "report" | "reply", now: number, intervalMs: number): Promise<boolean> =>
  pulls.admitPull(directoryDb(env), appId, kind, now, intervalMs);

/** The app's reports not handed out or pushed yet, marked handed out at `now`. */
export const takeReports = (env: Env, tenantId: string, appId: string, now: number, o: PullOptions = {}): Promise<ReportItem[]> =>
  pulls.pullReports(tenantDb(env, tenantId), appId, o.signature ?? null, now, o.limit, o.since);

/** The tenant's replies not handed out or pushed yet, marked handed out at `now`. */
export const takeReplies = (env: Env, tenantId: string, now: number, o: PullOptions = {}): Promise<ReplyItem[]> =>
  pulls.pullReplies(tenantDb(env, tenantId), o.signature ?? null, now, o.limit);
