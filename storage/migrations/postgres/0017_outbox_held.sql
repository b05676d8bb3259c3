-- 0017: the held rows of the outbox, indexed on their own (issues 16, 17);
-- see the SQLite file.
CREATE INDEX outbox_held ON outbox (contact_id, kind, next_attempt_at)
  WHERE state = 'pending' AND lease_until != 0;
