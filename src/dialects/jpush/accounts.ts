// GET /v1/accounts/app and /v1/accounts/dev: JPush reports balances as a count of SMS. edgesms keeps
// one money balance per tenant, so both answer how many one-segment notification SMS it buys at the
// tenant's notification price (the dev pair and the app pair see the same tenant balance). An app
// with a spending cap (PATCH /admin/v1/tenants/{id}/apps/{appId}) sees what its caps leave of it.
import { appAllowance } from "../../core/app-caps";
import type { Tenant } from "../../core/types";
import { json } from "../../http/respond";
import { jpushAuth } from "./auth";
import { codes, jpushRoute } from "./errors";
import { AppBalanceResponse, DevBalanceResponse } from "./schemas";

const smsCount = (t: Tenant, money = t.balance): number => (t.prices.notification > 0 ? Math.floor(money / t.prices.notification) : 0);

/** What a balance read refuses besides authentication. */
const ERRORS = { "403": codes("noSmsAuth", "illegalIp", "appInBlack") };

export const appBalanceRoute = jpushRoute(
  {
    method: "get",
    path: "/v1/accounts/app",
    summary: "This app's balance, as a count of SMS",
    description: "How many one-segment notification SMS the tenant's balance buys at its notification price; for an app with spending caps, what its caps leave of that balance.",
    response: AppBalanceResponse,
    errors: ERRORS,
  },
  async (req, env) => {
    const { app, tenant } = await jpushAuth(req, env);
    return json({ app_balance: smsCount(tenant, appAllowance(app, tenant, Date.now())) });
  },
);

export const devBalanceRoute = jpushRoute(
  {
    method: "get",
    path: "/v1/accounts/dev",
    summary: "The developer account's balance (Basic devKey:devSecret), as a count of SMS",
    response: DevBalanceResponse,
    errors: ERRORS,
  },
  async (req, env) => {
    const { tenant } = await jpushAuth(req, env, "jpush_dev");
    return json({ dev_balance: smsCount(tenant) });
  },
);
