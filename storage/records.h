// The records the store keeps and hands out: contacts, messages, cases,
// the outbox, the desk's and the notices' rows; and Error, Result, Status,
// which every storage call returns. Plain values, no behaviour.
#ifndef SUARADESA_STORAGE_RECORDS_H_
#define SUARADESA_STORAGE_RECORDS_H_

#include <cstdint>
#include <expected>
#include <functional>
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
  bool privacy_noticed = false;  // the privacy notice was queued (issue 19)
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
// The error message of Tx::PutSession's conflict: the session was written
// since it was read.
inline constexpr char kSessionChanged[] = "session changed since it was read";
// The error message of Tx::InsertInbound's conflict: a retried delivery.
// Only this message means it: on a store that pipelines writes, an earlier
// write's conflict (kContactChanged, a foreign key) may be InsertInbound's
// error too.
inline constexpr char kAlreadyRecorded[] = "inbound message already recorded";
// The error message of Tx::TouchContact's conflict: the address no longer
// belongs to the contact it was read with.
inline constexpr char kContactChanged[] = "the address's contact changed since it was read";

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
  std::string forum;                // musdus|mkp|musdes|mad|spp|other|pertanggungjawaban|serah_terima
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
  // The activity this meeting accounts for (forums pertanggungjawaban and
  // serah_terima, issue 18); 0: none.
  int64_t activity_id = 0;
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

// --- Activities (issue 18; storage/sql/activities.cc) ---

// Stages of an activity, in order: "persiapan", "pelaksanaan", "serah_terima", "selesai".
struct Activity {
  int64_t id = 0;
  int64_t case_id = 0;            // the approved proposal (usulan); one activity per proposal
  int64_t case_number = 0;        // n of its ticket USL-n (joined from cases)
  std::string desa_code;
  std::string title;              // short name of the work, from the proposal's summary unless staff set one
  std::string location;
  int64_t budget_blm = 0;         // rupiah from the programme (BLM / Dana Desa)
  int64_t budget_swadaya = 0;     // rupiah of community contribution
  std::vector<std::string> groups; // codes of the groups that proposed it: their members hear of it
  std::string tpk;                // the TPK (team) that runs it: a label, never a person's phone
  std::string stage = "persiapan";
  int progress = 0;               // 0-100
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct ActivityNote {             // one dated progress report
  int64_t id = 0; int64_t activity_id = 0; int64_t at = 0;
  int progress = 0; std::string note; std::string actor;   // actor: staff name or "tpk:<staff name>"
};

struct Tranche {                  // a released tranche (tahap 1, 2, 3)
  int64_t activity_id = 0; int tahap = 0; int64_t amount = 0; int64_t released_at = 0;
};

// A contact's own word about following an activity: IKUTI (following) or
// BERHENTI IKUTI (not following; this also silences the notices a proposer
// or a member of the proposing group gets without asking).
struct ActivityFollower {
  int64_t activity_id = 0;
  int64_t contact_id = 0;
  bool following = true;
  int64_t at = 0;
};

// --- Residents' data rights and the staff audit (issue 19, migration 0015) ---

// last_error of an outbox row not sent because its contact's data was erased.
inline constexpr char kErasedError[] = "erased";

// What the store holds about one contact, as DATA SAYA tells it (RightsTx::
// DataOf). Only the contact's own: their messages, cases and groups.
struct ContactData {
  int64_t since = 0;                // when the contact was first recorded
  int64_t messages = 0;             // inbound messages of theirs recorded
  std::vector<Case> cases;          // theirs, newest first
  std::vector<std::string> groups;  // codes of the groups they belong to
  bool opted_out = false;
  std::string language = "id";
};

// What RightsTx::EraseContact removed.
struct ErasureReport {
  int addresses = 0;          // addresses deleted
  int texts_deleted = 0;      // message texts deleted (messages in no case)
  int pending_cancelled = 0;  // outbox rows not yet sent, failed
  int groups_left = 0;        // group memberships deleted
  int cases_kept = 0;         // their cases, kept without a link to them
};

// The retention limits of one run (unix ms): what is older goes.
struct RetentionCutoffs {
  int64_t message_texts_before = 0;  // texts of messages that belong to no case
  int64_t outbox_bodies_before = 0;  // bodies of finished outbox rows
  int64_t delivery_events_before = 0;  // delivery timelines
};

// What RightsTx::ApplyRetention removed.
struct RetentionReport {
  int message_texts = 0;
  int outbox_bodies = 0;
  int delivery_events = 0;
  bool operator==(const RetentionReport&) const = default;
};

// One thing staff did with residents' data (AuditTx).
struct AuditEntry {
  int64_t id = 0;
  int64_t at = 0;
  std::string actor;    // a token's (staff member's) name, "resident", "cli"
  std::string action;   // case.read, case.list, reply, export, erase
  std::string ticket;   // the case concerned; "" when none
};

struct AuditQuery {
  std::optional<int64_t> from;  // at >= from
  std::optional<int64_t> to;    // at < to
  std::string action;           // "" = every action
  int limit = 1000;
};

// What Migrate did: the schema version before and after, and the names of
// the migrations applied (empty when the schema was already current).
struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;
};

// What deciding a known contact's message reads (Tx::ContactReadsOf).
struct ContactReads {
  RecentInbound recent;             // RecentInboundOf(contact, inbound_since)
  Session session;                  // GetSession(contact)
  bool invitation_pending = false;  // HasPendingInvitation(contact, now)
  std::vector<Case> cases;          // CasesOfContact(contact)
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_RECORDS_H_
