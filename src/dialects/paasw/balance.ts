// GET /sms/balance: the tenant's balance in yuan with two decimals, spelled `100.00` in the JSON
// text as the document shows (JSON.stringify would drop the trailing zeros of a number).
import { authenticateToken } from "./auth";
import { readInput } from "./input";
import { BalanceResponse, paaswRoutes, TokenOnlyParams } from "./schemas";

/** Minor units (1 = 0.001 CNY) → "12.34", rounded down: a balance is never shown larger than it is. */
export function yuan(units: number): string {
  const cents = Math.floor(units / 10);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

export const balanceRoutes = paaswRoutes(
  {
    path: "/sms/balance",
    summary: "Balance in yuan, two decimals",
    description: "The balance is rounded down to the fen.",
    params: TokenOnlyParams,
    response: BalanceResponse,
  },
  async (req, env) => {
    const { token } = await readInput(req, TokenOnlyParams);
    const { tenant } = await authenticateToken(req, env, token);
    return new Response(`{"code":"10000","message":"请求成功","balance":${yuan(tenant.balance)}}`, {
      headers: { "content-type": "application/json;charset=utf-8" },
    });
  },
);
