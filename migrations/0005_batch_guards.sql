-- A precondition inside one db.batch (D1 offers no other way to make a batch conditional): a
-- statement inserts a row here only when its precondition fails, the CHECK refuses every row, and
-- the whole batch rolls back. The table therefore never holds a row. Used by schedule modification
-- ("the old messages are all still scheduled").
CREATE TABLE batch_guards (
  reason TEXT NOT NULL,
  CONSTRAINT batch_guard_failed CHECK (reason IS NULL)
);
