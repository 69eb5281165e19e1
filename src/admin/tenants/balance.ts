// POST /admin/v1/tenants/{id}/balance (top-up or adjustment, with its ledger row) and the paged ledger.
import { z } from "zod";
import { changeBalance } from "../../core/tenants";
import { idempotencyOf } from "../../core/idempotency";
import { json } from "../../http/respond";
import { adminRoute, invalid, parseBody, parseParams, parseQuery, requireTenant } from "../http";
import { decodeCursor, Page, page, PageQuery } from "../paging";
import { LedgerView, ledgerView } from "../views";
import { TenantParams } from "./schemas";
import { tenantDb } from "../../store/db";
import { listLedger } from "../../store/ledger";

export const BalanceBody = z.strictObject({
  amount: z
    .number()
    .int()
    .refine((n) => n !== 0, "must not be zero")
    .refine((n) => Math.abs(n) <= 1e12, "too large")
    .describe("minor units (1 = 0.001 CNY); negative lowers the balance (reason adjust)"),
  reason: z.enum(["topup", "adjust"]),
  note: z.string().trim().min(1).max(500).describe("why: invoice number, correction…"),
});

export const BalanceAnswer = z.object({ balance: z.number().int() });

export const changeBalanceRoute = adminRoute(
  {
    method: "post",
    path: "/admin/v1/tenants/{id}/balance",
    summary: "Top up or adjust a balance",
    body: BalanceBody,
    response: BalanceAnswer,
    errors: { "409": "insufficient_balance: the adjustment would take the balance below zero (nothing changed)" },
  },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const body = await parseBody(req, BalanceBody);
    if (body.reason === "topup" && body.amount < 0) {
      throw invalid("a top-up is positive", [{ path: "amount", message: "a top-up is positive; use reason adjust to lower a balance" }]);
    }
    const balance = await changeBalance(tenantDb(env, id), body.amount, body.reason, body.note, Date.now(), idempotencyOf(req));
    return json({ balance } satisfies z.infer<typeof BalanceAnswer>);
  },
);

export const listLedgerRoute = adminRoute(
  { method: "get", path: "/admin/v1/tenants/{id}/ledger", summary: "The tenant's ledger, newest first", query: PageQuery, response: Page(LedgerView) },
  async (req, env) => {
    const { id } = parseParams(req, TenantParams);
    await requireTenant(env, id);
    const q = parseQuery(req, PageQuery);
    const before = decodeCursor(q.cursor, z.number().int());
    const rows = await listLedger(tenantDb(env, id), q.limit + 1, before);
    return json(page(rows, q.limit, ledgerView, (l) => l.id));
  },
);
