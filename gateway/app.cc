#include "gateway/app.h"

#include <unistd.h>

#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "gateway/channels/registry.h"
#include "storage/open_store.h"

namespace suaradesa {

namespace desk {
const std::map<std::string, std::string>& EmbeddedDeskFiles();
}  // namespace desk

namespace {

// host:pid:random, different for every process and every App.
std::string NewHolderId() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device random;
  const uint64_t r = (static_cast<uint64_t>(random()) << 32) ^ random();
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(r);
}

}  // namespace

std::vector<dialogs::Place> PlacesOf(const Config& config) {
  std::vector<dialogs::Place> places;
  for (const auto& area : config.areas) {
    for (const auto& desa : area.desa) places.push_back({desa.code, desa.name, area.code});
  }
  return places;
}

std::expected<std::unique_ptr<App>, std::vector<std::string>> App::Create(Config config,
                                                                          AppDeps deps) {
  std::unique_ptr<App> app(new App());
  app->config_ = std::move(config);
  app->clock_ = deps.clock;
  app->log_ = std::make_unique<Log>(deps.log_stream ? *deps.log_stream : std::cerr);
  for (const auto& s : app->config_.Secrets()) app->log_->AddSecret(s);
  if (deps.http) {
    app->http_ = deps.http;
  } else {
    app->owned_http_ = std::make_unique<RealHttpClient>();
    app->http_ = app->owned_http_.get();
  }

  std::vector<std::string> problems;
  dialogs::Options options;
  options.places = PlacesOf(app->config_);
  options.session_ttl_ms = app->config_.session_ttl_ms;
  auto loaded = dialogs::LoadDialogs(dialogs::EmbeddedSources(), options);
  if (!loaded) {
    for (const auto& p : loaded.error().problems) problems.push_back("dialogs: " + p);
  } else {
    app->dialogs_ = std::move(*loaded);
  }

  std::map<std::string, const channels::Channel*> borrowed;
  for (const auto& settings : app->config_.channels) {
    const channels::ChannelSpec* spec = channels::FindChannelSpec(settings.type);
    if (spec == nullptr) {
      problems.push_back("channel " + settings.id + ": unknown type " + settings.type);
      continue;
    }
    auto ch = spec->make(settings);
    borrowed[settings.id] = ch.get();
    app->channels_[settings.id] = std::move(ch);
  }

  auto store = storage::OpenStore(app->config_.Database());
  if (!store) {
    problems.push_back("database: " + store.error().message);
  } else {
    app->store_ = std::move(*store);
  }
  if (!problems.empty()) return std::unexpected(problems);

  app->desk_ = std::make_unique<desk::Desk>(*app->store_, *app->dialogs_, app->config_,
                                            *app->clock_, *app->log_);
  app->deadlines_ = std::make_unique<desk::DeadlineWatcher>(*app->desk_, *app->store_,
                                                            app->config_, *app->clock_, *app->log_);
  app->notices_ = std::make_unique<notices::Notices>(*app->store_, *app->dialogs_, app->config_,
                                                     *app->clock_, *app->log_);
  app->scheduler_ = std::make_unique<notices::Scheduler>(*app->notices_, *app->store_,
                                                         *app->clock_, *app->log_);
  app->inbound_ = std::make_unique<Inbound>(*app->store_, *app->dialogs_, *app->desk_,
                                            app->config_, *app->clock_, *app->log_);
  app->inbound_->SetNotices(app->notices_.get());
  app->activities_ = std::make_unique<activities::Activities>(
      *app->store_, *app->dialogs_, app->config_, *app->clock_, *app->log_);
  app->inbound_->SetActivities(app->activities_.get());
  app->rights_ = std::make_unique<rights::Rights>(*app->store_, *app->dialogs_, *app->desk_,
                                                  app->config_, *app->clock_, *app->log_);
  app->inbound_->SetRights(app->rights_.get());
  // Several gateways may share a PostgreSQL database: the rate limits are
  // then kept in it, so that together they keep to each limit.
  OutboxOptions outbox = deps.outbox;
  if (app->config_.Database().postgres()) outbox.rates_in_store = true;
  app->outbox_ = std::make_unique<OutboxWorker>(*app->store_, borrowed, *app->http_,
                                                *app->clock_, outbox);
  app->outbox_->SetLog(app->log_.get());
  app->holder_id_ = NewHolderId();
  app->retention_ = std::make_unique<rights::RetentionJob>(*app->store_, app->config_,
                                                           *app->clock_, *app->log_,
                                                           app->holder_id_);
  return app;
}

App::~App() {
  if (outbox_) outbox_->Stop();
}

bool App::Tick() {
  // Retention (issue 19) has a lease of its own, held for a day.
  if (auto r = retention_->RunIfDue(); !r) log_->Error("retention: " + r.error().message);
  // One planner at a time. Meeting notices and reminders do not depend on
  // it: each is recorded under its unique ScheduledSend key (meeting,
  // contact, kind) in the transaction that queues it, so two gateways
  // planning at once (a lease that ran out during a slow pass, clocks that
  // disagree by more than the lease) still queue each notice once.
  // Deadline reminders and escalations are remembered in the case's desk
  // row (CaseDesk::reminded), which a pass reads and rewrites: on
  // PostgreSQL (READ COMMITTED) two passes at the same moment could both
  // remind, so for them the lease is what keeps it to one.
  auto held = store_->TryLease(kPlannerLease, holder_id_, clock_->NowMillis(), kPlannerLeaseMs);
  if (!held) {
    log_->Error("planner lease: " + held.error().message);
    return false;
  }
  if (*held != planning_) {
    planning_ = *held;
    log_->Info(planning_ ? "planner lease taken: this gateway plans notices and deadlines"
                         : "planner lease held by another gateway: not planning");
  }
  if (!*held) return false;
  if (auto r = deadlines_->RunOnce(); !r) log_->Error("deadlines: " + r.error().message);
  if (auto r = scheduler_->RunOnce(); !r) log_->Error("notices: " + r.error().message);
  return true;
}

std::string App::InboxStrings() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& e : dialogs_->Entries()) {
    if (e.language != "id") continue;
    // The participation report's section of the inbox has its own keys.
    if (e.key.rfind("inbox.", 0) == 0 || e.key.rfind("report.inbox.", 0) == 0) {
      out[e.key] = e.text;
    }
  }
  return out.dump();
}

const channels::Channel* App::channel(const std::string& id) const {
  auto it = channels_.find(id);
  return it == channels_.end() ? nullptr : it->second.get();
}

ChannelInfo App::InfoOf(const channels::Channel& channel) const {
  ChannelInfo info{channel.id(), channel.type(), channel.is_sms()};
  if (info.sms) {
    for (const auto& [id, other] : channels_) {
      if (other->is_sms()) info.sms_channels.push_back(id);
    }
  }
  return info;
}

}  // namespace suaradesa
