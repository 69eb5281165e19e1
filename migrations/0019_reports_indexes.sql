-- Two indexes of reports that no statement reads: every pull goes through reports_pullable_app
-- (0004: one app's pullable reports), pushes through reports_push, a message's report through
-- message_id. Each still cost two index entries per final message and their moves on every pull.
DROP INDEX reports_pending;
DROP INDEX reports_pullable;
