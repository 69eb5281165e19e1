// GET /v1/report and GET /v1/reply: JPush's SMS receipt API (docs.jiguang.cn/jsms/server/
// rest_api_jsms_inquire). Each call hands out at most 500 records not handed out before (each
// record once), at most one call per appKey every 5 seconds (50009 otherwise), reports of the last
// three days. Records an app receives by callback are never here, as the document says.
import { z } from "zod";
import { isChinaMobile, nationalNumber } from "../../core/phone";
import { admitPull, takeReplies, takeReports } from "../../core/pulls";
import type { App, Tenant } from "../../core/types";
import { json } from "../../http/respond";
import { jpushAuth } from "./auth";
import { codes, jpushRoute, refuse } from "./errors";
import { JPUSH_REPORT_STATUS } from "./push-format";
import { INQUIRE_LIMIT, ReplyRecord, ReportRecord } from "./schemas";

/** The calling interval the document states. */
const INQUIRE_INTERVAL_MS = 5_000;
/** Reports are kept three days after the carrier's report. */
const REPORT_DAYS = 3;

const phone = (e164: string): string => (isChinaMobile(e164) ? nationalNumber(e164) : e164);

/** The caller, authenticated and within the calling interval for `kind` (else 50009), and the time it was admitted at. */
async function admitted(req: Request, env: Env, kind: "report" | "reply"): Promise<{ app: App; tenant: Tenant; now: number }> {
  const { app, tenant } = await jpushAuth(req, env);
  const now = Date.now();
  if (await admitPull(env, app.id, kind, now, INQUIRE_INTERVAL_MS)) return { app, tenant, now };
  throw refuse("outOfFreq", `GET /v1/${kind} may be called once every ${INQUIRE_INTERVAL_MS / 1000} seconds per appKey`);
}

const ERRORS = { "403": codes("outOfFreq", "illegalIp", "appInBlack", "noSmsAuth") };

export const reportRoute = jpushRoute(
  {
    method: "get",
    path: "/v1/report",
    summary: `SMS receipt API: delivery reports not handed out yet (at most ${INQUIRE_LIMIT}, each once, reports of the last 3 days)`,
    description: "At most one call per appKey every 5 seconds (50009). Reports of an app with a report callback URL are pushed, never listed here.",
    response: z.array(ReportRecord),
    errors: ERRORS,
  },
  async (req, env) => {
    const { app, tenant, now } = await admitted(req, env, "report");
    const reports = await takeReports(env, tenant.id, app.id, now, { limit: INQUIRE_LIMIT, since: now - REPORT_DAYS * 86_400_000 });
    return json(reports.map((r) => ({ msgId: r.messageId, phone: phone(r.mobile), receiveTime: r.reportedAt, status: JPUSH_REPORT_STATUS[r.code] ?? 4100 })));
  },
);

export const replyRoute = jpushRoute(
  {
    method: "get",
    path: "/v1/reply",
    summary: `SMS receipt API: replies (uplink SMS) not handed out yet (at most ${INQUIRE_LIMIT}, each once)`,
    description: "At most one call per appKey every 5 seconds (50009). Replies pushed to a reply callback URL are never listed here.",
    response: z.array(ReplyRecord),
    errors: ERRORS,
  },
  async (req, env) => {
    const { tenant, now } = await admitted(req, env, "reply");
    const replies = await takeReplies(env, tenant.id, now, { limit: INQUIRE_LIMIT });
    return json(replies.map((r) => ({ phone: phone(r.mobile), replyTime: r.receivedAt, content: r.content })));
  },
);
