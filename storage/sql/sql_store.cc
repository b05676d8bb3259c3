#include "storage/sql/sql_store.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/sql/outbox.h"
#include "storage/sql/rows.h"

namespace suaradesa::storage {

using namespace sql_rows;  // NOLINT: the row helpers are this file's vocabulary

namespace {

// From this many due outbox rows on, ClaimDue walks outbox_order.
constexpr int64_t kManyDue = 1000;

// The claim query. A contact's rows go one at a time, in order; a row
// queued for later (quiet hours) and never claimed yet does not hold back
// what is due now (a dialog's answer). Rows the worker put back (rate
// limits, windows, retries) keep their turn.
//
// Which index finds the due rows depends on how many there are (0006): a
// few (rows held for later send slots, under a backlog many more held ones
// beside them) are read through outbox_due and sorted; many (a big notice
// just queued) would take a sort of all of them every round, so
// outbox_order is walked in claiming order instead and the walk stops at
// the limit. SQLite is told the index (INDEXED BY). PostgreSQL is asked
// for the due rows in next_attempt_at order, which only outbox_due gives:
// left to its plan cache, it walked outbox_order past every held row on
// every claim (1.4 ms a claim under `suaradesa bench`, issue 17), because a
// generic plan cannot know how few rows `<= ?1` keeps. It locks the rows
// it claims, skipping those another gateway is claiming at the same moment
// (FOR UPDATE SKIP LOCKED).
const std::string& ClaimSql(Dialect dialect, bool walk_order) {
  // A pending row is claimable when it is due, is the head of its
  // contact's queue (replies first, then by id), and nothing of that
  // contact is in flight. Every subquery is a lookup in outbox_queue.
  // The dialects differ only in the in-flight check's OFFSET (see below).
  static const auto where = [](std::string_view offset) {
    return " o.state = 'pending' AND o.next_attempt_at <= ?1"
           " AND o.id = (SELECT h.id FROM outbox h WHERE h.state = 'pending'"
           "             AND h.contact_id = o.contact_id"
           "             AND (h.next_attempt_at <= ?1 OR h.lease_until != 0)"
           "             ORDER BY h.kind, h.id LIMIT 1)"
           " AND NOT EXISTS (SELECT 1 FROM outbox f WHERE f.state = 'sending'"
           "                 AND f.contact_id = o.contact_id" +
           std::string(offset) + ")";
  };
  static const std::string claimable = where("");
  // PostgreSQL: the in-flight check must stay a lookup of the contact's
  // range of outbox_queue. Pulled up into an anti join (its plan estimates
  // a handful of 'sending' rows), it read every 'sending' index entry for
  // each due row, dead ones included: rows pass through 'sending' on every
  // claim, and a bitmap scan never marks dead entries. Under `suaradesa
  // bench` that was 800-1,200 entries a row and 4-5 ms a claim, the
  // costliest statement of the server's after the ticket counter's lock
  // wait (issue 17); kept a per-row subplan by OFFSET 0, 0.3-0.5 ms.
  static const std::string claimable_pg = where(" OFFSET 0");
  static const auto make = [](std::string_view from, std::string_view lock,
                              const std::string& condition) {
    return "SELECT o.id FROM " + std::string(from) + " WHERE" + condition +
           " ORDER BY o.kind, o.id LIMIT ?2" + std::string(lock);
  };
  static const std::string by_due = make("outbox o INDEXED BY outbox_due", "", claimable);
  static const std::string by_order = make("outbox o INDEXED BY outbox_order", "", claimable);
  static const std::string postgres_order =
      make("outbox o", " FOR UPDATE OF o SKIP LOCKED", claimable_pg);
  // Fewer than kManyDue rows are due (counted just before): the inner
  // query reads every one of them, or all but rows that fell due since, in
  // outbox_due's order; the outer one locks the few it keeps.
  static const std::string postgres_due =
      "SELECT o.id FROM outbox o WHERE o.state = 'pending' AND o.id IN"
      " (SELECT id FROM (SELECT o.id, o.kind FROM outbox o WHERE" + claimable_pg +
      "   ORDER BY o.next_attempt_at LIMIT " + std::to_string(kManyDue) + ") AS due"
      "  ORDER BY kind, id LIMIT ?2)"
      " ORDER BY o.kind, o.id FOR UPDATE OF o SKIP LOCKED";
  if (dialect == Dialect::kPostgres) return walk_order ? postgres_order : postgres_due;
  return walk_order ? by_order : by_due;
}

// How many rows are due, counted up to kManyDue, through outbox_due.
const std::string& CountDueSql(Dialect dialect) {
  static const std::string sqlite =
      "SELECT count(*) FROM (SELECT 1 FROM outbox INDEXED BY outbox_due"
      " WHERE state = 'pending' AND next_attempt_at <= ?1 LIMIT ?2) AS due";
  // The order is outbox_due's: PostgreSQL reads that index, whatever its
  // statistics say.
  static const std::string postgres =
      "SELECT count(*) FROM (SELECT 1 FROM outbox"
      " WHERE state = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2) AS due";
  return dialect == Dialect::kPostgres ? postgres : sqlite;
}

// A row put back until `until` keeps its contact's turn, so the contact's
// later rows (replies before broadcasts, then by id) cannot go before it:
// they are due no sooner than it is. Saying so in their next_attempt_at
// keeps them out of the due range, which ClaimDue reads every round; left
// due, every blocked row was read and refused there each round (under a
// backlog held back by rate limits, thousands per claim, on the writer).
// Order is kept by the claim itself; this only spares it the reading.
Status HoldFollowers(StatementCache& stmts, int64_t outbox_id, int64_t until) {
  // The contact's queue is a range of outbox_queue (state, contact_id,
  // kind) after the held row h. SQLite: asked for as a plain WHERE, it
  // walked outbox_order instead; one statement reads h in a join.
  // PostgreSQL: given that join, a generic plan read every pending row of
  // every contact (0.4-0.75 ms under `suaradesa bench`, issue 17); with h's
  // contact and turn as values it looks up the contact's range. Only that
  // range may be read: the turn is compared kind by kind, not as the row
  // (kind, id) > (...), which let a generic plan range over outbox_order
  // (state, kind, id, ...), and the due time as "next_attempt_at + 0",
  // which no index ranges over (outbox_due did): either read every pending
  // row of every contact, 0.4-0.8 ms a call and 5-9 ms at worst with a
  // backlog of a few thousand rows.
  static const std::string sqlite =
      "UPDATE outbox SET next_attempt_at = ?2"
      " WHERE id IN (SELECT q.id FROM outbox h JOIN outbox q"
      "              ON q.state = 'pending' AND q.contact_id = h.contact_id AND q.kind >= h.kind"
      "              WHERE h.id = ?1 AND h.state = 'pending'"
      "              AND (q.kind > h.kind OR q.id > h.id))"
      " AND next_attempt_at < ?2";
  static const std::string postgres =
      "UPDATE outbox SET next_attempt_at = ?2"
      " WHERE state = 'pending'"
      " AND contact_id = (SELECT contact_id FROM outbox WHERE id = ?1 AND state = 'pending')"
      " AND (kind > (SELECT kind FROM outbox WHERE id = ?1)"
      "      OR (kind = (SELECT kind FROM outbox WHERE id = ?1) AND id > ?1))"
      " AND next_attempt_at + 0 < ?2";
  auto u = stmts.Get(stmts.dialect() == Dialect::kPostgres ? postgres : sqlite);
  if (!u) return Fail(u);
  (*u)->BindInt(1, outbox_id);
  (*u)->BindInt(2, until);
  return (*u)->Run();
}

}  // namespace

Result<std::vector<OutboxItem>> SqlStore::ClaimDue(int64_t now, int limit, int64_t lease_ms) {
  if (limit <= 0) return std::vector<OutboxItem>();
  using Items = std::vector<OutboxItem>;
  Items claimed;
  // At most once a second (by `now`, which tests set): a lease runs out
  // minutes after its claim, so a second late is nothing.
  constexpr int64_t kLeaseCheckEveryMs = 1000;
  const int64_t checked_at = leases_checked_at_.load();
  const bool check_leases = checked_at == kNeverChecked || now < checked_at ||
                            now - checked_at >= kLeaseCheckEveryMs;
  Status s = WriteTx([&](StatementCache& stmts) -> Status {
    claimed.clear();  // a transaction run again starts afresh
    if (check_leases) {
      // Claims whose lease ran out go back to the queue (0008). Only the
      // rows in flight are read (a prefix of outbox_queue); when none has
      // expired nothing is written.
      auto u = stmts.Get(
          "UPDATE outbox SET state = 'pending' WHERE state = 'sending' AND lease_until <= ?1");
      if (!u) return Fail(u);
      (*u)->BindInt(1, now);
      if (Status r = (*u)->Run(); !r) return r;
    }
    std::vector<int64_t> ids;
    {
      // Which index finds the claimable rows depends on how many are due:
      // see ClaimSql.
      bool many = false;
      {
        auto count = stmts.Get(CountDueSql(stmts.dialect()));
        if (!count) return Fail(count);
        (*count)->BindInt(1, now);
        (*count)->BindInt(2, kManyDue);
        auto due = QueryOne<int64_t>(**count, [](const Statement& st) { return st.ColumnInt(0); });
        if (!due) return Fail(due);
        many = due->value_or(0) >= kManyDue;
      }
      auto q = stmts.Get(ClaimSql(stmts.dialect(), many));
      if (!q) return Fail(q);
      (*q)->BindInt(1, now);
      (*q)->BindInt(2, limit);
      auto rows = Collect<int64_t>(**q, [](const Statement& st) { return st.ColumnInt(0); });
      if (!rows) return Fail(rows);
      ids = std::move(*rows);
    }
    for (int64_t id : ids) {
      // The row with its contact's opt-out (issue 13): checked here, at
      // send time, not only when the row was queued.
      std::optional<std::pair<OutboxItem, bool>> row;
      {
        auto q = stmts.Get(
            "SELECT o.id, o.contact_id, o.channel_id, o.address, o.kind, o.payload_json,"
            " o.state, o.attempts, o.created_at, o.next_attempt_at, o.last_error,"
            " o.provider_id, o.message_id,"
            " coalesce((SELECT c.opted_out FROM contacts c WHERE c.id = o.contact_id), 0)"
            " FROM outbox o WHERE o.id = ?1");
        if (!q) return Fail(q);
        (*q)->BindInt(1, id);
        auto r = QueryOne<std::pair<OutboxItem, bool>>(**q, [](const Statement& st) {
          return std::make_pair(ReadOutbox(st), st.ColumnInt(13) != 0);
        });
        if (!r) return Fail(r);
        row = std::move(*r);
      }
      if (!row) continue;
      OutboxItem& item = row->first;
      if (row->second && item.kind == OutboxKind::kBroadcast) {
        if (Status r = sql_outbox::FailRow(stmts, item.id, item.message_id, kOptedOutError, now);
            !r) {
          return r;
        }
        item.state = "failed";
        item.last_error = kOptedOutError;
        claimed.push_back(std::move(item));
        continue;
      }
      {
        auto u = stmts.Get(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?2"
            " WHERE id = ?1");
        if (!u) return Fail(u);
        (*u)->BindInt(1, id);
        (*u)->BindInt(2, now + std::max<int64_t>(lease_ms, 0));
        if (Status r = (*u)->Run(); !r) return r;
      }
      item.state = "sending";
      item.attempts += 1;
      claimed.push_back(std::move(item));
    }
    return {};
  });
  if (!s) return Fail(s);
  if (check_leases) leases_checked_at_.store(now);
  return claimed;
}

Result<std::pair<std::string, int64_t>> SqlStore::OpenOutboxRow(StatementCache& stmts,
                                                                int64_t outbox_id) {
  auto q = stmts.Get("SELECT state, message_id FROM outbox WHERE id = ?1");
  if (!q) return Fail(q);
  (*q)->BindInt(1, outbox_id);
  auto row = QueryOne<std::pair<std::string, int64_t>>(
      **q, [](const Statement& st) { return std::make_pair(st.ColumnText(0), st.ColumnInt(1)); });
  if (!row) return Fail(row);
  if (!*row) {
    return std::unexpected(
        Error::NotFound("outbox row " + std::to_string(outbox_id) + " not found"));
  }
  if ((*row)->first == "sent" || (*row)->first == "failed") {
    return std::unexpected(
        Error::Invalid("outbox row " + std::to_string(outbox_id) + " is already " + (*row)->first));
  }
  return **row;
}

Status SqlStore::SetMessageStatus(StatementCache& stmts, int64_t message_id,
                                  const std::string& status, int64_t at) {
  {
    auto u = stmts.Get("UPDATE messages SET status = ?2 WHERE id = ?1");
    if (!u) return Fail(u);
    (*u)->BindInt(1, message_id);
    (*u)->BindText(2, status);
    if (Status r = (*u)->Run(); !r) return r;
  }
  auto e = stmts.Get("INSERT INTO message_events (message_id, status, at) VALUES (?1, ?2, ?3)");
  if (!e) return Fail(e);
  (*e)->BindInt(1, message_id);
  (*e)->BindText(2, status);
  (*e)->BindInt(3, at);
  return (*e)->Run();
}

Status SqlStore::MarkSent(int64_t outbox_id, const std::string& provider_id, int segments,
                          int64_t now) {
  return WriteTx([&](StatementCache& stmts) -> Status {
    auto row = OpenOutboxRow(stmts, outbox_id);
    if (!row) return Fail(row);
    {
      auto u = stmts.Get(
          "UPDATE outbox SET state = 'sent', provider_id = ?2, last_error = '' WHERE id = ?1");
      if (!u) return Fail(u);
      (*u)->BindInt(1, outbox_id);
      (*u)->BindText(2, provider_id);
      if (Status r = (*u)->Run(); !r) return r;
    }
    const int64_t message_id = row->second;
    if (message_id == 0) return {};
    {
      auto u = stmts.Get("UPDATE messages SET provider_id = ?2, segments = ?3 WHERE id = ?1");
      if (!u) return Fail(u);
      (*u)->BindInt(1, message_id);
      BindProviderId(**u, 2, provider_id);
      (*u)->BindInt(3, segments);
      if (Status r = (*u)->Run(); !r) return r;
    }
    return SetMessageStatus(stmts, message_id, "sent", now);
  });
}

Status SqlStore::MarkRetry(int64_t outbox_id, int64_t next_attempt_at, const std::string& error,
                           int64_t /*now*/) {
  return WriteTx([&](StatementCache& stmts) -> Status {
    auto row = OpenOutboxRow(stmts, outbox_id);
    if (!row) return Fail(row);
    auto u = stmts.Get(
        "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_error = ?3 WHERE id = ?1");
    if (!u) return Fail(u);
    (*u)->BindInt(1, outbox_id);
    (*u)->BindInt(2, next_attempt_at);
    (*u)->BindText(3, error);
    if (Status r = (*u)->Run(); !r) return r;
    return HoldFollowers(stmts, outbox_id, next_attempt_at);
  });
}

Status SqlStore::MarkFailed(int64_t outbox_id, const std::string& error, int64_t now) {
  return WriteTx([&](StatementCache& stmts) -> Status {
    auto row = OpenOutboxRow(stmts, outbox_id);
    if (!row) return Fail(row);
    {
      auto u = stmts.Get("UPDATE outbox SET state = 'failed', last_error = ?2 WHERE id = ?1");
      if (!u) return Fail(u);
      (*u)->BindInt(1, outbox_id);
      (*u)->BindText(2, error);
      if (Status r = (*u)->Run(); !r) return r;
    }
    if (row->second == 0) return {};
    return SetMessageStatus(stmts, row->second, "failed", now);
  });
}

Status SqlStore::UpdateDelivery(const std::string& channel_id, const std::string& provider_id,
                                const DeliveryUpdate& update) {
  const std::string& status = update.status;
  if (status.empty()) return std::unexpected(Error::Invalid("empty delivery status"));
  if (provider_id.empty()) return {};  // nothing can match
  return WriteTx([&](StatementCache& stmts) -> Status {
    struct Sent {
      int64_t id = 0;
      std::string status;
      int64_t contact_id = 0;
      std::string address;  // where the outbox sent it
    };
    std::optional<Sent> message;
    {
      auto q = stmts.Get(
          "SELECT m.id, m.status, m.contact_id, coalesce(o.address, '') FROM messages m"
          " LEFT JOIN outbox o ON o.id = m.outbox_id"
          " WHERE m.direction = 'out' AND m.channel_id = ?1 AND m.provider_id = ?2"
          " ORDER BY m.id LIMIT 1");
      if (!q) return Fail(q);
      (*q)->BindText(1, channel_id);
      (*q)->BindText(2, provider_id);
      auto row = QueryOne<Sent>(**q, [](const Statement& st) {
        return Sent{st.ColumnInt(0), st.ColumnText(1), st.ColumnInt(2), st.ColumnText(3)};
      });
      if (!row) return Fail(row);
      message = std::move(*row);
    }
    // Platforms report ids we never sent (other tools on the same number):
    // not an error.
    if (!message) return {};
    {
      auto q =
          stmts.Get("SELECT 1 FROM message_events WHERE message_id = ?1 AND status = ?2 LIMIT 1");
      if (!q) return Fail(q);
      (*q)->BindInt(1, message->id);
      (*q)->BindText(2, status);
      auto seen = (*q)->Step();
      if (!seen) return Fail(seen);
      if (*seen) return {};  // a repeated callback
    }
    {
      auto e = stmts.Get(
          "INSERT INTO message_events (message_id, status, at, error_code, error_reason)"
          " VALUES (?1, ?2, ?3, ?4, ?5)");
      if (!e) return Fail(e);
      (*e)->BindInt(1, message->id);
      (*e)->BindText(2, status);
      (*e)->BindInt(3, update.at);
      (*e)->BindText(4, update.error_code);
      (*e)->BindText(5, update.error_reason);
      if (Status r = (*e)->Run(); !r) return r;
    }
    if (!update.error_code.empty() || !update.error_reason.empty()) {
      auto u = stmts.Get("UPDATE messages SET error_code = ?2, error_reason = ?3 WHERE id = ?1");
      if (!u) return Fail(u);
      (*u)->BindInt(1, message->id);
      (*u)->BindText(2, update.error_code);
      (*u)->BindText(3, update.error_reason);
      if (Status r = (*u)->Run(); !r) return r;
    }
    if (update.consequence == DeliveryConsequence::kUnreachable && !message->address.empty()) {
      auto u =
          stmts.Get("UPDATE addresses SET unreachable = 1 WHERE channel_id = ?1 AND address = ?2");
      if (!u) return Fail(u);
      (*u)->BindText(1, channel_id);
      (*u)->BindText(2, message->address);
      if (Status r = (*u)->Run(); !r) return r;
    } else if (update.consequence == DeliveryConsequence::kOptedOutAtPlatform &&
               message->contact_id != 0) {
      auto u = stmts.Get(
          "UPDATE contacts SET opted_out = 1, opted_out_at = ?2 WHERE id = ?1 AND opted_out = 0");
      if (!u) return Fail(u);
      (*u)->BindInt(1, message->contact_id);
      (*u)->BindInt(2, update.at);
      if (Status r = (*u)->Run(); !r) return r;
      auto cancelled = sql_outbox::CancelWaitingBroadcasts(stmts, message->contact_id,
                                                           kOptedOutPlatformError, update.at);
      if (!cancelled) return Fail(cancelled);
    }
    const int old_rank = DeliveryRank(message->status);
    const int new_rank = DeliveryRank(status);
    if (old_rank >= 0 && new_rank >= 0 && new_rank < old_rank) return {};  // out of order
    auto u = stmts.Get("UPDATE messages SET status = ?2 WHERE id = ?1");
    if (!u) return Fail(u);
    (*u)->BindInt(1, message->id);
    (*u)->BindText(2, status);
    return (*u)->Run();
  });
}

Result<std::vector<Case>> SqlStore::ListCases(const CaseFilter& filter) {
  using Cases = std::vector<Case>;
  return Read<Result<Cases>>([&](StatementCache& stmts) -> Result<Cases> {
    auto q = stmts.Get(std::string(kCaseSelect) +
                       " WHERE (CAST(?1 AS TEXT) IS NULL OR type = ?1)"
                       " AND (CAST(?2 AS BIGINT) IS NULL OR created_at >= ?2)"
                       " AND (CAST(?3 AS BIGINT) IS NULL OR created_at < ?3) ORDER BY created_at, id");
    if (!q) return Fail(q);
    if (filter.type) {
      (*q)->BindText(1, CaseTypeName(*filter.type));
    } else {
      (*q)->BindNull(1);
    }
    (*q)->BindOptionalInt(2, filter.from);
    (*q)->BindOptionalInt(3, filter.to);
    return Collect<Case>(**q, ReadCase);
  });
}

Result<std::vector<Message>> SqlStore::ListMessages(std::optional<int64_t> from,
                                                    std::optional<int64_t> to) {
  using Messages = std::vector<Message>;
  return Read<Result<Messages>>([&](StatementCache& stmts) -> Result<Messages> {
    auto q = stmts.Get(
        "SELECT id, contact_id, channel_id, direction, provider_id, text, status, created_at,"
        " outbox_id, error_code, error_reason FROM messages WHERE (CAST(?1 AS BIGINT) IS NULL OR created_at >= ?1)"
        " AND (CAST(?2 AS BIGINT) IS NULL OR created_at < ?2) ORDER BY created_at, id");
    if (!q) return Fail(q);
    (*q)->BindOptionalInt(1, from);
    (*q)->BindOptionalInt(2, to);
    return Collect<Message>(**q, ReadMessage);
  });
}

Result<std::vector<OutboxItem>> SqlStore::ListOutbox() {
  using Items = std::vector<OutboxItem>;
  return Read<Result<Items>>([&](StatementCache& stmts) -> Result<Items> {
    auto q = stmts.Get(std::string(kOutboxSelect) + " ORDER BY id");
    if (!q) return Fail(q);
    return Collect<OutboxItem>(**q, ReadOutbox);
  });
}

Result<std::vector<DeliveryEvent>> SqlStore::DeliveryTimeline(int64_t message_id) {
  using Timeline = std::vector<DeliveryEvent>;
  return Read<Result<Timeline>>([&](StatementCache& stmts) -> Result<Timeline> {
    {
      auto q = stmts.Get("SELECT 1 FROM messages WHERE id = ?1");
      if (!q) return Fail(q);
      (*q)->BindInt(1, message_id);
      auto found = (*q)->Step();
      if (!found) return Fail(found);
      if (!*found) {
        return std::unexpected(
            Error::NotFound("message " + std::to_string(message_id) + " not found"));
      }
    }
    auto q = stmts.Get(
        "SELECT status, at, error_code, error_reason FROM message_events WHERE message_id = ?1"
        " ORDER BY id");
    if (!q) return Fail(q);
    (*q)->BindInt(1, message_id);
    return Collect<DeliveryEvent>(**q, [](const Statement& st) {
      return DeliveryEvent{st.ColumnText(0), st.ColumnInt(1), st.ColumnText(2), st.ColumnText(3)};
    });
  });
}

// ------------------------------------------------------------ channels (issue 4)

Status SqlStore::Defer(const std::vector<Deferral>& rows) {
  if (rows.empty()) return {};
  return WriteTx([&](StatementCache& stmts) -> Status {
    for (const Deferral& row : rows) {
      auto u = stmts.Get(
          "UPDATE outbox SET state = 'pending', next_attempt_at = ?2,"
          " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,"
          " last_error = CASE WHEN ?3 = '' THEN last_error ELSE ?3 END"
          " WHERE id = ?1 AND state IN ('pending', 'sending')");
      if (!u) return Fail(u);
      (*u)->BindInt(1, row.outbox_id);
      (*u)->BindInt(2, row.next_attempt_at);
      (*u)->BindText(3, row.note);
      if (Status s = (*u)->Run(); !s) return s;
      if (Status s = HoldFollowers(stmts, row.outbox_id, row.next_attempt_at); !s) return s;
    }
    return {};
  });
}

Result<int64_t> SqlStore::LastInboundAt(const std::string& channel_id, const std::string& address) {
  return Read<Result<int64_t>>([&](StatementCache& stmts) -> Result<int64_t> {
    auto q = stmts.Get(
        "SELECT coalesce(max(m.created_at), 0) FROM addresses a JOIN messages m"
        " ON m.contact_id = a.contact_id AND m.channel_id = a.channel_id"
        " WHERE a.channel_id = ?1 AND a.address = ?2 AND m.direction = 'in'");
    if (!q) return Fail(q);
    (*q)->BindText(1, channel_id);
    (*q)->BindText(2, address);
    auto row = QueryOne<int64_t>(**q, [](const Statement& st) { return st.ColumnInt(0); });
    if (!row) return Fail(row);
    return row->value_or(0);
  });
}

// ------------------------------------------------------------ metrics (issue 7)

Result<OutboxBacklog> SqlStore::OutboxBacklogAt(int64_t now) {
  return Read<Result<OutboxBacklog>>([&](StatementCache& stmts) -> Result<OutboxBacklog> {
    // Two ranges of outbox_queue (state first); sent and failed rows, the
    // bulk of the table, are never read.
    auto q = stmts.Get(
        "SELECT count(*), coalesce(min(created_at), 0) FROM outbox"
        " WHERE state IN ('pending', 'sending')");
    if (!q) return Fail(q);
    auto row = QueryOne<OutboxBacklog>(**q, [now](const Statement& st) {
      OutboxBacklog b;
      b.depth = st.ColumnInt(0);
      const int64_t age = now - st.ColumnInt(1);
      b.oldest_age_ms = b.depth > 0 && age > 0 ? age : 0;
      return b;
    });
    if (!row) return Fail(row);
    return row->value_or(OutboxBacklog{});
  });
}

// ------------------------------------------------------------ leases (issue 17)

Result<bool> SqlStore::TryLease(const std::string& name, const std::string& holder, int64_t now,
                                int64_t ttl_ms) {
  if (name.empty() || holder.empty()) {
    return std::unexpected(Error::Invalid("a lease needs a name and a holder"));
  }
  bool taken = false;
  Status s = WriteTx([&](StatementCache& stmts) -> Status {
    // One upsert (SQLite >= 3.35, PostgreSQL >= 9.5): a new row, or the
    // existing one when it is ours or ran out. PostgreSQL locks the row and
    // evaluates the WHERE on its newest version, so of two gateways racing
    // for an expired lease the second finds the first's renewal and gets
    // no row back; SQLite has one writer at a time.
    auto u = stmts.Get(
        "INSERT INTO leases (name, holder, until) VALUES (?1, ?2, ?4)"
        " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until"
        " WHERE leases.holder = excluded.holder OR leases.until <= ?3"
        " RETURNING holder");
    if (!u) return Fail(u);
    (*u)->BindText(1, name);
    (*u)->BindText(2, holder);
    (*u)->BindInt(3, now);
    (*u)->BindInt(4, now + std::max<int64_t>(ttl_ms, 0));
    Result<bool> row = (*u)->Step();
    if (!row) return Fail(row);
    taken = *row;
    // Read the statement to its end so that it completes.
    while (*row) {
      row = (*u)->Step();
      if (!row) return Fail(row);
    }
    return {};
  });
  if (!s) return Fail(s);
  return taken;
}

}  // namespace suaradesa::storage

// ------------------------------------------------------------ send rates (issue 17)

namespace suaradesa::storage {

namespace {

// A key's row in send_rates (0013); both 0 when it has none.
struct RateRow {
  int64_t tat_us = 0;
  int64_t paused_until_us = 0;
};

Result<RateRow> ReadRate(StatementCache& stmts, const std::string& key) {
  auto q = stmts.Get("SELECT tat_us, paused_until_us FROM send_rates WHERE rate_key = ?1");
  if (!q) return Fail(q);
  (*q)->BindText(1, key);
  auto row = QueryOne<RateRow>(
      **q, [](const Statement& st) { return RateRow{st.ColumnInt(0), st.ColumnInt(1)}; });
  if (!row) return Fail(row);
  return row->value_or(RateRow{});
}

// As RateLimiter::WaitMs: a send may go in the millisecond its time falls in.
int64_t WaitOf(const RateRow& row, int64_t interval_us, int64_t now_ms) {
  int64_t wait = row.paused_until_us / 1000 - now_ms;  // unix times: never negative
  if (interval_us > 0) wait = std::max(wait, row.tat_us / 1000 - now_ms);
  return std::max<int64_t>(wait, 0);
}

// Takes the key's slot when it is due: one statement, so that the row's
// lock (PostgreSQL) or the write lock (SQLite) decides between gateways.
// On time (in the millisecond the TAT falls in) or late by less than one
// interval the grid goes on from the TAT, else from now. Returns whether
// the slot was taken.
Result<bool> TakeSlot(StatementCache& stmts, const Store::SendRateLimit& limit, int64_t now_ms) {
  auto u = stmts.Get(
      "INSERT INTO send_rates (rate_key, tat_us, paused_until_us) VALUES (?1, ?2 + ?3, 0)"
      " ON CONFLICT (rate_key) DO UPDATE SET tat_us ="
      "  CASE WHEN ?2 < send_rates.tat_us + ?3 THEN send_rates.tat_us ELSE ?2 END + ?3"
      " WHERE send_rates.tat_us / 1000 <= ?4 AND send_rates.paused_until_us / 1000 <= ?4"
      " RETURNING tat_us");
  if (!u) return Fail(u);
  (*u)->BindText(1, limit.key);
  (*u)->BindInt(2, now_ms * 1000);
  (*u)->BindInt(3, limit.interval_us);
  (*u)->BindInt(4, now_ms);
  return (*u)->Step();
}

// Rolls back the keys ReserveSend took before it met one it could not take.
constexpr char kSlotNotFree[] = "send slot not free";

}  // namespace

Result<std::vector<int64_t>> SqlStore::SendWaits(const std::vector<SendRateLimit>& limits,
                                                 int64_t now_ms) {
  using Waits = std::vector<int64_t>;
  return Read<Result<Waits>>([&](StatementCache& stmts) -> Result<Waits> {
    Waits waits;
    for (const SendRateLimit& limit : limits) {
      auto row = ReadRate(stmts, limit.key);
      if (!row) return Fail(row);
      waits.push_back(WaitOf(*row, limit.interval_us, now_ms));
    }
    return waits;
  });
}

Result<std::vector<int64_t>> SqlStore::ReserveSend(const std::vector<SendRateLimit>& limits,
                                                   int64_t now_ms) {
  std::vector<int64_t> waits;
  bool refused = false;
  Status s = WriteTx([&](StatementCache& stmts) -> Status {
    waits.clear();
    refused = false;
    // A busy key (the common answer under a backlog) costs only reads.
    for (const SendRateLimit& limit : limits) {
      auto row = ReadRate(stmts, limit.key);
      if (!row) return Fail(row);
      waits.push_back(WaitOf(*row, limit.interval_us, now_ms));
      if (waits.back() > 0) refused = true;
    }
    if (refused) return {};
    // Every key was free when read; each upsert takes its slot only if it
    // still is (another gateway may have taken it since: the read locks
    // nothing on PostgreSQL).
    for (size_t i = 0; i < limits.size(); ++i) {
      if (limits[i].interval_us <= 0) continue;  // no limit: nothing to record
      auto took = TakeSlot(stmts, limits[i], now_ms);
      if (!took) return Fail(took);
      if (*took) continue;
      auto row = ReadRate(stmts, limits[i].key);
      if (!row) return Fail(row);
      // At least 1 ms: the key was just taken, whatever its row reads now.
      waits[i] = std::max<int64_t>(WaitOf(*row, limits[i].interval_us, now_ms), 1);
      refused = true;
      // Gives back the slots taken before this key's.
      return std::unexpected(Error::Invalid(kSlotNotFree));
    }
    return {};
  });
  if (!s && !refused) return Fail(s);
  return waits;
}

Result<std::vector<int64_t>> SqlStore::HoldSendSlots(const SendRateLimit& limit,
                                                    const std::string& queue, int count,
                                                    int64_t now_ms) {
  if (count < 1) return std::unexpected(Error::Invalid("HoldSendSlots: count must be >= 1"));
  std::vector<int64_t> slots;
  Status s = WriteTx([&](StatementCache& stmts) -> Status {
    slots.clear();
    auto row = ReadRate(stmts, limit.key);
    if (!row) return Fail(row);
    const int64_t base = std::max({now_ms * 1000, row->paused_until_us, row->tat_us});
    if (limit.interval_us <= 0) {
      slots.assign(count, std::max(now_ms, base / 1000));
      return {};
    }
    // One upsert moves the queue on by all `count` slots.
    auto u = stmts.Get(
        "INSERT INTO send_rate_queues (queue, next_slot_us) VALUES (?1, ?2 + ?3)"
        " ON CONFLICT (queue) DO UPDATE SET next_slot_us ="
        "  CASE WHEN send_rate_queues.next_slot_us > ?2 THEN send_rate_queues.next_slot_us"
        "  ELSE ?2 END + ?3"
        " RETURNING next_slot_us");
    if (!u) return Fail(u);
    (*u)->BindText(1, queue);
    (*u)->BindInt(2, base);
    (*u)->BindInt(3, limit.interval_us * count);
    auto next = QueryOne<int64_t>(**u, [](const Statement& st) { return st.ColumnInt(0); });
    if (!next) return Fail(next);
    if (!*next) return std::unexpected(Error::Io("send_rate_queues: upsert returned no row"));
    for (int i = 0; i < count; ++i) {
      slots.push_back(std::max(now_ms, (**next - (count - i) * limit.interval_us) / 1000));
    }
    return {};
  });
  if (!s) return Fail(s);
  return slots;
}

Status SqlStore::PauseSends(const std::string& key, int64_t until_ms) {
  return WriteTx([&](StatementCache& stmts) -> Status {
    auto u = stmts.Get(
        "INSERT INTO send_rates (rate_key, tat_us, paused_until_us) VALUES (?1, 0, ?2)"
        " ON CONFLICT (rate_key) DO UPDATE SET paused_until_us ="
        "  CASE WHEN send_rates.paused_until_us > ?2 THEN send_rates.paused_until_us ELSE ?2 END");
    if (!u) return Fail(u);
    (*u)->BindText(1, key);
    (*u)->BindInt(2, until_ms * 1000);
    return (*u)->Run();
  });
}

Status SqlStore::PruneSendRates(int64_t now_ms) {
  return WriteTx([&](StatementCache& stmts) -> Status {
    {
      auto d = stmts.Get("DELETE FROM send_rates WHERE tat_us <= ?1 AND paused_until_us <= ?1");
      if (!d) return Fail(d);
      (*d)->BindInt(1, now_ms * 1000);
      if (Status r = (*d)->Run(); !r) return r;
    }
    auto d = stmts.Get("DELETE FROM send_rate_queues WHERE next_slot_us <= ?1");
    if (!d) return Fail(d);
    (*d)->BindInt(1, now_ms * 1000);
    return (*d)->Run();
  });
}

}  // namespace suaradesa::storage
