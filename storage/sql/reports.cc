#include "storage/sql/reports.h"

#include <string>
#include <vector>

#include "storage/sql/rows.h"

namespace suaradesa::storage::sql_reports {

namespace {

using sql_rows::Collect;
using sql_rows::Fail;

// Where a case is: its desa, or its area while no desa is known.
constexpr const char* kCasePlace =
    "(CASE WHEN c.desa_code <> '' THEN c.desa_code ELSE c.area_code END)";

// The non-empty prefixes of the scope. An empty prefix would match every
// place, which is what no prefixes at all already mean.
std::vector<std::string> Prefixes(const ReportScope& scope) {
  std::vector<std::string> out;
  for (const auto& p : scope.area_prefixes) {
    if (!p.empty()) out.push_back(p);
  }
  return out;
}

// "place starts with one of the prefixes", the prefixes being parameters
// ?first, ?first+1, ...; "1 = 1" when there are none.
std::string PlaceIn(const std::string& place, int first, size_t count) {
  if (count == 0) return "1 = 1";
  std::string out = "(";
  for (size_t i = 0; i < count; ++i) {
    const std::string p = "?" + std::to_string(first + static_cast<int>(i));
    if (i > 0) out += " OR ";
    out += "substr(" + place + ", 1, length(" + p + ")) = " + p;
  }
  return out + ")";
}

void BindPrefixes(Statement& s, int first, const std::vector<std::string>& prefixes) {
  for (size_t i = 0; i < prefixes.size(); ++i) {
    s.BindText(first + static_cast<int>(i), prefixes[i]);
  }
}

// A string field of a case's fields_json, "" when absent or not a string.
// Case fields are written by the gateway as JSON objects (nlohmann's dump);
// SQLite still skips a value that is not JSON, as PayloadKeyIs does.
std::string TextField(Dialect dialect, const std::string& key) {
  if (dialect == Dialect::kPostgres) {
    return "(CASE WHEN jsonb_typeof(c.fields_json::jsonb -> '" + key +
           "') = 'string' THEN c.fields_json::jsonb ->> '" + key + "' ELSE '' END)";
  }
  // Nested CASE: SQLite evaluates a CASE branch only when it is taken, so
  // json_type never sees text that is not JSON.
  return "(CASE WHEN json_valid(c.fields_json) THEN CASE WHEN json_type(c.fields_json, '$." + key +
         "') = 'text' THEN json_extract(c.fields_json, '$." + key + "') ELSE '' END ELSE '' END)";
}

// A whole-number field of a case's fields_json, 0 when absent or not a
// number.
std::string NumberField(Dialect dialect, const std::string& key) {
  if (dialect == Dialect::kPostgres) {
    return "(CASE WHEN jsonb_typeof(c.fields_json::jsonb -> '" + key +
           "') = 'number' THEN CAST(CAST(c.fields_json::jsonb ->> '" + key +
           "' AS NUMERIC) AS BIGINT) ELSE 0 END)";
  }
  return "(CASE WHEN json_valid(c.fields_json) THEN CASE WHEN json_type(c.fields_json, '$." + key +
         "') IN ('integer', 'real') THEN CAST(json_extract(c.fields_json, '$." + key +
         "') AS INTEGER) ELSE 0 END ELSE 0 END)";
}

}  // namespace

Result<std::vector<ResidentCount>> ResidentCounts(StatementCache& stmts,
                                                  const ReportScope& scope) {
  const std::vector<std::string> prefixes = Prefixes(scope);
  // `joined` holds each (place, channel, contact) once; the four arms count
  // it by place and channel, by place, by channel, and as a whole.
  const std::string sql =
      "WITH places AS ("
      "SELECT c.contact_id, " + std::string(kCasePlace) + " AS place FROM cases c"
      " WHERE c.contact_id IS NOT NULL"
      " UNION SELECT gm.contact_id, g.area FROM group_members gm"
      " JOIN notice_groups g ON g.id = gm.group_id),"
      " active AS (SELECT DISTINCT contact_id, channel_id FROM messages"
      " WHERE direction = 'in' AND created_at >= ?1 AND created_at < ?2"
      " AND contact_id IS NOT NULL),"
      " joined AS (SELECT DISTINCT p.place, a.channel_id, a.contact_id FROM active a"
      " JOIN places p ON p.contact_id = a.contact_id WHERE p.place <> '' AND " +
      PlaceIn("p.place", 3, prefixes.size()) +
      ")"
      " SELECT place, channel_id, count(*) FROM joined GROUP BY place, channel_id"
      " UNION ALL SELECT place, '', count(DISTINCT contact_id) FROM joined GROUP BY place"
      " UNION ALL SELECT '', channel_id, count(DISTINCT contact_id) FROM joined"
      " GROUP BY channel_id"
      " UNION ALL SELECT '', '', count(DISTINCT contact_id) FROM joined"
      " ORDER BY 1, 2";
  auto s = stmts.Get(sql);
  if (!s) return Fail(s);
  (*s)->BindInt(1, scope.from);
  (*s)->BindInt(2, scope.to);
  BindPrefixes(**s, 3, prefixes);
  return Collect<ResidentCount>(**s, [](const Statement& st) {
    return ResidentCount{st.ColumnText(0), st.ColumnText(1), st.ColumnInt(2)};
  });
}

Result<std::vector<ProposalCount>> ProposalCounts(StatementCache& stmts,
                                                  const ReportScope& scope) {
  const std::vector<std::string> prefixes = Prefixes(scope);
  const Dialect d = stmts.dialect();
  const std::string sql =
      "SELECT " + std::string(kCasePlace) + ", " + TextField(d, "forum") +
      ", c.status, count(*), coalesce(sum(" + NumberField(d, "women") +
      "), 0) FROM cases c WHERE c.type = 'usulan' AND c.created_at >= ?1"
      " AND c.created_at < ?2 AND " +
      PlaceIn(kCasePlace, 3, prefixes.size()) + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
  auto s = stmts.Get(sql);
  if (!s) return Fail(s);
  (*s)->BindInt(1, scope.from);
  (*s)->BindInt(2, scope.to);
  BindPrefixes(**s, 3, prefixes);
  return Collect<ProposalCount>(**s, [](const Statement& st) {
    return ProposalCount{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2), st.ColumnInt(3),
                         st.ColumnInt(4)};
  });
}

Result<std::vector<ComplaintCount>> ComplaintCounts(StatementCache& stmts,
                                                    const ReportScope& scope) {
  const std::vector<std::string> prefixes = Prefixes(scope);
  const std::string sql =
      "SELECT " + std::string(kCasePlace) + ", " + TextField(stmts.dialect(), "category") +
      ", c.status, count(*),"
      " count(CASE WHEN d.answered_at > 0 THEN 1 END),"
      " count(CASE WHEN d.answer_due > 0 AND (d.answered_at > 0 OR d.answer_due <= ?3)"
      " THEN 1 END),"
      " count(CASE WHEN d.answer_due > 0 AND d.answered_at > 0"
      " AND d.answered_at <= d.answer_due THEN 1 END)"
      " FROM cases c LEFT JOIN case_desk d ON d.case_id = c.id"
      " WHERE c.type = 'pengaduan' AND c.created_at >= ?1 AND c.created_at < ?2 AND " +
      PlaceIn(kCasePlace, 4, prefixes.size()) + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
  auto s = stmts.Get(sql);
  if (!s) return Fail(s);
  (*s)->BindInt(1, scope.from);
  (*s)->BindInt(2, scope.to);
  (*s)->BindInt(3, scope.now);
  BindPrefixes(**s, 4, prefixes);
  return Collect<ComplaintCount>(**s, [](const Statement& st) {
    ComplaintCount c;
    c.place = st.ColumnText(0);
    c.category = st.ColumnText(1);
    c.status = st.ColumnText(2);
    c.count = st.ColumnInt(3);
    c.answered = st.ColumnInt(4);
    c.due = st.ColumnInt(5);
    c.answered_on_time = st.ColumnInt(6);
    return c;
  });
}

Result<std::vector<AnswerTime>> AnswerTimes(StatementCache& stmts, const ReportScope& scope) {
  const std::vector<std::string> prefixes = Prefixes(scope);
  const std::string sql =
      "SELECT " + std::string(kCasePlace) + ", " + TextField(stmts.dialect(), "category") +
      ", d.answered_at - c.created_at FROM cases c JOIN case_desk d ON d.case_id = c.id"
      " WHERE c.type = 'pengaduan' AND d.answered_at > 0 AND c.created_at >= ?1"
      " AND c.created_at < ?2 AND " +
      PlaceIn(kCasePlace, 3, prefixes.size()) + " ORDER BY 3, 1, 2";
  auto s = stmts.Get(sql);
  if (!s) return Fail(s);
  (*s)->BindInt(1, scope.from);
  (*s)->BindInt(2, scope.to);
  BindPrefixes(**s, 3, prefixes);
  return Collect<AnswerTime>(**s, [](const Statement& st) {
    return AnswerTime{st.ColumnText(0), st.ColumnText(1), st.ColumnInt(2)};
  });
}

Result<std::vector<InvitationCount>> InvitationCounts(StatementCache& stmts,
                                                      const ReportScope& scope) {
  const std::vector<std::string> prefixes = Prefixes(scope);
  // An invitation counts for a group when the invited contact is (or was)
  // one of its members.
  const std::string sql =
      "SELECT g.code, g.area, count(DISTINCT m.id), count(i.contact_id),"
      " count(CASE WHEN i.answer = 'hadir' THEN 1 END),"
      " count(CASE WHEN i.answer = 'tidak' THEN 1 END)"
      " FROM meetings m JOIN meeting_groups mg ON mg.meeting_id = m.id"
      " JOIN notice_groups g ON g.id = mg.group_id"
      " LEFT JOIN invitations i ON i.meeting_id = m.id AND i.contact_id IN"
      " (SELECT gm.contact_id FROM group_members gm WHERE gm.group_id = g.id)"
      " WHERE m.status = 'scheduled' AND m.starts_at >= ?1 AND m.starts_at < ?2 AND " +
      PlaceIn("g.area", 3, prefixes.size()) + " GROUP BY g.code, g.area ORDER BY g.code";
  auto s = stmts.Get(sql);
  if (!s) return Fail(s);
  (*s)->BindInt(1, scope.from);
  (*s)->BindInt(2, scope.to);
  BindPrefixes(**s, 3, prefixes);
  return Collect<InvitationCount>(**s, [](const Statement& st) {
    InvitationCount c;
    c.group_code = st.ColumnText(0);
    c.place = st.ColumnText(1);
    c.meetings = st.ColumnInt(2);
    c.invited = st.ColumnInt(3);
    c.hadir = st.ColumnInt(4);
    c.tidak = st.ColumnInt(5);
    return c;
  });
}

}  // namespace suaradesa::storage::sql_reports
