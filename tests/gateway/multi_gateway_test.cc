// Several gateways on one PostgreSQL database (issue 17): the real gateway
// twice on one schema, each with its own store, connection pool and outbox
// worker, and fake platforms that count what each recipient got.
//
// - The planner lease: of two gateways ticking on one database only the one
//   holding the lease plans reminders; the other takes over once it runs out.
// - A notice to 2,000 members drained by two `suaradesa serve` processes
//   (and, for the figure beside it, by one) reaches each member once.
// - A serve process killed with SIGKILL in the middle of the drain: an
//   in-process gateway drains the rest, and once the lease of the rows the
//   killed one had claimed runs out (its FakeClock moved on), those too.
// - One Telegram update posted many times to both gateways at once is
//   stored once and answered once.
//
// Runs only against a PostgreSQL server (SUARADESA_TEST_PG_URL, see
// tests/postgres/cluster.sh). Waiting for the child processes is bounded
// polling against MonotonicNanos deadlines, as in crash_test.cc; the times
// measured are printed, never asserted.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "dialogs/format.h"
#include "gateway/clock.h"
#include "tests/gateway/store_view.h"
#include "tests/gateway/serve_process.h"
#include "tests/gateway/test_gateway.h"
#include "tests/storage/postgres_server.h"
#include "tests/support/fake_platform.h"
#include "tests/support/temp_dir.h"


namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr int64_t kMinute = 60LL * 1000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kWaitNanos = 120LL * 1000 * 1000 * 1000;  // upper bound of every wait
constexpr int kMembers = 2000;
constexpr const char* kGitik = "3510070001";  // a desa of TestConfig's area (WIB)

std::string PgUrl() { return TestPgUrl(); }

// A schema no other test or process uses; the gateways create it.
std::string FreshSchema() {
  static std::atomic<int> counter{0};
  std::random_device random;
  return "mgw_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(random() % 1000000);
}

// TestConfig on the PostgreSQL schema; the http channel "web" sends to
// `send_url`.
Config PgConfig(const std::string& schema, const std::string& telegram_api,
                const std::string& send_url) {
  Config cfg = TestConfig("unused.db", telegram_api, send_url);
  cfg.database_path.clear();
  cfg.database_url = PgUrl();
  cfg.database_schema = schema;
  cfg.database_pool_size = 4;
  return cfg;
}

// The same gateway as a config file for `suaradesa serve`.
void WriteServeConfig(const std::string& file, int port, const std::string& schema,
                      const std::string& send_url) {
  json cfg = {
      {"listen", {{"host", "127.0.0.1"}, {"port", port}}},
      {"database", {{"url", PgUrl()}, {"schema", schema}, {"pool_size", 4}}},
      {"areas", json::array({{{"code", "3510070"},
                              {"name", "Rogojampi"},
                              {"timezone", "Asia/Jakarta"},
                              {"desa", json::array({{{"code", kGitik}, {"name", "Gitik"}}})}}})},
      {"channels", json::array({{{"id", "web"},
                                 {"type", "http"},
                                 {"secret", kHttpSecret},
                                 {"send_url", send_url}}})}};
  std::ofstream(file) << cfg.dump(2);
}

// A fake SMS bridge (the http channel's send_url) that counts the sends to
// each recipient, answered and not, and notes when the first and the last
// arrived. `on_request` (optional) sees each request's number (1, 2, ...)
// and may answer it instead (nullopt: answered normally).
class CountingBridge {
 public:
  using Hook = std::function<std::optional<FakeResponse>(int n, const std::string& to)>;

  explicit CountingBridge(Hook on_request = {}) : on_request_(std::move(on_request)) {
    platform_.SetHandler([this](const RecordedRequest& req) {
      const json body = json::parse(req.body, nullptr, false);
      const std::string to = body.is_object() ? body.value("to", "") : "";
      int n = 0;
      {
        std::lock_guard<std::mutex> lock(mu_);
        n = ++requests_;
        if (n == 1) first_ns_ = MonotonicNanos();
      }
      std::optional<FakeResponse> hooked = on_request_ ? on_request_(n, to) : std::nullopt;
      std::lock_guard<std::mutex> lock(mu_);
      last_ns_ = MonotonicNanos();
      if (hooked) {
        unanswered_[to]++;
        changed_.notify_all();
        return *hooked;
      }
      answered_[to]++;
      changed_.notify_all();
      FakeResponse ok;
      ok.body = json{{"id", "b" + std::to_string(n)}}.dump();
      return ok;
    });
  }

  std::string send_url() const { return platform_.base_url() + "/send"; }
  std::map<std::string, int> answered() const {
    std::lock_guard<std::mutex> lock(mu_);
    return answered_;
  }
  std::map<std::string, int> unanswered() const {
    std::lock_guard<std::mutex> lock(mu_);
    return unanswered_;
  }
  int requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  int64_t first_ns() const {
    std::lock_guard<std::mutex> lock(mu_);
    return first_ns_;
  }
  int64_t last_ns() const {
    std::lock_guard<std::mutex> lock(mu_);
    return last_ns_;
  }
  // Waits (bounded) until `done` holds, re-checking whenever a request came.
  bool WaitFor(const std::function<bool()>& done, int64_t deadline_ns) {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      lock.unlock();
      if (done()) return true;
      lock.lock();
      if (MonotonicNanos() >= deadline_ns) return false;
      changed_.wait_for(lock, std::chrono::milliseconds(50));
    }
  }

 private:
  Hook on_request_;
  FakePlatform platform_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  // Guarded by mu_
  std::map<std::string, int> answered_;
  std::map<std::string, int> unanswered_;
  int requests_ = 0;
  int64_t first_ns_ = 0, last_ns_ = 0;
};

// The most recent 09.00 WIB (02.00 UTC) before the real now: a time that is
// due now and outside quiet hours, so that what a FakeClock gateway queues
// at it is sent at once by gateways on the real clock.
int64_t RecentMorning() {
  const int64_t now = SystemClock().NowMillis();
  int64_t t = now / kDay * kDay + 2 * kHour;
  if (t > now) t -= kDay;
  return t;
}

// The recipients of the notice: kMembers phone numbers.
std::string Phone(int i) { return "+62813" + std::to_string(10000000 + i); }

// Makes group MELATI with kMembers phone-only members (reached on "web")
// and queues one broadcast to them, through gw's Notices service at gw's
// clock. Returns the addresses queued for.
std::vector<std::string> QueueNotice(TestGateway& gw) {
  const desk::Actor admin{"Admin", "admin", {}, ""};
  auto group = gw.app().notices().CreateGroup(
      admin, {{"code", "MELATI"}, {"name", "Jasmine group"}, {"area", kGitik}});
  INFO((group ? group->dump() : group.error().message));
  REQUIRE(group);
  std::string csv = "phone\n";
  for (int i = 0; i < kMembers; ++i) csv += Phone(i) + "\n";
  auto imported = gw.app().notices().ImportMembers("MELATI", csv);
  INFO((imported ? "" : imported.error().message));
  REQUIRE(imported);
  REQUIRE(imported->added == kMembers);
  auto sent = gw.app().notices().Broadcast(
      admin, {{"groups", {"MELATI"}}, {"text", "Meeting at the village hall tomorrow 09.00"}});
  INFO((sent ? sent->dump() : sent.error().message));
  REQUIRE(sent);
  StoreView view(gw.app().store());
  std::vector<std::string> addresses;
  // One snapshot: a gateway already running may claim and send rows at once
  // (it once had 64 of 2000 "sending" before a count of "pending").
  int queued = 0;
  for (const auto& item : view.Outbox()) {
    addresses.push_back(item.address);
    queued += item.state == "pending" || item.state == "sending" || item.state == "sent";
  }
  REQUIRE(addresses.size() == static_cast<size_t>(kMembers));
  REQUIRE(queued == kMembers);
  return addresses;
}

// Runs the in-process gateway's outbox until a round attempts nothing.
void DrainInProcess(TestGateway& gw) {
  while (gw.app().outbox().RunOnce() > 0) {
  }
}

// How many recipients got `n` sends (answered by the bridges), over all.
std::map<int, int> SendsPerRecipient(const std::vector<std::string>& recipients,
                                     const std::vector<const CountingBridge*>& bridges) {
  std::map<std::string, int> total;
  for (const auto* b : bridges) {
    for (const auto& [to, n] : b->answered()) total[to] += n;
  }
  std::map<int, int> histogram;
  for (const auto& to : recipients) histogram[total[to]]++;
  for (const auto& [to, n] : total) {
    if (std::find(recipients.begin(), recipients.end(), to) == recipients.end()) histogram[-1]++;
  }
  return histogram;
}

// "sends:recipients" pairs of a SendsPerRecipient histogram, for messages.
std::string Describe(const std::map<int, int>& histogram) {
  std::string out;
  for (const auto& [sends, recipients] : histogram) {
    out += (out.empty() ? "" : ", ") + std::to_string(sends) + " sends: " +
           std::to_string(recipients);
  }
  return out;
}

// Drains a notice to kMembers with `gateways` serve processes; returns the
// seconds from the notice being queued to the last send.
double DrainWithServeProcesses(int gateways, std::map<int, int>* per_recipient,
                               std::vector<int>* shares) {
  TempDir dir;
  const std::string schema = FreshSchema();
  // The notice is queued by an in-process gateway that sends nothing (its
  // outbox is never run); it also creates the schema before the serve
  // processes start.
  FakePlatform unused;
  CountingBridge idle;
  TestGateway planner(PgConfig(schema, unused.base_url(), idle.send_url()));
  planner.clock().Set(RecentMorning());
  std::vector<std::unique_ptr<CountingBridge>> bridges;
  std::vector<std::unique_ptr<ServeProcess>> children;
  for (int g = 0; g < gateways; ++g) {
    bridges.push_back(std::make_unique<CountingBridge>());
    const int port = FreePort();
    const std::string config = dir.File("gw" + std::to_string(g) + ".json");
    const std::string log = dir.File("serve" + std::to_string(g) + ".log");
    WriteServeConfig(config, port, schema, bridges.back()->send_url());
    children.push_back(std::make_unique<ServeProcess>(config, log));
    INFO("serve log: " << log);
    REQUIRE(children.back()->pid() > 0);
    REQUIRE(WaitHealthy(*children.back(), port, kWaitNanos));
  }
  const std::vector<std::string> recipients = QueueNotice(planner);
  const int64_t queued_ns = MonotonicNanos();
  auto sent_total = [&] {
    int n = 0;
    for (const auto& b : bridges) n += b->requests();
    return n;
  };
  const int64_t deadline = MonotonicNanos() + kWaitNanos;
  REQUIRE(bridges.front()->WaitFor([&] { return sent_total() >= kMembers; }, deadline));
  int64_t last_ns = 0;
  for (const auto& b : bridges) last_ns = std::max(last_ns, b->last_ns());
  // Every send recorded: nothing pending or in flight.
  StoreView view(planner.app().store());
  REQUIRE(bridges.front()->WaitFor(
      [&] { return view.OutboxInState("sent") == kMembers; }, deadline));
  std::vector<const CountingBridge*> all;
  for (const auto& b : bridges) {
    all.push_back(b.get());
    shares->push_back(b->requests());
  }
  *per_recipient = SendsPerRecipient(recipients, all);
  CHECK(idle.requests() == 0);
  return static_cast<double>(last_ns - queued_ns) / 1e9;
}

TEST_CASE("Multi-gateway: only the gateway holding the planner lease plans reminders",
          "[multigw][postgres]") {
  const std::string schema = FreshSchema();
  FakePlatform telegram;
  TestGateway a(PgConfig(schema, telegram.base_url(), telegram.base_url() + "/sms"));
  TestGateway b(PgConfig(schema, telegram.base_url(), telegram.base_url() + "/sms"));
  REQUIRE(a.app().holder_id() != b.app().holder_id());
  const desk::Actor admin{"Admin", "admin", {}, ""};
  REQUIRE(a.app().notices().CreateGroup(
      admin, {{"code", "MAWAR"}, {"name", "Rose group"}, {"area", kGitik}}));
  for (int chat = 100; chat < 103; ++chat) {
    REQUIRE(a.app().notices().AddMember(admin, "MAWAR", {{"urn", "tg:" + std::to_string(chat)}}));
  }
  // Wednesday 25 November 2026, 09.00 WIB; the clocks start on Monday 09.00.
  auto meeting = a.app().notices().CreateMeeting(
      admin, {{"title", "Village plan"}, {"forum", "MKP"}, {"area", kGitik},
              {"starts_at", "2026-11-25T09:00"}, {"place", "Village hall"},
              {"agenda", "Village plan"}, {"bring", "ID card"}, {"groups", {"MAWAR"}}});
  INFO((meeting ? meeting->dump() : meeting.error().message));
  REQUIRE(meeting);
  const int64_t meeting_id = (*meeting)["id"].get<int64_t>();
  StoreView view(a.app().store());
  auto reminders = [&] {
    int n = 0;
    for (const auto& s : view.SendsOf(meeting_id)) n += s.kind.starts_with("reminder") && s.outbox_id;
    return n;
  };
  auto at = [&](int64_t ms) {
    a.clock().Set(ms);
    b.clock().Set(ms);
  };
  // The day-before reminder falls due on Tuesday at 16.00 WIB (09.00 UTC).
  const int64_t due = FakeClock::kDefaultStart + kDay + 7 * kHour;

  at(due - 30 * 1000);
  CHECK(a.app().Tick());             // a takes the lease; nothing is due yet
  CHECK(reminders() == 0);
  at(due);
  CHECK_FALSE(b.app().Tick());       // a holds it: b plans nothing, though reminders are due
  CHECK(reminders() == 0);
  CHECK(a.app().Tick());             // a plans them (and renews until due + 90 s)
  CHECK(reminders() == 3);
  at(due + App::kPlannerLeaseMs - 1);
  CHECK_FALSE(b.app().Tick());
  // a stops ticking (stopped, or cut off): once its lease ran out b plans,
  // and finds the reminders already recorded.
  at(due + App::kPlannerLeaseMs);
  CHECK(b.app().Tick());
  CHECK_FALSE(a.app().Tick());
  CHECK(reminders() == 3);
  CHECK(view.OutboxCount() == 6);  // 3 invitations, 3 reminders
}

TEST_CASE("Multi-gateway: two serve processes send a notice to 2,000 members once each",
          "[multigw][postgres]") {
  std::map<int, int> two_per_recipient, one_per_recipient;
  std::vector<int> two_shares, one_shares;
  const double two = DrainWithServeProcesses(2, &two_per_recipient, &two_shares);
  const double one = DrainWithServeProcesses(1, &one_per_recipient, &one_shares);
  INFO("recipients by number of sends, two gateways: " << Describe(two_per_recipient)
       << "; one gateway: " << Describe(one_per_recipient));
  std::printf("multigw: %d notices drained by two serve processes in %.2f s (%d + %d sends),"
              " by one in %.2f s\n",
              kMembers, two, two_shares.at(0), two_shares.at(1), one);
  // Exactly once each: every recipient in the histogram's bucket 1.
  CHECK(two_per_recipient == std::map<int, int>{{1, kMembers}});
  CHECK(one_per_recipient == std::map<int, int>{{1, kMembers}});
  CHECK(two_shares.at(0) + two_shares.at(1) == kMembers);
  // Both took part (each polls the outbox at least every 500 ms; the drain
  // takes longer than that).
  CHECK(two_shares.at(0) > 0);
  CHECK(two_shares.at(1) > 0);
}

TEST_CASE("Multi-gateway: a gateway killed mid-drain leaves its claims to the other after "
          "their lease",
          "[multigw][postgres]") {
  TempDir dir;
  const std::string schema = FreshSchema();
  constexpr int kKillAt = 150;  // the killed gateway's send in flight when it dies
  std::atomic<pid_t> victim{-1};
  std::atomic<bool> killed{false};
  std::string in_flight;  // written by the bridge's thread before `killed`
  CountingBridge killed_bridge([&](int n, const std::string& to) -> std::optional<FakeResponse> {
    if (n != kKillAt) return std::nullopt;
    // The platform got the message but the gateway never hears back: the
    // row stays claimed ("sending") with its lease.
    kill(victim.load(), SIGKILL);
    in_flight = to;
    killed = true;
    FakeResponse lost;
    lost.status = 500;
    return lost;
  });
  CountingBridge survivor_bridge;
  FakePlatform telegram;
  TestGateway survivor(PgConfig(schema, telegram.base_url(), survivor_bridge.send_url()));

  const int port = FreePort();
  const std::string config = dir.File("victim.json");
  WriteServeConfig(config, port, schema, killed_bridge.send_url());
  ServeProcess child(config, dir.File("victim.log"));
  INFO("serve log: " << dir.File("victim.log"));
  victim = child.pid();
  REQUIRE(WaitHealthy(child, port, kWaitNanos));

  // The survivor queues the notice, then drains beside the serve process
  // until that one is dead and nothing is claimable any more.
  survivor.clock().Set(RecentMorning());
  const std::vector<std::string> recipients = QueueNotice(survivor);
  survivor.clock().Set(SystemClock().NowMillis());
  const int64_t deadline = MonotonicNanos() + kWaitNanos;
  while (MonotonicNanos() < deadline) {
    const bool dead = killed.load();
    if (survivor.app().outbox().RunOnce() == 0 && dead) break;
  }
  REQUIRE(killed.load());
  child.Kill();  // reap it
  StoreView view(survivor.app().store());
  // The killed gateway's claims: the send in flight and the rest of its batch.
  const int64_t stranded = view.OutboxInState("sending");
  CHECK(stranded >= 1);
  CHECK(view.OutboxInState("pending") == 0);
  DrainInProcess(survivor);
  CHECK(view.OutboxInState("sending") == stranded);  // not before their lease ran out

  // The serve process's claims hold a lease of OutboxOptions::lease_ms
  // (30 min) from its own clock, a little after the survivor's.
  survivor.clock().Advance(OutboxOptions{}.lease_ms + kMinute);
  DrainInProcess(survivor);
  CHECK(view.OutboxInState("sent") == kMembers);

  std::printf("multigw: killed after %d sends, %lld rows stranded in its claims, %d sent by the"
              " survivor\n",
              kKillAt - 1, static_cast<long long>(stranded), survivor_bridge.requests());
  // Every member got the notice once from a send that was answered; the one
  // in flight when the gateway died went again, from the survivor.
  const std::map<int, int> per_recipient =
      SendsPerRecipient(recipients, {&killed_bridge, &survivor_bridge});
  INFO("recipients by number of sends: " << Describe(per_recipient));
  CHECK(per_recipient == std::map<int, int>{{1, kMembers}});
  CHECK(killed_bridge.unanswered() == std::map<std::string, int>{{in_flight, 1}});
  CHECK(survivor_bridge.answered().count(in_flight) == 1);
}

TEST_CASE("Multi-gateway: one update posted many times to both gateways is processed once",
          "[multigw][postgres]") {
  const std::string schema = FreshSchema();
  FakePlatform telegram;
  TestGateway a(PgConfig(schema, telegram.base_url(), telegram.base_url() + "/sms"));
  TestGateway b(PgConfig(schema, telegram.base_url(), telegram.base_url() + "/sms"));
  auto replies_to = [&](int64_t chat) {
    int n = 0;
    for (const auto& r : telegram.requests_to("/sendMessage")) {
      const json body = json::parse(r.body, nullptr, false);
      if (body.is_object() && body.contains("chat_id") &&
          (body["chat_id"] == chat || body["chat_id"] == std::to_string(chat))) {
        ++n;
      }
    }
    return n;
  };
  auto drain = [&] {
    a.DrainAfterAnswer();
    b.DrainAfterAnswer();
    a.DrainOutbox();
    b.DrainOutbox();
  };
  const httplib::Headers headers = {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}};
  // What one delivery of "halo" gets: the baseline.
  REQUIRE(a.Post("/webhook/tg", TelegramTextUpdate(1, 1111, "halo"), headers)->status == 200);
  drain();
  const int one_delivery = replies_to(1111);
  REQUIRE(one_delivery >= 1);

  // The same update, 4 threads x 10 posts, alternating between the gateways.
  const std::string update = TelegramTextUpdate(2, 2222, "halo");
  std::atomic<int> ok{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        TestGateway& gw = (t + i) % 2 == 0 ? a : b;
        auto r = gw.Post("/webhook/tg", update, headers);
        (r && r->status == 200 ? ok : other)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(other.load() == 0);
  CHECK(ok.load() == 40);
  drain();
  StoreView view(a.app().store());
  CHECK(view.Messages(storage::Direction::kIn).size() == 2);  // one per update
  CHECK(replies_to(2222) == one_delivery);
  CHECK(view.OutboundCount() == 2 * one_delivery);
}

// Each gateway's committer commits many messages at once, and the ticket
// counters stay locked from a batch's first number to its commit. Batches
// of the two gateways that numbered a proposal and a complaint in opposite
// orders deadlocked, and PostgreSQL broke each deadlock only after a second
// (deadlock_timeout): the gateway must say which number a message takes.
TEST_CASE("Multi-gateway: proposals and complaints filed at once on both gateways never deadlock "
          "and each type's tickets are numbered without gaps",
          "[multigw][postgres]") {
  const std::string schema = FreshSchema();
  FakePlatform telegram;
  Config cfg = PgConfig(schema, telegram.base_url(), telegram.base_url() + "/sms");
  cfg.database_url = UrlWithApplicationName(cfg.database_url, schema);
  const int64_t before = DatabaseDeadlocks();
  constexpr int kThreads = 12;
  constexpr int kEach = 10;
  std::atomic<int> ok{0}, other{0};
  {
    TestGateway a(cfg);
    TestGateway b(cfg);
    const httplib::Headers headers = {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          const int64_t id = 1000 + t * kEach + i;  // one resident per message
          TestGateway& gw = (t + i) % 2 == 0 ? a : b;
          const std::string text = (t + i / 2) % 2 == 0
                                       ? "USUL sumur bor untuk warga dusun krajan"
                                       : "ADUAN dana bantuan dipotong ketua RT";
          auto r = gw.Post("/webhook/tg", TelegramTextUpdate(id, id, text), headers);
          (r && r->status == 200 ? ok : other)++;
        }
      });
    }
    for (auto& th : threads) th.join();
    CHECK(other.load() == 0);
    CHECK(ok.load() == kThreads * kEach);
    StoreView view(a.app().store());
    std::vector<int64_t> proposals, complaints;
    for (const storage::Case& c : view.Cases()) {
      (c.type == storage::CaseType::kUsulan ? proposals : complaints).push_back(c.number);
    }
    CHECK(proposals.size() + complaints.size() == kThreads * kEach);
    CHECK(proposals.size() >= kThreads * kEach / 3);
    CHECK(complaints.size() >= kThreads * kEach / 3);
    for (auto* numbers : {&proposals, &complaints}) {
      std::sort(numbers->begin(), numbers->end());
      for (size_t i = 0; i < numbers->size(); ++i) {
        CHECK((*numbers)[i] == static_cast<int64_t>(i) + 1);
      }
    }
  }
  AwaitSessionsGone(schema);
  CHECK(DatabaseDeadlocks() == before);
}

}  // namespace
}  // namespace suaradesa::testing
