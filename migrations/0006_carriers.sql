-- Carriers and routes as data (issue: real carriers), per-part carrier references, and receipts
-- kept until their message can be finalised.

-- A carrier the gateway can hand messages to. settings: the type's JSON settings without secrets;
-- secrets: the secret fields as one AES-GCM sealed JSON object ("v1.…"), never answered by any API.
CREATE TABLE carriers (
  name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 32),
  type TEXT NOT NULL CHECK (type IN ('simulator', 'smpp', 'aliyun', 'tencent', 'twilio')),
  settings TEXT NOT NULL DEFAULT '{}',
  secrets TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  -- Parts per second across every Worker instance (the carrier's CarrierGate); NULL = no cap.
  max_tps INTEGER CHECK (max_tps IS NULL OR max_tps > 0),
  -- Bumped on every change, so a bind notices that its configuration changed.
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The routing table, replaced whole by PUT /admin/v1/routes: the first rule (lowest position) that
-- matches a message wins; NULL conditions match everything. carriers: JSON array of carrier names,
-- tried in order.
CREATE TABLE routes (
  position INTEGER PRIMARY KEY,
  tenant_id TEXT,
  kind TEXT CHECK (kind IS NULL OR kind IN ('verification', 'notification', 'marketing')),
  -- E.164 digits without "+": a country calling code ("86") or a longer number prefix ("86139").
  prefix TEXT CHECK (prefix IS NULL OR prefix GLOB '[0-9]*'),
  carriers TEXT NOT NULL
);

-- Every reference a carrier returned for a message: one per part for carriers that number parts
-- (SMPP), else one. A message is final when every one of its references has a receipt.
CREATE TABLE carrier_refs (
  carrier TEXT NOT NULL,
  ref TEXT NOT NULL,
  message_id TEXT NOT NULL,
  part INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (carrier, ref)
) WITHOUT ROWID;
CREATE INDEX carrier_refs_message ON carrier_refs (message_id);

-- Receipts by carrier reference. One that arrives before its reference is recorded (or for a
-- reference never seen) waits here and is matched later, never dropped; the first receipt of a
-- reference wins, so a duplicate changes nothing.
CREATE TABLE receipts (
  carrier TEXT NOT NULL,
  ref TEXT NOT NULL,
  code TEXT NOT NULL,
  reported_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (carrier, ref)
) WITHOUT ROWID;
CREATE INDEX receipts_received ON receipts (received_at);

-- A submit whose outcome is unknown (the request may have reached the carrier, no answer came):
-- never resubmitted blindly, reconciled by a receipt or a status query, else final as unknown.
ALTER TABLE messages ADD COLUMN submit_unknown INTEGER NOT NULL DEFAULT 0;

-- A reply to a carrier's bare sender is routed to the tenant that last messaged that mobile through it.
CREATE INDEX messages_mobile_carrier ON messages (mobile, carrier, created_at);
