-- 0005: counting a contact's recent inbound messages (issue 7).
-- Inbound counts the messages a contact sent within the flood window on
-- every message: a range of this index. It also serves every lookup the
-- contact_id-only index did, so that one goes.
CREATE INDEX messages_contact_created ON messages (contact_id, created_at);
DROP INDEX messages_contact;
