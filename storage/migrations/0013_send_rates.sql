-- 0013: send-rate limits kept in the database (issue 17).
-- The outbox's rate limits (per channel, and per channel and recipient)
-- were kept in the memory of the one process that owns the outbox. With
-- several gateways on one database each would allow the full rate, and the
-- platform would see a multiple of it. The limiter's state moves here, where
-- every gateway's outbox worker takes its send slots (Store::ReserveSend).
-- SQLite, one process, keeps the limits in memory by default; the tables
-- exist in both databases so that the schema is the same.

-- Per key (a channel id, or channel id + "\n" + address): the theoretical
-- arrival time of the next send (GCRA, see gateway/outbound/rate_limiter.h)
-- and the end of a pause (a platform's retry_after), both unix
-- microseconds; 0 when none.
CREATE TABLE send_rates (
  rate_key        TEXT    PRIMARY KEY,
  tat_us          INTEGER NOT NULL DEFAULT 0,
  paused_until_us INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

-- Per queue of held messages (e.g. a channel's replies): the first send
-- slot (unix microseconds) not yet handed to a held message.
CREATE TABLE send_rate_queues (
  queue        TEXT    PRIMARY KEY,
  next_slot_us INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
