-- 0006: finding the outbox rows due now (issue 7).
-- ClaimDue runs every round and wants the pending rows whose
-- next_attempt_at has come. outbox_queue only narrows by state, so every
-- round read every pending row: 4.7 ms with 50,000 rows held for later send
-- slots (a big notice). With this index it reads only the due ones
-- (0.02 ms). When most pending rows are due at once it still sorts them all
-- (about 30 ms for 50,000).
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
