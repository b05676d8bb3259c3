-- 0016: the desa a contact named (issue 18); see the SQLite file.
CREATE TABLE contact_desa (
  contact_id BIGINT PRIMARY KEY REFERENCES contacts (id),
  desa_code  TEXT COLLATE "C" NOT NULL,
  updated_at BIGINT NOT NULL
);

-- The groups that proposed an activity (codes, comma-separated).
ALTER TABLE activities ADD COLUMN group_codes TEXT COLLATE "C" NOT NULL DEFAULT '';
