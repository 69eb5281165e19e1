-- The accept's debit now compares the tenant's revision stamp itself (src/store/messages/accept.ts:
-- a moved stamp becomes NULL, which tenants.revision's NOT NULL refuses), one statement less per
-- send than the guard row this table existed to refuse.
DROP TABLE snapshot_guards;
