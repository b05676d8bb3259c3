-- 0011: ticket numbers come from a counter per case type (issue 17).
-- MAX(number) + 1 was right only while one writer at a time could run it
-- (SQLite's BEGIN IMMEDIATE). With several gateways on one PostgreSQL
-- database two transactions could read the same maximum; the counter row is
-- updated in place, so the database orders the writers that share it.
CREATE TABLE case_counters (
  type        TEXT    PRIMARY KEY CHECK (type IN ('usulan', 'pengaduan')),
  last_number INTEGER NOT NULL
) STRICT;
INSERT INTO case_counters (type, last_number)
  SELECT type, MAX(number) FROM cases GROUP BY type;
