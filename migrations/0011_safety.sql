-- Safety (issue 14): the unknown outcome as a final status, the recovery sweep's bookkeeping,
-- dead letters replayed once, and Idempotency-Key reservations.

-- A message whose outcome nobody can tell any more (no receipt by the end of the report window, the
-- carrier cannot answer a status query, or the carrier itself reported "unknown") ends as status
-- 'unknown' with delivery code 9: it is neither delivered nor undelivered (it may well have arrived),
-- and it is not refunded (the carrier took it). SQLite cannot change a CHECK in place, so the table is
-- rebuilt with the same columns (those of 0001–0010, plus recovery_at and content_masked) and indexes.
-- Triggers on messages must be created after this migration (0012's are).
PRAGMA defer_foreign_keys = on;

CREATE TABLE messages_0011 (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  app_id TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  dialect TEXT NOT NULL,
  channel TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'voice')),
  kind TEXT NOT NULL CHECK (kind IN ('verification', 'notification', 'marketing')),
  mobile TEXT NOT NULL,
  content TEXT NOT NULL,
  signature TEXT,
  template_id INTEGER,
  params TEXT,
  encoding TEXT NOT NULL,
  segments INTEGER NOT NULL,
  price INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'queued', 'submitted', 'delivered', 'undelivered', 'unknown', 'failed', 'canceled')),
  -- Delivery code (paasw's list): '10000' delivered; '1','4','5','6','7','8' undelivered; '9' unknown.
  result_code TEXT,
  result_message TEXT,
  send_at INTEGER NOT NULL,
  carrier TEXT,
  carrier_ref TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  submitted_at INTEGER,
  reported_at INTEGER,
  submit_unknown INTEGER NOT NULL DEFAULT 0,
  customer_ref TEXT,
  -- When the recovery sweep last asked the carrier about this submitted message (null: never).
  recovery_at INTEGER,
  -- 1 once a final verification message's text had its code masked (src/core/secrecy.ts).
  content_masked INTEGER NOT NULL DEFAULT 0
);
INSERT INTO messages_0011 (id, tenant_id, app_id, batch_id, dialect, channel, kind, mobile, content, signature, template_id, params,
  encoding, segments, price, status, result_code, result_message, send_at, carrier, carrier_ref, attempts, created_at, updated_at,
  submitted_at, reported_at, submit_unknown, customer_ref)
SELECT id, tenant_id, app_id, batch_id, dialect, channel, kind, mobile, content, signature, template_id, params,
  encoding, segments, price, status, result_code, result_message, send_at, carrier, carrier_ref, attempts, created_at, updated_at,
  submitted_at, reported_at, submit_unknown, customer_ref
FROM messages;
DROP TABLE messages;
ALTER TABLE messages_0011 RENAME TO messages;
CREATE INDEX messages_batch ON messages (batch_id);
CREATE INDEX messages_tenant ON messages (tenant_id, created_at);
CREATE INDEX messages_tenant_mobile ON messages (tenant_id, mobile, created_at);
CREATE INDEX messages_due ON messages (send_at) WHERE status = 'scheduled';
CREATE INDEX messages_queued ON messages (updated_at) WHERE status = 'queued';
CREATE INDEX messages_submitted ON messages (submitted_at) WHERE status = 'submitted';
CREATE INDEX messages_carrier_ref ON messages (carrier, carrier_ref) WHERE carrier_ref IS NOT NULL;
CREATE INDEX messages_tenant_batch ON messages (tenant_id, batch_id);
CREATE INDEX messages_mobile_carrier ON messages (mobile, carrier, created_at);
-- The recovery sweep walks submitted messages per carrier, oldest first.
CREATE INDEX messages_recovery ON messages (carrier, submitted_at) WHERE status = 'submitted';
-- Verification texts still holding their code: masked by the cron once the message is final.
CREATE INDEX messages_code_texts ON messages (updated_at) WHERE kind = 'verification' AND content_masked = 0;
-- Retention: contents older than the retention period are purged in created_at order.
CREATE INDEX messages_created ON messages (created_at) WHERE content <> '';

-- Carrier-events dead letters are replayed once by the recovery sweep (kept for the operator).
ALTER TABLE dead_letters ADD COLUMN replayed_at INTEGER;
CREATE INDEX dead_letters_replay ON dead_letters (queue, id) WHERE replayed_at IS NULL;

-- Idempotency-Key: one row per (credential scope, key). The row is inserted before the work (the
-- PRIMARY KEY makes a concurrent duplicate fail to reserve), and the response is stored after it.
-- request_hash: SHA-256 of method, path and body; response: the status, headers and body to replay.
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER,
  response TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
