-- Each tenant's MobileGuard layout (docs/jpush.md, "MobileGuard buckets"). The bucket count is the
-- tenant's own, fixed when the tenant is created (GUARD_BUCKETS then), so that a changed
-- GUARD_BUCKETS never moves a live tenant's mobiles to other objects: that used to forget every
-- open window and make every code in flight uncheckable. Tenants created before this migration
-- keep 64, the default GUARD_BUCKETS had.
--
-- An operator may move one tenant to another count (PATCH /admin/v1/tenants/{id}, guard_buckets).
-- The count it had stays beside it with the time of the move: for as long as a window of the
-- tenant's could still reach back before the move, a decision also reads the mobile's history from
-- its object of the earlier count, and a code is checked where it was stored. One move at a time:
-- the next waits until the longest window any setting may have (7 days) has passed.
ALTER TABLE tenants ADD COLUMN guard_buckets INTEGER NOT NULL DEFAULT 64 CHECK (guard_buckets BETWEEN 1 AND 65536);
ALTER TABLE tenants ADD COLUMN guard_buckets_before INTEGER;
ALTER TABLE tenants ADD COLUMN guard_moved_at INTEGER;

-- A send reads the layout with the tenant, so a move gives the tenant a new revision stamp (0014):
-- no send is ever accepted on a layout that moved under it.
DROP TRIGGER tenants_revision;
CREATE TRIGGER tenants_revision AFTER UPDATE OF
  id, name, price_verification, price_notification, price_marketing, timezone, webhook_secret, settings,
  created_at, home_country, price_table, guard_buckets, guard_buckets_before, guard_moved_at
ON tenants BEGIN
  UPDATE tenants SET revision = random() >> 11 WHERE id = NEW.id;
END;
