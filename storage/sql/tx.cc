// SqlTx: the Tx (storage/store.h) of both backends, over one connection's
// statement cache. Everything a Store::Transact or Store::Read callback does
// runs here; the backend decides only how the transaction around it begins
// and ends (storage/sqlite/store.cc, storage/postgres/store.cc).
#include "storage/sql/tx.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/sql/activities.h"
#include "storage/sql/audit.h"
#include "storage/sql/contacts.h"
#include "storage/sql/desk.h"
#include "storage/sql/notices.h"
#include "storage/sql/outbox.h"
#include "storage/sql/rights.h"
#include "storage/sql/reports.h"
#include "storage/sql/rows.h"

namespace suaradesa::storage {

using namespace sql_rows;  // NOLINT: the row helpers are this file's vocabulary

namespace {

// The condition "the outbox row's payload has "key" = ?2". SQLite skips a
// payload that is not JSON; on PostgreSQL every payload is JSON (Enqueue
// writes "{}" for none; gateway/outbound/payload.h writes the rest).
std::string PayloadKeyIs(Dialect dialect) {
  if (dialect == Dialect::kPostgres) return "(payload_json::jsonb ->> 'key') = ?2";
  return "json_valid(payload_json) AND json_extract(payload_json, '$.key') = ?2";
}

// The four reads of Tx::ContactReadsOf, each also a Tx call of its own.
// RecentInboundOf: a range in messages_contact_created (0005), replies and
// all. The direction is counted, not filtered: as a filter, PostgreSQL
// planning with stale statistics joined in the whole partial index of
// inbound messages (messages_inbound_provider), 0.4-1.2 ms a call.
constexpr char kRecentInboundSql[] =
    "SELECT count(CASE WHEN direction = 'in' THEN 1 END),"
    " count(CASE WHEN direction = 'in' AND status = 'throttled' THEN 1 END) FROM messages"
    " WHERE contact_id = ?1 AND created_at >= ?2";
constexpr char kSessionSql[] =
    "SELECT contact_id, flow, node, vars_json, updated_at, conversation_id, version"
    " FROM sessions WHERE contact_id = ?1";
// HasPendingInvitation: invitations_contact, then each meeting by its
// primary key.
constexpr char kPendingInvitationSql[] =
    "SELECT EXISTS (SELECT 1 FROM invitations i JOIN meetings m ON m.id = i.meeting_id"
    " WHERE i.contact_id = ?1 AND i.answer = '' AND m.status = 'scheduled'"
    " AND m.starts_at > ?2)";
std::string CasesOfContactSql() {
  return std::string(kCaseSelect) + " WHERE contact_id = ?1 ORDER BY id";
}

Result<RecentInbound> ReadRecentInbound(Statement& s) {
  auto row = QueryOne<RecentInbound>(s, [](const Statement& st) {
    return RecentInbound{st.ColumnInt(0), st.ColumnInt(1)};
  });
  if (!row) return Fail(row);
  return row->value_or(RecentInbound{});
}

// The session row, or an empty Session of `contact_id` when none.
Result<Session> ReadSession(Statement& s, int64_t contact_id) {
  auto found = QueryOne<Session>(s, [](const Statement& st) {
    Session out;
    out.contact_id = st.ColumnInt(0);
    out.flow = st.ColumnText(1);
    out.node = st.ColumnText(2);
    out.vars_json = st.ColumnText(3);
    out.updated_at = st.ColumnInt(4);
    out.conversation_id = st.ColumnInt(5);
    out.version = st.ColumnInt(6);
    return out;
  });
  if (!found) return Fail(found);
  if (*found) return **found;
  Session none;
  none.contact_id = contact_id;
  return none;
}

Result<bool> ReadExists(Statement& s) {
  auto row = QueryOne<bool>(s, [](const Statement& st) { return st.ColumnInt(0) != 0; });
  if (!row) return Fail(row);
  return row->value_or(false);
}

// The Tx handed to Store::Transact callbacks. Remembers the first I/O error
// any statement hit, so a transaction whose callback ignored a failed write
// is still rolled back rather than committed half-done.
class SqlTx final : public Tx {
 public:
  // `stmts` must outlive the Tx.
  explicit SqlTx(StatementCache& stmts) : stmts_(stmts) {}

  const std::optional<Error>& io_error() const { return io_error_; }

  Result<int64_t> InsertInbound(const Message& m) override { return Note(DoInsertInbound(m)); }
  Result<Contact> UpsertContact(const std::string& channel_id, const std::string& address,
                                const std::string& name, int64_t now) override {
    return FindOrCreateContact(ContactRef{channel_id, address, name, {}, ""}, now);
  }
  Result<Contact> FindOrCreateContact(const ContactRef& ref, int64_t now) override {
    Result<int64_t> id = Note(sql_contacts::FindOrCreate(stmts_, ref, now));
    if (!id) return std::unexpected(id.error());
    return Note(DoGetContact(*id));
  }
  Result<bool> ChangeAddress(const std::string& channel_id, const std::string& change_id,
                             const std::string& old_address, const std::string& new_address,
                             int64_t at) override {
    return Note(sql_contacts::ChangeAddress(stmts_, channel_id, change_id, old_address,
                                               new_address, at));
  }
  Result<std::optional<Contact>> FindContact(const ContactRef& ref) override {
    // The usual case, a known address, in one query (one round trip on
    // PostgreSQL, where every inbound message begins with it).
    Result<std::optional<Contact>> at =
        Note(sql_contacts::ContactRowAt(stmts_, ref.channel_id, ref.address));
    if (!at || *at) return at;
    Result<int64_t> id = Note(sql_contacts::FindElsewhere(stmts_, ref));
    if (!id) return std::unexpected(id.error());
    if (*id == 0) return std::nullopt;
    Result<Contact> c = Note(DoGetContact(*id));
    if (!c) return std::unexpected(c.error());
    return *c;
  }
  Status TouchContact(const ContactRef& ref, int64_t contact_id, int64_t now) override {
    return Note(sql_contacts::Touch(stmts_, ref, contact_id, now));
  }
  Result<Contact> GetContact(int64_t contact_id) override { return Note(DoGetContact(contact_id)); }
  Status SetOptOut(int64_t contact_id, bool opted_out, int64_t now) override {
    return Note(DoSetOptOut(contact_id, opted_out, now));
  }
  Status SetLanguage(int64_t contact_id, const std::string& language) override {
    return Note(DoSetLanguage(contact_id, language));
  }
  Result<std::string> KnownDesaOf(int64_t contact_id) override {
    return Note(DoKnownDesaOf(contact_id));
  }
  Status RememberDesa(int64_t contact_id, const std::string& desa_code, int64_t now) override {
    return Note(DoRememberDesa(contact_id, desa_code, now));
  }
  Result<std::vector<Address>> AddressesOf(int64_t contact_id) override {
    return Note(DoAddressesOf(contact_id));
  }
  Status MarkUnreachable(const std::string& channel_id, const std::string& address) override {
    return Note(DoMarkUnreachable(channel_id, address));
  }
  Result<Session> GetSession(int64_t contact_id) override { return Note(DoGetSession(contact_id)); }
  Status PutSession(const Session& s) override { return Note(DoPutSession(s)); }
  Result<Case> CreateCase(Case c) override { return Note(DoCreateCase(std::move(c))); }
  Result<Case> GetCase(CaseType type, int64_t number) override {
    return Note(DoGetCase(type, number));
  }
  Result<std::vector<Case>> CasesOfContact(int64_t contact_id) override {
    return Note(DoCasesOfContact(contact_id));
  }
  Status AddCaseEvent(const CaseEvent& e) override { return Note(DoAddCaseEvent(e)); }
  Result<std::vector<CaseEvent>> CaseEvents(int64_t case_id) override {
    return Note(DoCaseEvents(case_id));
  }
  Status SetCaseStatus(int64_t case_id, const std::string& status, int64_t now) override {
    return Note(DoSetCaseStatus(case_id, status, now));
  }
  Status UpdateCaseDetails(const Case& c) override { return Note(DoUpdateCaseDetails(c)); }
  Result<int64_t> Enqueue(const OutboxItem& item, const std::string& text) override {
    return Note(DoEnqueue(item, text));
  }
  Result<int> CancelWaitingBroadcasts(int64_t contact_id, const std::string& error,
                                      int64_t now) override {
    return Note(sql_outbox::CancelWaitingBroadcasts(stmts_, contact_id, error, now));
  }
  Result<int> CancelWaitingFromGroup(int64_t contact_id, int64_t group_id,
                                     const std::string& error, int64_t now) override {
    return Note(sql_outbox::CancelWaitingFromGroup(stmts_, contact_id, group_id, error, now));
  }

  // --- The facilitator desk: implemented in storage/sql/desk.cc ---
  Result<int64_t> CreateToken(const Token& t) override {
    return Note(sql_desk::CreateToken(stmts_, t));
  }
  Result<std::optional<Token>> FindToken(const std::string& hash) override {
    return Note(sql_desk::FindToken(stmts_, hash));
  }
  Result<std::vector<Token>> ListTokens() override {
    return Note(sql_desk::ListTokens(stmts_));
  }
  Status RevokeToken(int64_t id, int64_t now) override {
    return Note(sql_desk::RevokeToken(stmts_, id, now));
  }
  Status PutStaff(const Staff& staff) override {
    return Note(sql_desk::PutStaff(stmts_, staff));
  }
  Result<std::vector<Staff>> ListStaff() override {
    return Note(sql_desk::ListStaff(stmts_));
  }
  Result<CaseDesk> GetCaseDesk(int64_t case_id) override {
    return Note(sql_desk::GetCaseDesk(stmts_, case_id));
  }
  Status PutCaseDesk(const CaseDesk& desk) override {
    return Note(sql_desk::PutCaseDesk(stmts_, desk));
  }
  Result<std::vector<DeskCase>> QueryCases(const DeskQuery& query) override {
    return Note(sql_desk::QueryCases(stmts_, query));
  }
  Status SetConversation(int64_t message_id, int64_t conversation_id) override {
    return Note(sql_desk::SetConversation(stmts_, message_id, conversation_id));
  }
  Status LinkConversation(int64_t case_id, int64_t conversation_id) override {
    return Note(sql_desk::LinkConversation(stmts_, case_id, conversation_id));
  }
  Status LinkMessage(int64_t case_id, int64_t message_id) override {
    return Note(sql_desk::LinkMessage(stmts_, case_id, message_id));
  }
  Result<std::vector<Message>> CaseMessages(int64_t case_id) override {
    return Note(sql_desk::CaseMessages(stmts_, case_id));
  }
  Result<std::string> GetMeta(const std::string& key) override {
    return Note(sql_desk::GetMeta(stmts_, key));
  }

  // --- Participation figures: implemented in storage/sql/reports.cc ---
  Result<std::vector<ResidentCount>> ResidentCounts(const ReportScope& scope) override {
    return Note(sql_reports::ResidentCounts(stmts_, scope));
  }
  Result<std::vector<ProposalCount>> ProposalCounts(const ReportScope& scope) override {
    return Note(sql_reports::ProposalCounts(stmts_, scope));
  }
  Result<std::vector<ComplaintCount>> ComplaintCounts(const ReportScope& scope) override {
    return Note(sql_reports::ComplaintCounts(stmts_, scope));
  }
  Result<std::vector<AnswerTime>> AnswerTimes(const ReportScope& scope) override {
    return Note(sql_reports::AnswerTimes(stmts_, scope));
  }
  Result<std::vector<InvitationCount>> InvitationCounts(const ReportScope& scope) override {
    return Note(sql_reports::InvitationCounts(stmts_, scope));
  }

  // --- Channels (issue 4): outbound policies ---
  Result<int64_t> LastQueuedWithKey(int64_t contact_id, const std::string& key) override {
    auto q = stmts_.Get(std::string(
                            "SELECT coalesce(max(created_at), 0) FROM outbox WHERE contact_id = ?1"
                            " AND ") +
                        PayloadKeyIs(stmts_.dialect()));
    if (!q) return Note(Result<int64_t>(Fail(q)));
    (*q)->BindInt(1, contact_id);
    (*q)->BindText(2, key);
    auto row = QueryOne<int64_t>(**q, [](const Statement& st) { return st.ColumnInt(0); });
    if (!row) return Note(Result<int64_t>(Fail(row)));
    return row->value_or(0);
  }
  Result<bool> ReplacePendingWithKey(int64_t contact_id, const std::string& key,
                                     const std::string& payload_json,
                                     const std::string& text) override {
    using Row = std::pair<int64_t, int64_t>;  // (outbox id, message id)
    auto q = stmts_.Get(
        std::string("SELECT id, coalesce(message_id, 0) FROM outbox WHERE contact_id = ?1"
                    " AND state = 'pending' AND ") +
        PayloadKeyIs(stmts_.dialect()) + " LIMIT 2");
    if (!q) return Note(Result<bool>(Fail(q)));
    (*q)->BindInt(1, contact_id);
    (*q)->BindText(2, key);
    auto rows = Collect<Row>(**q, [](const Statement& st) {
      return Row{st.ColumnInt(0), st.ColumnInt(1)};
    });
    if (!rows) return Note(Result<bool>(Fail(rows)));
    if (rows->size() != 1) return false;
    const Row row = rows->front();
    {
      auto u = stmts_.Get("UPDATE outbox SET payload_json = ?2 WHERE id = ?1");
      if (!u) return Note(Result<bool>(Fail(u)));
      (*u)->BindInt(1, row.first);
      (*u)->BindText(2, payload_json);
      if (Status r = (*u)->Run(); !r) return Note(Result<bool>(Fail(r)));
    }
    if (row.second != 0) {
      auto u = stmts_.Get("UPDATE messages SET text = ?2 WHERE id = ?1");
      if (!u) return Note(Result<bool>(Fail(u)));
      (*u)->BindInt(1, row.second);
      (*u)->BindText(2, text);
      if (Status r = (*u)->Run(); !r) return Note(Result<bool>(Fail(r)));
    }
    return true;
  }
  Result<RecentInbound> RecentInboundOf(int64_t contact_id, int64_t since) override {
    auto q = stmts_.Get(kRecentInboundSql);
    if (!q) return Note(Result<RecentInbound>(Fail(q)));
    (*q)->BindInt(1, contact_id);
    (*q)->BindInt(2, since);
    return Note(ReadRecentInbound(**q));
  }
  Result<ContactReads> ContactReadsOf(int64_t contact_id, int64_t inbound_since,
                                      int64_t now) override {
    return Note(DoContactReadsOf(contact_id, inbound_since, now));
  }

  // --- Activities (issue 18): implemented in storage/sql/activities.cc ---
  Result<std::vector<Activity>> ActivitiesOf(const std::string& desa_code) override {
    return Note(sql_activities::ActivitiesOf(stmts_, desa_code));
  }
  Result<std::vector<Activity>> ListActivities() override {
    return Note(sql_activities::ListActivities(stmts_));
  }
  Result<std::optional<Activity>> GetActivity(int64_t activity_id) override {
    return Note(sql_activities::GetActivity(stmts_, activity_id));
  }
  Result<std::optional<Activity>> ActivityOfCase(int64_t case_id) override {
    return Note(sql_activities::ActivityOfCase(stmts_, case_id));
  }
  Result<std::vector<ActivityNote>> NotesOf(int64_t activity_id) override {
    return Note(sql_activities::NotesOf(stmts_, activity_id));
  }
  Result<std::vector<Tranche>> TranchesOf(int64_t activity_id) override {
    return Note(sql_activities::TranchesOf(stmts_, activity_id));
  }
  Result<std::vector<Meeting>> MeetingsOfActivity(int64_t activity_id) override {
    return Note(sql_activities::MeetingsOfActivity(stmts_, activity_id));
  }
  Result<int64_t> ComplaintCountOf(int64_t activity_id) override {
    return Note(sql_activities::ComplaintCountOf(stmts_, activity_id));
  }
  Result<std::vector<ActivityFollower>> FollowersOf(int64_t activity_id) override {
    return Note(sql_activities::FollowersOf(stmts_, activity_id));
  }
  Result<Activity> CreateActivity(Activity a) override {
    return Note(sql_activities::CreateActivity(stmts_, std::move(a)));
  }
  Status UpdateActivity(const Activity& a) override {
    return Note(sql_activities::UpdateActivity(stmts_, a));
  }
  Result<int64_t> AddActivityNote(const ActivityNote& note) override {
    return Note(sql_activities::AddActivityNote(stmts_, note));
  }
  Status AddTranche(const Tranche& tranche) override {
    return Note(sql_activities::AddTranche(stmts_, tranche));
  }
  Status SetMeetingActivity(int64_t meeting_id, int64_t activity_id) override {
    return Note(sql_activities::SetMeetingActivity(stmts_, meeting_id, activity_id));
  }
  Result<bool> LinkComplaint(int64_t activity_id, int64_t complaint_case_id) override {
    return Note(sql_activities::LinkComplaint(stmts_, activity_id, complaint_case_id));
  }
  Status SetFollowing(const ActivityFollower& follower) override {
    return Note(sql_activities::SetFollowing(stmts_, follower));
  }
  Result<bool> ClaimMilestone(int64_t activity_id, const std::string& milestone,
                              int64_t at) override {
    return Note(sql_activities::ClaimMilestone(stmts_, activity_id, milestone, at));
  }

  // --- Meeting notices (issue 5): implemented in storage/sql/notices.cc ---
  Result<Group> CreateGroup(const Group& g) override {
    return Note(sql_notices::CreateGroup(stmts_, g));
  }
  Result<std::optional<Group>> FindGroup(const std::string& code) override {
    return Note(sql_notices::FindGroup(stmts_, code));
  }
  Result<std::vector<Group>> ListGroups() override {
    return Note(sql_notices::ListGroups(stmts_));
  }
  Result<std::vector<Member>> GroupMembers(int64_t group_id) override {
    return Note(sql_notices::GroupMembers(stmts_, group_id));
  }
  Result<bool> AddMember(int64_t group_id, int64_t contact_id, const std::string& source,
                         int64_t now) override {
    return Note(sql_notices::AddMember(stmts_, group_id, contact_id, source, now));
  }
  Result<bool> RemoveMember(int64_t group_id, int64_t contact_id, int64_t now) override {
    return Note(sql_notices::RemoveMember(stmts_, group_id, contact_id, now));
  }
  Result<int64_t> EnsureContact(const std::string& channel_id, const std::string& address,
                                const std::string& name, int64_t now) override {
    return Note(sql_notices::EnsureContact(stmts_, channel_id, address, name, now));
  }
  Result<std::optional<int64_t>> FindContactByAddress(const std::string& address) override {
    return Note(sql_notices::FindContactByAddress(stmts_, address));
  }
  Result<int64_t> CreateMeeting(const Meeting& m) override {
    return Note(sql_notices::CreateMeeting(stmts_, m));
  }
  Result<std::optional<Meeting>> GetMeeting(int64_t id) override {
    return Note(sql_notices::GetMeeting(stmts_, id));
  }
  Status UpdateMeeting(const Meeting& m) override {
    return Note(sql_notices::UpdateMeeting(stmts_, m));
  }
  Result<std::vector<Meeting>> UpcomingMeetings(int64_t now) override {
    return Note(sql_notices::UpcomingMeetings(stmts_, now));
  }
  Result<std::vector<Member>> Recipients(const std::vector<std::string>& group_codes,
                                         int64_t meeting_id) override {
    return Note(sql_notices::Recipients(stmts_, group_codes, meeting_id));
  }
  Result<std::vector<ScheduledSend>> ScheduledSends(int64_t meeting_id) override {
    return Note(sql_notices::ScheduledSends(stmts_, meeting_id));
  }
  Result<int> QueueNotices(const std::vector<QueuedNotice>& notices) override {
    return Note(sql_notices::QueueNotices(stmts_, notices));
  }
  Result<std::vector<int64_t>> WithdrawPendingNotices(int64_t meeting_id, const std::string& note,
                                                      int64_t now) override {
    return Note(sql_notices::WithdrawPendingNotices(stmts_, meeting_id, note, now));
  }
  Result<std::vector<int64_t>> NotifiedContacts(int64_t meeting_id) override {
    return Note(sql_notices::NotifiedContacts(stmts_, meeting_id));
  }
  Result<std::vector<Invitation>> InvitationsOfMeeting(int64_t meeting_id) override {
    return Note(sql_notices::InvitationsOfMeeting(stmts_, meeting_id));
  }
  Result<std::vector<MeetingInvitation>> UpcomingInvitations(int64_t contact_id,
                                                             int64_t now) override {
    return Note(sql_notices::UpcomingInvitations(stmts_, contact_id, now));
  }
  Result<bool> HasPendingInvitation(int64_t contact_id, int64_t now) override {
    auto q = stmts_.Get(kPendingInvitationSql);
    if (!q) return Note(Result<bool>(Fail(q)));
    (*q)->BindInt(1, contact_id);
    (*q)->BindInt(2, now);
    return Note(ReadExists(**q));
  }
  Status SetRsvp(int64_t meeting_id, int64_t contact_id, const std::string& answer,
                 const std::string& reason, int64_t now) override {
    return Note(sql_notices::SetRsvp(stmts_, meeting_id, contact_id, answer, reason, now));
  }
  Result<int64_t> CreateBroadcast(const Broadcast& b) override {
    return Note(sql_notices::CreateBroadcast(stmts_, b));
  }

  // RightsTx, AuditTx (issue 19).
  Result<bool> MarkPrivacyNoticed(int64_t contact_id, int64_t now) override {
    return Note(sql_rights::MarkPrivacyNoticed(stmts_, contact_id, now));
  }
  Result<ContactData> DataOf(int64_t contact_id) override {
    return Note(sql_rights::DataOf(stmts_, contact_id));
  }
  Result<ErasureReport> EraseContact(int64_t contact_id, int64_t now) override {
    return Note(sql_rights::EraseContact(stmts_, contact_id, now));
  }
  Result<RetentionReport> ApplyRetention(const RetentionCutoffs& cutoffs) override {
    return Note(sql_rights::ApplyRetention(stmts_, cutoffs));
  }
  Status AddAudit(const AuditEntry& entry) override {
    return Note(sql_audit::AddAudit(stmts_, entry));
  }
  Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) override {
    return Note(sql_audit::ListAudit(stmts_, query));
  }

 private:
  template <typename R>
  R Note(R r) {
    if (!r && r.error().kind == Error::Kind::kIo && !io_error_) io_error_ = r.error();
    return r;
  }

  Result<int64_t> DoInsertInbound(const Message& m);
  Result<Contact> DoGetContact(int64_t contact_id);
  Status DoSetOptOut(int64_t contact_id, bool opted_out, int64_t now);
  Status DoSetLanguage(int64_t contact_id, const std::string& language);
  Result<std::string> DoKnownDesaOf(int64_t contact_id);
  Status DoRememberDesa(int64_t contact_id, const std::string& desa_code, int64_t now);
  Result<std::vector<Address>> DoAddressesOf(int64_t contact_id);
  Status DoMarkUnreachable(const std::string& channel_id, const std::string& address);
  Result<Session> DoGetSession(int64_t contact_id);
  Status DoPutSession(const Session& s);
  Result<Case> DoCreateCase(Case c);
  Result<Case> DoGetCase(CaseType type, int64_t number);
  Result<std::vector<Case>> DoCasesOfContact(int64_t contact_id);
  Result<ContactReads> DoContactReadsOf(int64_t contact_id, int64_t inbound_since, int64_t now);
  Status DoAddCaseEvent(const CaseEvent& e);
  // The event's row alone, for a case known to exist.
  Status InsertCaseEvent(const CaseEvent& e);
  Result<std::vector<CaseEvent>> DoCaseEvents(int64_t case_id);
  Status DoSetCaseStatus(int64_t case_id, const std::string& status, int64_t now);
  Status DoUpdateCaseDetails(const Case& c);
  Result<int64_t> DoEnqueue(const OutboxItem& item, const std::string& text);

  // Runs a write that must change exactly one row; NotFound otherwise.
  Status RunOne(Statement& s, const std::string& what) {
    if (Status r = s.Run(); !r) return r;
    if (stmts_.db().Changes() == 0) return std::unexpected(Error::NotFound(what + " not found"));
    return {};
  }

  StatementCache& stmts_;
  std::optional<Error> io_error_;
};

Result<int64_t> SqlTx::DoInsertInbound(const Message& m) {
  if (m.channel_id.empty()) return std::unexpected(Error::Invalid("inbound message without channel"));
  auto s = stmts_.Get(
      "INSERT INTO messages (direction, channel_id, provider_id, text, status, created_at,"
      " contact_id) VALUES ('in', ?1, ?2, ?3, ?4, ?5, ?6)"
      // No row back: a retried delivery. DO NOTHING rather than an error, so
      // that the transaction stays usable on PostgreSQL.
      " ON CONFLICT DO NOTHING RETURNING id");
  if (!s) return Fail(s);
  (*s)->BindText(1, m.channel_id);
  BindProviderId(**s, 2, m.provider_id);
  (*s)->BindText(3, m.text);
  (*s)->BindText(4, m.status.empty() ? "received" : m.status);
  (*s)->BindInt(5, m.created_at);
  BindId(**s, 6, m.contact_id);
  Result<bool> row = (*s)->Step();
  if (!row) return Fail(row);
  if (!*row) {
    return std::unexpected(Error::Conflict(kAlreadyRecorded));
  }
  return (*s)->ColumnInt(0);
}

Result<Contact> SqlTx::DoGetContact(int64_t contact_id) {
  auto s = stmts_.Get("SELECT id, name, language, opted_out, created_at, privacy_noticed_at FROM contacts"
      " WHERE id = ?1");
  if (!s) return Fail(s);
  (*s)->BindInt(1, contact_id);
  auto c = QueryOne<Contact>(**s, ReadContact);
  if (!c) return Fail(c);
  if (!*c) return std::unexpected(Error::NotFound("contact " + std::to_string(contact_id) + " not found"));
  return **c;
}

Status SqlTx::DoSetOptOut(int64_t contact_id, bool opted_out, int64_t now) {
  auto s = stmts_.Get("UPDATE contacts SET opted_out = ?2, opted_out_at = ?3 WHERE id = ?1");
  if (!s) return Fail(s);
  (*s)->BindInt(1, contact_id);
  (*s)->BindInt(2, opted_out ? 1 : 0);
  (*s)->BindInt(3, now);
  return RunOne(**s, "contact " + std::to_string(contact_id));
}

Status SqlTx::DoSetLanguage(int64_t contact_id, const std::string& language) {
  if (language.empty()) return std::unexpected(Error::Invalid("empty language"));
  auto s = stmts_.Get("UPDATE contacts SET language = ?2 WHERE id = ?1");
  if (!s) return Fail(s);
  (*s)->BindInt(1, contact_id);
  (*s)->BindText(2, language);
  return RunOne(**s, "contact " + std::to_string(contact_id));
}

Result<std::string> SqlTx::DoKnownDesaOf(int64_t contact_id) {
  // What they named first; else their newest case's desa.
  for (const char* sql :
       {"SELECT desa_code FROM contact_desa WHERE contact_id = ?1",
        "SELECT desa_code FROM cases WHERE contact_id = ?1 AND desa_code != ''"
        " ORDER BY created_at DESC, id DESC LIMIT 1"}) {
    auto s = stmts_.Get(sql);
    if (!s) return Fail(s);
    (*s)->BindInt(1, contact_id);
    auto desa = QueryOne<std::string>(**s, [](const Statement& st) { return st.ColumnText(0); });
    if (!desa) return std::unexpected(desa.error());
    if (*desa) return **desa;
  }
  return std::string();
}

Status SqlTx::DoRememberDesa(int64_t contact_id, const std::string& desa_code, int64_t now) {
  if (desa_code.empty()) return std::unexpected(Error::Invalid("empty desa code"));
  auto s = stmts_.Get(
      "INSERT INTO contact_desa (contact_id, desa_code, updated_at) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (contact_id) DO UPDATE SET desa_code = excluded.desa_code,"
      " updated_at = excluded.updated_at");
  if (!s) return Fail(s);
  (*s)->BindInt(1, contact_id);
  (*s)->BindText(2, desa_code);
  (*s)->BindInt(3, now);
  return (*s)->Run();
}

Result<std::vector<Address>> SqlTx::DoAddressesOf(int64_t contact_id) {
  auto s = stmts_.Get(
      "SELECT contact_id, channel_id, address, last_seen_at, unreachable FROM addresses"
      " WHERE contact_id = ?1 ORDER BY id");
  if (!s) return Fail(s);
  (*s)->BindInt(1, contact_id);
  return Collect<Address>(**s, [](const Statement& st) {
    Address a;
    a.contact_id = st.ColumnInt(0);
    a.channel_id = st.ColumnText(1);
    a.address = st.ColumnText(2);
    a.last_seen_at = st.ColumnInt(3);
    a.unreachable = st.ColumnInt(4) != 0;
    return a;
  });
}

Status SqlTx::DoMarkUnreachable(const std::string& channel_id, const std::string& address) {
  auto s = stmts_.Get("UPDATE addresses SET unreachable = 1 WHERE channel_id = ?1 AND address = ?2");
  if (!s) return Fail(s);
  (*s)->BindText(1, channel_id);
  (*s)->BindText(2, address);
  return RunOne(**s, "address on channel " + channel_id);
}

Result<Session> SqlTx::DoGetSession(int64_t contact_id) {
  auto s = stmts_.Get(kSessionSql);
  if (!s) return Fail(s);
  (*s)->BindInt(1, contact_id);
  return ReadSession(**s, contact_id);
}

// An UPDATE guarded by the version read; when none was stored (version 0),
// an INSERT that a row written meanwhile makes a no-op. Either must change
// one row: RunExpecting checks it, on PostgreSQL when the write is read
// back with the transaction's other writes.
Status SqlTx::DoPutSession(const Session& session) {
  const std::string vars = session.vars_json.empty() ? "{}" : session.vars_json;
  const Error changed = Error::Conflict(kSessionChanged);
  if (session.version == 0) {
    auto i = stmts_.Get(
        "INSERT INTO sessions (contact_id, flow, node, vars_json, updated_at, conversation_id,"
        " version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1) ON CONFLICT (contact_id) DO NOTHING");
    if (!i) return Fail(i);
    (*i)->BindInt(1, session.contact_id);
    (*i)->BindText(2, session.flow);
    (*i)->BindText(3, session.node);
    (*i)->BindText(4, vars);
    (*i)->BindInt(5, session.updated_at);
    (*i)->BindInt(6, session.conversation_id);
    return stmts_.db().RunExpecting(**i, 1, changed);
  }
  auto u = stmts_.Get(
      "UPDATE sessions SET flow = ?2, node = ?3, vars_json = ?4, updated_at = ?5,"
      " conversation_id = ?6, version = version + 1 WHERE contact_id = ?1 AND version = ?7");
  if (!u) return Fail(u);
  (*u)->BindInt(1, session.contact_id);
  (*u)->BindText(2, session.flow);
  (*u)->BindText(3, session.node);
  (*u)->BindText(4, vars);
  (*u)->BindInt(5, session.updated_at);
  (*u)->BindInt(6, session.conversation_id);
  (*u)->BindInt(7, session.version);
  return stmts_.db().RunExpecting(**u, 1, changed);
}

// The case's number comes from one counter row per type (0011), updated in
// place: concurrent writers on a shared database queue on its row lock and
// never take one number twice. On PostgreSQL the counter and the case are
// one statement (one round trip); SQLite has no INSERT inside WITH.
Result<Case> SqlTx::DoCreateCase(Case c) {
  const bool one_statement = stmts_.dialect() == Dialect::kPostgres;
  if (!one_statement) {
    auto s = stmts_.Get(
        "INSERT INTO case_counters (type, last_number) VALUES (?1, 1)"
        " ON CONFLICT (type) DO UPDATE SET last_number = case_counters.last_number + 1"
        " RETURNING last_number");
    if (!s) return Fail(s);
    (*s)->BindText(1, CaseTypeName(c.type));
    Result<int64_t> next = InsertedId(**s);
    if (!next) return Fail(next);
    c.number = *next;
  }
  if (c.status.empty()) c.status = "diterima";
  if (c.fields_json.empty()) c.fields_json = "{}";
  if (c.updated_at == 0) c.updated_at = c.created_at;
  {
    auto s = stmts_.Get(
        one_statement
            ? "WITH n AS (INSERT INTO case_counters (type, last_number) VALUES (?1, 1)"
              " ON CONFLICT (type) DO UPDATE SET last_number = case_counters.last_number + 1"
              " RETURNING last_number)"
              " INSERT INTO cases (type, number, status, contact_id, channel_id, area_code,"
              " desa_code, confidential, summary, fields_json, created_at, updated_at)"
              " SELECT ?1, n.last_number, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 FROM n"
              " RETURNING id, number"
            : "INSERT INTO cases (type, number, status, contact_id, channel_id, area_code,"
              " desa_code, confidential, summary, fields_json, created_at, updated_at)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id, number");
    if (!s) return Fail(s);
    (*s)->BindText(1, CaseTypeName(c.type));
    // ?2 is the number, which the one statement takes from its counter: it
    // is still bound (and so typed), as PostgreSQL needs every parameter's.
    (*s)->BindInt(2, one_statement ? 0 : c.number);
    (*s)->BindText(3, c.status);
    BindId(**s, 4, c.contact_id);
    (*s)->BindText(5, c.channel_id);
    (*s)->BindText(6, c.area_code);
    (*s)->BindText(7, c.desa_code);
    (*s)->BindInt(8, c.confidential ? 1 : 0);
    (*s)->BindText(9, c.summary);
    (*s)->BindText(10, c.fields_json);
    (*s)->BindInt(11, c.created_at);
    (*s)->BindInt(12, c.updated_at);
    Result<bool> row = (*s)->Step();
    if (!row) return Fail(row);
    if (!*row) return std::unexpected(Error::Io("INSERT INTO cases returned no row"));
    c.id = (*s)->ColumnInt(0);
    c.number = (*s)->ColumnInt(1);
    (*s)->Reset();
  }
  // The case was made just now: its event needs no check that it exists.
  CaseEvent created;
  created.case_id = c.id;
  created.at = c.created_at;
  created.kind = "created";
  created.actor = "reporter";
  if (Status r = InsertCaseEvent(created); !r) return Fail(r);
  return c;
}

Result<Case> SqlTx::DoGetCase(CaseType type, int64_t number) {
  auto s = stmts_.Get(std::string(kCaseSelect) + " WHERE type = ?1 AND number = ?2");
  if (!s) return Fail(s);
  (*s)->BindText(1, CaseTypeName(type));
  (*s)->BindInt(2, number);
  auto c = QueryOne<Case>(**s, ReadCase);
  if (!c) return Fail(c);
  if (!*c) {
    return std::unexpected(Error::NotFound(std::string(TicketPrefix(type)) + "-" +
                                           std::to_string(number) + " not found"));
  }
  return **c;
}

Result<ContactReads> SqlTx::DoContactReadsOf(int64_t contact_id, int64_t inbound_since,
                                             int64_t now) {
  auto recent = stmts_.Get(kRecentInboundSql);
  if (!recent) return Fail(recent);
  auto session = stmts_.Get(kSessionSql);
  if (!session) return Fail(session);
  auto pending = stmts_.Get(kPendingInvitationSql);
  if (!pending) return Fail(pending);
  auto cases = stmts_.Get(CasesOfContactSql());
  if (!cases) return Fail(cases);
  (*recent)->BindInt(1, contact_id);
  (*recent)->BindInt(2, inbound_since);
  (*session)->BindInt(1, contact_id);
  (*pending)->BindInt(1, contact_id);
  (*pending)->BindInt(2, now);
  (*cases)->BindInt(1, contact_id);
  // All four sent before the first is read: one round trip on PostgreSQL.
  for (Statement* s : {&**recent, &**session, &**pending, &**cases}) s->Prefetch();
  ContactReads out;
  auto r = ReadRecentInbound(**recent);
  if (!r) return Fail(r);
  out.recent = *r;
  auto ss = ReadSession(**session, contact_id);
  if (!ss) return Fail(ss);
  out.session = std::move(*ss);
  auto p = ReadExists(**pending);
  if (!p) return Fail(p);
  out.invitation_pending = *p;
  auto c = Collect<Case>(**cases, ReadCase);
  if (!c) return Fail(c);
  out.cases = std::move(*c);
  return out;
}

Result<std::vector<Case>> SqlTx::DoCasesOfContact(int64_t contact_id) {
  auto s = stmts_.Get(CasesOfContactSql());
  if (!s) return Fail(s);
  (*s)->BindInt(1, contact_id);
  return Collect<Case>(**s, ReadCase);
}

Status SqlTx::DoAddCaseEvent(const CaseEvent& e) {
  if (e.kind.empty()) return std::unexpected(Error::Invalid("case event without kind"));
  {
    // Also checks that the case exists, so a bad id is NotFound rather than
    // a foreign-key Conflict.
    auto s = stmts_.Get("UPDATE cases SET updated_at = CASE WHEN ?2 > updated_at THEN ?2 ELSE updated_at END"
        " WHERE id = ?1");
    if (!s) return Fail(s);
    (*s)->BindInt(1, e.case_id);
    (*s)->BindInt(2, e.at);
    if (Status r = RunOne(**s, "case " + std::to_string(e.case_id)); !r) return r;
  }
  return InsertCaseEvent(e);
}

Status SqlTx::InsertCaseEvent(const CaseEvent& e) {
  auto s = stmts_.Get(
      "INSERT INTO case_events (case_id, at, kind, actor, detail) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!s) return Fail(s);
  (*s)->BindInt(1, e.case_id);
  (*s)->BindInt(2, e.at);
  (*s)->BindText(3, e.kind);
  (*s)->BindText(4, e.actor.empty() ? "system" : e.actor);
  (*s)->BindText(5, e.detail);
  return (*s)->Run();
}

Result<std::vector<CaseEvent>> SqlTx::DoCaseEvents(int64_t case_id) {
  auto s = stmts_.Get(
      "SELECT id, case_id, at, kind, actor, detail FROM case_events WHERE case_id = ?1 ORDER BY id");
  if (!s) return Fail(s);
  (*s)->BindInt(1, case_id);
  return Collect<CaseEvent>(**s, [](const Statement& st) {
    CaseEvent e;
    e.id = st.ColumnInt(0);
    e.case_id = st.ColumnInt(1);
    e.at = st.ColumnInt(2);
    e.kind = st.ColumnText(3);
    e.actor = st.ColumnText(4);
    e.detail = st.ColumnText(5);
    return e;
  });
}

Status SqlTx::DoSetCaseStatus(int64_t case_id, const std::string& status, int64_t now) {
  if (status.empty()) return std::unexpected(Error::Invalid("empty case status"));
  auto s = stmts_.Get("UPDATE cases SET status = ?2, updated_at = ?3 WHERE id = ?1");
  if (!s) return Fail(s);
  (*s)->BindInt(1, case_id);
  (*s)->BindText(2, status);
  (*s)->BindInt(3, now);
  return RunOne(**s, "case " + std::to_string(case_id));
}

Status SqlTx::DoUpdateCaseDetails(const Case& c) {
  auto s = stmts_.Get(
      "UPDATE cases SET area_code = ?2, desa_code = ?3, summary = ?4, fields_json = ?5,"
      " updated_at = ?6 WHERE id = ?1");
  if (!s) return Fail(s);
  (*s)->BindInt(1, c.id);
  (*s)->BindText(2, c.area_code);
  (*s)->BindText(3, c.desa_code);
  (*s)->BindText(4, c.summary);
  (*s)->BindText(5, c.fields_json);
  (*s)->BindInt(6, c.updated_at);
  return RunOne(**s, "case " + std::to_string(c.id));
}

Result<int64_t> SqlTx::DoEnqueue(const OutboxItem& item, const std::string& text) {
  if (item.contact_id == 0) return std::unexpected(Error::Invalid("outbox row without contact"));
  if (item.channel_id.empty() || item.address.empty()) {
    return std::unexpected(Error::Invalid("outbox row without channel or address"));
  }
  return sql_outbox::Enqueue(stmts_, item, text);
}

}  // namespace

Status RunTx(StatementCache& stmts, const std::function<Status(Tx&)>& fn) {
  SqlTx tx(stmts);
  Status result = fn(tx);
  // The callback ignored a failed statement: do not commit half of it.
  if (result && tx.io_error()) result = std::unexpected(*tx.io_error());
  return result;
}

}  // namespace suaradesa::storage
