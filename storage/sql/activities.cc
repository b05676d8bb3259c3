#include "storage/sql/activities.h"

#include <string>
#include <utility>

#include "storage/sql/notices.h"
#include "storage/sql/rows.h"

namespace suaradesa::storage::sql_activities {

namespace {

using sql_rows::Collect;
using sql_rows::Fail;
using sql_rows::QueryOne;

constexpr const char* kActivitySelect =
    "SELECT a.id, a.case_id, c.number, a.desa_code, a.title, a.location, a.budget_blm,"
    " a.budget_swadaya, a.tpk, a.stage, a.progress, a.created_at, a.updated_at"
    " FROM activities a JOIN cases c ON c.id = a.case_id";

Activity ReadActivity(const Statement& s) {
  Activity a;
  a.id = s.ColumnInt(0);
  a.case_id = s.ColumnInt(1);
  a.case_number = s.ColumnInt(2);
  a.desa_code = s.ColumnText(3);
  a.title = s.ColumnText(4);
  a.location = s.ColumnText(5);
  a.budget_blm = s.ColumnInt(6);
  a.budget_swadaya = s.ColumnInt(7);
  a.tpk = s.ColumnText(8);
  a.stage = s.ColumnText(9);
  a.progress = static_cast<int>(s.ColumnInt(10));
  a.created_at = s.ColumnInt(11);
  a.updated_at = s.ColumnInt(12);
  return a;
}

Result<std::optional<Activity>> OneActivity(StatementCache& stmts, const char* where,
                                            int64_t value) {
  auto s = stmts.Get(std::string(kActivitySelect) + where);
  if (!s) return Fail(s);
  (*s)->BindInt(1, value);
  return QueryOne<Activity>(**s, ReadActivity);
}

std::string NotFoundText(int64_t activity_id) {
  return "activity " + std::to_string(activity_id) + " not found";
}

}  // namespace

Result<std::vector<Activity>> ActivitiesOf(StatementCache& stmts, const std::string& desa_code) {
  auto s = stmts.Get(std::string(kActivitySelect) +
                     " WHERE a.desa_code = ?1 ORDER BY c.number, a.id");
  if (!s) return Fail(s);
  (*s)->BindText(1, desa_code);
  return Collect<Activity>(**s, ReadActivity);
}

Result<std::vector<Activity>> ListActivities(StatementCache& stmts) {
  auto s = stmts.Get(std::string(kActivitySelect) + " ORDER BY a.desa_code, c.number, a.id");
  if (!s) return Fail(s);
  return Collect<Activity>(**s, ReadActivity);
}

Result<std::optional<Activity>> GetActivity(StatementCache& stmts, int64_t activity_id) {
  return OneActivity(stmts, " WHERE a.id = ?1", activity_id);
}

Result<std::optional<Activity>> ActivityOfCase(StatementCache& stmts, int64_t case_id) {
  return OneActivity(stmts, " WHERE a.case_id = ?1", case_id);
}

Result<std::vector<ActivityNote>> NotesOf(StatementCache& stmts, int64_t activity_id) {
  auto s = stmts.Get(
      "SELECT id, activity_id, at, progress, note, actor FROM activity_notes"
      " WHERE activity_id = ?1 ORDER BY id");
  if (!s) return Fail(s);
  (*s)->BindInt(1, activity_id);
  return Collect<ActivityNote>(**s, [](const Statement& st) {
    ActivityNote n;
    n.id = st.ColumnInt(0);
    n.activity_id = st.ColumnInt(1);
    n.at = st.ColumnInt(2);
    n.progress = static_cast<int>(st.ColumnInt(3));
    n.note = st.ColumnText(4);
    n.actor = st.ColumnText(5);
    return n;
  });
}

Result<std::vector<Tranche>> TranchesOf(StatementCache& stmts, int64_t activity_id) {
  auto s = stmts.Get(
      "SELECT activity_id, tahap, amount, released_at FROM activity_tranches"
      " WHERE activity_id = ?1 ORDER BY tahap");
  if (!s) return Fail(s);
  (*s)->BindInt(1, activity_id);
  return Collect<Tranche>(**s, [](const Statement& st) {
    Tranche t;
    t.activity_id = st.ColumnInt(0);
    t.tahap = static_cast<int>(st.ColumnInt(1));
    t.amount = st.ColumnInt(2);
    t.released_at = st.ColumnInt(3);
    return t;
  });
}

Result<std::vector<Meeting>> MeetingsOfActivity(StatementCache& stmts, int64_t activity_id) {
  Result<std::vector<int64_t>> ids = [&]() -> Result<std::vector<int64_t>> {
    auto s = stmts.Get(
        "SELECT id FROM meetings WHERE activity_id = ?1 AND activity_id != 0"
        " ORDER BY starts_at, id");
    if (!s) return Fail(s);
    (*s)->BindInt(1, activity_id);
    return Collect<int64_t>(**s, [](const Statement& st) { return st.ColumnInt(0); });
  }();
  if (!ids) return Fail(ids);
  // Each meeting as the notices read it, with its groups (the statement
  // above is released first: GetMeeting takes its own from the cache).
  std::vector<Meeting> out;
  for (int64_t id : *ids) {
    Result<std::optional<Meeting>> m = sql_notices::GetMeeting(stmts, id);
    if (!m) return Fail(m);
    if (*m) out.push_back(std::move(**m));
  }
  return out;
}

Result<int64_t> ComplaintCountOf(StatementCache& stmts, int64_t activity_id) {
  auto s = stmts.Get("SELECT count(*) FROM activity_complaints WHERE activity_id = ?1");
  if (!s) return Fail(s);
  (*s)->BindInt(1, activity_id);
  auto row = QueryOne<int64_t>(**s, [](const Statement& st) { return st.ColumnInt(0); });
  if (!row) return Fail(row);
  return row->value_or(0);
}

Result<std::vector<ActivityFollower>> FollowersOf(StatementCache& stmts, int64_t activity_id) {
  auto s = stmts.Get(
      "SELECT activity_id, contact_id, following, at FROM activity_followers"
      " WHERE activity_id = ?1 ORDER BY contact_id");
  if (!s) return Fail(s);
  (*s)->BindInt(1, activity_id);
  return Collect<ActivityFollower>(**s, [](const Statement& st) {
    ActivityFollower f;
    f.activity_id = st.ColumnInt(0);
    f.contact_id = st.ColumnInt(1);
    f.following = st.ColumnInt(2) != 0;
    f.at = st.ColumnInt(3);
    return f;
  });
}

Result<Activity> CreateActivity(StatementCache& stmts, Activity a) {
  int64_t number = 0;
  {
    auto s = stmts.Get("SELECT number FROM cases WHERE id = ?1");
    if (!s) return Fail(s);
    (*s)->BindInt(1, a.case_id);
    auto row = QueryOne<int64_t>(**s, [](const Statement& st) { return st.ColumnInt(0); });
    if (!row) return Fail(row);
    if (!*row) {
      return std::unexpected(Error::NotFound("case " + std::to_string(a.case_id) + " not found"));
    }
    number = **row;
  }
  if (a.updated_at == 0) a.updated_at = a.created_at;
  if (a.stage.empty()) a.stage = "persiapan";
  auto s = stmts.Get(
      "INSERT INTO activities (case_id, desa_code, title, location, budget_blm, budget_swadaya,"
      " tpk, stage, progress, created_at, updated_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id");
  if (!s) return Fail(s);
  (*s)->BindInt(1, a.case_id);
  (*s)->BindText(2, a.desa_code);
  (*s)->BindText(3, a.title);
  (*s)->BindText(4, a.location);
  (*s)->BindInt(5, a.budget_blm);
  (*s)->BindInt(6, a.budget_swadaya);
  (*s)->BindText(7, a.tpk);
  (*s)->BindText(8, a.stage);
  (*s)->BindInt(9, a.progress);
  (*s)->BindInt(10, a.created_at);
  (*s)->BindInt(11, a.updated_at);
  Result<int64_t> id = sql_rows::InsertedId(**s);
  if (!id) {
    if (id.error().kind == Error::Kind::kConflict) {
      return std::unexpected(Error::Conflict("USL-" + std::to_string(number) +
                                             " already has an activity"));
    }
    return Fail(id);
  }
  a.id = *id;
  a.case_number = number;
  return a;
}

Status UpdateActivity(StatementCache& stmts, const Activity& a) {
  auto s = stmts.Get(
      "UPDATE activities SET title = ?2, location = ?3, budget_blm = ?4, budget_swadaya = ?5,"
      " tpk = ?6, stage = ?7, progress = ?8, updated_at = ?9 WHERE id = ?1");
  if (!s) return Fail(s);
  (*s)->BindInt(1, a.id);
  (*s)->BindText(2, a.title);
  (*s)->BindText(3, a.location);
  (*s)->BindInt(4, a.budget_blm);
  (*s)->BindInt(5, a.budget_swadaya);
  (*s)->BindText(6, a.tpk);
  (*s)->BindText(7, a.stage);
  (*s)->BindInt(8, a.progress);
  (*s)->BindInt(9, a.updated_at);
  if (Status r = (*s)->Run(); !r) return r;
  if (stmts.db().Changes() == 0) return std::unexpected(Error::NotFound(NotFoundText(a.id)));
  return {};
}

Result<int64_t> AddActivityNote(StatementCache& stmts, const ActivityNote& note) {
  {
    auto u = stmts.Get("UPDATE activities SET progress = ?2, updated_at = ?3 WHERE id = ?1");
    if (!u) return Fail(u);
    (*u)->BindInt(1, note.activity_id);
    (*u)->BindInt(2, note.progress);
    (*u)->BindInt(3, note.at);
    if (Status r = (*u)->Run(); !r) return Fail(r);
    if (stmts.db().Changes() == 0) {
      return std::unexpected(Error::NotFound(NotFoundText(note.activity_id)));
    }
  }
  auto s = stmts.Get(
      "INSERT INTO activity_notes (activity_id, at, progress, note, actor)"
      " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
  if (!s) return Fail(s);
  (*s)->BindInt(1, note.activity_id);
  (*s)->BindInt(2, note.at);
  (*s)->BindInt(3, note.progress);
  (*s)->BindText(4, note.note);
  (*s)->BindText(5, note.actor);
  return sql_rows::InsertedId(**s);
}

Status AddTranche(StatementCache& stmts, const Tranche& tranche) {
  auto s = stmts.Get(
      "INSERT INTO activity_tranches (activity_id, tahap, amount, released_at)"
      " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (activity_id, tahap) DO NOTHING");
  if (!s) return Fail(s);
  (*s)->BindInt(1, tranche.activity_id);
  (*s)->BindInt(2, tranche.tahap);
  (*s)->BindInt(3, tranche.amount);
  (*s)->BindInt(4, tranche.released_at);
  if (Status r = (*s)->Run(); !r) return r;
  if (stmts.db().Changes() == 0) {
    return std::unexpected(Error::Conflict("tahap " + std::to_string(tranche.tahap) +
                                           " was already recorded"));
  }
  return {};
}

Status SetMeetingActivity(StatementCache& stmts, int64_t meeting_id, int64_t activity_id) {
  auto s = stmts.Get("UPDATE meetings SET activity_id = ?2 WHERE id = ?1");
  if (!s) return Fail(s);
  (*s)->BindInt(1, meeting_id);
  (*s)->BindInt(2, activity_id);
  if (Status r = (*s)->Run(); !r) return r;
  if (stmts.db().Changes() == 0) {
    return std::unexpected(Error::NotFound("meeting " + std::to_string(meeting_id) +
                                           " not found"));
  }
  return {};
}

Result<bool> LinkComplaint(StatementCache& stmts, int64_t activity_id, int64_t complaint_case_id) {
  auto s = stmts.Get(
      "INSERT INTO activity_complaints (activity_id, case_id) VALUES (?1, ?2)"
      " ON CONFLICT (case_id) DO NOTHING");
  if (!s) return Fail(s);
  (*s)->BindInt(1, activity_id);
  (*s)->BindInt(2, complaint_case_id);
  if (Status r = (*s)->Run(); !r) return Fail(r);
  return stmts.db().Changes() > 0;
}

Status SetFollowing(StatementCache& stmts, const ActivityFollower& f) {
  auto s = stmts.Get(
      "INSERT INTO activity_followers (activity_id, contact_id, following, at)"
      " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (activity_id, contact_id)"
      " DO UPDATE SET following = excluded.following, at = excluded.at");
  if (!s) return Fail(s);
  (*s)->BindInt(1, f.activity_id);
  (*s)->BindInt(2, f.contact_id);
  (*s)->BindInt(3, f.following ? 1 : 0);
  (*s)->BindInt(4, f.at);
  return (*s)->Run();
}

Result<bool> ClaimMilestone(StatementCache& stmts, int64_t activity_id,
                            const std::string& milestone, int64_t at) {
  auto s = stmts.Get(
      "INSERT INTO activity_milestones (activity_id, milestone, at) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (activity_id, milestone) DO NOTHING");
  if (!s) return Fail(s);
  (*s)->BindInt(1, activity_id);
  (*s)->BindText(2, milestone);
  (*s)->BindInt(3, at);
  if (Status r = (*s)->Run(); !r) return Fail(r);
  return stmts.db().Changes() > 0;
}

}  // namespace suaradesa::storage::sql_activities
