-- 0009: real platform traffic (issue 15).
--
-- A failed delivery keeps the platform's error code and reason, in the
-- delivery timeline (message_events) and, for the latest failure, on the
-- message itself so lists need no second query.
ALTER TABLE message_events ADD COLUMN error_code TEXT NOT NULL DEFAULT '';
ALTER TABLE message_events ADD COLUMN error_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN error_code TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN error_reason TEXT NOT NULL DEFAULT '';

-- A platform's notice that a person's address changed (WhatsApp's
-- user_changed_number, user_changed_user_id) is applied once: a retried
-- webhook finds its id here.
CREATE TABLE address_changes (
  channel_id  TEXT    NOT NULL,
  provider_id TEXT    NOT NULL,
  old_address TEXT    NOT NULL,
  new_address TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  PRIMARY KEY (channel_id, provider_id)
) STRICT, WITHOUT ROWID;

-- Phone numbers become E.164 and one number is one contact: that data step
-- is C++ (storage/sql/contacts.cc, MergePhoneContacts), run in this
-- migration's transaction, because the normaliser (storage/phone.h) is.
