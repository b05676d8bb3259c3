#include "storage/sql/desk.h"

#include <string_view>

#include "storage/sql/rows.h"

namespace suaradesa::storage::sql_desk {

namespace {

using sql_rows::Fail;
using sql_rows::ReadCase;
using sql_rows::JoinList;
using sql_rows::SplitList;

constexpr std::string_view kTokenColumns = "id, name, role, areas, hash, created_at, revoked_at";
Token ReadToken(const Statement& s) {
  Token t;
  t.id = s.ColumnInt(0);
  t.name = s.ColumnText(1);
  t.role = s.ColumnText(2);
  t.areas = SplitList(s.ColumnText(3));
  t.hash = s.ColumnText(4);
  t.created_at = s.ColumnInt(5);
  t.revoked_at = s.ColumnInt(6);
  return t;
}

constexpr std::string_view kDeskColumns =
    "d.assignee, d.verify_due, d.answer_due, d.resolve_due, d.verified_at, d.answered_at, "
    "d.closed_at, d.escalation_level, d.overdue, d.reminded, d.excluded_positions";
// Reads the desk columns starting at `first`; a missing row (LEFT JOIN)
// reads as the defaults.
CaseDesk ReadDesk(const Statement& s, int first, int64_t case_id) {
  CaseDesk d;
  d.case_id = case_id;
  d.assignee = s.ColumnText(first);
  d.verify_due = s.ColumnInt(first + 1);
  d.answer_due = s.ColumnInt(first + 2);
  d.resolve_due = s.ColumnInt(first + 3);
  d.verified_at = s.ColumnInt(first + 4);
  d.answered_at = s.ColumnInt(first + 5);
  d.closed_at = s.ColumnInt(first + 6);
  d.escalation_level = static_cast<int>(s.ColumnInt(first + 7));
  d.overdue = s.ColumnInt(first + 8) != 0;
  d.reminded = s.ColumnText(first + 9);
  d.excluded_positions = SplitList(s.ColumnText(first + 10));
  return d;
}

constexpr std::string_view kCaseColumns =
    "c.id, c.type, c.number, c.status, c.contact_id, c.channel_id, c.area_code, c.desa_code, "
    "c.confidential, c.summary, c.fields_json, c.created_at, c.updated_at";

}  // namespace

Result<int64_t> CreateToken(StatementCache& stmts, const Token& token) {
  auto s = stmts.Get(
      "INSERT INTO tokens (name, role, areas, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
      " RETURNING id");
  if (!s) return Fail(s);
  (*s)->BindText(1, token.name);
  (*s)->BindText(2, token.role);
  (*s)->BindText(3, JoinList(token.areas));
  (*s)->BindText(4, token.hash);
  (*s)->BindInt(5, token.created_at);
  return sql_rows::InsertedId(**s);
}

Result<std::optional<Token>> FindToken(StatementCache& stmts, const std::string& hash) {
  auto s = stmts.Get(std::string("SELECT ") + std::string(kTokenColumns) +
                     " FROM tokens WHERE hash = ?1 AND revoked_at = 0");
  if (!s) return Fail(s);
  (*s)->BindText(1, hash);
  auto row = (*s)->Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<Token>();
  return std::optional<Token>(ReadToken(**s));
}

Result<std::vector<Token>> ListTokens(StatementCache& stmts) {
  auto s = stmts.Get(std::string("SELECT ") + std::string(kTokenColumns) +
                     " FROM tokens ORDER BY id");
  if (!s) return Fail(s);
  std::vector<Token> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row) return Fail(row);
    if (!*row) return out;
    out.push_back(ReadToken(**s));
  }
}

Status RevokeToken(StatementCache& stmts, int64_t id, int64_t now) {
  auto s = stmts.Get("UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = 0");
  if (!s) return std::unexpected(s.error());
  (*s)->BindInt(1, id);
  (*s)->BindInt(2, now);
  if (Status r = (*s)->Run(); !r) return r;
  if (stmts.db().Changes() == 0) {
    return std::unexpected(Error::NotFound("no valid token with id " + std::to_string(id)));
  }
  return {};
}

Status PutStaff(StatementCache& stmts, const Staff& staff) {
  auto s = stmts.Get(
      "INSERT INTO staff (name, role, position, level, areas, channel_id, address) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
      "ON CONFLICT (name) DO UPDATE SET role = excluded.role, position = excluded.position, "
      "level = excluded.level, areas = excluded.areas, channel_id = excluded.channel_id, "
      "address = excluded.address");
  if (!s) return std::unexpected(s.error());
  (*s)->BindText(1, staff.name);
  (*s)->BindText(2, staff.role);
  (*s)->BindText(3, staff.position);
  (*s)->BindText(4, staff.level);
  (*s)->BindText(5, JoinList(staff.areas));
  (*s)->BindText(6, staff.channel_id);
  (*s)->BindText(7, staff.address);
  return (*s)->Run();
}

Result<std::vector<Staff>> ListStaff(StatementCache& stmts) {
  auto s = stmts.Get(
      "SELECT id, name, role, position, level, areas, channel_id, address FROM staff ORDER BY id");
  if (!s) return Fail(s);
  std::vector<Staff> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row) return Fail(row);
    if (!*row) return out;
    Staff st;
    st.id = (*s)->ColumnInt(0);
    st.name = (*s)->ColumnText(1);
    st.role = (*s)->ColumnText(2);
    st.position = (*s)->ColumnText(3);
    st.level = (*s)->ColumnText(4);
    st.areas = SplitList((*s)->ColumnText(5));
    st.channel_id = (*s)->ColumnText(6);
    st.address = (*s)->ColumnText(7);
    out.push_back(std::move(st));
  }
}

Result<CaseDesk> GetCaseDesk(StatementCache& stmts, int64_t case_id) {
  auto s = stmts.Get(std::string("SELECT ") + std::string(kDeskColumns) +
                     " FROM case_desk d WHERE d.case_id = ?1");
  if (!s) return Fail(s);
  (*s)->BindInt(1, case_id);
  auto row = (*s)->Step();
  if (!row) return Fail(row);
  if (!*row) {
    CaseDesk d;
    d.case_id = case_id;
    return d;
  }
  return ReadDesk(**s, 0, case_id);
}

Status PutCaseDesk(StatementCache& stmts, const CaseDesk& d) {
  auto s = stmts.Get(
      "INSERT INTO case_desk (case_id, assignee, verify_due, answer_due, resolve_due, "
      "verified_at, answered_at, closed_at, escalation_level, overdue, reminded, "
      "excluded_positions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
      "ON CONFLICT (case_id) DO UPDATE SET assignee = excluded.assignee, "
      "verify_due = excluded.verify_due, answer_due = excluded.answer_due, "
      "resolve_due = excluded.resolve_due, verified_at = excluded.verified_at, "
      "answered_at = excluded.answered_at, closed_at = excluded.closed_at, "
      "escalation_level = excluded.escalation_level, overdue = excluded.overdue, "
      "reminded = excluded.reminded, excluded_positions = excluded.excluded_positions");
  if (!s) return std::unexpected(s.error());
  (*s)->BindInt(1, d.case_id);
  (*s)->BindText(2, d.assignee);
  (*s)->BindInt(3, d.verify_due);
  (*s)->BindInt(4, d.answer_due);
  (*s)->BindInt(5, d.resolve_due);
  (*s)->BindInt(6, d.verified_at);
  (*s)->BindInt(7, d.answered_at);
  (*s)->BindInt(8, d.closed_at);
  (*s)->BindInt(9, d.escalation_level);
  (*s)->BindInt(10, d.overdue ? 1 : 0);
  (*s)->BindText(11, d.reminded);
  (*s)->BindText(12, JoinList(d.excluded_positions));
  return (*s)->Run();
}

Result<std::vector<DeskCase>> QueryCases(StatementCache& stmts, const DeskQuery& q) {
  // Area prefixes are matched in C++: a token has few of them, and codes
  // nest by prefix (kabupaten 3510 > kecamatan 3510070 > desa 3510070001).
  std::string sql = std::string("SELECT ") + std::string(kCaseColumns) + ", " +
                    std::string(kDeskColumns) +
                    " FROM cases c LEFT JOIN case_desk d ON d.case_id = c.id WHERE 1 = 1";
  // Parameters are numbered in the order their filters are given: PostgreSQL
  // refuses a statement with a parameter number it does not use.
  int n = 0;
  const auto next = [&n] { return "?" + std::to_string(++n); };
  if (q.type) sql += " AND c.type = " + next();
  if (!q.status.empty()) sql += " AND c.status = " + next();
  if (q.overdue_only) sql += " AND d.overdue = 1";
  if (!q.text.empty()) {
    // Lowered here, ASCII only, as SQLite's lower() does: PostgreSQL would
    // lower a parameter by the database's locale, the columns byte by byte.
    const std::string p = next();
    sql += " AND (instr(lower(c.summary), " + p + ") > 0 OR instr(lower(c.fields_json), " + p +
           ") > 0 OR " + p + " = lower(CASE c.type WHEN 'usulan' THEN 'USL-' ELSE 'ADU-' END" +
           " || c.number))";
  }
  if (q.from) sql += " AND c.created_at >= " + next();
  if (q.to) sql += " AND c.created_at < " + next();
  sql += " ORDER BY c.created_at DESC, c.id DESC";
  auto s = stmts.Get(sql);
  if (!s) return Fail(s);
  n = 0;
  if (q.type) (*s)->BindText(++n, CaseTypeName(*q.type));
  if (!q.status.empty()) (*s)->BindText(++n, q.status);
  if (!q.text.empty()) {
    std::string lowered = q.text;
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    (*s)->BindText(++n, lowered);
  }
  if (q.from) (*s)->BindInt(++n, *q.from);
  if (q.to) (*s)->BindInt(++n, *q.to);
  std::vector<DeskCase> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row) return Fail(row);
    if (!*row) return out;
    DeskCase dc;
    dc.record = ReadCase(**s);
    dc.desk = ReadDesk(**s, 13, dc.record.id);
    if (!q.area_prefixes.empty()) {
      bool covered = false;
      for (const auto& prefix : q.area_prefixes) {
        const std::string& code = dc.record.desa_code.empty() ? dc.record.area_code
                                                              : dc.record.desa_code;
        if (code.rfind(prefix, 0) == 0 || dc.record.area_code.rfind(prefix, 0) == 0) {
          covered = true;
        }
      }
      if (!covered) continue;
    }
    if (q.keep && !q.keep(dc)) continue;
    out.push_back(std::move(dc));
    if (static_cast<int>(out.size()) >= q.limit) return out;
  }
}

Status SetConversation(StatementCache& stmts, int64_t message_id, int64_t conversation_id) {
  auto s = stmts.Get("UPDATE messages SET conversation_id = ?2 WHERE id = ?1");
  if (!s) return Fail(s);
  (*s)->BindInt(1, message_id);
  (*s)->BindInt(2, conversation_id);
  return (*s)->Run();
}

Status LinkConversation(StatementCache& stmts, int64_t case_id, int64_t conversation_id) {
  if (conversation_id == 0) return {};
  // "!= 0" repeats the partial index's condition: without it SQLite cannot
  // tell that messages_conversation covers the bound value, and scanned
  // every message (16% of the committer's time at 10,000 messages).
  auto s = stmts.Get(
      "INSERT INTO case_messages (case_id, message_id)"
      " SELECT ?1, id FROM messages WHERE conversation_id = ?2 AND conversation_id != 0"
      " ON CONFLICT DO NOTHING");
  if (!s) return Fail(s);
  (*s)->BindInt(1, case_id);
  (*s)->BindInt(2, conversation_id);
  return (*s)->Run();
}

Status LinkMessage(StatementCache& stmts, int64_t case_id, int64_t message_id) {
  auto s = stmts.Get(
      "INSERT INTO case_messages (case_id, message_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  if (!s) return Fail(s);
  (*s)->BindInt(1, case_id);
  (*s)->BindInt(2, message_id);
  return (*s)->Run();
}

Result<std::vector<Message>> CaseMessages(StatementCache& stmts, int64_t case_id) {
  auto s = stmts.Get(
      "SELECT m.id, m.contact_id, m.channel_id, m.direction, m.provider_id, m.text, m.status,"
      " m.created_at, m.outbox_id, m.conversation_id, m.error_code, m.error_reason"
      " FROM case_messages cm JOIN messages m ON m.id = cm.message_id"
      " WHERE cm.case_id = ?1 ORDER BY m.id");
  if (!s) return Fail(s);
  (*s)->BindInt(1, case_id);
  std::vector<Message> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row) return Fail(row);
    if (!*row) return out;
    Message m;
    m.id = (*s)->ColumnInt(0);
    m.contact_id = (*s)->ColumnInt(1);
    m.channel_id = (*s)->ColumnText(2);
    m.direction = (*s)->ColumnText(3) == "out" ? Direction::kOut : Direction::kIn;
    m.provider_id = (*s)->ColumnText(4);
    m.text = (*s)->ColumnText(5);
    m.status = (*s)->ColumnText(6);
    m.created_at = (*s)->ColumnInt(7);
    m.outbox_id = (*s)->ColumnInt(8);
    m.conversation_id = (*s)->ColumnInt(9);
    m.error_code = (*s)->ColumnText(10);
    m.error_reason = (*s)->ColumnText(11);
    out.push_back(std::move(m));
  }
}

Result<std::string> GetMeta(StatementCache& stmts, const std::string& key) {
  auto s = stmts.Get("SELECT value FROM meta WHERE key = ?1");
  if (!s) return Fail(s);
  (*s)->BindText(1, key);
  auto row = (*s)->Step();
  if (!row) return Fail(row);
  if (!*row) return std::unexpected(Error::NotFound("no setting " + key));
  return (*s)->ColumnText(0);
}

}  // namespace suaradesa::storage::sql_desk
