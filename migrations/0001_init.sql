-- edgesms schema. Money is integer minor units (1 = 0.001 CNY, a "li"); times are epoch milliseconds.

-- A customer account. balance is the sum of its ledger and can never go negative:
-- an overdraft fails the CHECK and rolls back the whole accept batch.
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  balance INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
  price_verification INTEGER NOT NULL DEFAULT 45 CHECK (price_verification >= 0),
  price_notification INTEGER NOT NULL DEFAULT 45 CHECK (price_notification >= 0),
  price_marketing INTEGER NOT NULL DEFAULT 55 CHECK (price_marketing >= 0),
  timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  -- Key for X-Edgesms-Signature on outbound webhooks (HMAC-SHA256).
  webhook_secret TEXT NOT NULL,
  -- JSON TenantSettings (src/core/tenant.ts): limits per kind, repeat window, blocked words, quiet hours.
  settings TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- How a tenant's client authenticates in one dialect. The secret is stored as a SHA-256 hash;
-- secret_enc (AES-GCM) is kept only where a dialect must sign with the secret itself (JPush callbacks).
CREATE TABLE apps (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  dialect TEXT NOT NULL CHECK (dialect IN ('jpush', 'jpush_dev', 'paasw', 'huawei', 'smsapi')),
  -- The public identifier the client sends: JPush appKey / devKey, paasw appId, Huawei user name, smsapi key id.
  key TEXT NOT NULL,
  -- Huawei: the project id this user is scoped to. NULL elsewhere.
  project_id TEXT,
  secret_hash TEXT NOT NULL,
  secret_enc TEXT,
  -- Bumped on rotation: tokens minted under an older version stop working at once.
  secret_version INTEGER NOT NULL DEFAULT 1,
  name TEXT NOT NULL DEFAULT '',
  -- Comma list of kinds this app may send: verification,notification,marketing.
  kinds TEXT NOT NULL DEFAULT 'verification,notification,marketing',
  sms_enabled INTEGER NOT NULL DEFAULT 1,
  blocked INTEGER NOT NULL DEFAULT 0,
  -- JSON array of IPs / CIDRs allowed to call with this credential; NULL = any.
  ip_allowlist TEXT,
  default_signature_id INTEGER,
  -- Where this app's delivery reports and replies are pushed, in this dialect's format.
  report_url TEXT,
  reply_url TEXT,
  -- Dialect-specific JSON (e.g. JPush callback verification state).
  options TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (dialect, key)
);
CREATE INDEX apps_tenant ON apps (tenant_id);
CREATE UNIQUE INDEX apps_project ON apps (project_id) WHERE project_id IS NOT NULL AND dialect = 'huawei';

-- Bearer tokens minted by a dialect's login endpoint (paasw /api/token, Huawei /v3/auth/tokens).
-- Only the hash is stored; issued_at lets a dialect re-derive the same token inside its validity.
CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES apps(id),
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  secret_version INTEGER NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX tokens_app ON tokens (app_id, expires_at);
CREATE INDEX tokens_expiry ON tokens (expires_at);

-- Every debit and credit. SUM(amount) per tenant equals tenants.balance.
CREATE TABLE ledger (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  amount INTEGER NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('send', 'refund', 'topup', 'adjust')),
  batch_id TEXT,
  message_id TEXT,
  note TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX ledger_tenant ON ledger (tenant_id, id);
-- A message is refunded at most once.
CREATE UNIQUE INDEX ledger_refund_once ON ledger (message_id) WHERE reason = 'refund';

-- 签名. id is what JPush calls sign_id; uid (32 hex) is Huawei's sign_id.
CREATE TABLE signatures (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  -- JPush signature type (1 company, 2 app, 3 website, 4 public account, 5 trademark, 6 other).
  type INTEGER NOT NULL DEFAULT 1,
  remark TEXT,
  image BLOB,
  image_type TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  review_note TEXT,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX signatures_name ON signatures (tenant_id, name) WHERE deleted = 0;

CREATE TABLE templates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  signature_id INTEGER REFERENCES signatures(id),
  kind TEXT NOT NULL CHECK (kind IN ('verification', 'notification', 'marketing')),
  content TEXT NOT NULL,
  -- Verification templates: code length (4–8) and validity in seconds.
  code_length INTEGER NOT NULL DEFAULT 6,
  ttl INTEGER NOT NULL DEFAULT 60,
  remark TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  review_note TEXT,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX templates_tenant ON templates (tenant_id, id);
CREATE INDEX templates_signature ON templates (signature_id) WHERE deleted = 0;

-- One API call's messages: its id is the dialect's bizId / request_id / schedule_id.
CREATE TABLE batches (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  app_id TEXT NOT NULL REFERENCES apps(id),
  dialect TEXT NOT NULL,
  kind TEXT NOT NULL,
  template_id INTEGER,
  size INTEGER NOT NULL,
  amount INTEGER NOT NULL,
  send_at INTEGER NOT NULL,
  scheduled INTEGER NOT NULL DEFAULT 0,
  canceled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX batches_tenant ON batches (tenant_id, created_at);

CREATE TABLE messages (
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
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'queued', 'submitted', 'delivered', 'undelivered', 'failed', 'canceled')),
  -- Delivery code (paasw's list): '10000' delivered; '1','4','5','6','7','8','9' otherwise.
  result_code TEXT,
  result_message TEXT,
  send_at INTEGER NOT NULL,
  carrier TEXT,
  carrier_ref TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  submitted_at INTEGER,
  reported_at INTEGER
);
CREATE INDEX messages_batch ON messages (batch_id);
CREATE INDEX messages_tenant ON messages (tenant_id, created_at);
CREATE INDEX messages_tenant_mobile ON messages (tenant_id, mobile, created_at);
CREATE INDEX messages_due ON messages (send_at) WHERE status = 'scheduled';
CREATE INDEX messages_queued ON messages (updated_at) WHERE status = 'queued';
CREATE INDEX messages_submitted ON messages (submitted_at) WHERE status = 'submitted';
CREATE INDEX messages_carrier_ref ON messages (carrier, carrier_ref) WHERE carrier_ref IS NOT NULL;

-- Delivery receipts, one per message in a final state, for the pull APIs and pushes.
-- A report is handed out once: by pull (pulled_at) or by push (pushed_at).
CREATE TABLE reports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  app_id TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  batch_id TEXT NOT NULL,
  mobile TEXT NOT NULL,
  signature TEXT,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  segments INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  reported_at INTEGER NOT NULL,
  pulled_at INTEGER,
  pushed_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX reports_pending ON reports (tenant_id, id) WHERE pulled_at IS NULL AND pushed_at IS NULL;
CREATE INDEX reports_created ON reports (created_at);

-- Replies (MO / uplink). id is paasw's sequenceId.
CREATE TABLE inbound (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  mobile TEXT NOT NULL,
  content TEXT NOT NULL,
  signature TEXT,
  extension TEXT,
  carrier TEXT NOT NULL,
  carrier_ref TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  pulled_at INTEGER,
  pushed_at INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (carrier, carrier_ref)
);
CREATE INDEX inbound_pending ON inbound (tenant_id, id) WHERE pulled_at IS NULL AND pushed_at IS NULL;
CREATE INDEX inbound_created ON inbound (created_at);

CREATE TABLE opt_outs (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  mobile TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, mobile)
) WITHOUT ROWID;

-- Outbound pushes to customer URLs: durable before they are queued, so nothing is lost;
-- 'dead' ones are what the operator sees after the last retry.
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  app_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  url TEXT NOT NULL,
  content_type TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_tenant ON webhook_deliveries (tenant_id, status, created_at);

-- Queue messages that exhausted their retries, kept for the operator.
CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- The carrier simulator's handset inbox (local only): what each mobile "received".
CREATE TABLE simulator_inbox (
  message_id TEXT PRIMARY KEY,
  mobile TEXT NOT NULL,
  channel TEXT NOT NULL,
  content TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX simulator_inbox_mobile ON simulator_inbox (mobile, received_at);
