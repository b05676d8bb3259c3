-- 0013: send-rate limits kept in the database (issue 17); see
-- ../0013_send_rates.sql. Every gateway's outbox worker takes its send slots
-- from these rows (Store::ReserveSend): the upsert of a key's row locks it,
-- so two gateways never take the same slot.
CREATE TABLE send_rates (
  rate_key        TEXT COLLATE "C" PRIMARY KEY,
  tat_us          BIGINT NOT NULL DEFAULT 0,
  paused_until_us BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE send_rate_queues (
  queue        TEXT COLLATE "C" PRIMARY KEY,
  next_slot_us BIGINT NOT NULL
);
