#include "storage/sql/outbox.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/sql/rows.h"

namespace suaradesa::storage::sql_outbox {

using sql_rows::Fail;

namespace {

// ?1-?7 of both outbox inserts: the row's contact, channel, address, kind,
// payload, created_at and due time.
void BindOutboxRow(Statement& s, const OutboxItem& item) {
  s.BindInt(1, item.contact_id);
  s.BindText(2, item.channel_id);
  s.BindText(3, item.address);
  s.BindInt(4, static_cast<int64_t>(item.kind));
  s.BindText(5, item.payload_json.empty() ? "{}" : item.payload_json);
  s.BindInt(6, item.created_at);
  s.BindInt(7, item.next_attempt_at != 0 ? item.next_attempt_at : item.created_at);
}

// PostgreSQL: the outbox row, its message, the message's "queued" event and
// its case link in one statement, one round trip instead of four. Both ids
// are taken first, so that each row names the other as it is inserted
// (foreign keys are checked at the end of the statement).
Result<int64_t> EnqueueInOneStatement(StatementCache& stmts, const OutboxItem& item,
                                      const std::string& text) {
  auto s = stmts.Get(
      "WITH ids AS (SELECT nextval(pg_get_serial_sequence('outbox', 'id')) AS outbox_id,"
      "                    nextval(pg_get_serial_sequence('messages', 'id')) AS message_id),"
      " o AS (INSERT INTO outbox (id, contact_id, channel_id, address, kind, payload_json, state,"
      "        attempts, created_at, next_attempt_at, message_id)"
      "       SELECT ids.outbox_id, ?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6,"
      "        coalesce((SELECT CASE WHEN max(h.next_attempt_at) > ?7 THEN max(h.next_attempt_at)"
      "                  END FROM outbox h WHERE h.state = 'pending'"
      "                  AND h.contact_id = ?1 AND h.lease_until != 0 AND h.kind <= ?4), ?7),"
      "        ids.message_id FROM ids),"
      " m AS (INSERT INTO messages (id, direction, channel_id, text, status, created_at,"
      "        contact_id, outbox_id, conversation_id)"
      "       SELECT ids.message_id, 'out', ?2, ?8, 'queued', ?6, ?1, ids.outbox_id, ?9 FROM ids),"
      " e AS (INSERT INTO message_events (message_id, status, at)"
      "       SELECT ids.message_id, 'queued', ?6 FROM ids),"
      " c AS (INSERT INTO case_messages (case_id, message_id)"
      "       SELECT ?10, ids.message_id FROM ids WHERE ?10 != 0 ON CONFLICT DO NOTHING)"
      " SELECT outbox_id FROM ids");
  if (!s) return Fail(s);
  BindOutboxRow(**s, item);
  (*s)->BindText(8, text);
  (*s)->BindInt(9, item.conversation_id);
  (*s)->BindInt(10, item.case_id);
  Result<int64_t> id = sql_rows::InsertedId(**s);
  if (!id) return Fail(id);
  return *id;
}

}  // namespace

Result<int64_t> Enqueue(StatementCache& stmts, const OutboxItem& item, const std::string& text) {
  if (stmts.dialect() == Dialect::kPostgres) return EnqueueInOneStatement(stmts, item, text);
  int64_t outbox_id = 0;
  int64_t message_id = 0;
  {
    // Behind a row of the contact's that was put back until later (a rate
    // limit's slot, a retry), which keeps its turn, the new row is due no
    // sooner than that row (see HoldFollowers in sql_store.cc). Held rows
    // are few and have an index of their own (0017), which SQLite, without
    // statistics, would not choose over outbox_queue by itself.
    auto s = stmts.Get(
        "INSERT INTO outbox (contact_id, channel_id, address, kind, payload_json, state,"
        " attempts, created_at, next_attempt_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6,"
        "  coalesce((SELECT CASE WHEN max(h.next_attempt_at) > ?7 THEN max(h.next_attempt_at)"
        "            END FROM outbox h INDEXED BY outbox_held WHERE h.state = 'pending'"
        "            AND h.contact_id = ?1 AND h.lease_until != 0 AND h.kind <= ?4), ?7))"
        " RETURNING id");
    if (!s) return Fail(s);
    BindOutboxRow(**s, item);
    Result<int64_t> id = sql_rows::InsertedId(**s);
    if (!id) return Fail(id);
    outbox_id = *id;
  }
  {
    auto s = stmts.Get(
        "INSERT INTO messages (direction, channel_id, text, status, created_at, contact_id,"
        " outbox_id, conversation_id) VALUES ('out', ?1, ?2, 'queued', ?3, ?4, ?5, ?6) RETURNING id");
    if (!s) return Fail(s);
    (*s)->BindText(1, item.channel_id);
    (*s)->BindText(2, text);
    (*s)->BindInt(3, item.created_at);
    (*s)->BindInt(4, item.contact_id);
    (*s)->BindInt(5, outbox_id);
    (*s)->BindInt(6, item.conversation_id);
    Result<int64_t> id = sql_rows::InsertedId(**s);
    if (!id) return Fail(id);
    message_id = *id;
  }
  if (item.case_id != 0) {
    auto s = stmts.Get(
        "INSERT INTO case_messages (case_id, message_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
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

namespace {

// (outbox id, message id) of the rows a query selects.
using Rows = std::vector<std::pair<int64_t, int64_t>>;

Status ReadRows(Statement& s, Rows* rows) {
  for (;;) {
    Result<bool> row = s.Step();
    if (!row) return Fail(row);
    if (!*row) return {};
    rows->emplace_back(s.ColumnInt(0), s.ColumnInt(1));
  }
}

Result<int> FailRows(StatementCache& stmts, const Rows& rows, const std::string& error,
                     int64_t now) {
  for (const auto& [outbox_id, message_id] : rows) {
    if (Status r = FailRow(stmts, outbox_id, message_id, error, now); !r) return Fail(r);
  }
  return static_cast<int>(rows.size());
}

}  // namespace

Status FailRow(StatementCache& stmts, int64_t outbox_id, int64_t message_id,
               const std::string& error, int64_t now) {
  {
    auto s = stmts.Get("UPDATE outbox SET state = 'failed', last_error = ?2 WHERE id = ?1");
    if (!s) return Fail(s);
    (*s)->BindInt(1, outbox_id);
    (*s)->BindText(2, error);
    if (Status r = (*s)->Run(); !r) return r;
  }
  if (message_id == 0) return {};
  {
    auto s = stmts.Get("UPDATE messages SET status = 'failed' WHERE id = ?1");
    if (!s) return Fail(s);
    (*s)->BindInt(1, message_id);
    if (Status r = (*s)->Run(); !r) return r;
  }
  auto s = stmts.Get("INSERT INTO message_events (message_id, status, at) VALUES (?1, 'failed', ?2)");
  if (!s) return Fail(s);
  (*s)->BindInt(1, message_id);
  (*s)->BindInt(2, now);
  return (*s)->Run();
}

Result<int> CancelWaitingBroadcasts(StatementCache& stmts, int64_t contact_id,
                                    const std::string& error, int64_t now) {
  Rows rows;
  {
    // A lookup in outbox_queue (state, contact_id, kind, id).
    auto s = stmts.Get(
        "SELECT id, coalesce(message_id, 0) FROM outbox"
        " WHERE state = 'pending' AND contact_id = ?1 AND kind = 1 ORDER BY id");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    if (Status r = ReadRows(**s, &rows); !r) return Fail(r);
  }
  return FailRows(stmts, rows, error, now);
}

Result<int> CancelWaitingFromGroup(StatementCache& stmts, int64_t contact_id, int64_t group_id,
                                   const std::string& error, int64_t now) {
  Rows rows;
  {
    // Notices of the group's meetings: meeting_groups_group, then the
    // ledger's key (meeting_id, contact_id, ...). A meeting that also
    // invites another group the contact still belongs to keeps its notices.
    auto s = stmts.Get(
        "SELECT o.id, coalesce(o.message_id, 0) FROM meeting_groups mg"
        " JOIN scheduled_sends k ON k.meeting_id = mg.meeting_id AND k.contact_id = ?1"
        " JOIN outbox o ON o.id = k.outbox_id"
        " WHERE mg.group_id = ?2 AND o.state = 'pending'"
        " AND NOT EXISTS (SELECT 1 FROM meeting_groups other"
        "   JOIN group_members gm ON gm.group_id = other.group_id"
        "   WHERE other.meeting_id = mg.meeting_id AND other.group_id != ?2"
        "   AND gm.contact_id = ?1 AND gm.left_at = 0)"
        " ORDER BY o.id");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    (*s)->BindInt(2, group_id);
    if (Status r = ReadRows(**s, &rows); !r) return Fail(r);
  }
  {
    // Broadcasts: keys (0, contact_id, 'broadcast:<id>'); the broadcast's
    // group_codes is a comma list. One sent to several groups is kept while
    // the contact still belongs to another of them.
    auto s = stmts.Get(
        "SELECT o.id, coalesce(o.message_id, 0) FROM scheduled_sends k"
        " JOIN outbox o ON o.id = k.outbox_id"
        " JOIN broadcasts b ON b.id = CAST(substr(k.kind, 11) AS BIGINT)"
        " JOIN notice_groups g ON g.id = ?2"
        " WHERE k.meeting_id = 0 AND k.contact_id = ?1 AND substr(k.kind, 1, 10) = 'broadcast:'"
        " AND o.state = 'pending'"
        " AND instr(',' || b.group_codes || ',', ',' || g.code || ',') > 0"
        " AND NOT EXISTS (SELECT 1 FROM group_members gm"
        "   JOIN notice_groups other ON other.id = gm.group_id"
        "   WHERE gm.contact_id = ?1 AND gm.left_at = 0 AND gm.group_id != ?2"
        "   AND instr(',' || b.group_codes || ',', ',' || other.code || ',') > 0)"
        " ORDER BY o.id");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    (*s)->BindInt(2, group_id);
    if (Status r = ReadRows(**s, &rows); !r) return Fail(r);
  }
  return FailRows(stmts, rows, error, now);
}

}  // namespace suaradesa::storage::sql_outbox
