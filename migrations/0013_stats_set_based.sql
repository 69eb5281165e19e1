-- The statistics rows of 0012 are kept set-based from now on: one grouped UPSERT per accept batch
-- and two per status move (src/store/stats.ts statsDeltaStatement, in the same D1 batch as the
-- write), instead of one UPSERT per message row in a trigger. The rows and their meaning are
-- unchanged; only who writes them moves. Measured in docs/bench.md: the triggers cost end to end
-- about a third of its throughput (one to two index lookups and writes per message per move).
DROP TRIGGER stats_message_insert;
DROP TRIGGER stats_message_update;
