-- 0006: finding the outbox rows due now (issue 7).
-- ClaimDue runs every round and wants the first due pending rows in (kind,
-- id) order. outbox_queue only narrows by state, so every round read and
-- sorted every pending row: 4.7 ms with 50,000 rows held for later send
-- slots, 31 ms with 50,000 due at once (a big notice just queued), as long
-- as a send interval at 30/s. ClaimDue now reads a few due rows through
-- outbox_due (0.3 ms) and walks outbox_order, which covers the filter, when
-- many are due (0.1 ms).
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_order ON outbox (state, kind, id, next_attempt_at, contact_id);
