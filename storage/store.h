// The case store: what the gateway may ask of persistent storage.
//
// Everything the gateway remembers lives behind this interface: contacts and
// their channel addresses, every message in and out, dialog sessions, cases
// with their event history, and the outbox. The SQLite implementation is in
// sqlite_store.h; nothing outside storage/ may depend on SQLite.
//
// Writes happen inside Store::Transact: the callback receives a Tx and either
// all of its changes commit or none do. Times are unix milliseconds (UTC).
//
// Thread safety: a Store may be used from many threads at once. A Tx must be
// used only inside the callback it was passed to, on that thread.
#ifndef SUARADESA_STORAGE_STORE_H_
#define SUARADESA_STORAGE_STORE_H_

#include <cstdint>
#include <expected>
#include <functional>
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
};

// A contact's open dialog. vars is a JSON object serialised as text; the
// store does not look inside.
struct Session {
  int64_t contact_id = 0;
  std::string flow;          // empty: no dialog open
  std::string node;
  std::string vars_json = "{}";
  int64_t updated_at = 0;
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
  virtual Result<Contact> GetContact(int64_t contact_id) = 0;
  virtual Status SetOptOut(int64_t contact_id, bool opted_out, int64_t now) = 0;
  virtual Status SetLanguage(int64_t contact_id, const std::string& language) = 0;
  virtual Result<std::vector<Address>> AddressesOf(int64_t contact_id) = 0;
  virtual Status MarkUnreachable(const std::string& channel_id,
                                 const std::string& address) = 0;

  // The contact's session; an empty Session (flow == "") when none.
  virtual Result<Session> GetSession(int64_t contact_id) = 0;
  virtual Status PutSession(const Session& s) = 0;

  // Creates a case with the next number for its type; fills id and number.
  // Also records a "created" event.
  virtual Result<Case> CreateCase(Case c) = 0;
  virtual Result<Case> GetCase(CaseType type, int64_t number) = 0;
  virtual Result<std::vector<Case>> CasesOfContact(int64_t contact_id) = 0;
  virtual Status AddCaseEvent(const CaseEvent& e) = 0;
  virtual Result<std::vector<CaseEvent>> CaseEvents(int64_t case_id) = 0;
  virtual Status SetCaseStatus(int64_t case_id, const std::string& status,
                               int64_t now) = 0;

  // Queues an outbound message: an outbox row and its outbound Message row
  // (status "queued"). Returns the outbox row id.
  virtual Result<int64_t> Enqueue(const OutboxItem& item, const std::string& text) = 0;
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
  virtual Status Transact(const std::function<Status(Tx&)>& fn) = 0;

  // True when the database answers a trivial query.
  virtual bool Healthy() = 0;

  // --- Outbox (each call is its own transaction) ---

  // Claims up to `limit` rows due at `now`: for each contact only its oldest
  // unsent row (replies before broadcasts), skipping contacts that have a
  // row in state "sending". Claimed rows move to "sending" with attempts+1.
  virtual Result<std::vector<OutboxItem>> ClaimDue(int64_t now, int limit) = 0;
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
  // message identified by its provider id.
  virtual Status UpdateDelivery(const std::string& channel_id,
                                const std::string& provider_id,
                                const std::string& status, int64_t at) = 0;

  // --- Reads for exports, the desk and tests ---
  virtual Result<std::vector<Case>> ListCases(const CaseFilter& filter) = 0;
  virtual Result<std::vector<Message>> ListMessages(std::optional<int64_t> from,
                                                    std::optional<int64_t> to) = 0;
  virtual Result<std::vector<OutboxItem>> ListOutbox() = 0;
  // The delivery timeline of a message: (status, at) per status transition,
  // oldest first (e.g. queued, sent, delivered, read). Error::NotFound when
  // the message does not exist.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> DeliveryTimeline(
      int64_t message_id) = 0;
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_STORE_H_
