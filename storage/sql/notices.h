// The meeting notices' part of the SQLite store (issue 5): groups and their
// members, meetings, invitations and RSVPs, broadcasts, and the ledger of
// scheduled sends.
//
// Free functions over the store's statement cache (storage/sql/statement_cache.h),
// called by SqlTx inside its transaction (storage/sql/tx.cc). Each SQL is
// prepared once per connection; QueueNotices, which fans a notice out to
// thousands of members, holds its statements for the whole fan-out.
#ifndef SUARADESA_STORAGE_SQLITE_NOTICES_H_
#define SUARADESA_STORAGE_SQLITE_NOTICES_H_

#include <optional>
#include <string>
#include <vector>

#include "storage/sql/statement_cache.h"
#include "storage/store.h"

namespace suaradesa::storage::sql_notices {

Result<Group> CreateGroup(StatementCache& stmts, const Group& group);
Result<std::optional<Group>> FindGroup(StatementCache& stmts, const std::string& code);
Result<std::vector<Group>> ListGroups(StatementCache& stmts);
Result<std::vector<Member>> GroupMembers(StatementCache& stmts, int64_t group_id);
Result<bool> AddMember(StatementCache& stmts, int64_t group_id, int64_t contact_id,
                       const std::string& source, int64_t now);
Result<bool> RemoveMember(StatementCache& stmts, int64_t group_id, int64_t contact_id,
                          int64_t now);
Result<int64_t> EnsureContact(StatementCache& stmts, const std::string& channel_id,
                              const std::string& address, const std::string& name, int64_t now);
Result<std::optional<int64_t>> FindContactByAddress(StatementCache& stmts,
                                                    const std::string& address);
Result<int64_t> CreateMeeting(StatementCache& stmts, const Meeting& meeting);
Result<std::optional<Meeting>> GetMeeting(StatementCache& stmts, int64_t id);
Status UpdateMeeting(StatementCache& stmts, const Meeting& meeting);
Result<std::vector<Meeting>> UpcomingMeetings(StatementCache& stmts, int64_t now);
Result<std::vector<Member>> Recipients(StatementCache& stmts,
                                       const std::vector<std::string>& group_codes,
                                       int64_t meeting_id);
Result<std::vector<ScheduledSend>> ScheduledSends(StatementCache& stmts, int64_t meeting_id);
Result<int> QueueNotices(StatementCache& stmts, const std::vector<QueuedNotice>& notices);
Result<std::vector<int64_t>> WithdrawPendingNotices(StatementCache& stmts, int64_t meeting_id,
                                                    const std::string& note, int64_t now);
Result<std::vector<int64_t>> NotifiedContacts(StatementCache& stmts, int64_t meeting_id);
Result<std::vector<Invitation>> InvitationsOfMeeting(StatementCache& stmts, int64_t meeting_id);
Result<std::vector<MeetingInvitation>> UpcomingInvitations(StatementCache& stmts,
                                                           int64_t contact_id, int64_t now);
Status SetRsvp(StatementCache& stmts, int64_t meeting_id, int64_t contact_id,
               const std::string& answer, const std::string& reason, int64_t now);
Result<int64_t> CreateBroadcast(StatementCache& stmts, const Broadcast& broadcast);

}  // namespace suaradesa::storage::sql_notices

#endif  // SUARADESA_STORAGE_SQLITE_NOTICES_H_
