// GET /sms/deliver: the app's delivery reports not yet handed out, oldest first, at most 500 per
// call, each returned once (a report assigned to a push is never pulled). `sign` filters.
import { takeReports } from "../../core/pulls";
import { json } from "../../http/respond";
import { authenticateToken } from "./auth";
import { readInput } from "./input";
import { reportJson } from "./items";
import { DeliverResponse, paaswRoutes, PullParams } from "./schemas";

export const deliverRoutes = paaswRoutes(
  {
    path: "/sms/deliver",
    summary: "Pull delivery reports (each once, ≤ 500 per call, oldest first)",
    description: "Reports delivered by push are not returned here.",
    params: PullParams,
    response: DeliverResponse,
  },
  async (req, env) => {
    const data = await readInput(req, PullParams);
    const { app, tenant } = await authenticateToken(req, env, data.token);
    const reports = await takeReports(env, tenant.id, app.id, Date.now(), { signature: data.sign ?? null });
    return json(reports.map((r) => reportJson(r, tenant.timezone)));
  },
);
