// Effects: carries out a dialog step's effects (dialogs/effect.h) inside
// the transaction that handles the message, one handler per effect type,
// and renders the reply each one answers with (Effect::reply_key, or the
// key its handler chose instead, with the results as parameters).
//
// Every effect concerns the sender only: a status, a reopened case or a
// note is found among the sender's own cases; staff commands need the
// sender to be staff at that channel and address (desk::Desk::StaffAt).
//
// Thread safety: Apply may be called from many threads at once, each with
// its own transaction.
#ifndef SUARADESA_GATEWAY_EFFECTS_H_
#define SUARADESA_GATEWAY_EFFECTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/engine.h"
#include "gateway/clock.h"
#include "gateway/config.h"
#include "gateway/activities/activities.h"
#include "gateway/desk/desk.h"
#include "gateway/log.h"
#include "gateway/notices/notices.h"
#include "gateway/rights/rights.h"
#include "storage/store.h"

namespace suaradesa {

struct ChannelInfo;  // gateway/inbound.h

// The case a message is about, found while applying its effects.
struct CaseLink {
  int64_t case_id = 0;      // 0: none
  std::string filed_by;     // the dialog that filed it; empty: asked about
  std::string ticket;       // of the case a dialog filed, which goes on
                            // asking details (dialogs "_ticket")
  bool erased = false;      // the sender's data was erased (HAPUS DATA):
                            // nothing more is written or sent for them
};

class Effects {
 public:
  // All references must outlive this object.
  Effects(const dialogs::Dialogs& dialogs, desk::Desk& desk, const Config& config,
          const Clock& clock, Log& log);

  // Meeting notices answer JoinGroup, LeaveGroup, Rsvp and ListMeetings.
  // nullptr: those effects do nothing but their reply. REQUIRES: called
  // before the first Apply.
  void SetNotices(notices::Notices* notices) { notices_ = notices; }
  // Activities answer ActivityInfo, FollowActivity and ActivityProgress,
  // and link complaints that name one. nullptr: those effects only reply.
  // REQUIRES: called before the first Apply.
  void SetActivities(activities::Activities* activities) { activities_ = activities; }
  // Residents' data rights answer PrivacyInfo, DataAccess and EraseData.
  // nullptr: those effects do nothing. REQUIRES: called before the first
  // Apply.
  void SetRights(rights::Rights* rights) { rights_ = rights; }

  // True for the effects that only read (a status, the meeting list, a
  // staff member's open cases): they may be carried out on a read snapshot
  // (Store::Read), before the message's transaction.
  static bool OnlyReads(const dialogs::Effect& effect);

  // Carries out `effect` for `contact`, who wrote from `address` on
  // `channel`, in `tx`; appends its reply (if any) to `replies` and notes
  // the case it concerned in `link`. Returns the store's error.
  [[nodiscard]] storage::Status Apply(storage::Tx& tx, const ChannelInfo& channel,
                                      const storage::Contact& contact,
                                      const std::string& address, const dialogs::Effect& effect,
                                      std::vector<dialogs::Reply>& replies, CaseLink& link);

 private:
  // One Apply call: what the handlers read, and the reply they answer with.
  struct Call {
    storage::Tx& tx;
    const ChannelInfo& channel;
    const storage::Contact& contact;
    const std::string& address;
    CaseLink& link;
    int64_t now = 0;
    std::string reply_key;       // the effect's, unless a handler answers otherwise
    nlohmann::json params = nlohmann::json::object();
    std::vector<dialogs::Reply> rendered = {};  // replies a handler rendered itself
  };

  storage::Status Handle(Call& call, const dialogs::CreateCase& e);
  storage::Status Handle(Call& call, const dialogs::UpdateCase& e);
  storage::Status Handle(Call& call, const dialogs::StatusQuery& e);
  storage::Status Handle(Call& call, const dialogs::ListMeetings& e);
  storage::Status Handle(Call& call, const dialogs::JoinGroup& e);
  storage::Status Handle(Call& call, const dialogs::LeaveGroup& e);
  storage::Status Handle(Call& call, const dialogs::Rsvp& e);
  storage::Status Handle(Call& call, const dialogs::StaffReply& e);
  storage::Status Handle(Call& call, const dialogs::StaffCases& e);
  storage::Status Handle(Call& call, const dialogs::ReopenCase& e);
  storage::Status Handle(Call& call, const dialogs::CaseNote& e);
  storage::Status Handle(Call& call, const dialogs::OptOut& e);
  storage::Status Handle(Call& call, const dialogs::OptIn& e);
  storage::Status Handle(Call& call, const dialogs::SetLanguage& e);
  storage::Status Handle(Call& call, const dialogs::ActivityInfo& e);
  storage::Status Handle(Call& call, const dialogs::FollowActivity& e);
  storage::Status Handle(Call& call, const dialogs::ActivityProgress& e);
  storage::Status Handle(Call& call, const dialogs::PrivacyInfo& e);
  storage::Status Handle(Call& call, const dialogs::DataAccess& e);
  storage::Status Handle(Call& call, const dialogs::EraseData& e);

  // Answers with the reply key and params a desk or notices call chose.
  static storage::Status Answer(Call& call,
                                storage::Result<std::pair<std::string, nlohmann::json>> r);
  // Without the part (meeting notices, activities, data rights) that
  // answers an effect, the effect only replies (and logs that).
  storage::Status NotSetUp(std::string_view kind, std::string_view part);
  // The sender as staff, or nullopt (then the reply is staff.not_allowed).
  storage::Result<std::optional<desk::Actor>> Staff(Call& call);

  const dialogs::Dialogs& dialogs_;
  desk::Desk& desk_;
  const Config& config_;
  const Clock& clock_;
  Log& log_;
  notices::Notices* notices_ = nullptr;
  activities::Activities* activities_ = nullptr;
  rights::Rights* rights_ = nullptr;
};

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_EFFECTS_H_
