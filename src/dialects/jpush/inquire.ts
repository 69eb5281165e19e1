// GET /v1/report and GET /v1/reply: JPush's SMS receipt API (docs.jiguang.cn/jsms/server/
// rest_api_jsms_inquire). Each call hands out at most 500 records not handed out before (each
// record once), at most one call per appKey every 5 seconds (50009 otherwise), reports of the last
// three days. Records an app receives by callback are never here, as the document says.
import type { IRequest } from "itty-router";
import { z } from "zod";
import { json } from "../../http/respond";
import { pullReplies, pullReports, admitPull } from "../../store/pulls";
import { jpushAuth } from "./auth";
import { fail } from "./errors";
import { JPUSH_REPORT_STATUS } from "./push-format";
import { isChinaMobile, nationalNumber } from "../../core/phone";
import { directoryDb, tenantDb } from "../../store/db";

/** Records per call and the calling interval, as the document states them. */
export const INQUIRE_LIMIT = 500;
export const INQUIRE_INTERVAL_MS = 5_000;
/** Reports are kept three days after the carrier's report. */
export const REPORT_DAYS = 3;

export const ReportRecord = z.object({
  msgId: z.string(),
  phone: z.string(),
  receiveTime: z.number().int().describe("ms"),
  status: z.number().int().describe("4001 delivered; 4002–4010, 4100 (JPush's send status codes)"),
});
export const ReplyRecord = z.object({ phone: z.string(), replyTime: z.number().int().describe("ms"), content: z.string() });

const phone = (e164: string): string => (isChinaMobile(e164) ? nationalNumber(e164) : e164);

async function admitted(env: Env, appId: string, kind: "report" | "reply", now: number): Promise<Response | null> {
  if (await admitPull(directoryDb(env), appId, kind, now, INQUIRE_INTERVAL_MS)) return null;
  return fail("outOfFreq", `GET /v1/${kind} may be called once every ${INQUIRE_INTERVAL_MS / 1000} seconds per appKey`);
}

export async function getReport(req: IRequest, env: Env): Promise<Response> {
  const { app, tenant } = await jpushAuth(req, env);
  const now = Date.now();
  const refused = await admitted(env, app.id, "report", now);
  if (refused) return refused;
  const reports = await pullReports(tenantDb(env, tenant.id), app.id, null, now, INQUIRE_LIMIT, now - REPORT_DAYS * 86_400_000);
  return json(
    reports.map((r) => ({ msgId: r.messageId, phone: phone(r.mobile), receiveTime: r.reportedAt, status: JPUSH_REPORT_STATUS[r.code] ?? 4100 })),
  );
}

export async function getReply(req: IRequest, env: Env): Promise<Response> {
  const { app, tenant } = await jpushAuth(req, env);
  const now = Date.now();
  const refused = await admitted(env, app.id, "reply", now);
  if (refused) return refused;
  const replies = await pullReplies(tenantDb(env, tenant.id), null, now, INQUIRE_LIMIT);
  return json(replies.map((r) => ({ phone: phone(r.mobile), replyTime: r.receivedAt, content: r.content })));
}
