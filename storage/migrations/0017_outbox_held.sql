-- 0017: the held rows of the outbox, indexed on their own (issues 16, 17).
-- A row put back until a later time (Defer, MarkRetry) keeps its contact's
-- turn: a row queued behind it gets its time (Outbox Enqueue). Finding that
-- time read every pending row of the contact through outbox_queue; under a
-- backlog (replies arrive faster than a channel may send) that is dozens of
-- rows per insert. Held rows are few, so a partial index over them alone
-- answers at once.
CREATE INDEX outbox_held ON outbox (contact_id, kind, next_attempt_at)
  WHERE state = 'pending' AND lease_until != 0;
