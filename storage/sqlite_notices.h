// The meeting notices' part of the SQLite store (issue 5): groups and their
// members, meetings, invitations and RSVPs, broadcasts, and the ledger of
// scheduled sends.
//
// Free functions over one open connection, called by SqliteTx inside its
// transaction (sqlite_store.cc). Most calls are light and prepare their
// statements per call; QueueNotices, which fans a notice out to thousands
// of members, prepares its statements once per call and reuses them.
#ifndef SUARADESA_STORAGE_SQLITE_NOTICES_H_
#define SUARADESA_STORAGE_SQLITE_NOTICES_H_

#include <optional>
#include <string>
#include <vector>

#include "storage/sqlite.h"
#include "storage/store.h"

namespace suaradesa::storage::sqlite_notices {

Result<Group> CreateGroup(Database& db, const Group& group);
Result<std::optional<Group>> FindGroup(Database& db, const std::string& code);
Result<std::vector<Group>> ListGroups(Database& db);
Result<std::vector<Member>> GroupMembers(Database& db, int64_t group_id);
Result<bool> AddMember(Database& db, int64_t group_id, int64_t contact_id,
                       const std::string& source, int64_t now);
Result<bool> RemoveMember(Database& db, int64_t group_id, int64_t contact_id, int64_t now);
Result<int64_t> EnsureContact(Database& db, const std::string& channel_id,
                              const std::string& address, const std::string& name, int64_t now);
Result<std::optional<int64_t>> FindContactByAddress(Database& db, const std::string& address);
Result<int64_t> CreateMeeting(Database& db, const Meeting& meeting);
Result<std::optional<Meeting>> GetMeeting(Database& db, int64_t id);
Status UpdateMeeting(Database& db, const Meeting& meeting);
Result<std::vector<Meeting>> UpcomingMeetings(Database& db, int64_t now);
Result<std::vector<Member>> Recipients(Database& db, const std::vector<std::string>& group_codes,
                                       int64_t meeting_id);
Result<std::vector<ScheduledSend>> ScheduledSends(Database& db, int64_t meeting_id);
Result<int> QueueNotices(Database& db, const std::vector<QueuedNotice>& notices);
Result<std::vector<int64_t>> WithdrawPendingNotices(Database& db, int64_t meeting_id,
                                                    const std::string& note, int64_t now);
Result<std::vector<int64_t>> NotifiedContacts(Database& db, int64_t meeting_id);
Result<std::vector<Invitation>> InvitationsOfMeeting(Database& db, int64_t meeting_id);
Result<std::vector<MeetingInvitation>> UpcomingInvitations(Database& db, int64_t contact_id,
                                                           int64_t now);
Status SetRsvp(Database& db, int64_t meeting_id, int64_t contact_id, const std::string& answer,
               const std::string& reason, int64_t now);
Result<int64_t> CreateBroadcast(Database& db, const Broadcast& broadcast);

}  // namespace suaradesa::storage::sqlite_notices

#endif  // SUARADESA_STORAGE_SQLITE_NOTICES_H_
