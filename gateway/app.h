// App: the running gateway's objects, wired together once.
//
// Create opens the store (applying migrations), loads and validates the
// dialogs, builds every configured channel and the outbox worker. `serve`,
// `chat` and the end-to-end tests all start from an App, so they run the
// same code paths. The HTTP side lives in server.h.
//
// Thread safety: after Create, the accessors may be used from any thread.
#ifndef SUARADESA_GATEWAY_APP_H_
#define SUARADESA_GATEWAY_APP_H_

#include <expected>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "dialogs/engine.h"
#include "gateway/channels/channel.h"
#include "gateway/clock.h"
#include "gateway/config.h"
#include "gateway/desk/auth.h"
#include "gateway/desk/deadlines.h"
#include "gateway/desk/desk.h"
#include "gateway/http_client.h"
#include "gateway/inbound.h"
#include "gateway/log.h"
#include "gateway/notices/notices.h"
#include "gateway/notices/scheduler.h"
#include "gateway/activities/activities.h"
#include "gateway/outbound/outbox_worker.h"
#include "gateway/rights/retention.h"
#include "gateway/rights/rights.h"
#include "storage/store.h"

namespace suaradesa {

struct AppDeps {
  const Clock* clock = nullptr;     // required; must outlive the App
  HttpClient* http = nullptr;       // nullptr: a RealHttpClient owned by the App
  std::ostream* log_stream = nullptr;  // nullptr: std::cerr
  OutboxOptions outbox;
};

class App {
 public:
  // Returns the App, or every problem that stops it from starting.
  [[nodiscard]] static std::expected<std::unique_ptr<App>, std::vector<std::string>> Create(
      Config config, AppDeps deps);
  ~App();

  const Config& config() const { return config_; }
  const Clock& clock() const { return *clock_; }
  Log& log() { return *log_; }
  storage::Store& store() { return *store_; }
  const dialogs::Dialogs& dialogs() const { return *dialogs_; }
  Inbound& inbound() { return *inbound_; }
  OutboxWorker& outbox() { return *outbox_; }
  HttpClient& http() { return *http_; }
  desk::Desk& desk() { return *desk_; }
  desk::DeadlineWatcher& deadlines() { return *deadlines_; }
  desk::FailedAuthLimiter& auth_limiter() { return auth_limiter_; }
  // Meeting notices, reminders, RSVPs and broadcasts (issue 5).
  notices::Notices& notices() { return *notices_; }
  notices::Scheduler& scheduler() { return *scheduler_; }
  // Activities of approved proposals (issue 18).
  activities::Activities& activities() { return *activities_; }
  // Residents' data rights and the retention job (issue 19).
  rights::Rights& rights() { return *rights_; }
  rights::RetentionJob& retention() { return *retention_; }
  // Runs the periodic jobs once (complaint deadlines, meeting reminders).
  // serve calls it every 30 s; tests call it with a FakeClock.
  //
  // Several gateways may share one database (issue 17): the jobs run only
  // in the gateway that holds the planner lease (Store::TryLease, named
  // kPlannerLease, for kPlannerLeaseMs from each Tick that takes or renews
  // it). The others skip them until the holder stops renewing. Returns
  // whether this gateway held the lease and ran the jobs.
  bool Tick();
  static constexpr char kPlannerLease[] = "planner";
  static constexpr int64_t kPlannerLeaseMs = 90 * 1000;  // three of serve's ticks
  // This process's name as a lease holder: host, pid and a random part.
  const std::string& holder_id() const { return holder_id_; }

  // The web inbox's texts: every catalogue key starting with "inbox." or
  // "report.inbox.", as a flat JSON object.
  std::string InboxStrings() const;

  // The channel with this id, or nullptr.
  const channels::Channel* channel(const std::string& id) const;
  ChannelInfo InfoOf(const channels::Channel& channel) const;

 private:
  App() = default;

  Config config_;
  const Clock* clock_ = nullptr;
  std::unique_ptr<Log> log_;
  std::unique_ptr<HttpClient> owned_http_;
  HttpClient* http_ = nullptr;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<dialogs::Dialogs> dialogs_;
  std::map<std::string, std::unique_ptr<channels::Channel>> channels_;
  std::unique_ptr<desk::Desk> desk_;
  std::unique_ptr<desk::DeadlineWatcher> deadlines_;
  desk::FailedAuthLimiter auth_limiter_;
  std::unique_ptr<notices::Notices> notices_;
  std::unique_ptr<notices::Scheduler> scheduler_;
  std::unique_ptr<activities::Activities> activities_;
  std::unique_ptr<rights::Rights> rights_;
  std::unique_ptr<rights::RetentionJob> retention_;
  std::unique_ptr<Inbound> inbound_;
  std::unique_ptr<OutboxWorker> outbox_;
  std::string holder_id_;
  bool planning_ = false;  // the last Tick held the planner lease; Tick's thread only
};

// The places (kecamatan and desa) the dialogs may offer, from the config.
std::vector<dialogs::Place> PlacesOf(const Config& config);

}  // namespace suaradesa

#endif  // SUARADESA_GATEWAY_APP_H_
