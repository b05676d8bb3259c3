-- 0018: the outbox's state has no statistics (issue 17; see the PostgreSQL
-- file). SQLite has none to remove: the gateway never runs ANALYZE on it,
-- and its claim is told its index (INDEXED BY). This version changes
-- nothing here, so that both databases keep one numbering.
SELECT 1;
