// GET /v1/accounts/app and /v1/accounts/dev: JPush reports balances as a count of SMS. edgesms keeps
// one money balance per tenant, so both answer how many one-segment notification SMS it buys at the
// tenant's notification price (the dev pair and the app pair see the same tenant balance). An app
// with a spending cap (PATCH /admin/v1/tenants/{id}/apps/{appId}) sees what its caps leave of it.
import type { IRequest } from "itty-router";
import { z } from "zod";
import { json } from "../../http/respond";
import { appAllowance } from "../../core/app-caps";
import type { Tenant } from "../../core/types";
import { jpushAuth } from "./auth";

export const AppBalanceResponse = z.object({ app_balance: z.number().int() });
export const DevBalanceResponse = z.object({ dev_balance: z.number().int() });

const smsCount = (t: Tenant, money = t.balance): number => (t.prices.notification > 0 ? Math.floor(money / t.prices.notification) : 0);

export async function getAppBalance(req: IRequest, env: Env): Promise<Response> {
  const { app, tenant } = await jpushAuth(req, env);
  return json({ app_balance: smsCount(tenant, appAllowance(app, tenant, Date.now())) });
}

export async function getDevBalance(req: IRequest, env: Env): Promise<Response> {
  const { tenant } = await jpushAuth(req, env, "jpush_dev");
  return json({ dev_balance: smsCount(tenant) });
}
