// Activities (issue 18): an approved proposal (usulan, status disetujui)
// becomes the work it funds, followed from preparation to handover.
//
// Staff create and update activities through /api/v1/activities (api.h)
// within their areas (an area code covers the codes that start with it;
// admins everywhere; an activity outside answers 404 like one that does not
// exist). Every change is an event in the proposal case's history: kinds
// "activity" (created, fields changed), "stage", "progress", "tranche" and
// "meeting" (an accountability meeting linked).
//
// The TPK reports progress by phone (PROGRES USL-12 60 <note>): staff
// registered at the sender's address with a position starting "tpk", for
// activities of a desa their areas cover. Progress never goes backwards
// without a note saying why.
//
// Residents: INFO lists their desa's activities, INFO USL-12 shows one,
// IKUTI USL-12 / BERHENTI IKUTI USL-12 start and stop following it. The
// proposer and every follower get one short notice at each change of stage,
// each 25% of progress crossed (25, 50, 75, 100) and each accountability
// meeting linked; each milestone is claimed once in the store
// (ActivityTx::ClaimMilestone) and each notice has its own ScheduledSend key,
// so two gateways never announce it twice. Notices go through the outbox as
// broadcasts (opt-out stops them), held until quiet hours end in the desa's
// zone. Complaints that name an activity are counted on it, never shown.
//
// Thread safety: all methods may be called from many threads at once; the
// public calls without a Tx run in their own transaction.
#ifndef SUARADESA_GATEWAY_ACTIVITIES_ACTIVITIES_H_
#define SUARADESA_GATEWAY_ACTIVITIES_ACTIVITIES_H_

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dialogs/engine.h"
#include "gateway/clock.h"
#include "gateway/config.h"
#include "gateway/desk/desk.h"
#include "gateway/log.h"
#include "storage/store.h"

namespace suaradesa::activities {

using desk::Actor;
using desk::DeskError;
template <typename T>
using ActivityResult = desk::DeskResult<T>;
// A catalogue key and its parameters: what to answer a sender with.
using KeyedReply = std::pair<std::string, nlohmann::json>;

// The stages, in order.
const std::vector<std::string>& Stages();

// "USL-12": the ticket of the proposal an activity came from.
std::string Ticket(const storage::Activity& a);

// What follows the ticket in PROGRES USL-12 60 <note> ("60 pengecoran
// selesai", "60% ..."): the figure and the note; nullopt when it does not
// start with a figure. The ticket itself the dialog has parsed already.
struct ProgressFigure {
  int percent = 0;
  std::string note;
};
std::optional<ProgressFigure> ParseProgressFigure(const std::string& text);

class Activities {
 public:
  // All references must outlive the object.
  Activities(storage::Store& store, const dialogs::Dialogs& dialogs, const Config& config,
             const Clock& clock, Log& log);

  // --- The API (api.h) ---
  // ?area= (an area or desa code inside the actor's areas; empty: all of them).
  ActivityResult<nlohmann::json> List(const Actor& actor, const std::string& area);
  ActivityResult<nlohmann::json> Get(const Actor& actor, int64_t id);
  // {"ticket":"USL-12", "title", "location", "budget_blm", "budget_swadaya", "tpk"}.
  ActivityResult<nlohmann::json> Create(const Actor& actor, const nlohmann::json& body);
  // Any of title, location, budget_blm, budget_swadaya, tpk, stage.
  ActivityResult<nlohmann::json> Patch(const Actor& actor, int64_t id, const nlohmann::json& body);
  // {"progress": 0-100, "note"}.
  ActivityResult<nlohmann::json> AddNote(const Actor& actor, int64_t id,
                                         const nlohmann::json& body);
  // {"tahap": 1-3, "amount", "released_at"? (unix ms; default now)}.
  ActivityResult<nlohmann::json> AddTranche(const Actor& actor, int64_t id,
                                            const nlohmann::json& body);
  // {"meeting_id"}: a meeting of forum pertanggungjawaban or serah_terima in
  // the activity's desa, made through /api/v1/meetings.
  ActivityResult<nlohmann::json> LinkMeeting(const Actor& actor, int64_t id,
                                             const nlohmann::json& body);

  // --- Inside an inbound transaction ---
  // PROGRES USL-`number` <text> from `staff` (already known to be staff at
  // the sender's address); `number` 0: the ticket named no proposal.
  storage::Result<KeyedReply> ReportProgress(storage::Tx& tx, const Actor& staff, int64_t number,
                                             const std::string& text, int64_t now);
  // INFO with no ticket: the desa's activities, page `page` (0-based).
  storage::Result<KeyedReply> InfoList(storage::Tx& tx, const std::string& desa_code, int page,
                                       const std::string& language);
  // INFO USL-12.
  storage::Result<KeyedReply> InfoOne(storage::Tx& tx, const std::string& ticket,
                                      const std::string& language, int64_t now);
  // IKUTI / BERHENTI IKUTI USL-12.
  storage::Result<KeyedReply> Follow(storage::Tx& tx, int64_t contact_id, const std::string& ticket,
                                     bool following, int64_t now);
  // A complaint just filed: when its text names USL-n of an activity, links it.
  storage::Status OnComplaint(storage::Tx& tx, const storage::Case& complaint,
                              const std::string& text);

  // The lines of an INFO list page within two SMS segments; public for tests.
  static constexpr int kInfoSegments = 2;

 private:
  // What a change answers: nullopt when done, a DeskError when refused
  // (each change refuses before it writes anything), or a store error.
  using Refusal = storage::Result<std::optional<DeskError>>;
  // Runs `change` on activity `id` (as `actor` may see it) in one
  // transaction; answers the refusal, or the activity's detail after it.
  ActivityResult<nlohmann::json> Change(
      const Actor& actor, int64_t id,
      const std::function<Refusal(storage::Tx&, storage::Activity&)>& change);
  bool Covers(const Actor& actor, const std::string& desa_code) const;
  // The activity `id` if the actor may see it.
  storage::Result<std::optional<storage::Activity>> Load(storage::Tx& tx, const Actor& actor,
                                                         int64_t id);
  nlohmann::json Json(storage::Tx& tx, const storage::Activity& a, bool detail);
  storage::Status Event(storage::Tx& tx, const storage::Activity& a, const std::string& kind,
                        const std::string& actor, const std::string& detail, int64_t now);
  // Records progress (note + event + milestones); the caller checked it.
  storage::Status RecordProgress(storage::Tx& tx, storage::Activity& a, int percent,
                                 const std::string& note, const std::string& actor, int64_t now);
  storage::Status ChangeStage(storage::Tx& tx, storage::Activity& a, const std::string& stage,
                              const std::string& actor, int64_t now);
  // Claims `milestone` and, the first time, tells every follower with the
  // catalogue key and params.
  storage::Status Announce(storage::Tx& tx, const storage::Activity& a,
                           const std::string& milestone, const std::string& key,
                           nlohmann::json params, int64_t now);
  // Who hears of an activity: the proposer and those who asked (IKUTI),
  // less those who said BERHENTI IKUTI.
  storage::Result<std::vector<int64_t>> Audience(storage::Tx& tx, const storage::Activity& a);
  storage::Result<std::optional<storage::Activity>> ByTicket(storage::Tx& tx,
                                                             const std::string& ticket);
  std::string DesaName(const std::string& code) const;
  std::string Iso(int64_t ms) const;
  // "23/11 09.00" in the desa's zone.
  std::string When(int64_t ms, const std::string& desa_code) const;
  // Text for residents: phone numbers and NIKs masked, made GSM-7 and cut
  // at a word to at most `max` characters.
  static std::string Short(const std::string& text, size_t max);

  storage::Store& store_;
  const dialogs::Dialogs& dialogs_;
  const Config& config_;
  const Clock& clock_;
  Log& log_;
};

}  // namespace suaradesa::activities

#endif  // SUARADESA_GATEWAY_ACTIVITIES_ACTIVITIES_H_
