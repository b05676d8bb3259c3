#include "storage/sqlite_outbox.h"

#include "storage/sqlite_rows.h"

namespace suaradesa::storage::sqlite_outbox {

using sqlite_rows::Fail;

Result<int64_t> Enqueue(StatementCache& stmts, const OutboxItem& item, const std::string& text) {
  int64_t outbox_id = 0;
  int64_t message_id = 0;
  {
    auto s = stmts.Get(
        "INSERT INTO outbox (contact_id, channel_id, address, kind, payload_json, state,"
        " attempts, created_at, next_attempt_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?7)");
    if (!s) return Fail(s);
    (*s)->BindInt(1, item.contact_id);
    (*s)->BindText(2, item.channel_id);
    (*s)->BindText(3, item.address);
    (*s)->BindInt(4, static_cast<int64_t>(item.kind));
    (*s)->BindText(5, item.payload_json.empty() ? "{}" : item.payload_json);
    (*s)->BindInt(6, item.created_at);
    (*s)->BindInt(7, item.next_attempt_at != 0 ? item.next_attempt_at : item.created_at);
    if (Status r = (*s)->Run(); !r) return Fail(r);
    outbox_id = stmts.db().LastInsertRowId();
  }
  {
    auto s = stmts.Get(
        "INSERT INTO messages (direction, channel_id, text, status, created_at, contact_id,"
        " outbox_id, conversation_id) VALUES ('out', ?1, ?2, 'queued', ?3, ?4, ?5, ?6)");
    if (!s) return Fail(s);
    (*s)->BindText(1, item.channel_id);
    (*s)->BindText(2, text);
    (*s)->BindInt(3, item.created_at);
    (*s)->BindInt(4, item.contact_id);
    (*s)->BindInt(5, outbox_id);
    (*s)->BindInt(6, item.conversation_id);
    if (Status r = (*s)->Run(); !r) return Fail(r);
    message_id = stmts.db().LastInsertRowId();
  }
  if (item.case_id != 0) {
    auto s = stmts.Get(
        "INSERT OR IGNORE INTO case_messages (case_id, message_id) VALUES (?1, ?2)");
    if (!s) return Fail(s);
    (*s)->BindInt(1, item.case_id);
    (*s)->BindInt(2, message_id);
    if (Status r = (*s)->Run(); !r) return Fail(r);
  }
  {
    auto s = stmts.Get("UPDATE outbox SET message_id = ?2 WHERE id = ?1");
    if (!s) return Fail(s);
    (*s)->BindInt(1, outbox_id);
    (*s)->BindInt(2, message_id);
    if (Status r = (*s)->Run(); !r) return Fail(r);
  }
  {
    auto s = stmts.Get(
        "INSERT INTO message_events (message_id, status, at) VALUES (?1, 'queued', ?2)");
    if (!s) return Fail(s);
    (*s)->BindInt(1, message_id);
    (*s)->BindInt(2, item.created_at);
    if (Status r = (*s)->Run(); !r) return Fail(r);
  }
  return outbox_id;
}

}  // namespace suaradesa::storage::sqlite_outbox
