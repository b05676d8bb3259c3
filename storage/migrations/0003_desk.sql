-- The facilitator desk: API tokens, staff, the workflow state of each case,
-- and installation-wide settings such as the key behind reporter pseudonyms.

CREATE TABLE tokens (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  role       TEXT    NOT NULL CHECK (role IN ('admin', 'fasilitator')),
  areas      TEXT    NOT NULL DEFAULT '',     -- area codes, comma list
  hash       TEXT    NOT NULL UNIQUE,         -- hex SHA-256 of the token
  created_at INTEGER NOT NULL,
  revoked_at INTEGER NOT NULL DEFAULT 0
) STRICT;

-- People who handle cases. position names the office they hold (pld, pd,
-- kepala_desa, tpk_ketua, ...): the rule that keeps a complaint away from
-- the office it accuses works on it. level orders escalation.
CREATE TABLE staff (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL UNIQUE,
  role       TEXT    NOT NULL,
  position   TEXT    NOT NULL DEFAULT '',
  level      TEXT    NOT NULL DEFAULT 'kecamatan'
                     CHECK (level IN ('desa', 'kecamatan', 'kabupaten')),
  areas      TEXT    NOT NULL DEFAULT '',
  channel_id TEXT    NOT NULL DEFAULT '',
  address    TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX staff_address ON staff (channel_id, address);

CREATE TABLE case_desk (
  case_id            INTEGER PRIMARY KEY REFERENCES cases (id),
  assignee           TEXT    NOT NULL DEFAULT '',
  verify_due         INTEGER NOT NULL DEFAULT 0,
  answer_due         INTEGER NOT NULL DEFAULT 0,
  resolve_due        INTEGER NOT NULL DEFAULT 0,
  answered_at        INTEGER NOT NULL DEFAULT 0,
  verified_at        INTEGER NOT NULL DEFAULT 0,
  closed_at          INTEGER NOT NULL DEFAULT 0,
  escalation_level   INTEGER NOT NULL DEFAULT 0,
  overdue            INTEGER NOT NULL DEFAULT 0 CHECK (overdue IN (0, 1)),
  reminded           TEXT    NOT NULL DEFAULT '',  -- deadlines already reminded, comma list
  excluded_positions TEXT    NOT NULL DEFAULT ''  -- offices this case accuses, comma list
) STRICT;

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
INSERT INTO meta (key, value) VALUES ('pseudonym_key', lower(hex(randomblob(32))));
