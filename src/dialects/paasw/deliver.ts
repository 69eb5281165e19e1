// GET /sms/deliver: the app's delivery reports not yet handed out, oldest first, at most 500 per
// call, each returned once (a report assigned to a push is never pulled). `sign` filters.
import type { IRequest } from "itty-router";
import { json } from "../../http/respond";
import { pullReports } from "../../store/pulls";
import { readAuthed } from "./input";
import { reportJson } from "./items";
import { PullParams } from "./schemas";
import { tenantDb } from "../../store/db";

export async function getDeliver(req: IRequest, env: Env): Promise<Response> {
  const input = await readAuthed(req, env, PullParams);
  if (!input.ok) return input.response;
  const { data, app, tenant } = input;
  const reports = await pullReports(tenantDb(env, tenant.id), app.id, data.sign ?? null, Date.now());
  return json(reports.map((r) => reportJson(r, tenant.timezone)));
}
