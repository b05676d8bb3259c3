// Desk: the facilitator's side of a case.
//
// Staff see the cases of their own areas, answer residents (the answer goes
// out through the outbox on the resident's own channel), move cases through
// their workflow, and assign them. Every change is an event in the case's
// history, and the resident is told of each status change in one short
// message, with the staff's note whole (split between words only when
// very long); a closed complaint's message says how to reopen it (BUKA).
// A resident's own words about a recent case are a "note" event on it,
// and its assignee is alerted.
//
// A complaint's reporter is protected by design: views show a pseudonym
// per case ("Pelapor-7F3A", keyed by a secret kept in the database), never
// a phone number, platform id, name or contact id, and there is no call that
// reveals them. A case shows only the messages recorded as its own (the
// dialog that filed it and the exchanges about it), so no view of one case
// shows another case of the same person. A complaint that names an office (conflict rules) is neither
// assigned nor shown to staff who hold that office.
//
// Thread safety: all methods may be called from many threads at once; each
// public call without a Tx runs in its own transaction.
#ifndef SUARADESA_GATEWAY_DESK_DESK_H_
#define SUARADESA_GATEWAY_DESK_DESK_H_

#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/engine.h"
#include "gateway/clock.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "storage/store.h"

namespace suaradesa::desk {

// Who is acting: a token's owner, or staff writing from their phone.
struct Actor {
  std::string name;
  std::string role;                 // "admin" or "fasilitator"
  std::vector<std::string> areas;   // empty for admin: everything
  std::string position;             // the office they hold, from the staff record

  bool admin() const { return role == "admin"; }
};

struct DeskError {
  int status = 400;                 // the HTTP status the API answers with
  std::string code;
  std::string message;
};
template <typename T>
using DeskResult = std::expected<T, DeskError>;

struct CaseListParams {
  std::string type;                 // usulan|pengaduan|""
  std::string status;
  std::string area;                 // an area code inside the actor's areas
  std::string text;
  bool overdue_only = false;
};

// "ADU-12", "adu12", "ADU 12", "#usl-3" -> (type, number); the whole text must be
// the ticket (trailing punctuation aside). Read by dialogs::ParseTicket.
bool ParseTicketRef(const std::string& text, storage::CaseType* type, int64_t* number);

// The allowed statuses of a case type, in workflow order.
const std::vector<std::string>& StatusesOf(storage::CaseType type);

class Desk {
 public:
  // All references must outlive the Desk.
  Desk(storage::Store& store, const dialogs::Dialogs& dialogs, const Config& config,
       const Clock& clock, Log& log);

  // Inside the transaction that created `c`: sets deadlines (complaints),
  // the offices it accuses, and the default assignee by area.
  [[nodiscard]] storage::Status OnCaseCreated(storage::Tx& tx, const storage::Case& c,
                                              const std::string& text);
  // Inside the transaction that stored details the reporter gave after
  // filing (Tx::UpdateCaseDetails): `text` (their new words) may accuse
  // more offices, and the case may now be in another area; an assignee who
  // no longer fits (accused, or not covering the case) is replaced.
  [[nodiscard]] storage::Status OnCaseDetails(storage::Tx& tx, const storage::Case& c,
                                              const std::string& text);

  // The token's owner, or 401.
  DeskResult<Actor> Authenticate(const std::string& token);

  DeskResult<nlohmann::json> ListCases(const Actor& actor, const CaseListParams& params);
  DeskResult<nlohmann::json> GetCase(const Actor& actor, const std::string& ticket);
  DeskResult<nlohmann::json> Reply(const Actor& actor, const std::string& ticket,
                                   const std::string& text);
  DeskResult<nlohmann::json> SetStatus(const Actor& actor, const std::string& ticket,
                                       const std::string& status, const std::string& note);
  DeskResult<nlohmann::json> Assign(const Actor& actor, const std::string& ticket,
                                    const std::string& staff);
  // Sets the desa of a case (a configured desa code): its area follows, and
  // its assignee is chosen again. A case filed before its desa was known
  // (no area, admins only) reaches its area's inbox this way. Admins may
  // place any case they see; a facilitator only into their own areas.
  DeskResult<nlohmann::json> Place(const Actor& actor, const std::string& ticket,
                                   const std::string& desa_code);
  // Cases visible to the actor as CSV, UTF-8 with a BOM, no identities.
  DeskResult<std::string> ExportCsv(const Actor& actor);
  nlohmann::json Statuses() const;

  // --- Inside an inbound transaction (commands sent from a phone) ---

  // The staff member registered at this address, or nullopt.
  storage::Result<std::optional<Actor>> StaffAt(storage::Tx& tx, const std::string& channel_id,
                                                const std::string& address);
  // BALAS ADU-12 <text>. Returns the catalogue key (and params) to answer
  // the staff member with.
  storage::Result<std::pair<std::string, nlohmann::json>> ReplyInTx(
      storage::Tx& tx, const Actor& actor, const std::string& ticket, const std::string& text);
  // KASUS: the actor's open cases as one short text (tickets and summaries).
  // Each confidential case listed is audited in `audit` when given.
  storage::Result<std::string> OpenCasesText(storage::CaseTx& tx, const Actor& actor,
                                             storage::AuditTx* audit = nullptr);
  // BUKA ADU-12 from the resident who filed it, within reopen_days. Sets
  // *case_id (when not null) to the case when it is the sender's own.
  storage::Result<std::pair<std::string, nlohmann::json>> ReopenInTx(
      storage::Tx& tx, int64_t contact_id, const std::string& ticket, int64_t* case_id = nullptr);

  // The tickets of the contact's cases that are open or were closed within
  // reopen_days, newest first, at most kMaxRecentTickets: what a resident's
  // free message may be about (dialogs::Context::case_tickets).
  storage::Result<std::vector<std::string>> RecentTicketsOf(storage::CaseTx& tx,
                                                            int64_t contact_id);
  // The same, from the contact's cases as read already (Tx::ContactReadsOf).
  storage::Result<std::vector<std::string>> RecentTickets(storage::CaseTx& tx,
                                                          const std::vector<storage::Case>& cases);
  static constexpr size_t kMaxRecentTickets = 5;
  // A note from the resident on their own recent case (issue 14): a "note"
  // event by "reporter", and the assignee alerted on their registered phone
  // (desk.note_alert). Sets *case_id to the case when it is the sender's
  // own and recent. Returns case.note_added {ticket}, or status.not_found.
  storage::Result<std::pair<std::string, nlohmann::json>> NoteInTx(
      storage::Tx& tx, int64_t contact_id, const std::string& ticket, const std::string& text,
      int64_t* case_id);

  // The reporter's pseudonym on this case ("Pelapor-7F3A"): stable for the
  // case, different for each case, so it never links two cases of one
  // person.
  std::string Pseudonym(storage::ConversationTx& tx, const storage::Case& c);

  // The staff audit's actions (issue 19; GET /api/v1/audit): a confidential
  // case read whole, listed (its summary shown), a reply, an export, an
  // erasure.
  static constexpr char kAuditRead[] = "case.read";
  static constexpr char kAuditList[] = "case.list";
  static constexpr char kAuditReply[] = "reply";
  static constexpr char kAuditExport[] = "export";
  static constexpr char kAuditErase[] = "erase";
  // Records that `actor` did `action` (on `ticket`, "" for none) now.
  storage::Status Audit(storage::AuditTx& tx, const std::string& actor, const char* action,
                        const std::string& ticket);

 private:
  friend class DeadlineWatcher;

  bool Visible(const Actor& actor, const storage::DeskCase& dc) const;
  storage::Result<std::optional<storage::DeskCase>> Load(storage::Tx& tx, const Actor& actor,
                                                         const std::string& ticket);
  nlohmann::json SummaryJson(storage::Tx& tx, const storage::DeskCase& dc);
  nlohmann::json DetailJson(storage::Tx& tx, const storage::DeskCase& dc);
  // Queues a message to the staff member `name` on their registered phone;
  // nothing when they have none.
  storage::Status MessageStaff(storage::Tx& tx, const std::string& name, const std::string& key,
                               const nlohmann::json& params);
  // Queues the rendered text to the case's reporter on their own channel:
  // one message, or several split at word boundaries when very long
  // (kMaxMessageChars), never cut. Held until the end of quiet hours in the
  // case's zone. A status notice waits kStatusCoalesceMs more, and replaces
  // the text of the case's status notice still waiting, if any.
  storage::Status Notify(storage::Tx& tx, const storage::Case& c, const std::string& key,
                         const nlohmann::json& params, bool status_notice);
  storage::Status DoReply(storage::Tx& tx, const Actor& actor, storage::DeskCase& dc,
                          const std::string& text);
  storage::Status DoSetStatus(storage::Tx& tx, const std::string& actor, storage::DeskCase& dc,
                              const std::string& status, const std::string& note);
  // Adds to `excluded` the offices `text` names (conflict rules) that it
  // does not hold yet; true if any was added.
  bool AddAccused(const std::string& text, std::vector<std::string>& excluded) const;
  // Adds the offices `text` accuses to dc's exclusions (a "conflict" event
  // when any is new) and, if the assignee is now excluded or no longer
  // covers the case, assigns the best other one (an "assign" event).
  storage::Status Reconsider(storage::Tx& tx, storage::DeskCase& dc, const std::string& text);
  // A staff action on one case: nothing (done), a refusal for the caller,
  // or a store error (the transaction rolls back).
  using Refusal = storage::Result<std::optional<DeskError>>;
  using CaseChange = std::function<Refusal(storage::Tx&, storage::DeskCase&)>;
  // Runs `change` on the case `ticket` as `actor` may see it, in one
  // transaction; answers the case's detail, 404 when the actor may not see
  // it (or it does not exist), or the refusal.
  DeskResult<nlohmann::json> ChangeCase(const Actor& actor, const std::string& ticket,
                                        const CaseChange& change);
  // The best staff member for a case at `min_level` or above, or "".
  storage::Result<std::string> PickAssignee(storage::Tx& tx, const storage::DeskCase& dc,
                                            const std::string& min_level);
  std::string DesaName(const std::string& code) const;
  std::string Iso(int64_t ms) const;

  storage::Store& store_;
  const dialogs::Dialogs& dialogs_;
  const Config& config_;
  const Clock& clock_;
  Log& log_;
  std::vector<ConflictRule> conflict_rules_;
};

// A DeskResult from a storage error: 404 for NotFound, 503 otherwise.
DeskError FromStorage(const storage::Error& e);

}  // namespace suaradesa::desk

#endif  // SUARADESA_GATEWAY_DESK_DESK_H_
