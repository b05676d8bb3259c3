-- 0011: ticket numbers come from a counter per case type (issue 17); see
-- ../0011_case_counters.sql. The counter row is updated in place, so
-- concurrent writers queue on its row lock (and, SERIALIZABLE, one of two
-- that raced is run again) and never take one number twice.
CREATE TABLE case_counters (
  type        TEXT   PRIMARY KEY CHECK (type IN ('usulan', 'pengaduan')),
  last_number BIGINT NOT NULL
);
INSERT INTO case_counters (type, last_number)
  SELECT type, MAX(number) FROM cases GROUP BY type;
