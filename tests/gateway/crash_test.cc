// kill -9 under load: the real `suaradesa serve` binary runs as a child
// process on a database (a SQLite file, or a PostgreSQL schema); webhooks are posted from a thread, the child is
// killed with SIGKILL after some were acknowledged, and restarted on the same
// database. Every acknowledged webhook must be there exactly once, the
// platform's retries must create nothing new, and the outbox must resume.
//
// Waiting is done by bounded polling (against MonotonicNanos deadlines);
// nothing here asserts how long anything took.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "gateway/channels/signature.h"
#include "gateway/clock.h"
#include "tests/gateway/serve_process.h"
#include "tests/gateway/test_gateway.h"
#include "tests/support/fake_platform.h"
#include "tests/support/temp_dir.h"


namespace suaradesa::testing {
namespace {

constexpr const char* kSecret = "crash-secret-0123456789";
constexpr int kMessages = 300;
constexpr int kKillAfter = 80;
constexpr int64_t kWaitNanos = 60LL * 1000 * 1000 * 1000;  // upper bound of every wait

std::string Body(int i) {
  nlohmann::json body = {{"id", "m" + std::to_string(i)},
                         {"from", "+628120000" + std::to_string(10000 + i)},
                         {"text", "halo"}};
  return body.dump();
}

httplib::Result PostSigned(httplib::Client& cli, int i) {
  const std::string raw = Body(i);
  return cli.Post("/webhook/web",
                  {{"X-Suaradesa-Signature", "sha256=" + channels::HmacSha256Hex(kSecret, raw)}},
                  raw, "application/json");
}

TEST_CASE("Crash: kill -9 under load loses no acknowledged webhook and duplicates nothing",
          "[crash]") {
  TempDir dir;
  FakePlatform platform;
  const int port = FreePort();
  const std::string db = dir.File("crash.db");
  const std::string config = dir.File("suaradesa.json");
  {
    std::ofstream f(config);
    f << R"({"listen": {"host": "127.0.0.1", "port": )" << port << R"(},
      "database": )" << DatabaseJsonText(db) << R"(,
      "areas": [{"code": "3510070", "name": "Rogojampi", "timezone": "Asia/Jakarta",
                 "desa": [{"code": "3510070001", "name": "Gitik"}]}],
      "channels": [{"id": "web", "type": "http", "secret": ")" << kSecret
      << R"(", "send_url": ")" << platform.base_url() << R"(/send"}]})";
  }
  const std::string log = dir.File("serve.log");
  INFO("serve log: " << log);

  // First run: post from a thread, kill -9 once kKillAfter were acknowledged.
  std::vector<char> acked(kMessages + 1, 0);
  int attempted = 0;
  {
    ServeProcess child(config, log);
    REQUIRE(child.started());
    REQUIRE(WaitHealthy(child, port, kWaitNanos));
    std::atomic<int> acked_count{0};
    std::atomic<bool> sender_done{false};
    std::thread sender([&] {
      httplib::Client cli("127.0.0.1", port);
      cli.set_keep_alive(true);
      for (int i = 1; i <= kMessages; ++i) {
        attempted = i;
        auto r = PostSigned(cli, i);
        if (!r || r->status != 200) break;  // the gateway is gone
        acked[i] = 1;
        acked_count.fetch_add(1);
      }
      sender_done.store(true);
    });
    const int64_t deadline = MonotonicNanos() + kWaitNanos;
    while (acked_count.load() < kKillAfter && !sender_done.load() &&
           MonotonicNanos() < deadline) {
      std::this_thread::yield();
    }
    child.Kill();  // SIGKILL in the middle of the load
    sender.join();
    REQUIRE(acked_count.load() >= kKillAfter);
  }

  // Every acknowledged webhook survived the crash, exactly once: seen
  // through the store interface of a store reopened on the killed
  // process's database.
  std::unique_ptr<storage::Store> reopened = OpenStoreAt(db);
  StoreView view(*reopened);
  // How many inbound messages carry each provider id.
  auto stored_by_provider_id = [&] {
    std::map<std::string, int> stored;
    for (const auto& m : view.Messages(storage::Direction::kIn)) stored[m.provider_id]++;
    return stored;
  };
  const auto after_crash = stored_by_provider_id();
  int acked_total = 0;
  for (int i = 1; i <= kMessages; ++i) {
    if (!acked[i]) continue;
    ++acked_total;
    INFO("message m" << i);
    auto it = after_crash.find("m" + std::to_string(i));
    CHECK(it != after_crash.end());
    if (it != after_crash.end()) CHECK(it->second == 1);
  }
  CHECK(view.InboundCount() <= attempted);
  CHECK(view.InboundCount() >= acked_total);

  // The rows the killed gateway had claimed. On SQLite (one gateway per
  // file) the next gateway takes them back at start-up (RecoverClaims); on
  // PostgreSQL another live gateway may be sending them, so they and the
  // rows queued behind them for the same contact wait until their lease
  // (30 minutes) runs out: longer than this test.
  std::set<int64_t> held_contacts;
  if (TestingPostgres()) {
    for (const auto& o : view.Outbox([](const auto& o) { return o.state == "sending"; })) {
      held_contacts.insert(o.contact_id);
    }
  }
  INFO("contacts held by a claim of the killed gateway: " << held_contacts.size());

  // Second run on the same database: the platform retries everything.
  ServeProcess child(config, log);
  REQUIRE(child.started());
  REQUIRE(WaitHealthy(child, port, kWaitNanos));
  {
    httplib::Client cli("127.0.0.1", port);
    cli.set_keep_alive(true);
    for (int i = 1; i <= kMessages; ++i) {
      auto r = PostSigned(cli, i);
      REQUIRE(r);
      REQUIRE(r->status == 200);
    }
  }
  CHECK(view.InboundCount() == kMessages);
  const auto after_retries = stored_by_provider_id();
  CHECK(static_cast<int>(after_retries.size()) == kMessages);
  for (const auto& [provider_id, count] : after_retries) {
    INFO(provider_id);
    CHECK(count == 1);
  }
  // Each sender wrote once, so each got the same replies: no second reply.
  std::map<int64_t, int> replies_per_contact;
  for (const auto& m : view.Messages(storage::Direction::kOut)) replies_per_contact[m.contact_id]++;
  std::set<int> reply_counts;
  for (const auto& [contact, count] : replies_per_contact) reply_counts.insert(count);
  CHECK(reply_counts.size() == 1);
  CHECK(view.InboundContacts() == kMessages);

  // The outbox resumes: every reply not held by a claim reaches the
  // platform, none is lost.
  auto unsent = [&](const storage::OutboxItem& o) {
    return o.state != "sent" && held_contacts.count(o.contact_id) == 0;
  };
  const int64_t replies = view.OutboxCount();
  REQUIRE(replies >= kMessages);
  const int64_t deadline = MonotonicNanos() + kWaitNanos;
  while (MonotonicNanos() < deadline && child.Running() && view.OutboxCount(unsent) > 0) {
    std::this_thread::yield();
  }
  std::set<std::string> reached;
  for (const auto& req : platform.requests_to("/send")) {
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_object() && body.contains("to")) reached.insert(body["to"].get<std::string>());
  }
  if (held_contacts.empty()) {
    CHECK(static_cast<int>(reached.size()) == kMessages);
  } else {
    for (const auto& o : view.Outbox()) {
      if (held_contacts.count(o.contact_id) == 0) CHECK(reached.count(o.address) == 1);
    }
  }
  CHECK(view.OutboxCount(unsent) == 0);
  // At most one send per worker may repeat after a crash between sending and
  // recording; the first run's worker is the only one that crashed.
  CHECK(static_cast<int64_t>(platform.requests_to("/send").size()) <= replies + 1);
}

// SQLite only: another connection holds SQLite's write lock. (On PostgreSQL
// /healthz asks the server, and a failing write is server_test's trigger.)
TEST_CASE("Fault: an unwritable database answers 503 to webhooks and /healthz, then recovers",
          "[crash][fault][sqlite]") {
  TempDir dir;
  FakePlatform telegram;
  const std::string db = dir.File("fault.db");
  TestGateway gw(TestConfig(db, telegram.base_url(), telegram.base_url() + "/out"));
  httplib::Client cli(gw.base_url());
  cli.set_read_timeout(60, 0);  // a write waits for the busy timeout first
  const httplib::Headers signed_headers = {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}};
  auto say = [&](int64_t update_id) {
    auto r = cli.Post("/webhook/tg", signed_headers, TelegramTextUpdate(update_id, 4242, "USUL"),
                      "application/json");
    REQUIRE(r);
    return r->status;
  };
  REQUIRE(cli.Get("/healthz")->status == 200);

  // Another connection holds the write lock and never lets go: for the
  // gateway the database cannot be written.
  sqlite3* holder = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &holder) == SQLITE_OK);
  REQUIRE(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  auto health = cli.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 503);
  CHECK(health->body == "{\"status\":\"unavailable\"}");
  CHECK(say(1) == 503);
  StoreView view(gw.app().store());
  CHECK(view.Messages().empty());
  CHECK_FALSE(view.ContactAt("tg", "4242"));
  CHECK(view.OutboxCount() == 0);

  // Writable again: healthy, and the platform's retry is processed once.
  REQUIRE(sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(holder);
  CHECK(cli.Get("/healthz")->status == 200);
  CHECK(say(1) == 200);
  CHECK(say(1) == 200);
  CHECK(view.InboundCount() == 1);
  CHECK(view.OutboxCount() == 1);
}

}  // namespace
}  // namespace suaradesa::testing
