-- 0012: leases, so that one gateway at a time runs a periodic planner
-- (issue 17); see ../0012_leases.sql and Store::TryLease.
CREATE TABLE leases (
  name   TEXT COLLATE "C" PRIMARY KEY,
  holder TEXT COLLATE "C" NOT NULL,
  until  BIGINT NOT NULL
);
