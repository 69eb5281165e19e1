-- A revision stamp per tenant over everything a send reads with its authentication: the tenant's
-- own settings and prices, its credentials (apps, access keys), templates and signatures. Any change
-- to those rows gives the tenant a new stamp; money and spending (balance, the apps' spent_*
-- counters) do not, so the hot path never moves it.
--
-- Why: an isolate may serve a send's authentication and reads from a snapshot it read moments ago
-- (src/core/snapshots.ts), saving one D1 round trip per send. The send's own accept batch then
-- checks that the tenant's stamp is still the snapshot's (snapshot_guards below), so nothing is
-- ever accepted on rows that changed since: the batch rolls back and the request is run again on
-- fresh rows.
--
-- The stamp is a random 53-bit value, not a counter: a database restored to an earlier point (D1
-- Time Travel) or a test's rolled-back storage must not hand out a stamp a snapshot already holds
-- for other rows. 53 bits, because D1 returns integers as JavaScript numbers.
ALTER TABLE tenants ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

-- The batch_guards pattern (0005) with its own constraint name: a row is inserted only when the
-- tenant's stamp is no longer the snapshot's; the CHECK refuses it and the whole batch rolls back.
CREATE TABLE snapshot_guards (
  reason TEXT NOT NULL,
  CONSTRAINT snapshot_stale CHECK (reason IS NULL)
);

-- Every column but balance and updated_at (moved by each debit and top-up).
-- test/store/revision-triggers.test.ts fails when a new column is in neither list.
CREATE TRIGGER tenants_revision AFTER UPDATE OF
  id, name, price_verification, price_notification, price_marketing, timezone, webhook_secret, settings,
  created_at, home_country, price_table
ON tenants BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id = NEW.id;
END;

-- Every column but the spending counters (moved by each send and refund) and updated_at.
CREATE TRIGGER apps_revision_update AFTER UPDATE OF
  id, tenant_id, dialect, key, project_id, secret_hash, secret_enc, secret_version, name, kinds,
  sms_enabled, blocked, ip_allowlist, default_signature_id, report_url, reply_url, options, created_at,
  cap_daily, cap_total
ON apps BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id IN (OLD.tenant_id, NEW.tenant_id);
END;
CREATE TRIGGER apps_revision_delete AFTER DELETE ON apps BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id = OLD.tenant_id;
END;

-- Templates, signatures and access keys: any insert, update or delete (none is on the hot path).
CREATE TRIGGER templates_revision_insert AFTER INSERT ON templates BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id = NEW.tenant_id;
END;
CREATE TRIGGER templates_revision_update AFTER UPDATE ON templates BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id IN (OLD.tenant_id, NEW.tenant_id);
END;
CREATE TRIGGER templates_revision_delete AFTER DELETE ON templates BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id = OLD.tenant_id;
END;
CREATE TRIGGER signatures_revision_insert AFTER INSERT ON signatures BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id = NEW.tenant_id;
END;
CREATE TRIGGER signatures_revision_update AFTER UPDATE ON signatures BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id IN (OLD.tenant_id, NEW.tenant_id);
END;
CREATE TRIGGER signatures_revision_delete AFTER DELETE ON signatures BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id = OLD.tenant_id;
END;
CREATE TRIGGER access_keys_revision_insert AFTER INSERT ON access_keys BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id = NEW.tenant_id;
END;
CREATE TRIGGER access_keys_revision_update AFTER UPDATE ON access_keys BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id IN (OLD.tenant_id, NEW.tenant_id);
END;
CREATE TRIGGER access_keys_revision_delete AFTER DELETE ON access_keys BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id = OLD.tenant_id;
END;
