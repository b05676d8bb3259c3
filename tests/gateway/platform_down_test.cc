// A platform down for an hour, end to end: the real gateway takes signed
// Telegram updates from several chats while the Telegram API answers 502 and
// 503 (or refuses connections); the outbox backs off, fails nothing, and
// once the API is back delivers every reply exactly once, in order per chat.
// Only the FakeClock moves; the outbox is driven round by round.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

const httplib::Headers kSigned = {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}};
constexpr int64_t kHour = 3600LL * 1000;

// The Telegram API as the gateway sees it: a port that relays to a
// FakePlatform while up and refuses connections (nothing listens) while down.
class Relay {
 public:
  explicit Relay(FakePlatform& target) : target_(target.base_url()) { Listen(); }
  ~Relay() { Down(); }
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void Down() {
    if (!server_) return;
    // cpp-httplib's stop() does nothing before the server runs.
    while (!listen_done_ && !server_->is_running()) std::this_thread::yield();
    server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  void Up() {
    if (!server_) Listen();
  }

 private:
  void Listen() {
    server_ = std::make_unique<httplib::Server>();
    server_->Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      httplib::Client client(target_);
      auto answer = client.Post(req.path.c_str(), req.body,
                                req.get_header_value("Content-Type").c_str());
      if (!answer) {
        res.status = 500;
        return;
      }
      res.status = answer->status;
      res.set_content(answer->body, answer->get_header_value("Content-Type").c_str());
    });
    if (port_ == 0) {
      port_ = server_->bind_to_any_port("127.0.0.1");
    } else if (!server_->bind_to_port("127.0.0.1", port_)) {
      port_ = -1;
    }
    if (port_ <= 0) throw std::runtime_error("Relay: cannot bind");
    listen_done_ = false;
    thread_ = std::thread([this] {
      server_->listen_after_bind();
      listen_done_ = true;
    });
  }

  const std::string target_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> listen_done_{false};
  int port_ = 0;
};

FakeResponse TelegramError(int status, const std::string& description) {
  return {status,
          json{{"ok", false}, {"error_code", status}, {"description", description}}.dump(),
          "application/json",
          {}};
}

enum class Outage { kServerErrors, kConnectionRefused };

struct Fixture {
  TempDir dir;
  FakePlatform telegram;
  FakePlatform sms_bridge;
  Relay relay{telegram};
  std::string db = dir.File("gw.db");
  TestGateway gw{TestConfig(db, relay.base_url(), sms_bridge.base_url() + "/out")};
  int64_t update_id = 0;

  // Per outbox row, the fake times of its attempts.
  std::map<int64_t, std::vector<int64_t>> attempts;
  std::map<int64_t, int> seen_attempts;

  void Say(int64_t chat, const std::string& text) {
    auto res = gw.Post("/webhook/tg", TelegramTextUpdate(++update_id, chat, text), kSigned);
    REQUIRE(res);
    REQUIRE(res->status == 200);
  }

  std::vector<storage::OutboxItem> Rows() {
    auto rows = gw.app().store().ListOutbox();
    REQUIRE(rows.has_value());
    return *rows;
  }

  // Runs outbox rounds, moving the clock on to when the next row is due
  // (a retry or a rate-limit slot), until `until` or until nothing is left.
  void Run(int64_t until) {
    FakeClock& clock = gw.clock();
    for (int round = 0; round < 20000; ++round) {
      gw.app().outbox().RunOnce();
      const int64_t now = clock.NowMillis();
      // Only each contact's oldest row can be claimed: it decides when the
      // worker has something to do.
      std::map<int64_t, storage::OutboxItem> heads;
      for (const storage::OutboxItem& row : Rows()) {
        if (row.attempts > seen_attempts[row.id]) {
          attempts[row.id].push_back(now);
          seen_attempts[row.id] = row.attempts;
        }
        REQUIRE(row.state != "failed");
        if (row.state != "pending") continue;
        auto [it, inserted] = heads.try_emplace(row.contact_id, row);
        if (!inserted && std::pair(row.kind, row.id) < std::pair(it->second.kind, it->second.id)) {
          it->second = row;
        }
      }
      if (heads.empty()) return;
      int64_t next = 0;
      for (const auto& [contact, row] : heads) {
        if (next == 0 || row.next_attempt_at < next) next = row.next_attempt_at;
      }
      if (const int64_t held = gw.app().outbox().next_round_at(); held > 0) {
        next = std::min(next, held);
      }
      if (next > until) {
        clock.Set(until);
        return;
      }
      clock.Set(std::max(now, next));
    }
    FAIL("the outbox did not settle");
  }

  // The texts of the outbox rows to `chat`, in the order they were queued.
  std::vector<std::string> Queued(int64_t chat) {
    std::vector<storage::OutboxItem> rows = Rows();
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    std::vector<std::string> out;
    for (const auto& row : rows) {
      if (row.address == std::to_string(chat)) {
        out.push_back(json::parse(row.payload_json).value("text", ""));
      }
    }
    return out;
  }

  // The texts the Telegram API received for `chat`, from request `from` on.
  std::vector<std::string> Received(int64_t chat, size_t from = 0) {
    std::vector<std::string> out;
    auto sent = telegram.requests_to("/sendMessage");
    for (size_t i = from; i < sent.size(); ++i) {
      const json body = json::parse(sent[i].body);
      if (body["chat_id"] == chat) out.push_back(body.value("text", ""));
    }
    return out;
  }
};

// Four chats, each starting a proposal and answering three questions: four
// replies each, every one different from the one before.
const std::vector<int64_t> kChats = {5001, 5002, 5003, 5004};
const std::vector<std::string> kMessages = {"USUL", "Perbaikan jalan desa", "Gitik",
                                            "Dusun Krajan RT 02"};

void RunOutage(Outage outage) {
  Fixture f;
  const OutboxOptions policy;  // TestGateway runs the default policy
  FakeClock& clock = f.gw.clock();
  const int64_t t_down = clock.NowMillis();
  std::atomic<int> errors{0};
  if (outage == Outage::kServerErrors) {
    f.telegram.SetHandler([&errors](const RecordedRequest&) {
      return ++errors % 2 == 0 ? TelegramError(502, "Bad Gateway")
                               : TelegramError(503, "Service Unavailable");
    });
  } else {
    f.relay.Down();
  }

  // People keep writing while the platform is down; the worker keeps trying.
  for (const std::string& text : kMessages) {
    for (int64_t chat : kChats) f.Say(chat, text);
    f.Run(clock.NowMillis() + 20 * 1000);
  }
  f.Run(t_down + kHour);
  REQUIRE(clock.NowMillis() == t_down + kHour);

  // An hour down: nothing failed, nothing was delivered.
  const std::vector<storage::OutboxItem> rows = f.Rows();
  REQUIRE(rows.size() >= kChats.size() * kMessages.size());
  for (const auto& row : rows) {
    INFO("row " << row.id << " " << row.last_error);
    CHECK(row.state == "pending");
  }
  CHECK(StoreView(f.gw.app().store()).OutboxInState("failed") == 0);

  // Only each chat's first reply was tried, so nothing went out of order;
  // the gaps between its attempts grew, up to the configured maximum.
  int total_attempts = 0;
  int64_t longest_gap = 0;
  for (const auto& [id, times] : f.attempts) {
    INFO("row " << id << ": " << times.size() << " attempts");
    total_attempts += static_cast<int>(times.size());
    CHECK(times.size() >= 8);
    CHECK(times.size() <= 15);
    for (size_t k = 1; k < times.size(); ++k) {
      const int64_t gap = times[k] - times[k - 1];
      const int64_t doubled = policy.initial_backoff_ms << std::min<size_t>(k - 1, 20);
      CHECK(gap >= std::min(doubled, policy.max_backoff_ms * 4 / 5));
      CHECK(gap <= policy.max_backoff_ms);
      longest_gap = std::max(longest_gap, gap);
    }
  }
  CHECK(f.attempts.size() == kChats.size());
  CHECK(longest_gap >= policy.max_backoff_ms * 4 / 5);
  if (outage == Outage::kServerErrors) {
    // Every attempt reached the platform, and each chat only saw its first
    // reply tried again and again.
    CHECK(static_cast<int>(f.telegram.requests_to("/sendMessage").size()) == total_attempts);
    for (int64_t chat : kChats) {
      const std::vector<std::string> tried = f.Received(chat);
      REQUIRE_FALSE(tried.empty());
      CHECK(std::count(tried.begin(), tried.end(), f.Queued(chat).front()) ==
            static_cast<std::ptrdiff_t>(tried.size()));
    }
  } else {
    CHECK(f.telegram.requests().empty());
  }
  UNSCOPED_INFO("attempts in the hour: " << total_attempts << " for " << f.attempts.size()
                                         << " rows; longest gap " << longest_gap << " ms");

  // Back up: everything goes out within one backoff period, each reply once,
  // in the order it was queued for its chat.
  const size_t before = f.telegram.requests_to("/sendMessage").size();
  if (outage == Outage::kServerErrors) {
    f.telegram.SetHandler(nullptr);  // the default success answer
  } else {
    f.relay.Up();
  }
  f.Run(t_down + kHour + policy.max_backoff_ms + 60 * 1000);
  CHECK(StoreView(f.gw.app().store()).OutboxCount([](const auto& o) {
    return o.state != "sent";
  }) == 0);
  for (int64_t chat : kChats) {
    INFO("chat " << chat);
    const std::vector<std::string> queued = f.Queued(chat);
    CHECK(queued.size() >= kMessages.size());
    // Consecutive replies differ, so a swap would show.
    CHECK(std::adjacent_find(queued.begin(), queued.end()) == queued.end());
    CHECK(f.Received(chat, before) == queued);
  }
}

TEST_CASE("Platform down: an hour of 502 and 503, then every reply in order", "[e2e]") {
  RunOutage(Outage::kServerErrors);
}

TEST_CASE("Platform down: an hour of refused connections, then every reply in order", "[e2e]") {
  RunOutage(Outage::kConnectionRefused);
}

}  // namespace
}  // namespace suaradesa::testing
