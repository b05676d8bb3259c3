#include "storage/sql/contacts.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/phone.h"
#include "storage/sql/rows.h"

namespace suaradesa::storage::sql_contacts {

namespace {

using sql_rows::Fail;

// Runs one statement with ?1 = a and ?2 = b.
Status RunPair(Connection& db, std::string_view sql, int64_t a, int64_t b) {
  Result<std::unique_ptr<Statement>> s = db.Prepare(sql);
  if (!s) return Fail(s);
  (*s)->BindInt(1, a);
  (*s)->BindInt(2, b);
  return (*s)->Run();
}

Status InsertAddress(StatementCache& stmts, int64_t contact_id, const std::string& channel_id,
                     const std::string& address, int64_t last_seen_at) {
  auto s = stmts.Get(
      "INSERT INTO addresses (contact_id, channel_id, address, last_seen_at)"
      " VALUES (?1, ?2, ?3, ?4)");
  if (!s) return Fail(s);
  (*s)->BindInt(1, contact_id);
  (*s)->BindText(2, channel_id);
  (*s)->BindText(3, address);
  (*s)->BindInt(4, last_seen_at);
  return (*s)->Run();
}

// The most recently seen contact reached at `address` on one of `channels`.
Result<int64_t> SameNumber(StatementCache& stmts, const std::vector<std::string>& channels,
                           const std::string& address) {
  int64_t best = 0;
  int64_t best_seen = -1;
  for (const std::string& channel : channels) {
    auto s = stmts.Get(
        "SELECT contact_id, last_seen_at FROM addresses WHERE channel_id = ?1 AND address = ?2");
    if (!s) return Fail(s);
    (*s)->BindText(1, channel);
    (*s)->BindText(2, address);
    Result<bool> row = (*s)->Step();
    if (!row) return Fail(row);
    if (*row && (*s)->ColumnInt(1) > best_seen) {
      best = (*s)->ColumnInt(0);
      best_seen = (*s)->ColumnInt(1);
    }
  }
  return best;
}

}  // namespace

Status MergeContacts(Connection& db, int64_t survivor, int64_t loser, int schema_version) {
  if (survivor == loser) return {};
  // ?1 = survivor, ?2 = loser throughout.
  static constexpr std::string_view kSteps[] = {
      // An opt-out on either route holds; the name of either, the
      // survivor's first.
      // (Scalar max() is SQLite's only: CASE says the same on both.)
      "UPDATE contacts AS s SET"
      " opted_out = CASE WHEN l.opted_out > s.opted_out THEN l.opted_out ELSE s.opted_out END,"
      " opted_out_at = CASE WHEN s.opted_out_at IS NULL THEN l.opted_out_at"
      "   WHEN l.opted_out_at > s.opted_out_at THEN l.opted_out_at ELSE s.opted_out_at END,"
      " name = CASE WHEN s.name = '' THEN l.name ELSE s.name END"
      " FROM contacts AS l WHERE s.id = ?1 AND l.id = ?2",
      "UPDATE addresses SET contact_id = ?1 WHERE contact_id = ?2",
      "UPDATE messages SET contact_id = ?1 WHERE contact_id = ?2",
      "UPDATE outbox SET contact_id = ?1 WHERE contact_id = ?2",
      "UPDATE cases SET contact_id = ?1 WHERE contact_id = ?2",
      // The more recent session goes on.
      "DELETE FROM sessions WHERE contact_id = ?1 AND updated_at <"
      " (SELECT updated_at FROM sessions WHERE contact_id = ?2)",
      "DELETE FROM sessions WHERE contact_id = ?2 AND EXISTS"
      " (SELECT 1 FROM sessions WHERE contact_id = ?1)",
      "UPDATE sessions SET contact_id = ?1 WHERE contact_id = ?2",
      // A group both were in: a member since the earlier join, still a
      // member when either still is.
      "UPDATE group_members AS s SET"
      " joined_at = CASE WHEN l.joined_at < s.joined_at THEN l.joined_at ELSE s.joined_at END,"
      " left_at = CASE WHEN s.left_at = 0 OR l.left_at = 0 THEN 0"
      "   WHEN l.left_at > s.left_at THEN l.left_at ELSE s.left_at END"
      " FROM group_members AS l"
      " WHERE s.contact_id = ?1 AND l.contact_id = ?2 AND l.group_id = s.group_id",
      "DELETE FROM group_members WHERE contact_id = ?2 AND group_id IN"
      " (SELECT group_id FROM group_members WHERE contact_id = ?1)",
      "UPDATE group_members SET contact_id = ?1 WHERE contact_id = ?2",
      // A meeting both were invited to: the later answer stands.
      "UPDATE invitations AS s SET answer = l.answer, reason = l.reason,"
      " answered_at = l.answered_at FROM invitations AS l"
      " WHERE s.contact_id = ?1 AND l.contact_id = ?2 AND l.meeting_id = s.meeting_id"
      " AND l.answered_at > s.answered_at",
      "DELETE FROM invitations WHERE contact_id = ?2 AND meeting_id IN"
      " (SELECT meeting_id FROM invitations WHERE contact_id = ?1)",
      "UPDATE invitations SET contact_id = ?1 WHERE contact_id = ?2",
      // A notice both got stays recorded once (the survivor's); the rest
      // move, so none is sent again.
      "UPDATE scheduled_sends SET contact_id = ?1 WHERE contact_id = ?2 AND NOT EXISTS"
      " (SELECT 1 FROM scheduled_sends o WHERE o.contact_id = ?1"
      "  AND o.meeting_id = scheduled_sends.meeting_id AND o.kind = scheduled_sends.kind)",
      "DELETE FROM scheduled_sends WHERE contact_id = ?2",
  };
  for (std::string_view sql : kSteps) {
    if (Status s = RunPair(db, sql, survivor, loser); !s) return s;
  }
  // Tables of later migrations (migration 0009 merges with the schema of
  // its time).
  static constexpr std::string_view kSince14[] = {
      // An activity both follow (or stopped following): the later choice.
      "UPDATE activity_followers AS s SET following = l.following, at = l.at"
      " FROM activity_followers AS l WHERE s.contact_id = ?1 AND l.contact_id = ?2"
      " AND l.activity_id = s.activity_id AND l.at > s.at",
      "DELETE FROM activity_followers WHERE contact_id = ?2 AND activity_id IN"
      " (SELECT activity_id FROM activity_followers WHERE contact_id = ?1)",
      "UPDATE activity_followers SET contact_id = ?1 WHERE contact_id = ?2",
  };
  static constexpr std::string_view kSince16[] = {
      // The desa the survivor named stands; else the loser's.
      "DELETE FROM contact_desa WHERE contact_id = ?2 AND EXISTS"
      " (SELECT 1 FROM contact_desa WHERE contact_id = ?1)",
      "UPDATE contact_desa SET contact_id = ?1 WHERE contact_id = ?2",
  };
  for (std::string_view sql : kSince14) {
    if (schema_version < 14) break;
    if (Status s = RunPair(db, sql, survivor, loser); !s) return s;
  }
  for (std::string_view sql : kSince16) {
    if (schema_version < 16) break;
    if (Status s = RunPair(db, sql, survivor, loser); !s) return s;
  }
  return RunPair(db, "DELETE FROM contacts WHERE id = ?2", survivor, loser);
}

Result<int64_t> ContactAt(StatementCache& stmts, const std::string& channel_id,
                          const std::string& address) {
  auto s = stmts.Get("SELECT contact_id FROM addresses WHERE channel_id = ?1 AND address = ?2");
  if (!s) return Fail(s);
  (*s)->BindText(1, channel_id);
  (*s)->BindText(2, address);
  Result<bool> row = (*s)->Step();
  if (!row) return Fail(row);
  return *row ? (*s)->ColumnInt(0) : 0;
}

Result<std::optional<Contact>> ContactRowAt(StatementCache& stmts, const std::string& channel_id,
                                            const std::string& address) {
  auto s = stmts.Get(
      "SELECT c.id, c.name, c.language, c.opted_out, c.created_at, c.privacy_noticed_at"
      " FROM addresses a JOIN contacts c ON c.id = a.contact_id"
      " WHERE a.channel_id = ?1 AND a.address = ?2");
  if (!s) return Fail(s);
  (*s)->BindText(1, channel_id);
  (*s)->BindText(2, address);
  return sql_rows::QueryOne<Contact>(**s, sql_rows::ReadContact);
}

Result<int64_t> FindElsewhere(StatementCache& stmts, const ContactRef& ref) {
  if (!ref.alias.empty() && ref.alias != ref.address) {
    Result<int64_t> id = ContactAt(stmts, ref.channel_id, ref.alias);
    if (!id || *id != 0) return id;
  }
  if (ref.same_number_channels.empty()) return 0;
  return SameNumber(stmts, ref.same_number_channels, ref.address);
}

Status Touch(StatementCache& stmts, const ContactRef& ref, int64_t contact_id, int64_t now) {
  // One row changes: the contact's address seen now, or the address added
  // to the contact found through the same number on another SMS channel.
  // None when the address is another contact's.
  auto s = stmts.Get(
      "INSERT INTO addresses (contact_id, channel_id, address, last_seen_at)"
      " VALUES (?4, ?1, ?2, ?3) ON CONFLICT (channel_id, address) DO UPDATE"
      " SET last_seen_at = excluded.last_seen_at, unreachable = 0"
      " WHERE addresses.contact_id = excluded.contact_id");
  if (!s) return Fail(s);
  (*s)->BindText(1, ref.channel_id);
  (*s)->BindText(2, ref.address);
  (*s)->BindInt(3, now);
  (*s)->BindInt(4, contact_id);
  if (Status r = stmts.db().RunExpecting(**s, 1, Error::Conflict(kContactChanged)); !r) {
    return Fail(r);
  }
  if (!ref.name.empty()) {
    auto n = stmts.Get("UPDATE contacts SET name = ?2 WHERE id = ?1 AND name <> ?2");
    if (!n) return Fail(n);
    (*n)->BindInt(1, contact_id);
    (*n)->BindText(2, ref.name);
    if (Status r = (*n)->Run(); !r) return Fail(r);
  }
  return {};
}

Result<int64_t> FindOrCreate(StatementCache& stmts, const ContactRef& ref, int64_t now) {
  if (ref.channel_id.empty() || ref.address.empty()) {
    return std::unexpected(Error::Invalid("a contact needs a channel and an address"));
  }
  Result<int64_t> id = ContactAt(stmts, ref.channel_id, ref.address);
  if (!id) return id;
  bool have_address = *id != 0;
  const bool alias = !ref.alias.empty() && ref.alias != ref.address;
  if (alias) {
    Result<int64_t> alias_id = ContactAt(stmts, ref.channel_id, ref.alias);
    if (!alias_id) return alias_id;
    if (*id == 0) {
      *id = *alias_id;
    } else if (*alias_id != 0 && *alias_id != *id) {
      // Known under the phone number and under the BSUID: one person.
      if (Status s = MergeContacts(stmts.db(), *id, *alias_id); !s) {
        return std::unexpected(s.error());
      }
    }
  }
  if (*id == 0 && !ref.same_number_channels.empty()) {
    id = SameNumber(stmts, ref.same_number_channels, ref.address);
    if (!id) return id;
  }
  if (*id == 0) {
    auto s = stmts.Get("INSERT INTO contacts (name, created_at) VALUES (?1, ?2) RETURNING id");
    if (!s) return Fail(s);
    (*s)->BindText(1, ref.name);
    (*s)->BindInt(2, now);
    Result<int64_t> made = sql_rows::InsertedId(**s);
    if (!made) return Fail(made);
    *id = *made;
  }
  if (!have_address) {
    if (Status s = InsertAddress(stmts, *id, ref.channel_id, ref.address, now); !s) {
      return Fail(s);
    }
  } else {
    // They wrote to us, so the address works again.
    auto s = stmts.Get(
        "UPDATE addresses SET last_seen_at = ?3, unreachable = 0"
        " WHERE channel_id = ?1 AND address = ?2");
    if (!s) return Fail(s);
    (*s)->BindText(1, ref.channel_id);
    (*s)->BindText(2, ref.address);
    (*s)->BindInt(3, now);
    if (Status r = (*s)->Run(); !r) return Fail(r);
    if (!ref.name.empty()) {
      auto n = stmts.Get("UPDATE contacts SET name = ?2 WHERE id = ?1 AND name <> ?2");
      if (!n) return Fail(n);
      (*n)->BindInt(1, *id);
      (*n)->BindText(2, ref.name);
      if (Status r = (*n)->Run(); !r) return Fail(r);
    }
  }
  if (alias) {
    Result<int64_t> alias_id = ContactAt(stmts, ref.channel_id, ref.alias);
    if (!alias_id) return alias_id;
    // Kept beside the phone number, never seen on its own yet: replies go
    // to the address the person last wrote from.
    if (*alias_id == 0) {
      if (Status s = InsertAddress(stmts, *id, ref.channel_id, ref.alias, 0); !s) return Fail(s);
    }
  }
  return id;
}

Result<bool> ChangeAddress(StatementCache& stmts, const std::string& channel_id,
                           const std::string& change_id, const std::string& old_address,
                           const std::string& new_address, int64_t at) {
  if (channel_id.empty() || change_id.empty() || old_address.empty() || new_address.empty()) {
    return std::unexpected(Error::Invalid("an address change needs a channel, an id and both addresses"));
  }
  {
    auto s = stmts.Get(
        "INSERT INTO address_changes (channel_id, provider_id, old_address, new_address, at)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING");
    if (!s) return Fail(s);
    (*s)->BindText(1, channel_id);
    (*s)->BindText(2, change_id);
    (*s)->BindText(3, old_address);
    (*s)->BindText(4, new_address);
    (*s)->BindInt(5, at);
    if (Status r = (*s)->Run(); !r) return Fail(r);
    if (stmts.db().Changes() == 0) return false;  // a retried webhook
  }
  if (old_address == new_address) return true;
  Result<int64_t> old_id = ContactAt(stmts, channel_id, old_address);
  if (!old_id) return Fail(old_id);
  if (*old_id == 0) return true;  // nobody we know
  Result<int64_t> new_id = ContactAt(stmts, channel_id, new_address);
  if (!new_id) return Fail(new_id);
  if (*new_id != 0 && *new_id != *old_id) {
    if (Status s = MergeContacts(stmts.db(), *old_id, *new_id); !s) return Fail(s);
  }
  static constexpr std::string_view kMoves[] = {
      // The new address takes the old one's history (last seen, reachable).
      "UPDATE addresses SET address = ?3 WHERE channel_id = ?1 AND address = ?2"
      " AND NOT EXISTS (SELECT 1 FROM addresses WHERE channel_id = ?1 AND address = ?3)",
      // Both were known (now of one contact): the old one goes, it may be
      // given to someone else.
      "DELETE FROM addresses WHERE channel_id = ?1 AND address = ?2",
      "UPDATE outbox SET address = ?3 WHERE channel_id = ?1 AND address = ?2"
      " AND state IN ('pending', 'sending')",
      "UPDATE staff SET address = ?3 WHERE channel_id = ?1 AND address = ?2",
  };
  for (std::string_view sql : kMoves) {
    Result<std::unique_ptr<Statement>> s = stmts.db().Prepare(sql);
    if (!s) return Fail(s);
    (*s)->BindText(1, channel_id);
    (*s)->BindText(2, old_address);
    if (sql.find("?3") != std::string_view::npos) (*s)->BindText(3, new_address);
    if (Status r = (*s)->Run(); !r) return Fail(r);
  }
  return true;
}

Status MergePhoneContacts(Connection& db) {
  struct Row {
    int64_t id = 0;
    int64_t contact_id = 0;
    std::string channel_id;
    std::string address;
    int64_t last_seen_at = 0;
  };
  std::vector<Row> rows;
  {
    Result<std::unique_ptr<Statement>> s = db.Prepare(
        "SELECT id, contact_id, channel_id, address, last_seen_at FROM addresses"
        " WHERE substr(address, 1, 1) IN ('+', '0') ORDER BY id");
    if (!s) return Fail(s);
    for (;;) {
      Result<bool> row = (*s)->Step();
      if (!row) return Fail(row);
      if (!*row) break;
      rows.push_back({(*s)->ColumnInt(0), (*s)->ColumnInt(1), (*s)->ColumnText(2), (*s)->ColumnText(3),
                      (*s)->ColumnInt(4)});
    }
  }
  // contact id -> the contact it was merged into (followed to the end).
  std::map<int64_t, int64_t> merged_into;
  const auto current = [&](int64_t id) {
    for (auto it = merged_into.find(id); it != merged_into.end(); it = merged_into.find(id)) {
      id = it->second;
    }
    return id;
  };
  // E.164 number -> the contact that keeps it, and when it was last seen.
  std::map<std::string, std::pair<int64_t, int64_t>> owner;
  const auto merge = [&](int64_t a, int64_t a_seen, int64_t b, int64_t b_seen) -> Result<int64_t> {
    a = current(a);
    b = current(b);
    if (a == b) return a;
    // The contact seen most recently goes on (its language and name); on a
    // tie, the older one.
    const bool a_wins = a_seen > b_seen || (a_seen == b_seen && a < b);
    const int64_t survivor = a_wins ? a : b;
    const int64_t loser = a_wins ? b : a;
    if (Status s = MergeContacts(db, survivor, loser, /*schema_version=*/9); !s) {
      return std::unexpected(s.error());
    }
    merged_into[loser] = survivor;
    return survivor;
  };
  for (const Row& r : rows) {
    std::optional<std::string> e164 = phone::ToE164(r.address);
    const std::string number = e164 ? *e164 : r.address;
    if (e164 && *e164 != r.address) {
      // Same channel, other form already there: that row stays, this one goes.
      Result<std::unique_ptr<Statement>> q = db.Prepare(
          "SELECT contact_id, last_seen_at FROM addresses WHERE channel_id = ?1 AND address = ?2");
      if (!q) return Fail(q);
      (*q)->BindText(1, r.channel_id);
      (*q)->BindText(2, *e164);
      Result<bool> found = (*q)->Step();
      if (!found) return Fail(found);
      if (*found) {
        const int64_t other = (*q)->ColumnInt(0);
        const int64_t other_seen = (*q)->ColumnInt(1);
        (*q)->Reset();
        Result<int64_t> survivor = merge(other, other_seen, r.contact_id, r.last_seen_at);
        if (!survivor) return Fail(survivor);
        Result<std::unique_ptr<Statement>> keep = db.Prepare(
            "UPDATE addresses SET last_seen_at = max(last_seen_at, ?3)"
            " WHERE channel_id = ?1 AND address = ?2");
        if (!keep) return Fail(keep);
        (*keep)->BindText(1, r.channel_id);
        (*keep)->BindText(2, *e164);
        (*keep)->BindInt(3, r.last_seen_at);
        if (Status s = (*keep)->Run(); !s) return s;
        Result<std::unique_ptr<Statement>> drop = db.Prepare("DELETE FROM addresses WHERE id = ?1");
        if (!drop) return Fail(drop);
        (*drop)->BindInt(1, r.id);
        if (Status s = (*drop)->Run(); !s) return s;
      } else {
        Result<std::unique_ptr<Statement>> u = db.Prepare("UPDATE addresses SET address = ?2 WHERE id = ?1");
        if (!u) return Fail(u);
        (*u)->BindInt(1, r.id);
        (*u)->BindText(2, *e164);
        if (Status s = (*u)->Run(); !s) return s;
      }
      for (std::string_view sql :
           {std::string_view("UPDATE outbox SET address = ?3 WHERE channel_id = ?1 AND address = ?2"),
            std::string_view("UPDATE staff SET address = ?3 WHERE channel_id = ?1 AND address = ?2")}) {
        Result<std::unique_ptr<Statement>> u = db.Prepare(sql);
        if (!u) return Fail(u);
        (*u)->BindText(1, r.channel_id);
        (*u)->BindText(2, r.address);
        (*u)->BindText(3, *e164);
        if (Status s = (*u)->Run(); !s) return s;
      }
    }
    if (!number.starts_with("+")) continue;
    // Across channels: one number, one contact.
    auto [it, fresh] = owner.try_emplace(number, current(r.contact_id), r.last_seen_at);
    if (!fresh) {
      Result<int64_t> survivor =
          merge(it->second.first, it->second.second, r.contact_id, r.last_seen_at);
      if (!survivor) return Fail(survivor);
      it->second = {*survivor, std::max(it->second.second, r.last_seen_at)};
    }
  }
  // Staff numbers typed by hand, on channels nobody wrote from yet.
  std::vector<std::pair<int64_t, std::string>> staff;
  {
    Result<std::unique_ptr<Statement>> s = db.Prepare(
        "SELECT id, address FROM staff WHERE substr(address, 1, 1) IN ('+', '0')");
    if (!s) return Fail(s);
    for (;;) {
      Result<bool> row = (*s)->Step();
      if (!row) return Fail(row);
      if (!*row) break;
      staff.emplace_back((*s)->ColumnInt(0), (*s)->ColumnText(1));
    }
  }
  for (const auto& [id, address] : staff) {
    std::optional<std::string> e164 = phone::ToE164(address);
    if (!e164 || *e164 == address) continue;
    Result<std::unique_ptr<Statement>> u = db.Prepare("UPDATE staff SET address = ?2 WHERE id = ?1");
    if (!u) return Fail(u);
    (*u)->BindInt(1, id);
    (*u)->BindText(2, *e164);
    if (Status s = (*u)->Run(); !s) return s;
  }
  return {};
}

}  // namespace suaradesa::storage::sql_contacts
