-- 0007: a case's history is recorded, never found by time (issue 13).
-- Before, the desk showed every message of a case's contact since two hours
-- before the case: a proposal showed the same person's complaint, and a case
-- of area A the messages of one in area B.
--
-- messages.conversation_id groups the messages of one dialog: the id of the
-- inbound message that opened it, given to that message, to every later
-- answer in the same dialog and to the replies queued for them. When the
-- dialog files a case, its conversation is linked to the case.
-- case_messages holds every message that belongs to a case: its
-- conversation, and each exchange about it (desk replies, status notices,
-- the reporter's STATUS and BUKA for that ticket and their answers).
-- Cases filed before this migration keep their events but get no messages:
-- nothing recorded says which of their contact's messages were theirs.
ALTER TABLE messages ADD COLUMN conversation_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_conversation ON messages (conversation_id) WHERE conversation_id != 0;
ALTER TABLE sessions ADD COLUMN conversation_id INTEGER NOT NULL DEFAULT 0;
CREATE TABLE case_messages (
  case_id    INTEGER NOT NULL REFERENCES cases (id),
  message_id INTEGER NOT NULL REFERENCES messages (id),
  PRIMARY KEY (case_id, message_id)
) STRICT, WITHOUT ROWID;
