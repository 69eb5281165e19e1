-- Delivery statistics kept as messages change state (issue 17), so /admin/v1/stats and
-- /admin/v1/metrics never scan messages.
--
-- One row per (tenant, hour the message was accepted, app, dialect, channel, kind, template,
-- carrier, destination country, status, delivery code) counting the messages in that state now.
-- Rows are cohorts: a message is counted once, in the hour it was accepted, under its current
-- status; a status change moves it from one row to another. So for any hour the rows add up to
-- exactly the messages accepted in it, and "delivered / final" is that hour's delivery rate.
-- The triggers below keep the rows in the same transaction as the change itself.
CREATE TABLE stats_hourly (
  tenant_id TEXT NOT NULL,
  -- created_at floored to the hour (epoch ms, UTC).
  hour INTEGER NOT NULL,
  app_id TEXT NOT NULL,
  dialect TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  -- 0 when the message used no template.
  template_id INTEGER NOT NULL,
  -- '' until a carrier took it.
  carrier TEXT NOT NULL,
  -- The E.164 country calling code ('86', '1', '852'); '' when the mobile is not E.164.
  country TEXT NOT NULL,
  status TEXT NOT NULL,
  -- messages.result_code, '' while there is none.
  code TEXT NOT NULL,
  messages INTEGER NOT NULL DEFAULT 0,
  segments INTEGER NOT NULL DEFAULT 0,
  -- Sum of prices (minor units) of the messages in this row.
  amount INTEGER NOT NULL DEFAULT 0,
  -- Delivered rows only: sum of milliseconds from accept (or scheduled send time) to the receipt,
  -- and a histogram of the same times: h0 ≤ 1 s, h1 ≤ 2 s, h2 ≤ 5 s, h3 ≤ 10 s, h4 ≤ 20 s,
  -- h5 ≤ 30 s, h6 ≤ 60 s, h7 ≤ 120 s, h8 ≤ 300 s, h9 ≤ 600 s, h10 ≤ 1800 s, h11 longer.
  -- The median is read from the histogram (src/core/stats.ts).
  latency_ms INTEGER NOT NULL DEFAULT 0,
  h0 INTEGER NOT NULL DEFAULT 0, h1 INTEGER NOT NULL DEFAULT 0, h2 INTEGER NOT NULL DEFAULT 0,
  h3 INTEGER NOT NULL DEFAULT 0, h4 INTEGER NOT NULL DEFAULT 0, h5 INTEGER NOT NULL DEFAULT 0,
  h6 INTEGER NOT NULL DEFAULT 0, h7 INTEGER NOT NULL DEFAULT 0, h8 INTEGER NOT NULL DEFAULT 0,
  h9 INTEGER NOT NULL DEFAULT 0, h10 INTEGER NOT NULL DEFAULT 0, h11 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, hour, app_id, dialect, channel, kind, template_id, carrier, country, status, code)
) WITHOUT ROWID;
-- Range queries across every tenant (the operator's overview, metrics).
CREATE INDEX stats_hourly_hour ON stats_hourly (hour);

-- Sends the accept pipeline refused (no message row was written), by reason: hourly, per tenant
-- and dialect. Written by src/core/send.ts only when something was refused.
CREATE TABLE stats_refusals (
  tenant_id TEXT NOT NULL,
  hour INTEGER NOT NULL,
  dialect TEXT NOT NULL,
  reason TEXT NOT NULL,
  messages INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, hour, dialect, reason)
) WITHOUT ROWID;
CREATE INDEX stats_refusals_hour ON stats_refusals (hour);

-- The expressions for hour, country and the time-to-delivery bucket are repeated in the backfill
-- and in each trigger: a trigger cannot hand NEW/OLD to a view, and allows no WITH clause.
-- country: calling codes are prefix-free; the one- and two-digit ones are listed, all others have
-- three digits (ITU-T E.164 assignments, as libphonenumber's metadata lists them).

-- Messages accepted before this migration are counted once, here.
INSERT INTO stats_hourly (tenant_id, hour, app_id, dialect, channel, kind, template_id, carrier, country, status, code,
  messages, segments, amount, latency_ms, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11)
SELECT tenant_id, hour, app_id, dialect, channel, kind, template_id, carrier, country, status, code,
  COUNT(*), SUM(segments), SUM(price), COALESCE(SUM(d), 0),
  SUM(b = 0), SUM(b = 1), SUM(b = 2), SUM(b = 3), SUM(b = 4), SUM(b = 5), SUM(b = 6), SUM(b = 7), SUM(b = 8), SUM(b = 9), SUM(b = 10), SUM(b = 11)
FROM (
  SELECT *, CASE WHEN d IS NULL THEN -1 WHEN d <= 1000 THEN 0 WHEN d <= 2000 THEN 1 WHEN d <= 5000 THEN 2 WHEN d <= 10000 THEN 3
    WHEN d <= 20000 THEN 4 WHEN d <= 30000 THEN 5 WHEN d <= 60000 THEN 6 WHEN d <= 120000 THEN 7 WHEN d <= 300000 THEN 8
    WHEN d <= 600000 THEN 9 WHEN d <= 1800000 THEN 10 ELSE 11 END AS b
  FROM (
    SELECT tenant_id, created_at - created_at % 3600000 AS hour, app_id, dialect, channel, kind, COALESCE(template_id, 0) AS template_id,
      COALESCE(carrier, '') AS carrier,
      CASE WHEN substr(mobile, 1, 1) <> '+' THEN ''
        WHEN substr(mobile, 2, 1) IN ('1', '7') THEN substr(mobile, 2, 1)
        WHEN substr(mobile, 2, 2) IN ('20','27','30','31','32','33','34','36','39','40','41','43','44','45','46','47','48','49','51','52','53',
          '54','55','56','57','58','60','61','62','63','64','65','66','81','82','84','86','90','91','92','93','94','95','98') THEN substr(mobile, 2, 2)
        ELSE substr(mobile, 2, 3) END AS country,
      status, COALESCE(result_code, '') AS code, segments, price,
      CASE WHEN status = 'delivered' AND reported_at IS NOT NULL THEN MAX(0, reported_at - MAX(send_at, created_at)) END AS d
    FROM messages
  )
)
GROUP BY tenant_id, hour, app_id, dialect, channel, kind, template_id, carrier, country, status, code;

-- One UPSERT per message written (a batch of 1000 touches one or a few rows, 1000 times).
CREATE TRIGGER stats_message_insert AFTER INSERT ON messages
BEGIN
  INSERT INTO stats_hourly (tenant_id, hour, app_id, dialect, channel, kind, template_id, carrier, country, status, code,
    messages, segments, amount, latency_ms, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11)
  SELECT NEW.tenant_id, NEW.created_at - NEW.created_at % 3600000, NEW.app_id, NEW.dialect, NEW.channel, NEW.kind,
    COALESCE(NEW.template_id, 0), COALESCE(NEW.carrier, ''),
    CASE WHEN substr(NEW.mobile, 1, 1) <> '+' THEN ''
      WHEN substr(NEW.mobile, 2, 1) IN ('1', '7') THEN substr(NEW.mobile, 2, 1)
      WHEN substr(NEW.mobile, 2, 2) IN ('20','27','30','31','32','33','34','36','39','40','41','43','44','45','46','47','48','49','51','52','53',
        '54','55','56','57','58','60','61','62','63','64','65','66','81','82','84','86','90','91','92','93','94','95','98') THEN substr(NEW.mobile, 2, 2)
      ELSE substr(NEW.mobile, 2, 3) END,
    NEW.status, COALESCE(NEW.result_code, ''), 1, NEW.segments, NEW.price, COALESCE(x.d, 0),
    x.b = 0, x.b = 1, x.b = 2, x.b = 3, x.b = 4, x.b = 5, x.b = 6, x.b = 7, x.b = 8, x.b = 9, x.b = 10, x.b = 11
  FROM (
    SELECT d, CASE WHEN d IS NULL THEN -1 WHEN d <= 1000 THEN 0 WHEN d <= 2000 THEN 1 WHEN d <= 5000 THEN 2 WHEN d <= 10000 THEN 3
      WHEN d <= 20000 THEN 4 WHEN d <= 30000 THEN 5 WHEN d <= 60000 THEN 6 WHEN d <= 120000 THEN 7 WHEN d <= 300000 THEN 8
      WHEN d <= 600000 THEN 9 WHEN d <= 1800000 THEN 10 ELSE 11 END AS b
    FROM (SELECT CASE WHEN NEW.status = 'delivered' AND NEW.reported_at IS NOT NULL
      THEN MAX(0, NEW.reported_at - MAX(NEW.send_at, NEW.created_at)) END AS d)
  ) AS x
  WHERE true
  ON CONFLICT (tenant_id, hour, app_id, dialect, channel, kind, template_id, carrier, country, status, code) DO UPDATE SET
    messages = messages + 1, segments = segments + excluded.segments, amount = amount + excluded.amount,
    latency_ms = latency_ms + excluded.latency_ms,
    h0 = h0 + excluded.h0, h1 = h1 + excluded.h1, h2 = h2 + excluded.h2, h3 = h3 + excluded.h3, h4 = h4 + excluded.h4,
    h5 = h5 + excluded.h5, h6 = h6 + excluded.h6, h7 = h7 + excluded.h7, h8 = h8 + excluded.h8, h9 = h9 + excluded.h9,
    h10 = h10 + excluded.h10, h11 = h11 + excluded.h11;
END;

-- A change of any column the rows are keyed or measured by moves the message: out of its old row
-- (which exists: the insert trigger or the backfill put it there), into its new one. The engine
-- changes the carrier without changing the status when it reclaims a submit, hence the list.
-- Updates of other columns (carrier_ref, attempts, updated_at alone) do not fire it.
CREATE TRIGGER stats_message_update AFTER UPDATE OF status, carrier, result_code, segments, price, reported_at, send_at ON messages
WHEN OLD.status IS NOT NEW.status OR OLD.carrier IS NOT NEW.carrier OR OLD.result_code IS NOT NEW.result_code
  OR OLD.segments IS NOT NEW.segments OR OLD.price IS NOT NEW.price OR OLD.reported_at IS NOT NEW.reported_at
  OR OLD.send_at IS NOT NEW.send_at
BEGIN
  UPDATE stats_hourly SET messages = messages - 1, segments = segments - OLD.segments, amount = amount - OLD.price,
    latency_ms = latency_ms - COALESCE(x.d, 0),
    h0 = h0 - (x.b = 0), h1 = h1 - (x.b = 1), h2 = h2 - (x.b = 2), h3 = h3 - (x.b = 3), h4 = h4 - (x.b = 4), h5 = h5 - (x.b = 5),
    h6 = h6 - (x.b = 6), h7 = h7 - (x.b = 7), h8 = h8 - (x.b = 8), h9 = h9 - (x.b = 9), h10 = h10 - (x.b = 10), h11 = h11 - (x.b = 11)
  FROM (
    SELECT d, CASE WHEN d IS NULL THEN -1 WHEN d <= 1000 THEN 0 WHEN d <= 2000 THEN 1 WHEN d <= 5000 THEN 2 WHEN d <= 10000 THEN 3
      WHEN d <= 20000 THEN 4 WHEN d <= 30000 THEN 5 WHEN d <= 60000 THEN 6 WHEN d <= 120000 THEN 7 WHEN d <= 300000 THEN 8
      WHEN d <= 600000 THEN 9 WHEN d <= 1800000 THEN 10 ELSE 11 END AS b
    FROM (SELECT CASE WHEN OLD.status = 'delivered' AND OLD.reported_at IS NOT NULL
      THEN MAX(0, OLD.reported_at - MAX(OLD.send_at, OLD.created_at)) END AS d)
  ) AS x
  WHERE stats_hourly.tenant_id = OLD.tenant_id AND stats_hourly.hour = OLD.created_at - OLD.created_at % 3600000
    AND stats_hourly.app_id = OLD.app_id AND stats_hourly.dialect = OLD.dialect AND stats_hourly.channel = OLD.channel
    AND stats_hourly.kind = OLD.kind AND stats_hourly.template_id = COALESCE(OLD.template_id, 0)
    AND stats_hourly.carrier = COALESCE(OLD.carrier, '')
    AND stats_hourly.country = CASE WHEN substr(OLD.mobile, 1, 1) <> '+' THEN ''
      WHEN substr(OLD.mobile, 2, 1) IN ('1', '7') THEN substr(OLD.mobile, 2, 1)
      WHEN substr(OLD.mobile, 2, 2) IN ('20','27','30','31','32','33','34','36','39','40','41','43','44','45','46','47','48','49','51','52','53',
        '54','55','56','57','58','60','61','62','63','64','65','66','81','82','84','86','90','91','92','93','94','95','98') THEN substr(OLD.mobile, 2, 2)
      ELSE substr(OLD.mobile, 2, 3) END
    AND stats_hourly.status = OLD.status AND stats_hourly.code = COALESCE(OLD.result_code, '');

  INSERT INTO stats_hourly (tenant_id, hour, app_id, dialect, channel, kind, template_id, carrier, country, status, code,
    messages, segments, amount, latency_ms, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11)
  SELECT NEW.tenant_id, NEW.created_at - NEW.created_at % 3600000, NEW.app_id, NEW.dialect, NEW.channel, NEW.kind,
    COALESCE(NEW.template_id, 0), COALESCE(NEW.carrier, ''),
    CASE WHEN substr(NEW.mobile, 1, 1) <> '+' THEN ''
      WHEN substr(NEW.mobile, 2, 1) IN ('1', '7') THEN substr(NEW.mobile, 2, 1)
      WHEN substr(NEW.mobile, 2, 2) IN ('20','27','30','31','32','33','34','36','39','40','41','43','44','45','46','47','48','49','51','52','53',
        '54','55','56','57','58','60','61','62','63','64','65','66','81','82','84','86','90','91','92','93','94','95','98') THEN substr(NEW.mobile, 2, 2)
      ELSE substr(NEW.mobile, 2, 3) END,
    NEW.status, COALESCE(NEW.result_code, ''), 1, NEW.segments, NEW.price, COALESCE(x.d, 0),
    x.b = 0, x.b = 1, x.b = 2, x.b = 3, x.b = 4, x.b = 5, x.b = 6, x.b = 7, x.b = 8, x.b = 9, x.b = 10, x.b = 11
  FROM (
    SELECT d, CASE WHEN d IS NULL THEN -1 WHEN d <= 1000 THEN 0 WHEN d <= 2000 THEN 1 WHEN d <= 5000 THEN 2 WHEN d <= 10000 THEN 3
      WHEN d <= 20000 THEN 4 WHEN d <= 30000 THEN 5 WHEN d <= 60000 THEN 6 WHEN d <= 120000 THEN 7 WHEN d <= 300000 THEN 8
      WHEN d <= 600000 THEN 9 WHEN d <= 1800000 THEN 10 ELSE 11 END AS b
    FROM (SELECT CASE WHEN NEW.status = 'delivered' AND NEW.reported_at IS NOT NULL
      THEN MAX(0, NEW.reported_at - MAX(NEW.send_at, NEW.created_at)) END AS d)
  ) AS x
  WHERE true
  ON CONFLICT (tenant_id, hour, app_id, dialect, channel, kind, template_id, carrier, country, status, code) DO UPDATE SET
    messages = messages + 1, segments = segments + excluded.segments, amount = amount + excluded.amount,
    latency_ms = latency_ms + excluded.latency_ms,
    h0 = h0 + excluded.h0, h1 = h1 + excluded.h1, h2 = h2 + excluded.h2, h3 = h3 + excluded.h3, h4 = h4 + excluded.h4,
    h5 = h5 + excluded.h5, h6 = h6 + excluded.h6, h7 = h7 + excluded.h7, h8 = h8 + excluded.h8, h9 = h9 + excluded.h9,
    h10 = h10 + excluded.h10, h11 = h11 + excluded.h11;
END;
