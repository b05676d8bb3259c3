-- 0016: the desa a contact named; the groups that proposed an activity (issue 18).
-- INFO lists the activities of the sender's desa. A resident with no case
-- naming a desa is asked once; the answer is kept here, beside the contact
-- (not on it: the contact row is who someone is, this is what they told us).
CREATE TABLE contact_desa (
  contact_id INTEGER PRIMARY KEY REFERENCES contacts (id),
  desa_code  TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- The groups that proposed an activity (codes, comma-separated, as staff
-- name them): their members hear of its stages and progress, beside the
-- proposer and its followers.
ALTER TABLE activities ADD COLUMN group_codes TEXT NOT NULL DEFAULT '';
