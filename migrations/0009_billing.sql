-- Billing: per-destination prices (issue 13) and per-app spending caps (issue 15).

-- The tenant's home country (ISO 3166-1 alpha-2): its mobiles are billed at price_verification /
-- price_notification / price_marketing, as every mobile was before this migration. Any other
-- destination needs a row of price_table (src/core/pricing.ts), or it is refused, never billed at
-- the home price. price_table: JSON array of {"destination": "US" | "+44" | "*", "kind"?: kind,
-- "price": minor units per segment}, replaced whole by PUT /admin/v1/tenants/{id}/prices. It rides
-- on the tenant row, which every send reads anyway (no extra D1 round trip).
ALTER TABLE tenants ADD COLUMN home_country TEXT NOT NULL DEFAULT 'CN';
ALTER TABLE tenants ADD COLUMN price_table TEXT NOT NULL DEFAULT '[]';

-- Spending caps of one app inside its tenant's balance (minor units; NULL = no cap). spent_day is
-- what the app spent since spent_day_start (epoch ms of the start of that day in the tenant's
-- timezone); spent_total since spend_since. Both move in the accept batch (debit) and in every
-- refund's batch, and app_cap_guards refuses a debit that takes either past its cap.
ALTER TABLE apps ADD COLUMN cap_daily INTEGER CHECK (cap_daily IS NULL OR cap_daily >= 0);
ALTER TABLE apps ADD COLUMN cap_total INTEGER CHECK (cap_total IS NULL OR cap_total >= 0);
ALTER TABLE apps ADD COLUMN spent_day INTEGER NOT NULL DEFAULT 0;
ALTER TABLE apps ADD COLUMN spent_day_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE apps ADD COLUMN spent_total INTEGER NOT NULL DEFAULT 0;
-- Messages created before this instant were never counted, so their refunds give nothing back.
-- Apps created later keep 0: all of their messages count.
ALTER TABLE apps ADD COLUMN spend_since INTEGER NOT NULL DEFAULT 0;
UPDATE apps SET spend_since = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);

-- The batch_guards pattern (0005) with its own constraint name, so that a refusal by an app's cap
-- is told apart from an overdraft and from a schedule guard: a row is inserted only when the
-- debit just made took the app past a cap, the CHECK refuses it, the whole accept batch rolls back.
CREATE TABLE app_cap_guards (
  reason TEXT NOT NULL,
  CONSTRAINT app_cap_exceeded CHECK (reason IS NULL)
);
