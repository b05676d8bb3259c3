// Send-rate limits shared by several gateways on one database (issue 17):
// two outbox workers, each with a store of its own on the same database (as
// two `suaradesa serve` processes), drain one rate-limited Telegram channel
// into one fake platform; together they keep to the channel's limit in
// every second of what the platform receives. Driven with a FakeClock moved
// on exactly as far as the workers ask.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/channels/telegram/telegram.h"
#include "gateway/clock.h"
#include "gateway/http_client.h"
#include "gateway/log.h"
#include "gateway/outbound/outbox_worker.h"
#include "storage/open_store.h"
#include "tests/storage/postgres_server.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_platform.h"
#include "tests/support/temp_dir.h"

namespace suaradesa {
namespace {

using nlohmann::json;
using testing::FakeClock;
using testing::FakePlatform;
using testing::FakeResponse;

constexpr char kToken[] = "123456:AAH-test_token-Zx9";
constexpr double kPerSecond = 30;  // Telegram's bulk limit
constexpr int kRows = 300;

std::unique_ptr<storage::Store> MustOpen(const storage::DatabaseOptions& db) {
  auto store = storage::OpenStore(db);
  INFO((store ? std::string() : store.error().message));
  REQUIRE(store.has_value());
  return std::move(*store);
}

// Queues a broadcast to `address` on `channel`; returns the outbox id.
int64_t Enqueue(storage::Store& store, const std::string& address, const std::string& text,
                int64_t now, const std::string& channel = "tg") {
  int64_t id = 0;
  auto st = store.Transact([&](storage::Tx& tx) -> storage::Status {
    auto contact = tx.UpsertContact(channel, address, "", now);
    if (!contact) return std::unexpected(contact.error());
    storage::OutboxItem item;
    item.contact_id = contact->id;
    item.channel_id = channel;
    item.address = address;
    item.kind = storage::OutboxKind::kBroadcast;
    item.payload_json = json{{"text", text}}.dump();
    item.created_at = now;
    item.next_attempt_at = now;
    auto queued = tx.Enqueue(item, text);
    if (!queued) return std::unexpected(queued.error());
    id = *queued;
    return {};
  });
  INFO((st ? std::string() : st.error().message));
  REQUIRE(st.has_value());
  return id;
}

storage::OutboxItem Row(storage::Store& store, int64_t id) {
  auto rows = store.ListOutbox();
  REQUIRE(rows.has_value());
  for (const auto& row : *rows) {
    if (row.id == id) return row;
  }
  FAIL("no outbox row " << id);
  return {};
}

// What the platform received.
struct Drain {
  std::vector<int64_t> received_at;  // fake time of each request, in order
  std::vector<std::string> texts;
  int64_t start = 0;
  int64_t sent_by[2] = {0, 0};  // per worker
};

// Two gateways on the database `db`, each an OutboxWorker over a store of
// its own, send kRows broadcasts to distinct chats on one channel limited to
// kPerSecond (and 1 a second per chat).
Drain DrainWithTwoGateways(const storage::DatabaseOptions& db, bool rates_in_store) {
  FakeClock clock;
  FakePlatform platform;
  Drain drain;
  std::mutex mu;
  platform.SetHandler([&](const testing::RecordedRequest& r) {
    {
      std::lock_guard<std::mutex> lock(mu);
      drain.received_at.push_back(clock.NowMillis());
      drain.texts.push_back(json::parse(r.body)["text"]);
    }
    FakeResponse res;
    res.body = R"({"ok":true,"result":{"message_id":1,"date":1,"chat":{"id":1}}})";
    return res;
  });
  std::unique_ptr<storage::Store> stores[2] = {MustOpen(db), MustOpen(db)};
  channels::TelegramChannel channel_a("tg", kToken, "secret", platform.base_url());
  channels::TelegramChannel channel_b("tg", kToken, "secret", platform.base_url());
  channel_a.set_rate_limits({kPerSecond, 1});
  channel_b.set_rate_limits({kPerSecond, 1});
  RealHttpClient http_a(5);
  RealHttpClient http_b(5);
  OutboxOptions options;
  options.rates_in_store = rates_in_store;
  OutboxWorker a(*stores[0], {{"tg", &channel_a}}, http_a, clock, options);
  OutboxWorker b(*stores[1], {{"tg", &channel_b}}, http_b, clock, options);
  OutboxWorker* workers[2] = {&a, &b};
  std::ostringstream log_text;  // the workers' log lines are not checked
  Log log(log_text);
  a.SetLog(&log);
  b.SetLog(&log);

  drain.start = clock.NowMillis();
  for (int i = 0; i < kRows; ++i) {
    Enqueue(*stores[i % 2], std::to_string(7000 + i), "n" + std::to_string(i), drain.start);
  }
  // Both run a round at each time either asks for, in turns of who goes
  // first; then the clock moves to the earlier of the times they ask for.
  for (int round = 0; round < 5000; ++round) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (drain.received_at.size() >= static_cast<size_t>(kRows)) break;
    }
    for (int k = 0; k < 2; ++k) workers[(round + k) % 2]->RunOnce();
    const int64_t now = clock.NowMillis();
    int64_t next = 0;
    for (OutboxWorker* w : workers) {
      const int64_t at = w->next_round_at();
      if (at > 0) next = next == 0 ? at : std::min(next, at);
    }
    // Neither asks: they would poll.
    if (next == 0) next = now + OutboxOptions{}.idle_poll_ms;
    clock.Set(std::max(next, now));
  }
  drain.sent_by[0] = a.stats().sent;
  drain.sent_by[1] = b.stats().sent;
  return drain;
}

// The most requests the platform received in any one-second window.
int MostInASecond(const std::vector<int64_t>& at) {
  int most = 0;
  for (size_t k = 0; k < at.size(); ++k) {
    const auto end = std::lower_bound(at.begin(), at.end(), at[k] + 1000);
    most = std::max(most, static_cast<int>(end - at.begin() - static_cast<long>(k)));
  }
  return most;
}

void CheckDrain(const Drain& drain) {
  REQUIRE(drain.received_at.size() == static_cast<size_t>(kRows));
  // Each row once.
  CHECK(std::set<std::string>(drain.texts.begin(), drain.texts.end()).size() ==
        static_cast<size_t>(kRows));
  // Both gateways sent: the limit was shared, not kept by one of them alone.
  CHECK(drain.sent_by[0] > 0);
  CHECK(drain.sent_by[1] > 0);
  CHECK(drain.sent_by[0] + drain.sent_by[1] == kRows);
  // No faster than the limit in any second...
  CHECK(MostInASecond(drain.received_at) <= static_cast<int>(kPerSecond));
  // ...and not much slower: 300 at 30 a second take 9.97 s from the first.
  CHECK(drain.received_at.front() == drain.start);
  CHECK(drain.received_at.back() - drain.start == 9966);
}

TEST_CASE("Two gateways on one PostgreSQL database keep a channel's rate limit together",
          "[outbound][postgres]") {
  const std::string url = testing::TestPgUrl();
  static std::atomic<int> fresh{0};
  storage::DatabaseOptions db;
  db.url = url;
  // With a random part: a process id repeats over a long run of ctest, and
  // an old schema of that name would still hold its rows.
  db.schema = "rates_" + std::to_string(getpid()) + "_" + std::to_string(++fresh) + "_" +
              std::to_string(std::random_device{}() % 1000000);
  db.pool_size = 2;
  CheckDrain(DrainWithTwoGateways(db, /*rates_in_store=*/true));
}

TEST_CASE("Two gateways on one SQLite file keep a channel's rate limit together",
          "[outbound]") {
  testing::TempDir dir;
  storage::DatabaseOptions db;
  db.path = dir.File("shared.db");
  CheckDrain(DrainWithTwoGateways(db, /*rates_in_store=*/true));
}

TEST_CASE("OutboxWorker: with the limits in the store held rows get slots in turn and a 429 "
          "pauses the channel", "[outbound]") {
  // As with the limits in memory (outbox_worker_test.cc): a channel limited
  // to one send in 3 s hands the rows it holds back the next slots, one
  // interval apart; a 429 with retry_after holds the whole channel.
  FakeClock clock;
  FakePlatform platform;
  storage::DatabaseOptions db;
  db.path = ":memory:";
  auto store = MustOpen(db);
  // "tg" has no limit, so a round claims a batch and "slow"'s rows are held.
  channels::TelegramChannel tg("tg", kToken, "secret", platform.base_url());
  channels::TelegramChannel slow("slow", kToken, "secret", platform.base_url());
  slow.set_rate_limits({1.0 / 3.0, 0});
  RealHttpClient http(5);
  OutboxOptions options;
  options.rates_in_store = true;
  OutboxWorker worker(*store, {{"tg", &tg}, {"slow", &slow}}, http, clock, options);
  std::ostringstream log_text;
  Log log(log_text);
  worker.SetLog(&log);
  const int64_t t0 = clock.NowMillis();
  const int64_t a = Enqueue(*store, "1", "a", t0, "slow");
  const int64_t b = Enqueue(*store, "2", "b", t0, "slow");
  const int64_t c = Enqueue(*store, "3", "c", t0, "slow");

  CHECK(worker.RunOnce() == 1);
  CHECK(Row(*store, a).state == "sent");
  CHECK(Row(*store, b).next_attempt_at == t0 + 3000);
  CHECK(Row(*store, c).next_attempt_at == t0 + 6000);
  CHECK(Row(*store, b).attempts == 0);

  // "b" gets a 429 with retry_after 7 s: "c", due at its slot, waits too.
  clock.Set(t0 + 3000);
  FakeResponse throttled;
  throttled.status = 429;
  throttled.body = R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7",)"
                   R"("parameters":{"retry_after":7}})";
  platform.Enqueue(throttled);
  CHECK(worker.RunOnce() == 1);
  CHECK(Row(*store, b).next_attempt_at == t0 + 10000);
  clock.Set(t0 + 6000);
  CHECK(worker.RunOnce() == 0);
  CHECK(Row(*store, c).state == "pending");
  CHECK(Row(*store, c).next_attempt_at >= t0 + 10000);
  CHECK(platform.requests().size() == 2);
  // A second gateway on the same database would see the pause as well: it
  // is in the store.
  auto waits = store->SendWaits({{"slow", 0}}, t0 + 6000);
  REQUIRE(waits.has_value());
  CHECK(waits->at(0) == 4000);
}

// Not a test: how many sends a second one outbox worker reaches with its
// limits in memory or in the store, against a fake platform on 127.0.0.1,
// on the real clock. The channel's limit (2000/s, 1/s per chat) is above
// what the worker reaches, so each send takes a slot but none waits.
// Run: build/gateway_tests "[.rates-bench]" -s (PostgreSQL too when
// SUARADESA_TEST_PG_URL is set).
TEST_CASE("Send rates: sends a second with the limits in memory or in the store",
          "[.rates-bench]") {
  constexpr int kSends = 1000;
  const auto measure = [&](const storage::DatabaseOptions& db, bool rates_in_store) {
    SystemClock clock;
    FakePlatform platform;
    std::atomic<int> received{0};
    platform.SetHandler([&](const testing::RecordedRequest&) {
      ++received;
      FakeResponse res;
      res.body = R"({"ok":true,"result":{"message_id":1,"date":1,"chat":{"id":1}}})";
      return res;
    });
    auto store = MustOpen(db);
    channels::TelegramChannel channel("tg", kToken, "secret", platform.base_url());
    channel.set_rate_limits({2000, 1});
    RealHttpClient http(5);
    OutboxOptions options;
    options.rates_in_store = rates_in_store;
    OutboxWorker worker(*store, {{"tg", &channel}}, http, clock, options);
    std::ostringstream log_text;
    Log log(log_text);
    worker.SetLog(&log);
    for (int i = 0; i < kSends; ++i) {
      Enqueue(*store, std::to_string(7000 + i), "n", clock.NowMillis());
    }
    const int64_t start = MonotonicNanos();
    while (received.load() < kSends) worker.RunOnce();
    const double seconds = static_cast<double>(MonotonicNanos() - start) / 1e9;
    std::printf("%-10s limits %-9s %6.0f sends/s\n", db.postgres() ? "postgres" : "sqlite",
                rates_in_store ? "in store" : "in memory", kSends / seconds);
  };
  testing::TempDir dir;
  for (bool in_store : {false, true}) {
    storage::DatabaseOptions db;
    db.path = dir.File(in_store ? "store.db" : "memory.db");
    measure(db, in_store);
  }
  if (const char* url = std::getenv("SUARADESA_TEST_PG_URL"); url != nullptr && *url != '\0') {
    for (bool in_store : {false, true}) {
      storage::DatabaseOptions db;
      db.url = url;
      db.schema = "rates_bench_" + std::to_string(getpid()) + (in_store ? "_s" : "_m");
      measure(db, in_store);
    }
  }
}

}  // namespace
}  // namespace suaradesa
