-- Existing clients unchanged: customer references, Huawei AK/SK credentials, JPush receipt pulls.

-- A customer's own reference for a message (Aliyun's outId, Huawei's extend): stored as sent,
-- echoed in reports, pushes and status queries. The report row carries a copy so that pushes and
-- pulls need no join.
ALTER TABLE messages ADD COLUMN customer_ref TEXT;
ALTER TABLE reports ADD COLUMN customer_ref TEXT;

-- Huawei access keys (AK/SK) of a huawei credential: requests signed SDK-HMAC-SHA256 with the
-- secret key. Verifying a signature needs the secret itself, so it is kept AES-GCM sealed under
-- SECRETS_KEY ("v1.…"), never hashed, never returned after creation.
CREATE TABLE access_keys (
  access_key TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  app_id TEXT NOT NULL REFERENCES apps(id),
  secret_enc TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX access_keys_app ON access_keys (tenant_id, app_id);

-- JPush's receipt API (GET /v1/report, /v1/reply) allows one call per app and kind every 5 s:
-- the last admitted call's time, moved by one guarded upsert so concurrent calls cannot both pass.
CREATE TABLE pull_marks (
  app_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (app_id, kind)
) WITHOUT ROWID;

-- Status queries read a batch's messages of one tenant.
CREATE INDEX messages_tenant_batch ON messages (tenant_id, batch_id);
