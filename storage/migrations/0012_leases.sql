-- 0012: leases, so that one gateway at a time runs a periodic planner
-- (issue 17). Several gateways may share one database; the planners of
-- meeting notices, reminders and deadline escalations run in whichever of
-- them holds the lease named after the planner. A lease is held by
-- `holder` (a gateway process's random id) until `until` (unix ms): after
-- that any gateway may take it. See Store::TryLease.
CREATE TABLE leases (
  name   TEXT    PRIMARY KEY,
  holder TEXT    NOT NULL,
  until  INTEGER NOT NULL
) STRICT;
