-- 0010: sessions carry a version (issue 16).
-- An inbound message is decided on the HTTP thread against a read snapshot
-- and only its writes go to the committer. The committer writes the session
-- only if it is still at the version the decision was made on; otherwise the
-- message is decided again. Sessions written before this migration are at
-- version 0, which is also what a contact without a session reads as.
ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
