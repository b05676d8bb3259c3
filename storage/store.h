// The case store: what the gateway may ask of persistent storage.
//
// Everything the gateway remembers lives behind this interface: contacts and
// their channel addresses, every message in and out, dialog sessions, cases
// with their event history, and the outbox. Two implementations share their
// SQL (storage/sql/): SQLite (storage/sqlite/store.h, the default: one file)
// and PostgreSQL (storage/postgres/store.h: several gateways on one
// database). Nothing outside storage/ may depend on either.
//
// Writes happen inside Store::Transact: the callback receives a Tx and either
// all of its changes commit or none do. Store::Read runs a callback against
// one consistent snapshot, on the caller's thread and in parallel with other
// readers and the writer; its Tx refuses writes. Times are unix
// milliseconds (UTC).
//
// Thread safety: a Store may be used from many threads at once. A Tx must be
// used only inside the callback it was passed to. Transact callbacks of
// several threads commit together (group commit: one fsync for many), so a
// callback may run on another thread than its caller's: it must not call
// the Store, nor wait for anything its caller's thread holds or must do.
#ifndef SUARADESA_STORAGE_STORE_H_
#define SUARADESA_STORAGE_STORE_H_

#include <concepts>
#include <cstdint>
#include <expected>
#include <functional>
#include <type_traits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace suaradesa::storage {

struct Error {
  enum class Kind {
    kNotFound,   // the row asked for does not exist
    kConflict,   // a uniqueness rule was broken
    kIo,         // the database could not be read or written (disk, lock)
    kInvalid,    // the caller asked for something that makes no sense
  };
  Kind kind = Kind::kIo;
  std::string message;

  static Error NotFound(std::string m) { return {Kind::kNotFound, std::move(m)}; }
  static Error Conflict(std::string m) { return {Kind::kConflict, std::move(m)}; }
  static Error Io(std::string m) { return {Kind::kIo, std::move(m)}; }
  static Error Invalid(std::string m) { return {Kind::kInvalid, std::move(m)}; }
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

// A person we talk to. One contact may be reachable on several channels.
struct Contact {
  int64_t id = 0;
  std::string name;          // as the platform reported it; may be empty
  std::string language = "id";
  bool opted_out = false;    // BERHENTI: no broadcasts or reminders
  int64_t created_at = 0;
};

// Where a contact is reached: a channel id from the config and the
// platform's address on it (Telegram chat id, E.164 phone, wa_id, ...).
struct Address {
  int64_t contact_id = 0;
  std::string channel_id;
  std::string address;
  int64_t last_seen_at = 0;  // last inbound message on this address
  bool unreachable = false;  // e.g. the user blocked the bot
};

enum class Direction { kIn, kOut };

// Every message in and out. (channel_id, provider_id) is unique for inbound
// messages, which makes a platform's retried delivery a no-op.
struct Message {
  int64_t id = 0;
  int64_t contact_id = 0;
  std::string channel_id;
  Direction direction = Direction::kIn;
  std::string provider_id;   // platform's id; empty for outbound until sent
  std::string text;
  std::string status;        // in: "received"; out: queued|sent|delivered|read|failed
  int64_t created_at = 0;
  int64_t outbox_id = 0;     // outbound only: the outbox row that carries it
  // The dialog it was part of: the id of the inbound message that opened
  // that dialog; 0 when none. See Tx::SetConversation.
  int64_t conversation_id = 0;
  // Outbound: the platform's code and reason of the latest failed delivery
  // report ("131026", "Message undeliverable"); empty when none.
  std::string error_code;
  std::string error_reason;
};

// Who an inbound message is from (Tx::FindOrCreateContact).
struct ContactRef {
  std::string channel_id;
  std::string address;       // where they wrote from; answers go there
  std::string name;          // may be empty
  // Channels on which the same address is the same person: every SMS
  // channel, so that one phone number is one contact whichever SMS route
  // it writes by. A first message on channel_id from an address known on
  // one of these joins that contact.
  std::vector<std::string> same_number_channels;
  // Another address of the person on channel_id: WhatsApp's business-scoped
  // user id (BSUID) beside the phone number. Kept as a second address of
  // the contact; a contact known only under it is the same person, and the
  // two become one (merged into the contact of `address`).
  std::string alias;
};

// What a failed delivery tells about the person (the gateway's table of
// platform codes, gateway/outbound/delivery_errors.h, decides).
enum class DeliveryConsequence {
  kNone,               // a passing condition, or nothing known
  kUnreachable,        // the address cannot be reached on this channel
  kOptedOutAtPlatform, // they told the platform to stop (Twilio STOP, 131050)
};

// A delivery report for Store::UpdateDelivery.
// (Defaults written out so that {status, at} alone is a whole update.)
struct DeliveryUpdate {
  std::string status;                // sent|delivered|read|failed|...
  int64_t at = 0;
  std::string error_code = {};       // the platform's code of a failure; may be empty
  std::string error_reason = {};     // its title or reason text; may be empty
  DeliveryConsequence consequence = DeliveryConsequence::kNone;
};

// One step of a message's delivery timeline.
struct DeliveryEvent {
  std::string status;
  int64_t at = 0;
  std::string error_code = {};
  std::string error_reason = {};
  bool operator==(const DeliveryEvent&) const = default;
};

// last_error of an outbox row not sent because the person opted out at the
// platform (DeliveryConsequence::kOptedOutAtPlatform).
inline constexpr char kOptedOutPlatformError[] = "opted_out_platform";

// A contact's open dialog. vars is a JSON object serialised as text; the
// store does not look inside.
struct Session {
  int64_t contact_id = 0;
  std::string flow;          // empty: no dialog open
  std::string node;
  std::string vars_json = "{}";
  int64_t updated_at = 0;
  // The conversation of the open dialog (Message::conversation_id); 0 when
  // no dialog is open.
  int64_t conversation_id = 0;
  // How many times the session was written; 0 when none is stored. A
  // decision made on a session read at version v may only be written while
  // the session is still at v (Tx::PutSession).
  int64_t version = 0;
};

enum class CaseType { kUsulan, kPengaduan };

// "USL" or "ADU".
const char* TicketPrefix(CaseType type);
// "usulan" or "pengaduan".
const char* CaseTypeName(CaseType type);

struct Case {
  int64_t id = 0;
  CaseType type = CaseType::kUsulan;
  int64_t number = 0;        // per type: ticket is TicketPrefix(type) + "-" + number
  std::string status = "diterima";
  int64_t contact_id = 0;
  std::string channel_id;    // where the reporter wrote from
  std::string area_code;     // kecamatan (or higher) code
  std::string desa_code;     // may be empty when unknown
  bool confidential = false;
  std::string summary;       // one line for lists and exports
  std::string fields_json = "{}";  // the dialog's answers
  int64_t created_at = 0;
  int64_t updated_at = 0;

  std::string Ticket() const;
};

// Every change to a case is one of these.
struct CaseEvent {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t at = 0;
  std::string kind;          // created, status, reply, assign, escalate, ...
  std::string actor;         // "system", "reporter", or a staff name
  std::string detail;
};

enum class OutboxKind { kReply = 0, kBroadcast = 1 };

// last_error of an outbox row not sent because its contact opted out.
inline constexpr char kOptedOutError[] = "opted_out";

// A message waiting to be sent. The worker claims due rows in order per
// contact, replies before broadcasts.
struct OutboxItem {
  int64_t id = 0;
  int64_t contact_id = 0;
  std::string channel_id;
  std::string address;
  OutboxKind kind = OutboxKind::kReply;
  std::string payload_json;  // {"text":..., "choices":[{"id","label"}], ...}
  std::string state = "pending";  // pending|sending|sent|failed
  int attempts = 0;
  int64_t created_at = 0;
  int64_t next_attempt_at = 0;
  std::string last_error;
  std::string provider_id;   // set once sent
  int64_t message_id = 0;    // the outbound Message row
  // Enqueue only: the outbound message joins this dialog's conversation
  // (0: none) and this case's history (0: none).
  int64_t conversation_id = 0;
  int64_t case_id = 0;
};

// A contact's recent inbound messages (Tx::RecentInboundOf).
struct RecentInbound {
  int64_t total = 0;      // every inbound message
  int64_t throttled = 0;  // of which status "throttled"
};

// What the outbox still has to send (rows pending or sending), for /metrics.
struct OutboxBacklog {
  int64_t depth = 0;          // rows not yet sent or failed
  int64_t oldest_age_ms = 0;  // now - created_at of the oldest of them; 0 when none
};


// --- The facilitator desk ---

// A desk API token. Only the SHA-256 of the token is kept.
struct Token {
  int64_t id = 0;
  std::string name;                 // the staff member it belongs to
  std::string role;                 // "admin" or "fasilitator"
  std::vector<std::string> areas;   // area codes; each covers the codes under it
  std::string hash;                 // lower-case hex SHA-256
  int64_t created_at = 0;
  int64_t revoked_at = 0;           // 0: valid
};

// Someone who handles cases.
struct Staff {
  int64_t id = 0;
  std::string name;                 // unique
  std::string role;                 // "admin" or "fasilitator"
  std::string position;             // office held: pld, pd, kepala_desa, tpk_ketua, ...
  std::string level = "kecamatan";  // desa|kecamatan|kabupaten: escalation order
  std::vector<std::string> areas;
  std::string channel_id;           // where their phone reaches us, if registered
  std::string address;
};

// The workflow state of a case beside its record.
struct CaseDesk {
  int64_t case_id = 0;
  std::string assignee;             // staff name; empty: unassigned
  int64_t verify_due = 0;           // unix ms; 0: no deadline
  int64_t answer_due = 0;
  int64_t resolve_due = 0;
  int64_t verified_at = 0;
  int64_t answered_at = 0;          // the first reply to the resident
  int64_t closed_at = 0;
  int escalation_level = 0;
  bool overdue = false;
  std::string reminded;             // deadlines already reminded, comma list
  std::vector<std::string> excluded_positions;  // offices the case accuses
};

struct DeskCase {
  Case record;
  CaseDesk desk;
};

struct DeskQuery {
  std::optional<CaseType> type;
  std::string status;                      // empty: any
  std::vector<std::string> area_prefixes;  // empty: every area
  bool overdue_only = false;
  std::string text;                        // substring of summary or fields
  std::optional<int64_t> from, to;         // created_at range
  // When set, rows it refuses are skipped before `limit` counts them (the
  // desk's scope and conflict rules: a limit applied first would fill up
  // with cases the caller may not see).
  std::function<bool(const DeskCase&)> keep;
  int limit = 500;
};

// --- Meeting notices (issue 5; storage/sql/notices.cc) ---

// A group people join to get notices: an SPP group, a dusun, a forum.
struct Group {
  int64_t id = 0;
  std::string code;                 // upper case, unique: "MELATI"
  std::string name;
  std::string area;                 // a desa code from the config
  int64_t created_at = 0;
};

// An active member of a group, or someone a notice is for.
struct Member {
  int64_t contact_id = 0;
  std::string name;
  std::string language = "id";
  bool opted_out = false;
  int64_t joined_at = 0;
  std::string source;               // keyword|api|import
  std::vector<Address> addresses;   // reachable ones, most recently seen first
  int64_t invited_at = 0;           // Recipients(): 0 when not invited yet
  // GroupMembers(): the member's place in the order people first joined
  // the group (1, 2, ...), stable across leaving and joining again; what
  // staff see instead of who the member is. 0 from Recipients().
  int64_t number = 0;
};

struct Meeting {
  int64_t id = 0;
  std::string title;
  std::string forum;                // musdus|mkp|musdes|mad|spp|other
  std::string area;                 // a desa (or kecamatan) code
  int64_t starts_at = 0;            // unix ms
  int utc_offset_minutes = 420;     // the area's zone when it was scheduled
  std::string place;
  std::string agenda;
  std::string bring;
  std::vector<std::string> groups;  // codes of the invited groups
  std::string status = "scheduled"; // scheduled|cancelled
  int version = 1;                  // +1 whenever what people were told changes
  std::string created_by;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Who was invited and what they answered. No name: an RSVP is shown to
// staff without who gave it (issue 13).
struct Invitation {
  int64_t meeting_id = 0;
  int64_t contact_id = 0;
  int64_t invited_at = 0;
  std::string answer;               // "", "hadir" or "tidak"
  std::string reason;               // the words after TIDAK
  int64_t answered_at = 0;
};

struct MeetingInvitation {
  Meeting meeting;
  Invitation invitation;
};

// One notice for one contact. (meeting_id, contact_id, kind) is unique for
// ever: that is what makes each notice go out at most once, across
// restarts, several schedulers and clock jumps.
struct ScheduledSend {
  int64_t meeting_id = 0;           // 0 for broadcasts
  int64_t contact_id = 0;
  std::string kind;                 // invite, reminder:..., changed:v2, cancelled, broadcast:7
  int64_t at = 0;                   // when it was queued or skipped
  int64_t outbox_id = 0;            // 0: skipped on purpose (a stale reminder)
};

// What QueueNotices writes for one ScheduledSend.
struct QueuedNotice {
  ScheduledSend send;
  OutboxItem item;                  // ignored when skip
  std::string text;                 // the outbound message's text
  bool skip = false;                // record the key, send nothing
  bool invite = false;              // also record the invitation
};

struct Broadcast {
  int64_t id = 0;
  std::string text;
  std::vector<std::string> groups;
  std::string created_by;
  int64_t created_at = 0;
  int recipients = 0;
};

// What Migrate did: the schema version before and after, and the names of
// the migrations applied (empty when the schema was already current).
struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;
};

// The writable view of the store inside one transaction.
class Tx {
 public:
  virtual ~Tx() = default;

  // Records an inbound message. Returns its id, or Error::Conflict when
  // (channel_id, provider_id) was already recorded: the caller then does
  // nothing more for this delivery.
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
  // outside this transaction): when (ref.channel_id, ref.address) still
  // belongs to contact_id, updates its last_seen_at and unreachable mark (and
  // the contact's name when ref.name is set and differs) and returns true.
  // Otherwise writes nothing and returns false: call FindOrCreateContact.
  virtual Result<bool> TouchContact(const ContactRef& ref, int64_t contact_id, int64_t now) = 0;
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
  virtual Result<std::vector<Address>> AddressesOf(int64_t contact_id) = 0;
  virtual Status MarkUnreachable(const std::string& channel_id,
                                 const std::string& address) = 0;

  // The contact's session; an empty Session (flow == "", version 0) when
  // none.
  virtual Result<Session> GetSession(int64_t contact_id) = 0;
  // Writes s as version s.version + 1, if the stored session is still at
  // s.version (0: none stored). Returns false, writing nothing, when it is
  // not: another message of the contact was committed since s was read.
  virtual Result<bool> PutSession(const Session& s) = 0;

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

  // Queues an outbound message: an outbox row and its outbound Message row
  // (status "queued"), in item.conversation_id's dialog and item.case_id's
  // history when set. Returns the outbox row id.
  virtual Result<int64_t> Enqueue(const OutboxItem& item, const std::string& text) = 0;

  // --- Opt-out (issue 13) ---
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

  // --- The facilitator desk (storage/sql/desk.cc) ---
  virtual Result<int64_t> CreateToken(const Token& token) = 0;
  // The valid (not revoked) token with this hash, or nullopt.
  virtual Result<std::optional<Token>> FindToken(const std::string& hash) = 0;
  virtual Result<std::vector<Token>> ListTokens() = 0;
  // NotFound when no valid token has this id.
  virtual Status RevokeToken(int64_t id, int64_t now) = 0;
  // Creates the staff member, or updates the one with the same name.
  virtual Status PutStaff(const Staff& staff) = 0;
  virtual Result<std::vector<Staff>> ListStaff() = 0;
  // The workflow state of a case; a default CaseDesk{case_id} when none yet.
  virtual Result<CaseDesk> GetCaseDesk(int64_t case_id) = 0;
  virtual Status PutCaseDesk(const CaseDesk& desk) = 0;
  // Cases with their workflow state, newest first.
  virtual Result<std::vector<DeskCase>> QueryCases(const DeskQuery& query) = 0;
  // --- A case's history (issue 13) ---
  // A case's messages are recorded as belonging to it when they happen,
  // never found by contact or time: there is deliberately no call that
  // lists a contact's messages, so no view of one case can show another's.
  //
  // Marks the inbound message as part of the dialog `conversation_id`.
  virtual Status SetConversation(int64_t message_id, int64_t conversation_id) = 0;
  // Links every message of the conversation to the case (the dialog that
  // filed it).
  virtual Status LinkConversation(int64_t case_id, int64_t conversation_id) = 0;
  // Links one message to the case (an exchange about it). Linking twice is
  // a no-op.
  virtual Status LinkMessage(int64_t case_id, int64_t message_id) = 0;
  // The case's messages, oldest first.
  virtual Result<std::vector<Message>> CaseMessages(int64_t case_id) = 0;
  // An installation-wide value (e.g. "pseudonym_key"); NotFound when unset.
  virtual Result<std::string> GetMeta(const std::string& key) = 0;
  // --- Channels (the outbound policies of issue 4) ---
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
  // The contact's inbound messages recorded at or after `since` (unix ms):
  // how a flooding sender is noticed (issue 7).
  virtual Result<RecentInbound> RecentInboundOf(int64_t contact_id, int64_t since) = 0;

  // --- Meeting notices (issue 5; storage/sql/notices.cc) ---
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

struct CaseFilter {
  std::optional<CaseType> type;
  std::optional<int64_t> from;  // created_at >= from
  std::optional<int64_t> to;    // created_at < to
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs fn inside one transaction. If fn returns an error the transaction is
  // rolled back and that error returned; otherwise it commits, and a failed
  // commit is returned as Error::Kind::kIo. fn may be called at most once.
  // Returns once fn's changes are durable (or rolled back), with fn's value:
  // fn returns a Result<T> (Status is Result<void>), and so does Transact.
  template <typename F>
    requires std::invocable<F&, Tx&>
  std::invoke_result_t<F&, Tx&> Transact(F&& fn) {
    return WithValue(fn, [this](const std::function<Status(Tx&)>& f) { return TransactStatus(f); });
  }

  // Runs fn on the caller's thread against one consistent snapshot of the
  // store, in parallel with other readers and with Transact's commits
  // (which it neither waits for nor holds up). fn may only read: a write
  // through the Tx fails. Returns fn's value, like Transact.
  template <typename F>
    requires std::invocable<F&, Tx&>
  std::invoke_result_t<F&, Tx&> Read(F&& fn) {
    return WithValue(fn, [this](const std::function<Status(Tx&)>& f) { return ReadStatus(f); });
  }

  // Group commit figures (for the benchmark and tests): transactions
  // committed by Transact batches, Transact calls run in them, and calls
  // waiting now.
  struct CommitStats {
    int64_t batches = 0;
    int64_t writes = 0;
    int64_t queued = 0;
  };
  virtual CommitStats commit_stats() const = 0;

  // True when the database answers a trivial query and takes the write
  // lock, and the last commit that wrote something did not fail (a full
  // disk). While commits fail, Healthy tries one small write itself, so it
  // turns true again once there is room even when nothing else writes.
  virtual bool Healthy() = 0;

  // Writes a consistent copy of the whole database to dest_path (replacing
  // that file) while other threads keep using the store. Writers are held
  // back only for short steps, never for the whole copy.
  virtual Status Backup(const std::string& dest_path) = 0;

  // --- Outbox (each call is its own transaction) ---

  // Claims up to `limit` rows due at `now`: for each contact only its oldest
  // unsent row (replies before broadcasts), skipping contacts that have a
  // row in state "sending". Claimed rows move to "sending" with attempts+1
  // and a lease until now + lease_ms: a row whose lease ran out (its worker
  // could not record the outcome, or stopped) is claimable again, and
  // counts another attempt. A kBroadcast row of a contact who opted out is
  // not claimed but failed (last_error kOptedOutError) in the same
  // transaction, and returned in state "failed" so the caller can count it.
  virtual Result<std::vector<OutboxItem>> ClaimDue(int64_t now, int limit, int64_t lease_ms) = 0;
  // The row was accepted by the platform.
  virtual Status MarkSent(int64_t outbox_id, const std::string& provider_id,
                          int segments, int64_t now) = 0;
  // Try again at next_attempt_at.
  virtual Status MarkRetry(int64_t outbox_id, int64_t next_attempt_at,
                           const std::string& error, int64_t now) = 0;
  // Give up on the row for good.
  virtual Status MarkFailed(int64_t outbox_id, const std::string& error,
                            int64_t now) = 0;
  // Rows left in "sending" by a crash go back to "pending". Called at start.
  virtual Status RecoverClaims(int64_t now) = 0;
  // Records a delivery status reported by the platform for an outbound
  // message identified by its provider id, with a failure's code and reason.
  // The first time a status is reported for the message, its consequence
  // is applied in the same transaction: kUnreachable marks the address the
  // message went to unreachable on that channel (until the person writes
  // from it again); kOptedOutAtPlatform opts the contact out (no more
  // broadcasts or notices on any channel, waiting ones failed with
  // kOptedOutPlatformError; replies to their own messages still go).
  virtual Status UpdateDelivery(const std::string& channel_id,
                                const std::string& provider_id,
                                const DeliveryUpdate& update) = 0;

  // --- Reads for exports, the desk and tests ---
  virtual Result<std::vector<Case>> ListCases(const CaseFilter& filter) = 0;
  virtual Result<std::vector<Message>> ListMessages(std::optional<int64_t> from,
                                                    std::optional<int64_t> to) = 0;
  virtual Result<std::vector<OutboxItem>> ListOutbox() = 0;
  // The delivery timeline of a message: one DeliveryEvent per status
  // transition, oldest first (e.g. queued, sent, delivered, read, or failed
  // with the platform's code and reason). Error::NotFound when the message
  // does not exist.
  virtual Result<std::vector<DeliveryEvent>> DeliveryTimeline(int64_t message_id) = 0;
  // --- Channels (the outbound policies of issue 4) ---
  // Puts claimed rows back to "pending", each due at its next_attempt_at,
  // without counting the claim as an attempt: a rate limit or a closed
  // WhatsApp window held them back before anything was sent. A non-empty
  // note replaces last_error (e.g. "outside_24h_window"). All rows in one
  // commit: a round of the outbox may hold back a whole batch, and one
  // commit each would make the round, not the rate limit, set the pace.
  // Rows already sent or failed, or gone, are left as they are.
  struct Deferral {
    int64_t outbox_id = 0;
    int64_t next_attempt_at = 0;
    std::string note;
  };
  virtual Status Defer(const std::vector<Deferral>& rows) = 0;
  // The time (unix ms, as recorded) of the newest inbound message from the
  // contact reached at (channel_id, address), or 0 when there is none.
  virtual Result<int64_t> LastInboundAt(const std::string& channel_id,
                                        const std::string& address) = 0;
  // --- Metrics (issue 7) ---
  // The rows still to be sent (pending or sending) and the age at `now` of
  // the oldest of them.
  virtual Result<OutboxBacklog> OutboxBacklogAt(int64_t now) = 0;

  // --- Send-rate limits shared by gateways (issue 17, migration 0013) ---
  // The state of the outbox's rate limits, for several gateways on one
  // database (gateway/outbound/send_rates.h; the algorithm is described in
  // gateway/outbound/rate_limiter.h). Times are unix ms; state is kept in
  // microseconds so that a rate's grid adds up exactly.
  //
  // One key's limit: a send every interval_us at most; 0 means no limit,
  // only a pause holds the key back.
  struct SendRateLimit {
    std::string key;
    int64_t interval_us = 0;
  };
  // Per key, the ms until a send may go under it at now_ms (0: now): the
  // later of its pause's end and, when limited, the millisecond its
  // theoretical arrival time (TAT) falls in.
  virtual Result<std::vector<int64_t>> SendWaits(const std::vector<SendRateLimit>& limits,
                                                 int64_t now_ms) = 0;
  // Takes the send slot at now_ms under every key, or under none, in one
  // transaction: when SendWaits would answer all 0, moves each limited
  // key's TAT on by its interval (from the TAT when the send is late by
  // less than one interval, else from now) and answers all 0. Otherwise
  // changes nothing and answers the waits. Two gateways never both take a
  // key's slot.
  virtual Result<std::vector<int64_t>> ReserveSend(const std::vector<SendRateLimit>& limits,
                                                   int64_t now_ms) = 0;
  // Hands a message held back under `limit` the first free send slot of
  // `queue` (unix ms): at or after the key's next allowed time, one
  // interval after the slot handed out before. Unlimited: the pause's end.
  // Never earlier than now_ms.
  virtual Result<int64_t> HoldSendSlot(const SendRateLimit& limit, const std::string& queue,
                                       int64_t now_ms) = 0;
  // Nothing goes under `key` before until_ms (extends, never shortens).
  virtual Status PauseSends(const std::string& key, int64_t until_ms) = 0;
  // Forgets keys and queues that hold nothing back any more at now_ms.
  virtual Status PruneSendRates(int64_t now_ms) = 0;

 protected:
  // What Transact and Read run: fn's Status decides commit or rollback.
  virtual Status TransactStatus(const std::function<Status(Tx&)>& fn) = 0;
  virtual Status ReadStatus(const std::function<Status(Tx&)>& fn) = 0;

 private:
  // Runs fn through `run` (TransactStatus or ReadStatus) and returns fn's
  // value: fn's error decides the rollback like any Status.
  template <typename F, typename Run>
  static std::invoke_result_t<F&, Tx&> WithValue(F& fn, Run run) {
    using R = std::invoke_result_t<F&, Tx&>;
    if constexpr (std::is_same_v<R, Status>) {
      return run(std::function<Status(Tx&)>(std::ref(fn)));
    } else {
      std::optional<typename R::value_type> value;
      Status s = run([&](Tx& tx) -> Status {
        R r = fn(tx);
        if (!r) return std::unexpected(std::move(r.error()));
        value.emplace(std::move(*r));
        return {};
      });
      if (!s) return std::unexpected(std::move(s.error()));
      return std::move(*value);
    }
  }
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_STORE_H_
