-- Indexes keyed by a mobile put every message's entry on a random page, and a random page is one
-- more page written per message once the table outgrows SQLite's cache (the end-to-end row lost half
-- its rate between 20,000 and 120,000 messages). One index by mobile now serves both lookups by
-- mobile: a tenant's last message to it (replies routed by signature) and the last message through
-- a carrier (replies to a bare sender), each a few rows per mobile to filter.
-- messages_mobile_carrier also moved when dispatch recorded the carrier (a second random page per
-- message), and messages_carrier_ref has had no reader since receipts match through carrier_refs (0006).
DROP INDEX messages_tenant_mobile;
DROP INDEX messages_mobile_carrier;
DROP INDEX messages_carrier_ref;
CREATE INDEX messages_mobile ON messages (mobile, created_at);
