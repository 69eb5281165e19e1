-- Delivery engine: push/pull exclusivity of reports and replies, webhook re-enqueue, reply routing.

-- A report or reply assigned to a push carries that webhook_deliveries.id. The pull APIs hand out
-- only rows with push_id IS NULL AND pulled_at IS NULL; a dead push clears push_id (where it was
-- not pushed), so its rows become pullable and nothing is lost.
ALTER TABLE reports ADD COLUMN push_id TEXT;
ALTER TABLE inbound ADD COLUMN push_id TEXT;
CREATE INDEX reports_push ON reports (push_id) WHERE push_id IS NOT NULL;
CREATE INDEX inbound_push ON inbound (push_id) WHERE push_id IS NOT NULL;
CREATE INDEX reports_pullable ON reports (tenant_id, id) WHERE pulled_at IS NULL AND push_id IS NULL;
CREATE INDEX inbound_pullable ON inbound (tenant_id, id) WHERE pulled_at IS NULL AND push_id IS NULL;

-- When the queue should next deliver a pending push: the cron re-enqueues pending pushes long
-- past it (a lost enqueue). headers: extra request headers the dialect's format asked for (JSON).
ALTER TABLE webhook_deliveries ADD COLUMN next_at INTEGER;
ALTER TABLE webhook_deliveries ADD COLUMN headers TEXT;
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_done ON webhook_deliveries (updated_at) WHERE status <> 'pending';

CREATE INDEX dead_letters_created ON dead_letters (created_at);
CREATE INDEX simulator_inbox_received ON simulator_inbox (received_at);

-- Replies are routed to the tenant owning an approved signature of that name.
CREATE INDEX signatures_approved_name ON signatures (name) WHERE status = 'approved' AND deleted = 0;
