-- 0004: meeting notices (issue 5): groups and their members, meetings with
-- the groups they invite, invitations with their RSVP, broadcasts, and the
-- ledger of scheduled sends whose key makes every notice go out at most once.

-- A group people join to get notices: an SPP group, a dusun, a forum.
CREATE TABLE notice_groups (
  id         INTEGER PRIMARY KEY,
  code       TEXT    NOT NULL UNIQUE,       -- upper case: MELATI, SPP01
  name       TEXT    NOT NULL,
  area       TEXT    NOT NULL,              -- a desa code from the config
  created_at INTEGER NOT NULL
) STRICT;

-- Membership. Leaving keeps the row (left_at > 0); joining again clears it.
CREATE TABLE group_members (
  group_id   INTEGER NOT NULL REFERENCES notice_groups (id),
  contact_id INTEGER NOT NULL REFERENCES contacts (id),
  joined_at  INTEGER NOT NULL,
  left_at    INTEGER NOT NULL DEFAULT 0,    -- 0: a member
  source     TEXT    NOT NULL DEFAULT '',   -- keyword|api|import
  PRIMARY KEY (group_id, contact_id)
) STRICT;
CREATE INDEX group_members_contact ON group_members (contact_id);

CREATE TABLE meetings (
  id                 INTEGER PRIMARY KEY,
  title              TEXT    NOT NULL,
  forum              TEXT    NOT NULL
                             CHECK (forum IN ('musdus', 'mkp', 'musdes', 'mad', 'spp', 'other')),
  area               TEXT    NOT NULL,      -- desa (or kecamatan) code
  starts_at          INTEGER NOT NULL,      -- unix ms
  utc_offset_minutes INTEGER NOT NULL,      -- the area's zone: 420 WIB, 480 WITA, 540 WIT
  place              TEXT    NOT NULL DEFAULT '',
  agenda             TEXT    NOT NULL DEFAULT '',
  bring              TEXT    NOT NULL DEFAULT '',
  status             TEXT    NOT NULL DEFAULT 'scheduled'
                             CHECK (status IN ('scheduled', 'cancelled')),
  version            INTEGER NOT NULL DEFAULT 1,  -- +1 whenever what people were told changes
  created_by         TEXT    NOT NULL DEFAULT '',
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX meetings_upcoming ON meetings (status, starts_at);

CREATE TABLE meeting_groups (
  meeting_id INTEGER NOT NULL REFERENCES meetings (id),
  group_id   INTEGER NOT NULL REFERENCES notice_groups (id),
  PRIMARY KEY (meeting_id, group_id)
) STRICT;
CREATE INDEX meeting_groups_group ON meeting_groups (group_id);

-- Who was invited to a meeting, and what they answered.
CREATE TABLE invitations (
  meeting_id  INTEGER NOT NULL REFERENCES meetings (id),
  contact_id  INTEGER NOT NULL REFERENCES contacts (id),
  invited_at  INTEGER NOT NULL,
  answer      TEXT    NOT NULL DEFAULT '' CHECK (answer IN ('', 'hadir', 'tidak')),
  reason      TEXT    NOT NULL DEFAULT '',
  answered_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (meeting_id, contact_id)
) STRICT;
CREATE INDEX invitations_contact ON invitations (contact_id);

-- Free text sent to groups.
CREATE TABLE broadcasts (
  id         INTEGER PRIMARY KEY,
  text       TEXT    NOT NULL,
  group_codes TEXT   NOT NULL,              -- comma list
  created_by TEXT    NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  recipients INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Every notice, reminder and broadcast queued (or deliberately skipped) for
-- one contact. The key is written in the same transaction as the outbox row,
-- so a restart, a second scheduler or a clock jump can never send it twice.
-- meeting_id is 0 for broadcasts (kind 'broadcast:<id>').
CREATE TABLE scheduled_sends (
  meeting_id INTEGER NOT NULL,
  contact_id INTEGER NOT NULL REFERENCES contacts (id),
  kind       TEXT    NOT NULL,              -- invite, reminder:..., changed:v2, cancelled, ...
  at         INTEGER NOT NULL,              -- when it was queued or skipped
  outbox_id  INTEGER REFERENCES outbox (id),  -- NULL: skipped
  PRIMARY KEY (meeting_id, contact_id, kind)
) STRICT;
