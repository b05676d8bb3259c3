// The transaction's view of the store, by role: what a Store::Transact or
// Store::Read callback may do (storage/store.h). Each role is the part one
// kind of service uses; Tx is all of them.
#ifndef SUARADESA_STORAGE_TX_H_
#define SUARADESA_STORAGE_TX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/records.h"
#include "storage/reports.h"

namespace suaradesa::storage {

// Who writes and what their dialog is: inbound messages, contacts and their
// addresses, sessions. Used by the inbound pipeline (gateway/inbound.h).
class ConversationTx {
 public:
  virtual ~ConversationTx() = default;

  // Records an inbound message. Returns its id, or
  // Error::Conflict(kAlreadyRecorded) when (channel_id, provider_id) was
  // already recorded: the caller then does nothing more for this delivery.
  virtual Result<int64_t> InsertInbound(const Message& m) = 0;
  // Finds the contact reached at (channel_id, address), creating it (and the
  // address) when new. Updates the address's last_seen_at to `now`.
  virtual Result<Contact> UpsertContact(const std::string& channel_id,
                                        const std::string& address,
                                        const std::string& name,
                                        int64_t now) = 0;
  // The contact an inbound message is from, created when new, with the
  // rules of ContactRef (one contact per phone number across SMS channels;
  // a WhatsApp phone number and BSUID are one contact). Updates the
  // address's last_seen_at to `now` and clears its unreachable mark: they
  // wrote from it.
  virtual Result<Contact> FindOrCreateContact(const ContactRef& ref, int64_t now) = 0;
  // The contact FindOrCreateContact would find for `ref`, without writing
  // anything; nullopt when it would create one.
  virtual Result<std::optional<Contact>> FindContact(const ContactRef& ref) = 0;
  // FindOrCreateContact's writes for a contact found before (by FindContact,
  // outside this transaction, without an alias): when (ref.channel_id,
  // ref.address) belongs to contact_id, or to no one yet (the contact was
  // found through the same number on another SMS channel: it is added),
  // sets its last_seen_at and clears its unreachable mark (and the
  // contact's name when ref.name is set and differs). When it is another's
  // (a merge since), the transaction fails with
  // Error::Conflict(kContactChanged), from this call or, on a store that
  // pipelines writes, a later one or its end (as PutSession's conflict):
  // read the contact again. A contact erased since fails it with the
  // foreign key's kConflict.
  virtual Status TouchContact(const ContactRef& ref, int64_t contact_id, int64_t now) = 0;
  // The platform says the person at old_address on channel_id is now at
  // new_address (WhatsApp's user_changed_number, user_changed_user_id):
  // the contact's address moves (a contact already at new_address becomes
  // the same contact), and so do its waiting outbox rows and a staff member's
  // number. Applied once per (channel_id, change_id): false when that change
  // was applied before. Nobody at old_address: recorded, nothing moves.
  virtual Result<bool> ChangeAddress(const std::string& channel_id, const std::string& change_id,
                                     const std::string& old_address,
                                     const std::string& new_address, int64_t at) = 0;
  virtual Result<Contact> GetContact(int64_t contact_id) = 0;
  virtual Status SetOptOut(int64_t contact_id, bool opted_out, int64_t now) = 0;
  virtual Status SetLanguage(int64_t contact_id, const std::string& language) = 0;
  // The desa the contact named (RememberDesa), else that of their newest
  // case that names one; "" when neither.
  virtual Result<std::string> KnownDesaOf(int64_t contact_id) = 0;
  // Keeps `desa_code` as the desa the contact lives in (INFO asks it once).
  virtual Status RememberDesa(int64_t contact_id, const std::string& desa_code, int64_t now) = 0;
  virtual Result<std::vector<Address>> AddressesOf(int64_t contact_id) = 0;
  virtual Status MarkUnreachable(const std::string& channel_id,
                                 const std::string& address) = 0;
  // The contact's session; an empty Session (flow == "", version 0) when
  // none.
  virtual Result<Session> GetSession(int64_t contact_id) = 0;
  // Writes s as version s.version + 1, if the stored session is still at
  // s.version (0: none stored). When it is not (another message of the
  // contact was committed since s was read) the transaction fails with
  // Error::Conflict(kSessionChanged): from this call, or, on a store that
  // pipelines writes (PostgreSQL), from a later call of the same
  // transaction or its end, without a round trip of its own. Either way
  // nothing of the transaction is kept.
  virtual Status PutSession(const Session& s) = 0;
  // Marks the inbound message as part of the dialog `conversation_id`
  // (CaseTx::LinkConversation).
  virtual Status SetConversation(int64_t message_id, int64_t conversation_id) = 0;
  // An installation-wide value (e.g. "pseudonym_key"); NotFound when unset.
  virtual Result<std::string> GetMeta(const std::string& key) = 0;
  // The contact's inbound messages recorded at or after `since` (unix ms):
  // how a flooding sender is noticed (issue 7).
  virtual Result<RecentInbound> RecentInboundOf(int64_t contact_id, int64_t since) = 0;
};

// Cases (usulan, pengaduan), their history and their workflow at the desk.
// Used by the dialogs' effects and the facilitator desk (gateway/desk/).
class CaseTx {
 public:
  virtual ~CaseTx() = default;

  // Creates a case with the next number for its type; fills id and number.
  // Also records a "created" event.
  virtual Result<Case> CreateCase(Case c) = 0;
  virtual Result<Case> GetCase(CaseType type, int64_t number) = 0;
  virtual Result<std::vector<Case>> CasesOfContact(int64_t contact_id) = 0;
  virtual Status AddCaseEvent(const CaseEvent& e) = 0;
  virtual Result<std::vector<CaseEvent>> CaseEvents(int64_t case_id) = 0;
  virtual Status SetCaseStatus(int64_t case_id, const std::string& status,
                               int64_t now) = 0;
  // Details the reporter gave after the case was filed: its place (area,
  // desa), summary and fields become c's; its type, number, status and
  // reporter never change. kNotFound if no case has c.id.
  virtual Status UpdateCaseDetails(const Case& c) = 0;
  // The workflow state of a case; a default CaseDesk{case_id} when none yet.
  virtual Result<CaseDesk> GetCaseDesk(int64_t case_id) = 0;
  virtual Status PutCaseDesk(const CaseDesk& desk) = 0;
  // Cases with their workflow state, newest first.
  virtual Result<std::vector<DeskCase>> QueryCases(const DeskQuery& query) = 0;
  // A case's messages are recorded as belonging to it when they happen,
  // never found by contact or time: there is deliberately no call that
  // lists a contact's messages, so no view of one case can show another's.
  //
  // Links every message of the conversation to the case (the dialog that
  // filed it).
  virtual Status LinkConversation(int64_t case_id, int64_t conversation_id) = 0;
  // Links one message to the case (an exchange about it). Linking twice is
  // a no-op.
  virtual Status LinkMessage(int64_t case_id, int64_t message_id) = 0;
  // The case's messages, oldest first.
  virtual Result<std::vector<Message>> CaseMessages(int64_t case_id) = 0;
};

// Queuing what is sent: replies, notices, broadcasts, and cancelling what a
// person no longer wants. (The worker's side is on Store: ClaimDue, Mark*.)
class OutboxTx {
 public:
  virtual ~OutboxTx() = default;

  // Queues an outbound message: an outbox row and its outbound Message row
  // (status "queued"), in item.conversation_id's dialog and item.case_id's
  // history when set. Returns the outbox row id.
  virtual Result<int64_t> Enqueue(const OutboxItem& item, const std::string& text) = 0;
  // What opt-out covers is every OutboxKind::kBroadcast row: broadcasts,
  // meeting invitations, reminders and changes. Replies (kReply: answers to
  // the person's own messages, desk replies and status notices of their own
  // cases) still go out.
  // Fails the contact's kBroadcast rows still waiting in the outbox
  // (pending) with last_error `error`; their messages become "failed".
  // Rows being sent are left to the worker, which checks opt-out when it
  // claims (Store::ClaimDue). Returns how many rows were failed.
  virtual Result<int> CancelWaitingBroadcasts(int64_t contact_id, const std::string& error,
                                              int64_t now) = 0;
  // The same for the waiting rows the contact gets because of the group:
  // broadcasts to it and notices of meetings that invite it; a broadcast or
  // meeting that also reaches another group the contact still belongs to
  // is kept.
  virtual Result<int> CancelWaitingFromGroup(int64_t contact_id, int64_t group_id,
                                             const std::string& error, int64_t now) = 0;
  // When the newest outbox row of the contact whose payload carries
  // "key": `key` was queued (unix ms), or 0 when there is none. Used to send
  // a notice such as "text only, please" at most once a day.
  virtual Result<int64_t> LastQueuedWithKey(int64_t contact_id, const std::string& key) = 0;
  // When exactly one outbox row of the contact whose payload carries "key":
  // `key` is still pending (not claimed by the outbox), gives it a new
  // payload and its outbound message the new text, and returns true; else
  // changes nothing and returns false. How quick status changes of a case
  // become one message.
  virtual Result<bool> ReplacePendingWithKey(int64_t contact_id, const std::string& key,
                                             const std::string& payload_json,
                                             const std::string& text) = 0;
};

// Groups, meetings, invitations and broadcasts (issue 5; storage/sql/
// notices.cc). Used by the meeting notices (gateway/notices/).
class NoticeTx {
 public:
  virtual ~NoticeTx() = default;

  // Error::Conflict when the code is taken. Returns the group with its id.
  virtual Result<Group> CreateGroup(const Group& group) = 0;
  // The group with this code (exact), or nullopt.
  virtual Result<std::optional<Group>> FindGroup(const std::string& code) = 0;
  virtual Result<std::vector<Group>> ListGroups() = 0;
  // Active members, oldest first, with their reachable addresses.
  virtual Result<std::vector<Member>> GroupMembers(int64_t group_id) = 0;
  // True when the contact became a member (again); false when it already was.
  virtual Result<bool> AddMember(int64_t group_id, int64_t contact_id, const std::string& source,
                                 int64_t now) = 0;
  // True when the contact left; false when it was not a member.
  virtual Result<bool> RemoveMember(int64_t group_id, int64_t contact_id, int64_t now) = 0;
  // The contact reached at (channel_id, address), created when new (with
  // last_seen_at 0: they never wrote). Sets the name when it was empty.
  virtual Result<int64_t> EnsureContact(const std::string& channel_id, const std::string& address,
                                        const std::string& name, int64_t now) = 0;
  // The most recently seen contact with this address on any channel.
  virtual Result<std::optional<int64_t>> FindContactByAddress(const std::string& address) = 0;
  // Inserts the meeting and its groups (codes that must exist: else
  // Error::NotFound). Returns the id.
  virtual Result<int64_t> CreateMeeting(const Meeting& meeting) = 0;
  virtual Result<std::optional<Meeting>> GetMeeting(int64_t id) = 0;
  // Rewrites every field and the group list of meeting.id.
  virtual Status UpdateMeeting(const Meeting& meeting) = 0;
  // Scheduled meetings starting after `now`, soonest first.
  virtual Result<std::vector<Meeting>> UpcomingMeetings(int64_t now) = 0;
  // Active members of the groups (codes), each contact once, with
  // invited_at for `meeting_id` (0: none asked). Opted-out contacts are
  // included; the caller decides.
  virtual Result<std::vector<Member>> Recipients(const std::vector<std::string>& group_codes,
                                                 int64_t meeting_id) = 0;
  virtual Result<std::vector<ScheduledSend>> ScheduledSends(int64_t meeting_id) = 0;
  // Writes each notice whose key is new: the key, the outbox row and its
  // message (unless skip), the invitation (when invite). Keys already
  // present are left alone. Returns how many outbox rows were queued.
  virtual Result<int> QueueNotices(const std::vector<QueuedNotice>& notices) = 0;
  // Fails the meeting's notices still pending in the outbox (last_error
  // `note`). Returns the contacts they were for.
  virtual Result<std::vector<int64_t>> WithdrawPendingNotices(int64_t meeting_id,
                                                              const std::string& note,
                                                              int64_t now) = 0;
  // Contacts a notice of the meeting was sent (or is being sent) to.
  virtual Result<std::vector<int64_t>> NotifiedContacts(int64_t meeting_id) = 0;
  virtual Result<std::vector<Invitation>> InvitationsOfMeeting(int64_t meeting_id) = 0;
  // The contact's invitations to scheduled meetings starting after `now`,
  // soonest first.
  virtual Result<std::vector<MeetingInvitation>> UpcomingInvitations(int64_t contact_id,
                                                                     int64_t now) = 0;
  // Whether one of those is still unanswered. Asked for every inbound
  // message (a bare "ya" answers it), so it is one indexed lookup.
  virtual Result<bool> HasPendingInvitation(int64_t contact_id, int64_t now) = 0;
  // NotFound when the contact was not invited.
  virtual Status SetRsvp(int64_t meeting_id, int64_t contact_id, const std::string& answer,
                         const std::string& reason, int64_t now) = 0;
  virtual Result<int64_t> CreateBroadcast(const Broadcast& broadcast) = 0;
};

// Desk API tokens and the staff they belong to (storage/sql/desk.cc). Used
// by the desk's authentication and `suaradesa token`.
class TokenTx {
 public:
  virtual ~TokenTx() = default;

  virtual Result<int64_t> CreateToken(const Token& token) = 0;
  // The valid (not revoked) token with this hash, or nullopt.
  virtual Result<std::optional<Token>> FindToken(const std::string& hash) = 0;
  virtual Result<std::vector<Token>> ListTokens() = 0;
  // NotFound when no valid token has this id.
  virtual Status RevokeToken(int64_t id, int64_t now) = 0;
  // Creates the staff member, or updates the one with the same name.
  virtual Status PutStaff(const Staff& staff) = 0;
  virtual Result<std::vector<Staff>> ListStaff() = 0;
};

// Activities: approved proposals as the work they fund (issue 18;
// storage/sql/activities.cc). Used by gateway/activities/ and, read only,
// by the public board (gateway/papan/).
class ActivityTx {
 public:
  virtual ~ActivityTx() = default;

  // --- Reading ---
  // The desa's activities, by case_number.
  virtual Result<std::vector<Activity>> ActivitiesOf(const std::string& desa_code) = 0;
  // Every activity, by desa_code then case_number (callers filter by area).
  virtual Result<std::vector<Activity>> ListActivities() = 0;
  virtual Result<std::optional<Activity>> GetActivity(int64_t activity_id) = 0;
  virtual Result<std::optional<Activity>> ActivityOfCase(int64_t case_id) = 0;
  // Oldest first.
  virtual Result<std::vector<ActivityNote>> NotesOf(int64_t activity_id) = 0;
  // By tahap.
  virtual Result<std::vector<Tranche>> TranchesOf(int64_t activity_id) = 0;
  // Meetings linked to the activity (any status), by starts_at.
  virtual Result<std::vector<Meeting>> MeetingsOfActivity(int64_t activity_id) = 0;
  // Complaints linked to the activity (activity_complaints).
  virtual Result<int64_t> ComplaintCountOf(int64_t activity_id) = 0;
  // Contacts' own IKUTI / BERHENTI IKUTI words on the activity, by contact.
  virtual Result<std::vector<ActivityFollower>> FollowersOf(int64_t activity_id) = 0;

  // --- Writing ---
  // Creates the activity of a proposal (a.case_id): fills id and
  // case_number. Error::Conflict when the proposal already has one,
  // Error::NotFound when no case has a.case_id.
  virtual Result<Activity> CreateActivity(Activity a) = 0;
  // Rewrites title, location, budgets, tpk, stage, progress and updated_at
  // of a.id; NotFound when none.
  virtual Status UpdateActivity(const Activity& a) = 0;
  // Records a progress note; the activity's progress becomes note.progress
  // and its updated_at note.at. Returns the note's id.
  virtual Result<int64_t> AddActivityNote(const ActivityNote& note) = 0;
  // Records a released tranche. Error::Conflict when that tahap of the
  // activity was recorded before.
  virtual Status AddTranche(const Tranche& tranche) = 0;
  // Marks a meeting as one of the activity's (0: none). NotFound when no
  // meeting has meeting_id.
  virtual Status SetMeetingActivity(int64_t meeting_id, int64_t activity_id) = 0;
  // Links a complaint to the activity. False when the complaint was linked
  // before (to this or another activity): a complaint names one.
  virtual Result<bool> LinkComplaint(int64_t activity_id, int64_t complaint_case_id) = 0;
  // Records the contact's IKUTI (following) or BERHENTI IKUTI (not).
  virtual Status SetFollowing(const ActivityFollower& follower) = 0;
  // Claims a milestone of the activity ("stage:pelaksanaan", "progress:50",
  // "meeting:7"): true for the one transaction that records it first, which
  // then sends its notices; false ever after.
  virtual Result<bool> ClaimMilestone(int64_t activity_id, const std::string& milestone,
                                      int64_t at) = 0;
};

// Residents' data rights under UU PDP (issue 19; storage/sql/rights.cc):
// the privacy notice, access, erasure and retention. Used by gateway/rights/.
class RightsTx {
 public:
  virtual ~RightsTx() = default;

  // Records that the contact was sent the privacy notice. True when this
  // call recorded it (send it now), false when it was recorded before: of
  // two first messages committed at once only one gets true.
  virtual Result<bool> MarkPrivacyNoticed(int64_t contact_id, int64_t now) = 0;
  // What is held about the contact (theirs only).
  virtual Result<ContactData> DataOf(int64_t contact_id) = 0;
  // Erases the contact's identity: its addresses (and every row that names
  // one: address changes, send-rate keys, outbox rows), name and session go,
  // the texts of its messages that belong to no case are deleted, its group
  // memberships, invitations and notices still waiting go. The contact stays
  // as a tombstone (erased_at) so that its cases keep their pseudonym; its
  // cases stay, their messages too. A later message from one of its former
  // addresses makes a new contact. NotFound when there is no such contact.
  virtual Result<ErasureReport> EraseContact(int64_t contact_id, int64_t now) = 0;
  // Deletes what is older than the cutoffs (records.h RetentionCutoffs).
  virtual Result<RetentionReport> ApplyRetention(const RetentionCutoffs& cutoffs) = 0;
};

// The staff audit (issue 19; storage/sql/audit.cc). Used by the desk, the
// exports and the erasure.
class AuditTx {
 public:
  virtual ~AuditTx() = default;

  virtual Status AddAudit(const AuditEntry& entry) = 0;
  // Newest first, at most query.limit.
  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) = 0;
};

// The participation figures (storage/sql/reports.cc): read-only counts
// over a ReportScope, for the facilitators' reports and the public Papan
// Informasi. Rows come ordered by their text columns; no row holds a
// contact, a name, an address or a message text.
class ReportTx {
 public:
  virtual ~ReportTx() = default;

  virtual Result<std::vector<ResidentCount>> ResidentCounts(const ReportScope& scope) = 0;
  virtual Result<std::vector<ProposalCount>> ProposalCounts(const ReportScope& scope) = 0;
  virtual Result<std::vector<ComplaintCount>> ComplaintCounts(const ReportScope& scope) = 0;
  // Answered complaints only, shortest wait first.
  virtual Result<std::vector<AnswerTime>> AnswerTimes(const ReportScope& scope) = 0;
  virtual Result<std::vector<InvitationCount>> InvitationCounts(const ReportScope& scope) = 0;
};

// The view of the store inside one transaction: every role above. A
// service needs only its role; the backends implement them all at once
// (storage/sql/tx.cc).
class Tx : public ConversationTx,
           public ReportTx,
           public CaseTx,
           public OutboxTx,
           public NoticeTx,
           public TokenTx,
           public ActivityTx,
           public RightsTx,
           public AuditTx {
 public:
  ~Tx() override = default;

  // What deciding a message of a known contact reads, at once: the same
  // answers as RecentInboundOf(contact_id, inbound_since),
  // GetSession(contact_id), HasPendingInvitation(contact_id, now) and
  // CasesOfContact(contact_id). On PostgreSQL the four reads share one
  // round trip.
  virtual Result<ContactReads> ContactReadsOf(int64_t contact_id, int64_t inbound_since,
                                              int64_t now) = 0;
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_TX_H_
