// The activities' part of the store (issue 18): activities, their progress
// notes, tranches, linked meetings and complaints, followers and the
// milestones already announced.
//
// Free functions over the store's statement cache (storage/sql/statement_cache.h),
// called by SqlTx inside its transaction (storage/sql/tx.cc).
#ifndef SUARADESA_STORAGE_SQL_ACTIVITIES_H_
#define SUARADESA_STORAGE_SQL_ACTIVITIES_H_

#include <optional>
#include <string>
#include <vector>

#include "storage/sql/statement_cache.h"
#include "storage/store.h"

namespace suaradesa::storage::sql_activities {

Result<std::vector<Activity>> ActivitiesOf(StatementCache& stmts, const std::string& desa_code);
Result<std::vector<Activity>> ListActivities(StatementCache& stmts);
Result<std::optional<Activity>> GetActivity(StatementCache& stmts, int64_t activity_id);
Result<std::optional<Activity>> ActivityOfCase(StatementCache& stmts, int64_t case_id);
Result<std::vector<ActivityNote>> NotesOf(StatementCache& stmts, int64_t activity_id);
Result<std::vector<Tranche>> TranchesOf(StatementCache& stmts, int64_t activity_id);
Result<std::vector<Meeting>> MeetingsOfActivity(StatementCache& stmts, int64_t activity_id);
Result<int64_t> ComplaintCountOf(StatementCache& stmts, int64_t activity_id);
Result<std::vector<ActivityFollower>> FollowersOf(StatementCache& stmts, int64_t activity_id);
Result<Activity> CreateActivity(StatementCache& stmts, Activity a);
Status UpdateActivity(StatementCache& stmts, const Activity& a);
Result<int64_t> AddActivityNote(StatementCache& stmts, const ActivityNote& note);
Status AddTranche(StatementCache& stmts, const Tranche& tranche);
Status SetMeetingActivity(StatementCache& stmts, int64_t meeting_id, int64_t activity_id);
Result<bool> LinkComplaint(StatementCache& stmts, int64_t activity_id, int64_t complaint_case_id);
Status SetFollowing(StatementCache& stmts, const ActivityFollower& follower);
Result<bool> ClaimMilestone(StatementCache& stmts, int64_t activity_id,
                            const std::string& milestone, int64_t at);

}  // namespace suaradesa::storage::sql_activities

#endif  // SUARADESA_STORAGE_SQL_ACTIVITIES_H_
