-- 0015: residents' data rights under UU PDP and the staff audit (issue 19).
--
-- privacy_noticed_at: when the contact was sent the privacy notice (0: not
-- yet). Set by one UPDATE ... WHERE privacy_noticed_at = 0, so of two first
-- messages handled at once exactly one sends it. Contacts that wrote before
-- this version have 0 and are told with their next message.
ALTER TABLE contacts ADD COLUMN privacy_noticed_at INTEGER NOT NULL DEFAULT 0;
-- erased_at: when the contact's identity was erased (HAPUS DATA or the desk's
-- erase call); 0 when it was not. An erased contact is a tombstone: no
-- address, no name, kept only so that its cases keep their pseudonym.
ALTER TABLE contacts ADD COLUMN erased_at INTEGER NOT NULL DEFAULT 0;

-- What staff did with residents' data: every read of a confidential case,
-- every reply, every export and every erasure. actor is a token's name
-- (or staff at their phone, "resident" for a resident's own erasure, "cli"
-- for the command line); ticket the case concerned, "" when none. Never
-- the resident's identity.
CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY,
  at     INTEGER NOT NULL,
  actor  TEXT    NOT NULL,
  action TEXT    NOT NULL,
  ticket TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
