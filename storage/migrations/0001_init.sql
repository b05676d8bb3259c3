-- 0001: the initial schema of the case store.
-- Migrations are append-only: never edit a released file, add a new one.
-- Times are unix milliseconds (UTC). Tables are STRICT so a wrong type is an
-- error, not a silently stored string.

-- A person we talk to.
CREATE TABLE contacts (
  id           INTEGER PRIMARY KEY,
  name         TEXT    NOT NULL DEFAULT '',
  language     TEXT    NOT NULL DEFAULT 'id',
  opted_out    INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),
  opted_out_at INTEGER,            -- when opted_out last changed
  created_at   INTEGER NOT NULL
) STRICT;

-- Where a contact is reached: one row per (channel, platform address).
CREATE TABLE addresses (
  id           INTEGER PRIMARY KEY,
  contact_id   INTEGER NOT NULL REFERENCES contacts (id),
  channel_id   TEXT    NOT NULL,
  address      TEXT    NOT NULL,
  last_seen_at INTEGER NOT NULL DEFAULT 0,
  unreachable  INTEGER NOT NULL DEFAULT 0 CHECK (unreachable IN (0, 1)),
  UNIQUE (channel_id, address)
) STRICT;
CREATE INDEX addresses_contact ON addresses (contact_id);

-- The outbox: messages waiting to be sent, and a record of those that were.
-- kind 0 = reply, 1 = broadcast (replies go first).
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  contact_id      INTEGER NOT NULL REFERENCES contacts (id),
  channel_id      TEXT    NOT NULL,
  address         TEXT    NOT NULL,
  kind            INTEGER NOT NULL CHECK (kind IN (0, 1)),
  payload_json    TEXT    NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'pending'
                          CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT    NOT NULL DEFAULT '',
  provider_id     TEXT    NOT NULL DEFAULT '',
  message_id      INTEGER REFERENCES messages (id)
) STRICT;
-- ClaimDue walks the pending rows and, per contact, looks up the head of its
-- queue and whether a row is in flight: all three are lookups in this index.
CREATE INDEX outbox_queue ON outbox (state, contact_id, kind, id);

-- Every message in and out. provider_id is NULL until known.
CREATE TABLE messages (
  id          INTEGER PRIMARY KEY,
  direction   TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
  channel_id  TEXT    NOT NULL,
  provider_id TEXT,
  text        TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  contact_id  INTEGER REFERENCES contacts (id),
  outbox_id   INTEGER REFERENCES outbox (id),
  segments    INTEGER NOT NULL DEFAULT 0
) STRICT;
-- A platform's retried delivery of an inbound message is a no-op.
CREATE UNIQUE INDEX messages_inbound_provider ON messages (channel_id, provider_id)
  WHERE direction = 'in';
-- Delivery callbacks find the outbound message by its provider id.
CREATE INDEX messages_outbound_provider ON messages (channel_id, provider_id)
  WHERE direction = 'out';
CREATE INDEX messages_created ON messages (created_at);
CREATE INDEX messages_contact ON messages (contact_id);

-- The delivery timeline of a message: one row per status transition.
CREATE TABLE message_events (
  id         INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages (id),
  status     TEXT    NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX message_events_message ON message_events (message_id, id);

-- A contact's open dialog.
CREATE TABLE sessions (
  contact_id INTEGER PRIMARY KEY REFERENCES contacts (id),
  flow       TEXT    NOT NULL DEFAULT '',
  node       TEXT    NOT NULL DEFAULT '',
  vars_json  TEXT    NOT NULL DEFAULT '{}',
  updated_at INTEGER NOT NULL
) STRICT;

-- Proposals (usulan) and complaints (pengaduan), numbered per type.
CREATE TABLE cases (
  id           INTEGER PRIMARY KEY,
  type         TEXT    NOT NULL CHECK (type IN ('usulan', 'pengaduan')),
  number       INTEGER NOT NULL,
  status       TEXT    NOT NULL,
  contact_id   INTEGER REFERENCES contacts (id),
  channel_id   TEXT    NOT NULL DEFAULT '',
  area_code    TEXT    NOT NULL DEFAULT '',
  desa_code    TEXT    NOT NULL DEFAULT '',
  confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
  summary      TEXT    NOT NULL DEFAULT '',
  fields_json  TEXT    NOT NULL DEFAULT '{}',
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  UNIQUE (type, number)
) STRICT;
CREATE INDEX cases_contact ON cases (contact_id);
CREATE INDEX cases_created ON cases (created_at);

-- The history of a case: every change is one row.
CREATE TABLE case_events (
  id      INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases (id),
  at      INTEGER NOT NULL,
  kind    TEXT    NOT NULL,
  actor   TEXT    NOT NULL,
  detail  TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX case_events_case ON case_events (case_id, id);
