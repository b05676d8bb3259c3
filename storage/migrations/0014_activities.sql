-- 0014: activities (issue 18). An approved proposal (usulan, status
-- disetujui) becomes an activity: the work the programme funds, with its
-- budget, its TPK, its stage and progress, dated progress notes, released
-- tranches, accountability meetings, complaints that name it, and the
-- residents who follow it.

CREATE TABLE activities (
  id             INTEGER PRIMARY KEY,
  case_id        INTEGER NOT NULL UNIQUE REFERENCES cases (id),  -- one activity per proposal
  desa_code      TEXT    NOT NULL,
  title          TEXT    NOT NULL DEFAULT '',
  location       TEXT    NOT NULL DEFAULT '',
  budget_blm     INTEGER NOT NULL DEFAULT 0 CHECK (budget_blm >= 0),      -- rupiah
  budget_swadaya INTEGER NOT NULL DEFAULT 0 CHECK (budget_swadaya >= 0),  -- rupiah
  tpk            TEXT    NOT NULL DEFAULT '',   -- the team's label, never a phone number
  stage          TEXT    NOT NULL DEFAULT 'persiapan'
                         CHECK (stage IN ('persiapan', 'pelaksanaan', 'serah_terima', 'selesai')),
  progress       INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX activities_desa ON activities (desa_code);

-- One dated progress report each.
CREATE TABLE activity_notes (
  id          INTEGER PRIMARY KEY,
  activity_id INTEGER NOT NULL REFERENCES activities (id),
  at          INTEGER NOT NULL,
  progress    INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
  note        TEXT    NOT NULL DEFAULT '',
  actor       TEXT    NOT NULL DEFAULT ''     -- staff name, or "tpk:<staff name>"
) STRICT;
CREATE INDEX activity_notes_activity ON activity_notes (activity_id, id);

-- Released tranches (tahap 1, 2, 3): each released once.
CREATE TABLE activity_tranches (
  activity_id INTEGER NOT NULL REFERENCES activities (id),
  tahap       INTEGER NOT NULL CHECK (tahap BETWEEN 1 AND 3),
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  released_at INTEGER NOT NULL,
  PRIMARY KEY (activity_id, tahap)
) STRICT, WITHOUT ROWID;

-- Complaints (pengaduan cases) that name an activity; a complaint names one.
CREATE TABLE activity_complaints (
  activity_id INTEGER NOT NULL REFERENCES activities (id),
  case_id     INTEGER NOT NULL UNIQUE REFERENCES cases (id)
) STRICT;
CREATE INDEX activity_complaints_activity ON activity_complaints (activity_id);

-- Who asked to follow an activity (IKUTI, following = 1) or to stop
-- (BERHENTI IKUTI, following = 0; this also stops the notices a proposer
-- or a member of the proposing group gets without asking).
CREATE TABLE activity_followers (
  activity_id INTEGER NOT NULL REFERENCES activities (id),
  contact_id  INTEGER NOT NULL REFERENCES contacts (id),
  following   INTEGER NOT NULL CHECK (following IN (0, 1)),
  at          INTEGER NOT NULL,
  PRIMARY KEY (activity_id, contact_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX activity_followers_contact ON activity_followers (contact_id);

-- The milestones whose notice went out: "stage:pelaksanaan", "progress:50",
-- "meeting:7". Whoever inserts the row sends the notices, in the same
-- transaction: each milestone is announced once, whatever the number of
-- gateways and however often progress goes back and forth across it.
CREATE TABLE activity_milestones (
  activity_id INTEGER NOT NULL REFERENCES activities (id),
  milestone   TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  PRIMARY KEY (activity_id, milestone)
) STRICT, WITHOUT ROWID;

-- Meetings gain the accountability forums of an activity and the activity
-- they belong to (0: none). SQLite cannot change a CHECK constraint, so the
-- table is rebuilt; the rows that refer to meetings are kept aside meanwhile
-- (foreign keys are on, and dropping a referenced row would fail).
CREATE TEMP TABLE keep_meeting_groups AS SELECT * FROM meeting_groups;
CREATE TEMP TABLE keep_invitations AS SELECT * FROM invitations;
DELETE FROM meeting_groups;
DELETE FROM invitations;
CREATE TABLE meetings_0014 (
  id                 INTEGER PRIMARY KEY,
  title              TEXT    NOT NULL,
  forum              TEXT    NOT NULL
                             CHECK (forum IN ('musdus', 'mkp', 'musdes', 'mad', 'spp', 'other',
                                              'pertanggungjawaban', 'serah_terima')),
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
  updated_at         INTEGER NOT NULL,
  activity_id        INTEGER NOT NULL DEFAULT 0   -- the activity it accounts for; 0: none
) STRICT;
INSERT INTO meetings_0014 (id, title, forum, area, starts_at, utc_offset_minutes, place, agenda,
                           bring, status, version, created_by, created_at, updated_at)
  SELECT id, title, forum, area, starts_at, utc_offset_minutes, place, agenda, bring, status,
         version, created_by, created_at, updated_at FROM meetings;
DROP TABLE meetings;
ALTER TABLE meetings_0014 RENAME TO meetings;
CREATE INDEX meetings_upcoming ON meetings (status, starts_at);
CREATE INDEX meetings_activity ON meetings (activity_id) WHERE activity_id != 0;
INSERT INTO meeting_groups SELECT * FROM keep_meeting_groups;
INSERT INTO invitations SELECT * FROM keep_invitations;
DROP TABLE keep_meeting_groups;
DROP TABLE keep_invitations;
