#include "storage/sql/notices.h"

#include <map>
#include <string_view>

#include "storage/sql/outbox.h"
#include "storage/sql/rows.h"
#include <utility>

namespace suaradesa::storage::sql_notices {

// A statement taken from the cache is released (its block ends) before a
// helper that reads from the cache is called, e.g. LoadMeetingGroups after
// reading meetings: the cache refuses an SQL that is still on loan, so the
// helpers stay free to use any SQL.

namespace {

using sql_rows::Fail;
using sql_rows::JoinList;
using sql_rows::SplitList;

// Runs `s` to the end, calling read(s) for each row.
template <typename F>
Status EachRow(Statement& s, F read) {
  for (;;) {
    Result<bool> row = s.Step();
    if (!row) return Fail(row);
    if (!*row) return {};
    read(s);
  }
}

constexpr std::string_view kGroupColumns = "id, code, name, area, created_at";
Group ReadGroup(const Statement& s) {
  Group g;
  g.id = s.ColumnInt(0);
  g.code = s.ColumnText(1);
  g.name = s.ColumnText(2);
  g.area = s.ColumnText(3);
  g.created_at = s.ColumnInt(4);
  return g;
}

constexpr std::string_view kMeetingColumns =
    "m.id, m.title, m.forum, m.area, m.starts_at, m.utc_offset_minutes, m.place, m.agenda, "
    "m.bring, m.status, m.version, m.created_by, m.created_at, m.updated_at, m.activity_id";
constexpr int kMeetingColumnCount = 15;
Meeting ReadMeeting(const Statement& s) {
  Meeting m;
  m.id = s.ColumnInt(0);
  m.title = s.ColumnText(1);
  m.forum = s.ColumnText(2);
  m.area = s.ColumnText(3);
  m.starts_at = s.ColumnInt(4);
  m.utc_offset_minutes = static_cast<int>(s.ColumnInt(5));
  m.place = s.ColumnText(6);
  m.agenda = s.ColumnText(7);
  m.bring = s.ColumnText(8);
  m.status = s.ColumnText(9);
  m.version = static_cast<int>(s.ColumnInt(10));
  m.created_by = s.ColumnText(11);
  m.created_at = s.ColumnInt(12);
  m.updated_at = s.ColumnInt(13);
  m.activity_id = s.ColumnInt(14);
  return m;
}

Status LoadMeetingGroups(StatementCache& stmts, Meeting& m) {
  auto s = stmts.Get(
      "SELECT g.code FROM meeting_groups mg JOIN notice_groups g ON g.id = mg.group_id"
      " WHERE mg.meeting_id = ?1 ORDER BY g.code");
  if (!s) return Fail(s);
  (*s)->BindInt(1, m.id);
  m.groups.clear();
  return EachRow(**s, [&](const Statement& st) { m.groups.push_back(st.ColumnText(0)); });
}

Status WriteMeetingGroups(StatementCache& stmts, const Meeting& m) {
  {
    auto d = stmts.Get("DELETE FROM meeting_groups WHERE meeting_id = ?1");
    if (!d) return Fail(d);
    (*d)->BindInt(1, m.id);
    if (Status r = (*d)->Run(); !r) return r;
  }
  auto s = stmts.Get(
      "INSERT INTO meeting_groups (meeting_id, group_id)"
      " SELECT ?1, id FROM notice_groups WHERE code = ?2 ON CONFLICT DO NOTHING");
  if (!s) return Fail(s);
  for (const auto& code : m.groups) {
    (*s)->Reset();
    (*s)->BindInt(1, m.id);
    (*s)->BindText(2, code);
    if (Status r = (*s)->Run(); !r) return r;
    if (stmts.db().Changes() == 0) {
      // Either an unknown code or a repeated one; only the first is an error.
      auto q = stmts.Get("SELECT 1 FROM notice_groups WHERE code = ?1");
      if (!q) return Fail(q);
      (*q)->BindText(1, code);
      auto found = (*q)->Step();
      if (!found) return Fail(found);
      if (!*found) return std::unexpected(Error::NotFound("no group " + code));
    }
  }
  return {};
}

// Members of one group (active only), merged into `out` by contact, with
// their reachable addresses (most recently seen first) and invited_at for
// `meeting_id`.
Status CollectMembers(StatementCache& stmts, int64_t group_id, int64_t meeting_id,
                      std::vector<Member>& out, std::map<int64_t, size_t>& index) {
  auto s = stmts.Get(
      "SELECT c.id, c.name, c.language, c.opted_out, m.joined_at, m.source,"
      " a.channel_id, a.address, a.last_seen_at, coalesce(i.invited_at, 0)"
      " FROM group_members m JOIN contacts c ON c.id = m.contact_id"
      " LEFT JOIN addresses a ON a.contact_id = c.id AND a.unreachable = 0"
      " LEFT JOIN invitations i ON i.meeting_id = ?2 AND i.contact_id = c.id"
      " WHERE m.group_id = ?1 AND m.left_at = 0"
      " ORDER BY m.joined_at, c.id, a.last_seen_at DESC, a.id DESC");
  if (!s) return Fail(s);
  (*s)->BindInt(1, group_id);
  (*s)->BindInt(2, meeting_id);
  return EachRow(**s, [&](const Statement& st) {
    const int64_t contact_id = st.ColumnInt(0);
    auto it = index.find(contact_id);
    if (it == index.end()) {
      Member m;
      m.contact_id = contact_id;
      m.name = st.ColumnText(1);
      m.language = st.ColumnText(2);
      m.opted_out = st.ColumnInt(3) != 0;
      m.joined_at = st.ColumnInt(4);
      m.source = st.ColumnText(5);
      m.invited_at = st.ColumnInt(9);
      it = index.emplace(contact_id, out.size()).first;
      out.push_back(std::move(m));
    }
    if (st.ColumnIsNull(6)) return;
    Member& m = out[it->second];
    const std::string channel = st.ColumnText(6);
    const std::string address = st.ColumnText(7);
    for (const auto& a : m.addresses) {
      if (a.channel_id == channel && a.address == address) return;  // seen via another group
    }
    Address a;
    a.contact_id = contact_id;
    a.channel_id = channel;
    a.address = address;
    a.last_seen_at = st.ColumnInt(8);
    m.addresses.push_back(std::move(a));
  });
}

Result<std::vector<int64_t>> ContactIds(Statement& s) {
  std::vector<int64_t> out;
  if (Status r = EachRow(s, [&](const Statement& st) { out.push_back(st.ColumnInt(0)); }); !r) {
    return Fail(r);
  }
  return out;
}

}  // namespace

Result<Group> CreateGroup(StatementCache& stmts, const Group& group) {
  auto s = stmts.Get(
      "INSERT INTO notice_groups (code, name, area, created_at) VALUES (?1, ?2, ?3, ?4)"
      " RETURNING id");
  if (!s) return Fail(s);
  (*s)->BindText(1, group.code);
  (*s)->BindText(2, group.name);
  (*s)->BindText(3, group.area);
  (*s)->BindInt(4, group.created_at);
  Result<int64_t> id = sql_rows::InsertedId(**s);
  if (!id) {
    if (id.error().kind == Error::Kind::kConflict) {
      return std::unexpected(Error::Conflict("group " + group.code + " already exists"));
    }
    return Fail(id);
  }
  Group out = group;
  out.id = *id;
  return out;
}

Result<std::optional<Group>> FindGroup(StatementCache& stmts, const std::string& code) {
  auto s = stmts.Get(std::string("SELECT ") + std::string(kGroupColumns) +
                     " FROM notice_groups WHERE code = ?1");
  if (!s) return Fail(s);
  (*s)->BindText(1, code);
  auto row = (*s)->Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<Group>();
  return std::optional<Group>(ReadGroup(**s));
}

Result<std::vector<Group>> ListGroups(StatementCache& stmts) {
  auto s = stmts.Get(std::string("SELECT ") + std::string(kGroupColumns) +
                     " FROM notice_groups ORDER BY code");
  if (!s) return Fail(s);
  std::vector<Group> out;
  if (Status r = EachRow(**s, [&](const Statement& st) { out.push_back(ReadGroup(st)); }); !r) {
    return Fail(r);
  }
  return out;
}

Result<std::vector<Member>> GroupMembers(StatementCache& stmts, int64_t group_id) {
  std::vector<Member> out;
  std::map<int64_t, size_t> index;
  if (Status r = CollectMembers(stmts, group_id, 0, out, index); !r) return Fail(r);
  // Numbers follow the order of the group's rows: a row is written when a
  // contact first joins and kept (left_at) when they leave, so a member's
  // number never changes and is never given to someone else.
  auto s = stmts.Get("SELECT contact_id FROM group_members WHERE group_id = ?1 ORDER BY rowid");
  if (!s) return Fail(s);
  (*s)->BindInt(1, group_id);
  int64_t number = 0;
  Status r = EachRow(**s, [&](const Statement& st) {
    ++number;
    auto it = index.find(st.ColumnInt(0));
    if (it != index.end()) out[it->second].number = number;
  });
  if (!r) return Fail(r);
  return out;
}

Result<bool> AddMember(StatementCache& stmts, int64_t group_id, int64_t contact_id,
                       const std::string& source, int64_t now) {
  auto s = stmts.Get(
      "INSERT INTO group_members (group_id, contact_id, joined_at, source) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (group_id, contact_id) DO UPDATE SET left_at = 0,"
      " joined_at = excluded.joined_at, source = excluded.source WHERE group_members.left_at <> 0");
  if (!s) return Fail(s);
  (*s)->BindInt(1, group_id);
  (*s)->BindInt(2, contact_id);
  (*s)->BindInt(3, now);
  (*s)->BindText(4, source);
  if (Status r = (*s)->Run(); !r) return Fail(r);
  return stmts.db().Changes() > 0;
}

Result<bool> RemoveMember(StatementCache& stmts, int64_t group_id, int64_t contact_id,
                          int64_t now) {
  auto s = stmts.Get(
      "UPDATE group_members SET left_at = ?3 WHERE group_id = ?1 AND contact_id = ?2"
      " AND left_at = 0");
  if (!s) return Fail(s);
  (*s)->BindInt(1, group_id);
  (*s)->BindInt(2, contact_id);
  (*s)->BindInt(3, now);
  if (Status r = (*s)->Run(); !r) return Fail(r);
  return stmts.db().Changes() > 0;
}

Result<int64_t> EnsureContact(StatementCache& stmts, const std::string& channel_id,
                              const std::string& address, const std::string& name, int64_t now) {
  if (channel_id.empty() || address.empty()) {
    return std::unexpected(Error::Invalid("a contact needs a channel and an address"));
  }
  {
    auto s = stmts.Get("SELECT contact_id FROM addresses WHERE channel_id = ?1 AND address = ?2");
    if (!s) return Fail(s);
    (*s)->BindText(1, channel_id);
    (*s)->BindText(2, address);
    auto row = (*s)->Step();
    if (!row) return Fail(row);
    if (*row) {
      const int64_t id = (*s)->ColumnInt(0);
      (*s)->Reset();
      if (!name.empty()) {
        auto n = stmts.Get("UPDATE contacts SET name = ?2 WHERE id = ?1 AND name = ''");
        if (!n) return Fail(n);
        (*n)->BindInt(1, id);
        (*n)->BindText(2, name);
        if (Status r = (*n)->Run(); !r) return Fail(r);
      }
      return id;
    }
  }
  int64_t contact_id = 0;
  {
    auto s = stmts.Get("INSERT INTO contacts (name, created_at) VALUES (?1, ?2) RETURNING id");
    if (!s) return Fail(s);
    (*s)->BindText(1, name);
    (*s)->BindInt(2, now);
    Result<int64_t> id = sql_rows::InsertedId(**s);
    if (!id) return Fail(id);
    contact_id = *id;
  }
  // last_seen_at stays 0: they never wrote, so any channel they write on
  // later is preferred.
  auto s = stmts.Get(
      "INSERT INTO addresses (contact_id, channel_id, address, last_seen_at)"
      " VALUES (?1, ?2, ?3, 0)");
  if (!s) return Fail(s);
  (*s)->BindInt(1, contact_id);
  (*s)->BindText(2, channel_id);
  (*s)->BindText(3, address);
  if (Status r = (*s)->Run(); !r) return Fail(r);
  return contact_id;
}

Result<std::optional<int64_t>> FindContactByAddress(StatementCache& stmts,
                                                    const std::string& address) {
  auto s = stmts.Get(
      "SELECT contact_id FROM addresses WHERE address = ?1 ORDER BY last_seen_at DESC, id DESC"
      " LIMIT 1");
  if (!s) return Fail(s);
  (*s)->BindText(1, address);
  auto row = (*s)->Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*s)->ColumnInt(0));
}

Result<int64_t> CreateMeeting(StatementCache& stmts, const Meeting& meeting) {
  Meeting stored = meeting;
  {
    auto s = stmts.Get(
        "INSERT INTO meetings (title, forum, area, starts_at, utc_offset_minutes, place, agenda,"
        " bring, status, version, created_by, created_at, updated_at, activity_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id");
    if (!s) return Fail(s);
    (*s)->BindText(1, meeting.title);
    (*s)->BindText(2, meeting.forum);
    (*s)->BindText(3, meeting.area);
    (*s)->BindInt(4, meeting.starts_at);
    (*s)->BindInt(5, meeting.utc_offset_minutes);
    (*s)->BindText(6, meeting.place);
    (*s)->BindText(7, meeting.agenda);
    (*s)->BindText(8, meeting.bring);
    (*s)->BindText(9, meeting.status.empty() ? "scheduled" : meeting.status);
    (*s)->BindInt(10, meeting.version);
    (*s)->BindText(11, meeting.created_by);
    (*s)->BindInt(12, meeting.created_at);
    (*s)->BindInt(13, meeting.updated_at ? meeting.updated_at : meeting.created_at);
    (*s)->BindInt(14, meeting.activity_id);
    Result<int64_t> id = sql_rows::InsertedId(**s);
    if (!id) return Fail(id);
    stored.id = *id;
  }
  if (Status r = WriteMeetingGroups(stmts, stored); !r) return Fail(r);
  return stored.id;
}

Result<std::optional<Meeting>> GetMeeting(StatementCache& stmts, int64_t id) {
  Meeting m;
  {
    auto s = stmts.Get(std::string("SELECT ") + std::string(kMeetingColumns) +
                       " FROM meetings m WHERE m.id = ?1");
    if (!s) return Fail(s);
    (*s)->BindInt(1, id);
    auto row = (*s)->Step();
    if (!row) return Fail(row);
    if (!*row) return std::optional<Meeting>();
    m = ReadMeeting(**s);
  }
  if (Status r = LoadMeetingGroups(stmts, m); !r) return Fail(r);
  return std::optional<Meeting>(std::move(m));
}

Status UpdateMeeting(StatementCache& stmts, const Meeting& meeting) {
  {
    auto s = stmts.Get(
        "UPDATE meetings SET title = ?2, forum = ?3, area = ?4, starts_at = ?5,"
        " utc_offset_minutes = ?6, place = ?7, agenda = ?8, bring = ?9, status = ?10,"
        " version = ?11, updated_at = ?12, activity_id = ?13 WHERE id = ?1");
    if (!s) return Fail(s);
    (*s)->BindInt(1, meeting.id);
    (*s)->BindText(2, meeting.title);
    (*s)->BindText(3, meeting.forum);
    (*s)->BindText(4, meeting.area);
    (*s)->BindInt(5, meeting.starts_at);
    (*s)->BindInt(6, meeting.utc_offset_minutes);
    (*s)->BindText(7, meeting.place);
    (*s)->BindText(8, meeting.agenda);
    (*s)->BindText(9, meeting.bring);
    (*s)->BindText(10, meeting.status);
    (*s)->BindInt(11, meeting.version);
    (*s)->BindInt(12, meeting.updated_at);
    (*s)->BindInt(13, meeting.activity_id);
    if (Status r = (*s)->Run(); !r) return r;
    if (stmts.db().Changes() == 0) {
      return std::unexpected(
          Error::NotFound("meeting " + std::to_string(meeting.id) + " not found"));
    }
  }
  return WriteMeetingGroups(stmts, meeting);
}

Result<std::vector<Meeting>> UpcomingMeetings(StatementCache& stmts, int64_t now) {
  std::vector<Meeting> out;
  {
    auto s = stmts.Get(std::string("SELECT ") + std::string(kMeetingColumns) +
                       " FROM meetings m WHERE m.status = 'scheduled' AND m.starts_at > ?1"
                       " ORDER BY m.starts_at, m.id");
    if (!s) return Fail(s);
    (*s)->BindInt(1, now);
    Status r = EachRow(**s, [&](const Statement& st) { out.push_back(ReadMeeting(st)); });
    if (!r) return Fail(r);
  }
  for (auto& m : out) {
    if (Status r = LoadMeetingGroups(stmts, m); !r) return Fail(r);
  }
  return out;
}

Result<std::vector<Member>> Recipients(StatementCache& stmts,
                                       const std::vector<std::string>& group_codes,
                                       int64_t meeting_id) {
  std::vector<Member> out;
  std::map<int64_t, size_t> index;
  for (const auto& code : group_codes) {
    auto g = FindGroup(stmts, code);
    if (!g) return Fail(g);
    if (!*g) continue;
    if (Status r = CollectMembers(stmts, (*g)->id, meeting_id, out, index); !r) return Fail(r);
  }
  return out;
}

Result<std::vector<ScheduledSend>> ScheduledSends(StatementCache& stmts, int64_t meeting_id) {
  auto s = stmts.Get(
      "SELECT meeting_id, contact_id, kind, at, outbox_id FROM scheduled_sends"
      " WHERE meeting_id = ?1 ORDER BY contact_id, at");
  if (!s) return Fail(s);
  (*s)->BindInt(1, meeting_id);
  std::vector<ScheduledSend> out;
  Status r = EachRow(**s, [&](const Statement& st) {
    ScheduledSend send;
    send.meeting_id = st.ColumnInt(0);
    send.contact_id = st.ColumnInt(1);
    send.kind = st.ColumnText(2);
    send.at = st.ColumnInt(3);
    send.outbox_id = st.ColumnInt(4);
    out.push_back(std::move(send));
  });
  if (!r) return Fail(r);
  return out;
}

Result<int> QueueNotices(StatementCache& stmts, const std::vector<QueuedNotice>& notices) {
  if (notices.empty()) return 0;
  // Taken from the cache once and held for the whole fan-out; the outbox
  // rows are written by sql_outbox::Enqueue, as a reply's are.
  auto key = stmts.Get(
      "INSERT INTO scheduled_sends (meeting_id, contact_id, kind, at) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT DO NOTHING");
  auto sent = stmts.Get(
      "UPDATE scheduled_sends SET outbox_id = ?4 WHERE meeting_id = ?1 AND contact_id = ?2"
      " AND kind = ?3");
  auto invite = stmts.Get(
      "INSERT INTO invitations (meeting_id, contact_id, invited_at) VALUES (?1, ?2, ?3)"
      " ON CONFLICT DO NOTHING");
  if (!key) return Fail(key);
  if (!sent) return Fail(sent);
  if (!invite) return Fail(invite);

  int queued = 0;
  for (const auto& n : notices) {
    (*key)->Reset();
    (*key)->BindInt(1, n.send.meeting_id);
    (*key)->BindInt(2, n.send.contact_id);
    (*key)->BindText(3, n.send.kind);
    (*key)->BindInt(4, n.send.at);
    if (Status r = (*key)->Run(); !r) return Fail(r);
    if (stmts.db().Changes() == 0) continue;  // already sent or skipped once
    if (n.invite) {
      (*invite)->Reset();
      (*invite)->BindInt(1, n.send.meeting_id);
      (*invite)->BindInt(2, n.send.contact_id);
      (*invite)->BindInt(3, n.send.at);
      if (Status r = (*invite)->Run(); !r) return Fail(r);
    }
    if (n.skip) continue;
    if (n.item.channel_id.empty() || n.item.address.empty()) {
      return std::unexpected(Error::Invalid("notice without channel or address"));
    }
    OutboxItem item = n.item;
    item.contact_id = n.send.contact_id;
    Result<int64_t> outbox_id = sql_outbox::Enqueue(stmts, item, n.text);
    if (!outbox_id) return Fail(outbox_id);
    (*sent)->Reset();
    (*sent)->BindInt(1, n.send.meeting_id);
    (*sent)->BindInt(2, n.send.contact_id);
    (*sent)->BindText(3, n.send.kind);
    (*sent)->BindInt(4, *outbox_id);
    if (Status r = (*sent)->Run(); !r) return Fail(r);
    ++queued;
  }
  return queued;
}

Result<std::vector<int64_t>> WithdrawPendingNotices(StatementCache& stmts, int64_t meeting_id,
                                                    const std::string& note, int64_t now) {
  std::vector<std::pair<int64_t, int64_t>> rows;  // (outbox id, message id)
  std::vector<int64_t> contacts;
  {
    auto s = stmts.Get(
        "SELECT o.id, coalesce(o.message_id, 0), o.contact_id FROM scheduled_sends k"
        " JOIN outbox o ON o.id = k.outbox_id WHERE k.meeting_id = ?1 AND o.state = 'pending'"
        " ORDER BY o.id");
    if (!s) return Fail(s);
    (*s)->BindInt(1, meeting_id);
    Status r = EachRow(**s, [&](const Statement& st) {
      rows.emplace_back(st.ColumnInt(0), st.ColumnInt(1));
      contacts.push_back(st.ColumnInt(2));
    });
    if (!r) return Fail(r);
  }
  if (rows.empty()) return contacts;
  auto fail_row = stmts.Get(
      "UPDATE outbox SET state = 'failed', last_error = ?2 WHERE id = ?1 AND state = 'pending'");
  auto message = stmts.Get("UPDATE messages SET status = 'failed' WHERE id = ?1");
  auto event = stmts.Get(
      "INSERT INTO message_events (message_id, status, at) VALUES (?1, 'failed', ?2)");
  if (!fail_row) return Fail(fail_row);
  if (!message) return Fail(message);
  if (!event) return Fail(event);
  for (const auto& [outbox_id, message_id] : rows) {
    (*fail_row)->Reset();
    (*fail_row)->BindInt(1, outbox_id);
    (*fail_row)->BindText(2, note);
    if (Status r = (*fail_row)->Run(); !r) return Fail(r);
    if (message_id == 0) continue;
    (*message)->Reset();
    (*message)->BindInt(1, message_id);
    if (Status r = (*message)->Run(); !r) return Fail(r);
    (*event)->Reset();
    (*event)->BindInt(1, message_id);
    (*event)->BindInt(2, now);
    if (Status r = (*event)->Run(); !r) return Fail(r);
  }
  return contacts;
}

Result<std::vector<int64_t>> NotifiedContacts(StatementCache& stmts, int64_t meeting_id) {
  auto s = stmts.Get(
      "SELECT DISTINCT k.contact_id FROM scheduled_sends k JOIN outbox o ON o.id = k.outbox_id"
      " WHERE k.meeting_id = ?1 AND o.state IN ('sent', 'sending') ORDER BY k.contact_id");
  if (!s) return Fail(s);
  (*s)->BindInt(1, meeting_id);
  return ContactIds(**s);
}

Result<std::vector<Invitation>> InvitationsOfMeeting(StatementCache& stmts, int64_t meeting_id) {
  auto s = stmts.Get(
      "SELECT meeting_id, contact_id, invited_at, answer, reason, answered_at"
      " FROM invitations WHERE meeting_id = ?1"
      " ORDER BY answered_at = 0, answered_at, contact_id");
  if (!s) return Fail(s);
  (*s)->BindInt(1, meeting_id);
  std::vector<Invitation> out;
  Status r = EachRow(**s, [&](const Statement& st) {
    Invitation i;
    i.meeting_id = st.ColumnInt(0);
    i.contact_id = st.ColumnInt(1);
    i.invited_at = st.ColumnInt(2);
    i.answer = st.ColumnText(3);
    i.reason = st.ColumnText(4);
    i.answered_at = st.ColumnInt(5);
    out.push_back(std::move(i));
  });
  if (!r) return Fail(r);
  return out;
}

Result<std::vector<MeetingInvitation>> UpcomingInvitations(StatementCache& stmts,
                                                           int64_t contact_id, int64_t now) {
  std::vector<MeetingInvitation> out;
  {
    auto s = stmts.Get(std::string("SELECT ") + std::string(kMeetingColumns) +
                       ", i.invited_at, i.answer, i.reason, i.answered_at"
                       " FROM invitations i JOIN meetings m ON m.id = i.meeting_id"
                       " WHERE i.contact_id = ?1 AND m.status = 'scheduled' AND m.starts_at > ?2"
                       " ORDER BY m.starts_at, m.id");
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    (*s)->BindInt(2, now);
    Status r = EachRow(**s, [&](const Statement& st) {
      MeetingInvitation mi;
      mi.meeting = ReadMeeting(st);
      mi.invitation.meeting_id = mi.meeting.id;
      mi.invitation.contact_id = contact_id;
      mi.invitation.invited_at = st.ColumnInt(kMeetingColumnCount);
      mi.invitation.answer = st.ColumnText(kMeetingColumnCount + 1);
      mi.invitation.reason = st.ColumnText(kMeetingColumnCount + 2);
      mi.invitation.answered_at = st.ColumnInt(kMeetingColumnCount + 3);
      out.push_back(std::move(mi));
    });
    if (!r) return Fail(r);
  }
  for (auto& mi : out) {
    if (Status g = LoadMeetingGroups(stmts, mi.meeting); !g) return Fail(g);
  }
  return out;
}

Status SetRsvp(StatementCache& stmts, int64_t meeting_id, int64_t contact_id,
               const std::string& answer, const std::string& reason, int64_t now) {
  auto s = stmts.Get(
      "UPDATE invitations SET answer = ?3, reason = ?4, answered_at = ?5"
      " WHERE meeting_id = ?1 AND contact_id = ?2");
  if (!s) return Fail(s);
  (*s)->BindInt(1, meeting_id);
  (*s)->BindInt(2, contact_id);
  (*s)->BindText(3, answer);
  (*s)->BindText(4, reason);
  (*s)->BindInt(5, now);
  if (Status r = (*s)->Run(); !r) return r;
  if (stmts.db().Changes() == 0) {
    return std::unexpected(Error::NotFound("no invitation to meeting " +
                                           std::to_string(meeting_id) + " for this contact"));
  }
  return {};
}

Result<int64_t> CreateBroadcast(StatementCache& stmts, const Broadcast& broadcast) {
  auto s = stmts.Get(
      "INSERT INTO broadcasts (text, group_codes, created_by, created_at, recipients)"
      " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
  if (!s) return Fail(s);
  (*s)->BindText(1, broadcast.text);
  (*s)->BindText(2, JoinList(broadcast.groups));
  (*s)->BindText(3, broadcast.created_by);
  (*s)->BindInt(4, broadcast.created_at);
  (*s)->BindInt(5, broadcast.recipients);
  return sql_rows::InsertedId(**s);
}

}  // namespace suaradesa::storage::sql_notices
