#include "gateway/outbound/outbox_worker.h"

#include <catch2/catch.hpp>

#include <map>
#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/channels/http/http_channel.h"
#include "gateway/channels/telegram/telegram.h"
#include "gateway/channels/whatsapp/whatsapp.h"
#include "gateway/outbound/rate_limiter.h"
#include "gateway/http_client.h"
#include "tests/storage/open_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_platform.h"
#include "tests/support/file_size_limit.h"
#include "tests/support/temp_dir.h"

namespace suaradesa {
namespace {

using nlohmann::json;
using testing::FakeClock;
using testing::FakePlatform;
using testing::FakeResponse;
using testing::FileSizeLimit;
using testing::TempDir;

constexpr char kToken[] = "123456:AAH-test_token-Zx9";

FakeResponse TelegramError(int status, const std::string& description,
                           int retry_after = 0) {
  json body = {{"ok", false}, {"error_code", status}, {"description", description}};
  if (retry_after > 0) body["parameters"] = {{"retry_after", retry_after}};
  FakeResponse r;
  r.status = status;
  r.body = body.dump();
  if (retry_after > 0) r.headers["Retry-After"] = std::to_string(retry_after);
  return r;
}

// A real in-memory store, a Telegram channel "tg" and an SMS-like http
// channel "web", both pointed at one fake platform, and a fake clock.
class WorkerFixture {
 public:
  // db_path: ":memory:", or a file (for tests that fill the disk).
  explicit WorkerFixture(OutboxOptions options = {}, const std::string& db_path = ":memory:")
      : store_(Open(db_path)),
        tg_("tg", kToken, "secret", platform_.base_url()),
        web_("web", "http-secret", platform_.base_url() + "/out"),
        http_(5),
        worker_(*store_, {{"tg", &tg_}, {"web", &web_}}, http_, clock_, options) {}

  storage::Store& store() { return *store_; }
  channels::TelegramChannel& tg() { return tg_; }
  channels::HttpChannel& web() { return web_; }
  FakePlatform& platform() { return platform_; }
  FakeClock& clock() { return clock_; }
  OutboxWorker& worker() { return worker_; }

  // Queues a reply to `address` on `channel`; returns the outbox id.
  int64_t Enqueue(const std::string& channel, const std::string& address,
                  const std::string& text, const json& choices = json::array(),
                  storage::OutboxKind kind = storage::OutboxKind::kReply) {
    int64_t id = 0;
    const int64_t now = clock_.NowMillis();
    auto st = store_->Transact([&](storage::Tx& tx) -> storage::Status {
      auto contact = tx.UpsertContact(channel, address, "", now);
      if (!contact) return std::unexpected(contact.error());
      storage::OutboxItem item;
      item.contact_id = contact->id;
      item.channel_id = channel;
      item.address = address;
      item.kind = kind;
      json payload = {{"text", text}};
      if (!choices.empty()) payload["choices"] = choices;
      item.payload_json = payload.dump();
      item.created_at = now;
      item.next_attempt_at = now;
      auto queued = tx.Enqueue(item, text);
      if (!queued) return std::unexpected(queued.error());
      id = *queued;
      return {};
    });
    REQUIRE(st.has_value());
    return id;
  }

  storage::OutboxItem Row(int64_t id) {
    auto rows = store_->ListOutbox();
    REQUIRE(rows.has_value());
    for (const auto& row : *rows) {
      if (row.id == id) return row;
    }
    FAIL("no outbox row " << id);
    return {};
  }

  std::vector<std::string> SentTexts() {
    std::vector<std::string> out;
    for (const auto& r : platform_.requests()) out.push_back(json::parse(r.body)["text"]);
    return out;
  }

 private:
  static std::unique_ptr<storage::Store> Open(const std::string& path) {
    return testing::OpenStore(path);
  }

  FakeClock clock_;
  FakePlatform platform_;
  std::unique_ptr<storage::Store> store_;
  channels::TelegramChannel tg_;
  channels::HttpChannel web_;
  RealHttpClient http_;
  OutboxWorker worker_;
};

TEST_CASE("OutboxWorker: a reply is sent and marked sent", "[outbound]") {
  WorkerFixture f;
  const int64_t id = f.Enqueue("tg", "5123456789", "Your ticket is ADU-7",
                               json::parse(R"([{"id":"yes","label":"Yes"}])"));
  CHECK(f.worker().RunOnce() == 1);

  auto requests = f.platform().requests_to("/sendMessage");
  REQUIRE(requests.size() == 1);
  const json body = json::parse(requests[0].body);
  CHECK(body["chat_id"] == 5123456789LL);
  CHECK(body["text"] == "Your ticket is ADU-7");
  CHECK(body["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes");

  const storage::OutboxItem row = f.Row(id);
  CHECK(row.state == "sent");
  CHECK(row.provider_id == "1000");
  CHECK(f.worker().stats().sent == 1);
  // Nothing is left to do.
  CHECK(f.worker().RunOnce() == 0);
  CHECK(f.platform().requests().size() == 1);
}

TEST_CASE("OutboxWorker: a contact's second row waits until the first succeeds",
          "[outbound]") {
  WorkerFixture f;
  const int64_t first = f.Enqueue("tg", "42", "first");
  const int64_t second = f.Enqueue("tg", "42", "second");
  f.platform().Enqueue(TelegramError(500, "Internal Server Error"));

  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.SentTexts() == std::vector<std::string>{"first"});
  CHECK(f.Row(first).state == "pending");
  CHECK(f.Row(second).state == "pending");

  // The first row is not due yet, and the second must not overtake it.
  CHECK(f.worker().RunOnce() == 0);
  CHECK(f.platform().requests().size() == 1);

  f.clock().Advance(f.Row(first).next_attempt_at - f.clock().NowMillis());
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(first).state == "sent");
  CHECK(f.Row(second).state == "pending");
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(second).state == "sent");
  CHECK(f.SentTexts() == std::vector<std::string>{"first", "first", "second"});
}

TEST_CASE("OutboxWorker: different contacts are sent in the same round", "[outbound]") {
  WorkerFixture f;
  f.Enqueue("tg", "1", "to one");
  f.Enqueue("tg", "2", "to two");
  CHECK(f.worker().RunOnce() == 2);
  CHECK(f.worker().stats().sent == 2);
}

TEST_CASE("OutboxWorker: 429 retry_after is honoured", "[outbound]") {
  WorkerFixture f;
  const int64_t id = f.Enqueue("tg", "42", "hello");
  const int64_t start = f.clock().NowMillis();
  f.platform().Enqueue(TelegramError(429, "Too Many Requests: retry after 7", 7));

  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(id).state == "pending");
  CHECK(f.Row(id).next_attempt_at == start + 7000);
  CHECK(f.worker().stats().retried == 1);

  f.clock().Advance(6999);
  CHECK(f.worker().RunOnce() == 0);
  CHECK(f.platform().requests().size() == 1);

  f.clock().Advance(1);
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.platform().requests().size() == 2);
  CHECK(f.Row(id).state == "sent");
}

TEST_CASE("OutboxWorker: 5xx backs off exponentially with bounded jitter", "[outbound]") {
  OutboxOptions options;
  options.initial_backoff_ms = 2000;
  options.max_backoff_ms = 10000;
  WorkerFixture f(options);
  f.platform().SetHandler([](const testing::RecordedRequest&) {
    return TelegramError(502, "Bad Gateway");
  });
  const int64_t id = f.Enqueue("tg", "42", "hello");

  std::vector<int64_t> delays;
  for (int round = 0; round < 5; ++round) {
    REQUIRE(f.worker().RunOnce() == 1);
    const storage::OutboxItem row = f.Row(id);
    REQUIRE(row.state == "pending");
    delays.push_back(row.next_attempt_at - f.clock().NowMillis());
    f.clock().Advance(delays.back());
  }
  // Up to 20% jitter above the doubled delay, and below the maximum once it
  // is reached: the configured maximum is never exceeded.
  const int64_t low[] = {2000, 4000, 8000, 8000, 8000};
  const int64_t high[] = {2400, 4800, 9600, 10000, 10000};
  for (size_t i = 0; i < delays.size(); ++i) {
    INFO("attempt " << i + 1);
    CHECK(delays[i] >= low[i]);
    CHECK(delays[i] <= high[i]);
  }
  CHECK(delays[1] > delays[0]);
  CHECK(delays[2] > delays[1]);
  CHECK(f.Row(id).attempts == 5);
  CHECK(f.worker().stats().retried == 5);
  CHECK(f.worker().stats().failed == 0);
}

TEST_CASE("OutboxWorker: a permanent failure marks the row failed", "[outbound]") {
  WorkerFixture f;
  const int64_t id = f.Enqueue("tg", "42", "hello");
  f.platform().Enqueue(TelegramError(400, "Bad Request: chat not found"));
  CHECK(f.worker().RunOnce() == 1);
  const storage::OutboxItem row = f.Row(id);
  CHECK(row.state == "failed");
  CHECK(row.last_error.find("chat not found") != std::string::npos);
  CHECK(f.worker().stats().failed == 1);
  f.clock().Advance(24LL * 3600 * 1000);
  CHECK(f.worker().RunOnce() == 0);
}

TEST_CASE("OutboxWorker: a blocked bot marks the address unreachable", "[outbound]") {
  WorkerFixture f;
  const int64_t id = f.Enqueue("tg", "42", "hello");
  f.platform().Enqueue(TelegramError(403, "Forbidden: bot was blocked by the user"));
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(id).state == "failed");

  const int64_t contact_id = f.Row(id).contact_id;
  bool unreachable = false;
  auto st = f.store().Transact([&](storage::Tx& tx) -> storage::Status {
    auto addresses = tx.AddressesOf(contact_id);
    if (!addresses) return std::unexpected(addresses.error());
    for (const auto& a : *addresses) {
      if (a.channel_id == "tg" && a.address == "42") unreachable = a.unreachable;
    }
    return {};
  });
  REQUIRE(st.has_value());
  CHECK(unreachable);
}

TEST_CASE("OutboxWorker: a retryable row older than max_age fails", "[outbound]") {
  OutboxOptions options;
  options.max_age_ms = 60 * 1000;
  WorkerFixture f(options);
  const int64_t id = f.Enqueue("tg", "42", "hello");
  f.platform().SetHandler([](const testing::RecordedRequest&) {
    return TelegramError(500, "Internal Server Error");
  });
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(id).state == "pending");

  f.clock().Advance(61 * 1000);
  CHECK(f.worker().RunOnce() == 1);
  const storage::OutboxItem row = f.Row(id);
  CHECK(row.state == "failed");
  CHECK(row.last_error.find("expired") != std::string::npos);
  CHECK(f.worker().stats().failed == 1);
}

TEST_CASE("OutboxWorker: a configuration error keeps the row and retries it slowly",
          "[outbound]") {
  OutboxOptions options;
  options.config_error_retry_ms = 10 * 60 * 1000;
  options.max_age_ms = 60 * 1000;  // config errors never expire
  WorkerFixture f(options);
  const int64_t id = f.Enqueue("tg", "42", "hello");
  const int64_t start = f.clock().NowMillis();
  f.platform().Enqueue(TelegramError(401, "Unauthorized"));
  f.platform().Enqueue(TelegramError(401, "Unauthorized"));

  CHECK(f.worker().RunOnce() == 1);
  storage::OutboxItem row = f.Row(id);
  CHECK(row.state == "pending");
  CHECK(row.next_attempt_at == start + options.config_error_retry_ms);
  CHECK(row.last_error.find(kToken) == std::string::npos);
  CHECK(f.worker().stats().config_errors == 1);

  f.clock().Advance(options.config_error_retry_ms);
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(id).state == "pending");
  CHECK(f.worker().stats().config_errors == 2);

  // The operator fixed the token: the row goes out.
  f.clock().Advance(options.config_error_retry_ms);
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(id).state == "sent");
}

TEST_CASE("OutboxWorker: a row for an unknown channel fails", "[outbound]") {
  WorkerFixture f;
  const int64_t id = f.Enqueue("gone", "42", "hello");
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(id).state == "failed");
  CHECK(f.platform().requests().empty());
}

TEST_CASE("OutboxWorker: SMS channels get GSM-friendly text and a segment count",
          "[outbound]") {
  WorkerFixture f;
  FakeResponse accepted;
  accepted.body = R"({"id":"sms-1"})";
  f.platform().Enqueue(accepted);
  const int64_t id =
      f.Enqueue("web", "+6281234567890", "\xE2\x80\x9CMeeting\xE2\x80\x9D \xE2\x80\x93 Monday");
  CHECK(f.worker().RunOnce() == 1);
  auto requests = f.platform().requests_to("/out");
  REQUIRE(requests.size() == 1);
  CHECK(json::parse(requests[0].body)["text"] == "\"Meeting\" - Monday");
  const storage::OutboxItem row = f.Row(id);
  CHECK(row.state == "sent");
  CHECK(row.provider_id == "sms-1");
}

TEST_CASE("OutboxWorker: Start and Stop run and end the worker thread", "[outbound]") {
  OutboxOptions options;
  options.idle_poll_ms = 10;
  WorkerFixture f(options);
  f.worker().Start();
  f.worker().Notify();
  f.worker().Stop();
  f.worker().Stop();  // idempotent
  SUCCEED();
}

// ---------------------------------------------------------------- rate limits

TEST_CASE("RateLimiter: a rate of n sends one every 1/n s, with no burst", "[outbound]") {
  RateLimiter limiter;
  const int64_t t0 = 1000000;
  CHECK(limiter.WaitMs("tg", 30, t0) == 0);
  limiter.Record("tg", 30, t0);
  CHECK(limiter.WaitMs("tg", 30, t0) == 33);  // the second message does not go at once
  CHECK(limiter.WaitMs("tg", 30, t0 + 32) == 1);
  CHECK(limiter.WaitMs("tg", 30, t0 + 33) == 0);
  // Other keys are independent.
  CHECK(limiter.WaitMs("wa", 30, t0) == 0);

  // Sent as soon as allowed, messages keep to the grid t0 + k * 33.334 ms:
  // 30 of them never fit into one second, and the rate does not drift.
  std::vector<int64_t> sent = {t0};
  int64_t now = t0 + 33;
  while (sent.size() < 300) {
    const int64_t wait = limiter.WaitMs("tg", 30, now);
    if (wait > 0) {
      now += wait;
      continue;
    }
    limiter.Record("tg", 30, now);
    sent.push_back(now);
  }
  for (size_t k = 0; k + 30 < sent.size(); ++k) {
    INFO("message " << k);
    REQUIRE(sent[k + 30] - sent[k] >= 1000);
  }
  CHECK(sent.back() - t0 == 9966);  // 299 * 33.334 ms

  // Sent late, the grid starts again from then: idle time is not saved up
  // for a burst.
  limiter.Record("tg", 30, t0 + 60000);
  CHECK(limiter.WaitMs("tg", 30, t0 + 60000) == 33);
  // Sent late by less than one interval, the grid is kept: the next slot is
  // t0 + 60000 + 66.7 ms, not 33 ms after this send.
  limiter.Record("tg", 30, t0 + 60043);
  CHECK(limiter.WaitMs("tg", 30, t0 + 60043) == 23);
  // Late by a whole interval or more, it starts again from the send.
  limiter.Record("tg", 30, t0 + 60200);
  CHECK(limiter.WaitMs("tg", 30, t0 + 60200) == 33);
}

TEST_CASE("RateLimiter: held messages get the next send slots in turn, per queue",
          "[outbound]") {
  RateLimiter limiter;
  const int64_t t0 = 1000000;
  limiter.Record("tg", 30, t0);
  CHECK(limiter.Hold("tg", "tg\nbroadcast", 30, t0) == t0 + 33);
  CHECK(limiter.Hold("tg", "tg\nbroadcast", 30, t0) == t0 + 66);
  CHECK(limiter.Hold("tg", "tg\nbroadcast", 30, t0 + 10) == t0 + 100);
  // A reply queues on its own, from the next allowed slot.
  CHECK(limiter.Hold("tg", "tg\nreply", 30, t0) == t0 + 33);
  // A slot that has passed is not handed out again.
  CHECK(limiter.Hold("tg", "tg\nreply", 30, t0 + 500) == t0 + 500);
}

TEST_CASE("RateLimiter: a paused key waits whatever its rate", "[outbound]") {
  RateLimiter limiter;
  const int64_t t0 = 1000000;
  limiter.Pause("tg", t0 + 7000);
  limiter.Pause("tg", t0 + 3000);  // never shortens a pause
  CHECK(limiter.WaitMs("tg", 30, t0) == 7000);
  CHECK(limiter.WaitMs("tg", 0, t0 + 1000) == 6000);
  CHECK(limiter.WaitMs("wa", 30, t0) == 0);
  // Held messages come back one slot apart from the end of the pause.
  CHECK(limiter.Hold("tg", "tg\nreply", 30, t0) == t0 + 7000);
  CHECK(limiter.Hold("tg", "tg\nreply", 30, t0) == t0 + 7033);
  CHECK(limiter.Hold("tg", "tg\nnone", 0, t0) == t0 + 7000);
  CHECK(limiter.WaitMs("tg", 30, t0 + 7000) == 0);
}

TEST_CASE("RateLimiter: rates below one space messages out, zero is unlimited", "[outbound]") {
  RateLimiter limiter;
  const int64_t t0 = 5000;
  limiter.Record("hp", 1.0 / 3.0, t0);
  CHECK(limiter.WaitMs("hp", 1.0 / 3.0, t0) == 3000);
  CHECK(limiter.WaitMs("hp", 1.0 / 3.0, t0 + 2999) == 1);
  CHECK(limiter.WaitMs("hp", 1.0 / 3.0, t0 + 3000) == 0);
  for (int i = 0; i < 100; ++i) limiter.Record("web", 0, t0);
  CHECK(limiter.WaitMs("web", 0, t0) == 0);
  CHECK(limiter.size() == 1);  // unlimited keys keep no state
  // An idle period refills the bucket: no backlog is carried.
  limiter.Record("hp", 1.0 / 3.0, t0 + 100000);
  CHECK(limiter.WaitMs("hp", 1.0 / 3.0, t0 + 100000) == 3000);
}

TEST_CASE("OutboxWorker: a per-recipient limit holds the next row without an attempt",
          "[outbound]") {
  WorkerFixture f;
  f.tg().set_rate_limits({30, 1});
  const int64_t first = f.Enqueue("tg", "42", "first");
  const int64_t second = f.Enqueue("tg", "42", "second");
  const int64_t other = f.Enqueue("tg", "43", "to another chat");
  const int64_t t0 = f.clock().NowMillis();

  // "first" goes; the other chat's row waits for the channel's next slot.
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(first).state == "sent");
  CHECK(f.Row(other).state == "pending");
  CHECK(f.Row(other).next_attempt_at == t0 + 33);
  CHECK(f.worker().next_round_at() == t0 + 33);
  f.clock().Advance(33);
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(other).state == "sent");

  // The same chat within a second: held back, neither an attempt nor an error.
  storage::OutboxItem held = f.Row(second);
  CHECK(held.state == "pending");
  CHECK(held.attempts == 0);
  CHECK(held.last_error.empty());
  CHECK(held.next_attempt_at == t0 + 1000);
  CHECK(f.worker().rate_held_until() == t0 + 1000);
  CHECK(f.worker().stats().rate_limited == 2);
  CHECK(f.worker().stats().retried == 0);
  CHECK(f.platform().requests().size() == 2);

  f.clock().Advance(999 - 33);
  CHECK(f.worker().RunOnce() == 0);
  CHECK(f.platform().requests().size() == 2);
  f.clock().Advance(1);
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(second).state == "sent");
  CHECK(f.Row(second).attempts == 1);
  CHECK(f.SentTexts() == std::vector<std::string>{"first", "to another chat", "second"});
}

TEST_CASE("OutboxWorker: a channel limit spaces rows of different contacts in turn",
          "[outbound]") {
  WorkerFixture f;
  f.web().set_rate_limits({1.0 / 3.0, 0});  // the Android gateway's default
  f.platform().SetHandler([](const testing::RecordedRequest&) {
    FakeResponse r;
    r.body = R"({"id":"x"})";
    return r;
  });
  const int64_t t0 = f.clock().NowMillis();
  const int64_t a = f.Enqueue("web", "+6281000000001", "a");
  const int64_t b = f.Enqueue("web", "+6281000000002", "b");
  const int64_t c = f.Enqueue("web", "+6281000000003", "c");

  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(a).state == "sent");
  // The held rows wake one slot apart, not all at once.
  CHECK(f.Row(b).next_attempt_at == t0 + 3000);
  CHECK(f.Row(c).next_attempt_at == t0 + 6000);
  CHECK(f.Row(b).attempts == 0);

  f.clock().Advance(3000);
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(b).state == "sent");
  CHECK(f.Row(c).state == "pending");
  f.clock().Advance(3000);
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(c).state == "sent");
  CHECK(f.platform().requests().size() == 3);
}

TEST_CASE("OutboxWorker: a row held by a limit keeps its contact's order", "[outbound]") {
  WorkerFixture f;
  f.tg().set_rate_limits({0, 1});
  f.Enqueue("tg", "42", "one");
  f.Enqueue("tg", "42", "two");
  f.Enqueue("tg", "42", "three");
  for (int i = 0; i < 10; ++i) {
    f.worker().RunOnce();
    f.clock().Advance(500);
  }
  CHECK(f.SentTexts() == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE("OutboxWorker: a channel drains at its rate limit, no faster and no slower",
          "[outbound]") {
  WorkerFixture f;
  f.tg().set_rate_limits({30, 1});  // Telegram's defaults
  const int64_t t0 = f.clock().NowMillis();
  for (int i = 0; i < 300; ++i) f.Enqueue("tg", std::to_string(7000 + i), "n" + std::to_string(i));

  // Driven as the worker's own thread would be: a round, then the clock
  // moves on by exactly the wait the worker asks for.
  std::vector<int64_t> sent_at;  // fake time of each send at the platform
  for (int round = 0; round < 2000 && sent_at.size() < 300; ++round) {
    f.worker().RunOnce();
    const int64_t now = f.clock().NowMillis();
    while (sent_at.size() < f.platform().requests().size()) sent_at.push_back(now);
    const int64_t next = f.worker().next_round_at();
    if (next == 0) break;
    REQUIRE(next >= now);
    f.clock().Advance(next - now);
  }
  REQUIRE(sent_at.size() == 300);
  CHECK(f.worker().stats().sent == 300);
  CHECK(f.worker().stats().retried == 0);

  // No faster: no one-second window holds more than 30 sends.
  int most_in_a_second = 0;
  for (size_t k = 0; k < sent_at.size(); ++k) {
    const auto end = std::lower_bound(sent_at.begin(), sent_at.end(), sent_at[k] + 1000);
    most_in_a_second = std::max(most_in_a_second, static_cast<int>(end - sent_at.begin() - k));
  }
  CHECK(most_in_a_second == 30);
  // No slower: one send every 33.3 ms from the first, the last at 9.97 s.
  CHECK(sent_at.front() == t0);
  for (size_t k = 1; k < sent_at.size(); ++k) {
    INFO("send " << k);
    REQUIRE(sent_at[k] - sent_at[k - 1] <= 34);
  }
  CHECK(sent_at.back() - t0 == 9966);
  // Each held row was put back once, for its own slot.
  CHECK(f.worker().stats().rate_limited == 299);
  std::set<std::string> texts;
  for (const std::string& text : f.SentTexts()) texts.insert(text);
  CHECK(texts.size() == 300);
}

TEST_CASE("OutboxWorker: a round claims no more rows than the rate limit lets go",
          "[outbound]") {
  // Only rate-limited channels (Telegram's defaults): each round may send
  // one row, so it claims one; the backlog is neither claimed nor put back
  // (each claim and each Defer is a commit that holds the store's writer).
  WorkerFixture f;
  f.tg().set_rate_limits({30, 1});
  RealHttpClient http(5);
  OutboxWorker worker(f.store(), {{"tg", &f.tg()}}, http, f.clock(), {});
  const int64_t t0 = f.clock().NowMillis();
  std::vector<int64_t> ids;
  for (int i = 0; i < 90; ++i) ids.push_back(f.Enqueue("tg", std::to_string(7000 + i), "n"));

  CHECK(worker.RunOnce() == 1);
  CHECK(f.Row(ids[0]).state == "sent");
  // Nothing else was claimed: untouched, not put back for a later slot.
  for (size_t k = 1; k < ids.size(); ++k) {
    INFO("row " << k);
    const storage::OutboxItem row = f.Row(ids[k]);
    REQUIRE(row.state == "pending");
    REQUIRE(row.next_attempt_at == t0);
    REQUIRE(row.attempts == 0);
  }
  // Before the next slot a round (a Notify) claims nothing; the worker asks
  // to come back at that slot.
  CHECK(worker.next_round_at() == t0 + 33);
  f.clock().Advance(20);
  CHECK(worker.RunOnce() == 0);
  CHECK(worker.next_round_at() == t0 + 33);
  CHECK(f.Row(ids[1]).next_attempt_at == t0);

  // Driven as the worker's thread would be: still 30 a second, in order.
  std::vector<int64_t> sent_at = {t0};
  for (int round = 0; round < 1000 && sent_at.size() < ids.size(); ++round) {
    const int64_t next = worker.next_round_at();
    REQUIRE(next > 0);
    f.clock().Set(std::max(next, f.clock().NowMillis()));
    worker.RunOnce();
    while (sent_at.size() < f.platform().requests().size()) {
      sent_at.push_back(f.clock().NowMillis());
    }
  }
  REQUIRE(sent_at.size() == ids.size());
  CHECK(sent_at.back() - t0 == 2966);  // 89 intervals of 33.334 ms
  for (size_t k = 1; k < sent_at.size(); ++k) {
    INFO("send " << k);
    REQUIRE(sent_at[k] - sent_at[k - 1] >= 33);
    REQUIRE(sent_at[k] - sent_at[k - 1] <= 34);
  }
  CHECK(worker.stats().rate_limited == 0);
  CHECK(worker.stats().sent == 90);
  for (int64_t id : ids) CHECK(f.Row(id).attempts == 1);
}

TEST_CASE("OutboxWorker: a quiet channel's reply is not left behind another channel's backlog",
          "[outbound]") {
  // Both channels limited. The claim cannot ask for one channel's rows, so
  // the quiet channel's free slot is spent on the busy channel's backlog;
  // the worker then claims whole batches again, and the quiet channel's
  // reply goes out within a few rounds, not after the backlog.
  WorkerFixture f;
  f.tg().set_rate_limits({30, 1});
  f.web().set_rate_limits({1.0 / 3.0, 0});
  f.platform().SetHandler([](const testing::RecordedRequest& r) {
    FakeResponse res;
    res.body = r.path.find("/out") != std::string::npos ? R"({"id":"x"})"
                                                        : R"({"ok":true,"result":{"message_id":1,"date":1,"chat":{"id":1}}})";
    return res;
  });
  for (int i = 0; i < 500; ++i) f.Enqueue("tg", std::to_string(7000 + i), "n");
  const int64_t sms = f.Enqueue("web", "+6281000000001", "a reply");
  const int64_t t0 = f.clock().NowMillis();
  for (int round = 0; round < 40 && f.Row(sms).state != "sent"; ++round) {
    f.worker().RunOnce();
    const int64_t next = f.worker().next_round_at();
    REQUIRE(next > 0);
    f.clock().Set(std::max(next, f.clock().NowMillis()));
  }
  CHECK(f.Row(sms).state == "sent");
  CHECK(f.clock().NowMillis() - t0 <= 100);
}

TEST_CASE("OutboxWorker: a worker that runs late still drains at its rate limit",
          "[outbound]") {
  // On a real machine a round starts after its slot: the wake-up is late and
  // claiming rows commits to disk first. Lateness below one interval must
  // not cost the held rows their turn (each would queue again behind the
  // whole backlog, and the drain would fall well below the limit).
  WorkerFixture f;
  f.tg().set_rate_limits({30, 1});
  const int64_t t0 = f.clock().NowMillis();
  for (int i = 0; i < 300; ++i) f.Enqueue("tg", std::to_string(7000 + i), "n" + std::to_string(i));

  std::vector<int64_t> sent_at;
  for (int round = 0; round < 3000 && sent_at.size() < 300; ++round) {
    f.worker().RunOnce();
    const int64_t now = f.clock().NowMillis();
    while (sent_at.size() < f.platform().requests().size()) sent_at.push_back(now);
    const int64_t next = f.worker().next_round_at();
    if (next == 0) break;
    // Rounds start 0, 4 or 8 ms after the time the worker asked for.
    f.clock().Set(std::max(next, now) + 4 * (round % 3));
  }
  REQUIRE(sent_at.size() == 300);
  // About 30 a second: the last of 300 at 9.97 s plus the lateness.
  CHECK(sent_at.back() - t0 <= 9966 + 2 * 8 + 1);
  // Each held row was put back no more than twice.
  CHECK(f.worker().stats().rate_limited <= 2 * 299);
  // A late send keeps the grid, so the one after it may follow closer: one
  // more than the rate fits into a second, never a burst.
  int most_in_a_second = 0;
  for (size_t k = 0; k < sent_at.size(); ++k) {
    const auto end = std::lower_bound(sent_at.begin(), sent_at.end(), sent_at[k] + 1000);
    most_in_a_second = std::max(most_in_a_second, static_cast<int>(end - sent_at.begin() - k));
  }
  CHECK(most_in_a_second <= 31);
  for (size_t k = 1; k < sent_at.size(); ++k) {
    INFO("send " << k);
    REQUIRE(sent_at[k] - sent_at[k - 1] >= 33 - 8);
  }
}

TEST_CASE("OutboxWorker: after a round late by more than an interval held rows keep their place",
          "[outbound]") {
  // A slow round (a big claim, a slow disk) sends its row so late that the
  // grid starts again from it; the rows held for the next slots then find
  // the channel busy. They wait for its next send instead of queueing
  // behind the whole backlog: the broadcast still goes out in order.
  WorkerFixture f;
  f.tg().set_rate_limits({30, 1});
  const int64_t t0 = f.clock().NowMillis();
  std::vector<std::string> queued;
  for (int i = 0; i < 300; ++i) {
    queued.push_back("n" + std::to_string(i));
    f.Enqueue("tg", std::to_string(7000 + i), queued.back());
  }
  for (int round = 0; round < 5000 && f.platform().requests().size() < 300; ++round) {
    f.worker().RunOnce();
    const int64_t next = f.worker().next_round_at();
    if (next == 0) break;
    // Every seventh round starts 50 ms late: more than one 33 ms interval.
    f.clock().Set(std::max(next, f.clock().NowMillis()) + (round % 7 == 6 ? 50 : 0));
  }
  REQUIRE(f.platform().requests().size() == 300);
  CHECK(f.SentTexts() == queued);
  // Each late round costs at most its lateness: about 30 a second still.
  CHECK(f.clock().NowMillis() - t0 < 9966 + 300 / 7 * 50);
}

TEST_CASE("OutboxWorker: a 429 with retry_after holds the whole channel", "[outbound]") {
  WorkerFixture f;
  f.platform().SetHandler([](const testing::RecordedRequest&) {
    FakeResponse r;
    r.body = R"({"ok":true,"result":{"message_id":1},"id":"x"})";
    return r;
  });
  const int64_t t0 = f.clock().NowMillis();
  const int64_t a = f.Enqueue("tg", "1", "a");
  const int64_t b = f.Enqueue("tg", "2", "b");
  const int64_t c = f.Enqueue("tg", "3", "c");
  const int64_t d = f.Enqueue("web", "+6281000000004", "d");
  f.platform().Enqueue(TelegramError(429, "Too Many Requests: retry after 7", 7));

  // "a" gets the 429; the other Telegram chats wait too, without an attempt.
  CHECK(f.worker().RunOnce() == 2);  // "a" and the other channel's "d"
  CHECK(f.SentTexts() == std::vector<std::string>{"a", "d"});
  CHECK(f.Row(a).next_attempt_at == t0 + 7000);
  CHECK(f.Row(b).state == "pending");
  CHECK(f.Row(b).attempts == 0);
  CHECK(f.Row(b).next_attempt_at >= t0 + 7000);
  CHECK(f.Row(c).next_attempt_at >= t0 + 7000);
  CHECK(f.Row(d).state == "sent");  // other channels are not held

  // A row queued during the pause waits as well.
  f.clock().Advance(6999);
  const int64_t e = f.Enqueue("tg", "5", "e");
  CHECK(f.worker().RunOnce() == 0);
  CHECK(f.Row(e).state == "pending");
  CHECK(f.platform().requests().size() == 2);

  f.clock().Advance(1);
  CHECK(f.worker().RunOnce() == 4);
  for (int64_t id : {a, b, c, e}) CHECK(f.Row(id).state == "sent");
}

TEST_CASE("OutboxWorker: with the default policy 30 hours of 502s fail nothing",
          "[outbound]") {
  WorkerFixture f;  // default OutboxOptions
  std::atomic<bool> down = true;
  f.platform().SetHandler([&down](const testing::RecordedRequest&) {
    if (down) return TelegramError(502, "Bad Gateway");
    return FakeResponse{200, R"({"ok":true,"result":{"message_id":1}})", "application/json", {}};
  });
  const int64_t t0 = f.clock().NowMillis();
  const int64_t first = f.Enqueue("tg", "42", "first");
  const int64_t second = f.Enqueue("tg", "42", "second");
  // "second" waits behind "first": the first row's retry is the next thing due.
  const auto next_due = [&] { return f.Row(first).next_attempt_at; };
  int attempts = 0;
  int64_t last_attempt = 0, longest_gap = 0;
  while (f.clock().NowMillis() < t0 + 30LL * 3600 * 1000) {
    if (f.worker().RunOnce() > 0) {
      ++attempts;
      const int64_t now = f.clock().NowMillis();
      if (last_attempt > 0) longest_gap = std::max(longest_gap, now - last_attempt);
      last_attempt = now;
    }
    REQUIRE(f.Row(first).state == "pending");
    f.clock().Set(std::max(f.clock().NowMillis(), next_due()));
  }
  CHECK(f.worker().stats().failed == 0);
  // 9 doublings, then one every 12-15 minutes.
  CHECK(attempts >= 120);
  CHECK(attempts <= 160);
  CHECK(longest_gap <= OutboxOptions{}.max_backoff_ms);

  down = false;
  f.clock().Set(next_due());
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(first).state == "sent");
  CHECK(f.Row(second).state == "sent");
  CHECK(f.SentTexts().back() == "second");
}

// ---------------------------------------------------------------- WhatsApp window

constexpr char kWaToken[] = "EAAG-outbox-test-token";

class WindowFixture {
 public:
  explicit WindowFixture(bool with_template, OutboxOptions options = {})
      : store_(Open(":memory:")),
        wa_("wa", "1065", kWaToken, "app-secret", "verify", platform_.base_url() + "/v21.0",
            with_template ? std::optional<channels::WhatsAppChannel::Template>(
                                channels::WhatsAppChannel::Template{"pemberitahuan", "id"})
                          : std::nullopt),
        http_(5),
        worker_(*store_, {{"wa", &wa_}}, http_, clock_, options) {
    platform_.SetHandler([](const testing::RecordedRequest&) {
      FakeResponse r;
      r.body = R"({"messaging_product":"whatsapp","messages":[{"id":"wamid.OUT"}]})";
      return r;
    });
  }

  FakeClock& clock() { return clock_; }
  FakePlatform& platform() { return platform_; }
  OutboxWorker& worker() { return worker_; }

  // The contact wrote to us now.
  void Inbound(const std::string& provider_id) {
    const int64_t now = clock_.NowMillis();
    auto st = store_->Transact([&](storage::Tx& tx) -> storage::Status {
      auto contact = tx.UpsertContact("wa", kAddress, "Sri", now);
      if (!contact) return std::unexpected(contact.error());
      storage::Message m;
      m.contact_id = contact->id;
      m.channel_id = "wa";
      m.provider_id = provider_id;
      m.text = "halo";
      m.created_at = now;
      auto id = tx.InsertInbound(m);
      if (!id) return std::unexpected(id.error());
      return {};
    });
    REQUIRE(st.has_value());
  }

  int64_t Enqueue(storage::OutboxKind kind, const std::string& text) {
    int64_t id = 0;
    const int64_t now = clock_.NowMillis();
    auto st = store_->Transact([&](storage::Tx& tx) -> storage::Status {
      auto contact = tx.UpsertContact("wa", kAddress, "", now);
      if (!contact) return std::unexpected(contact.error());
      storage::OutboxItem item;
      item.contact_id = contact->id;
      item.channel_id = "wa";
      item.address = kAddress;
      item.kind = kind;
      item.payload_json = json{{"text", text}}.dump();
      item.created_at = now;
      item.next_attempt_at = now;
      auto queued = tx.Enqueue(item, text);
      if (!queued) return std::unexpected(queued.error());
      id = *queued;
      return {};
    });
    REQUIRE(st.has_value());
    return id;
  }

  storage::OutboxItem Row(int64_t id) {
    auto rows = store_->ListOutbox();
    REQUIRE(rows.has_value());
    for (const auto& row : *rows) {
      if (row.id == id) return row;
    }
    FAIL("no outbox row " << id);
    return {};
  }

  std::vector<json> Bodies() {
    std::vector<json> out;
    for (const auto& r : platform_.requests()) out.push_back(json::parse(r.body));
    return out;
  }

  static constexpr char kAddress[] = "6281234567890";

 private:
  static std::unique_ptr<storage::Store> Open(const std::string& path) {
    return testing::OpenStore(path);
  }

  FakeClock clock_;
  FakePlatform platform_;
  std::unique_ptr<storage::Store> store_;
  channels::WhatsAppChannel wa_;
  RealHttpClient http_;
  OutboxWorker worker_;
};

constexpr int64_t kDay = 24LL * 3600 * 1000;

TEST_CASE("OutboxWorker: inside the WhatsApp window replies go out as text", "[outbound]") {
  WindowFixture f(/*with_template=*/false);
  f.Inbound("wamid.IN1");
  f.clock().Advance(kDay - 1000);
  const int64_t id = f.Enqueue(storage::OutboxKind::kReply, "Balasan fasilitator");
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(id).state == "sent");
  REQUIRE(f.Bodies().size() == 1);
  CHECK(f.Bodies()[0]["type"] == "text");
}

TEST_CASE("OutboxWorker: a desk reply outside the window waits until the contact writes",
          "[outbound]") {
  OutboxOptions options;
  options.window_recheck_ms = 60 * 1000;
  WindowFixture f(/*with_template=*/true, options);
  f.Inbound("wamid.IN1");
  f.clock().Advance(kDay + 1000);
  const int64_t id = f.Enqueue(storage::OutboxKind::kReply, "Balasan fasilitator");

  CHECK(f.worker().RunOnce() == 0);
  storage::OutboxItem row = f.Row(id);
  CHECK(row.state == "pending");
  CHECK(row.last_error == kOutsideWindowError);
  CHECK(row.attempts == 0);
  CHECK(row.next_attempt_at == f.clock().NowMillis() + 60 * 1000);
  CHECK(f.platform().requests().empty());
  CHECK(f.worker().stats().window_held == 1);

  // Still silent at the next look.
  f.clock().Advance(60 * 1000);
  CHECK(f.worker().RunOnce() == 0);
  CHECK(f.platform().requests().empty());

  // They write again: the window is open and the reply goes out as text.
  f.Inbound("wamid.IN2");
  f.clock().Advance(60 * 1000);
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(id).state == "sent");
  REQUIRE(f.Bodies().size() == 1);
  CHECK(f.Bodies()[0]["type"] == "text");
}

TEST_CASE("OutboxWorker: a held reply fails once it is older than max_age", "[outbound]") {
  OutboxOptions options;
  options.window_recheck_ms = 3600 * 1000;
  options.max_age_ms = 2 * 3600 * 1000;
  WindowFixture f(/*with_template=*/false, options);
  f.Inbound("wamid.IN1");
  f.clock().Advance(2 * kDay);
  const int64_t id = f.Enqueue(storage::OutboxKind::kReply, "Balasan");
  CHECK(f.worker().RunOnce() == 0);
  f.clock().Advance(3600 * 1000);
  CHECK(f.worker().RunOnce() == 0);
  CHECK(f.Row(id).state == "pending");
  f.clock().Advance(3600 * 1000 + 1);
  CHECK(f.worker().RunOnce() == 1);
  const storage::OutboxItem row = f.Row(id);
  CHECK(row.state == "failed");
  CHECK(row.last_error.find(kOutsideWindowError) == 0);
  CHECK(f.platform().requests().empty());
}

TEST_CASE("OutboxWorker: a notice outside the window goes as the configured template",
          "[outbound]") {
  WindowFixture f(/*with_template=*/true);
  f.Inbound("wamid.IN1");
  f.clock().Advance(3 * kDay);
  const int64_t id = f.Enqueue(storage::OutboxKind::kBroadcast, "Musyawarah desa Senin");
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.Row(id).state == "sent");
  REQUIRE(f.Bodies().size() == 1);
  CHECK(f.Bodies()[0]["type"] == "template");
  CHECK(f.Bodies()[0]["template"]["name"] == "pemberitahuan");
}

TEST_CASE("OutboxWorker: without a template a notice outside the window is held too",
          "[outbound]") {
  WindowFixture f(/*with_template=*/false);
  f.clock().Advance(1000);  // never wrote at all
  const int64_t id = f.Enqueue(storage::OutboxKind::kBroadcast, "Musyawarah desa Senin");
  CHECK(f.worker().RunOnce() == 0);
  CHECK(f.Row(id).last_error == kOutsideWindowError);
  CHECK(f.platform().requests().empty());
}

// --- Issue 13: opt-out at send time, leases, outcomes kept across a full disk

TEST_CASE("OutboxWorker: a broadcast queued before the contact opted out is never sent",
          "[outbound]") {
  WorkerFixture f;
  const int64_t broadcast = f.Enqueue("tg", "5123456789", "Rapat desa Senin pagi", json::array(),
                                      storage::OutboxKind::kBroadcast);
  // The contact opts out afterwards (not through BERHENTI, which would also
  // cancel the row: only the check at send time stands between them).
  REQUIRE(f.store().Transact([&](storage::Tx& tx) -> storage::Status {
    auto c = tx.UpsertContact("tg", "5123456789", "", f.clock().NowMillis());
    if (!c) return std::unexpected(c.error());
    return tx.SetOptOut(c->id, true, f.clock().NowMillis());
  }));
  const int64_t reply = f.Enqueue("tg", "5123456789", "ADU-3: sudah ditindaklanjuti");
  while (f.worker().RunOnce() > 0) {}

  // Only the reply reached the platform.
  CHECK(f.SentTexts() == std::vector<std::string>{"ADU-3: sudah ditindaklanjuti"});
  CHECK(f.Row(reply).state == "sent");
  const storage::OutboxItem row = f.Row(broadcast);
  CHECK(row.state == "failed");
  CHECK(row.last_error == "opted_out");
  auto messages = f.store().ListMessages(std::nullopt, std::nullopt);
  REQUIRE(messages);
  bool found = false;
  for (const auto& m : *messages) {
    if (m.id != row.message_id) continue;
    found = true;
    CHECK(m.status == "failed");
  }
  CHECK(found);
  CHECK(f.worker().stats().failed == 1);
  CHECK(f.worker().stats().sent == 1);
}

TEST_CASE("OutboxWorker: a row left claimed by a worker that went away is sent after its lease",
          "[outbound]") {
  OutboxOptions options;
  options.lease_ms = 10 * 60 * 1000;
  WorkerFixture f(options);
  const int64_t stuck = f.Enqueue("tg", "5123456789", "satu");
  const int64_t behind = f.Enqueue("tg", "5123456789", "dua");
  // Another worker claimed the row and stopped before recording anything
  // (the process lives on: no RecoverClaims at start-up).
  auto claimed = f.store().ClaimDue(f.clock().NowMillis(), 10, options.lease_ms);
  REQUIRE(claimed);
  REQUIRE(claimed->size() == 1);

  // While the claim holds, the contact's queue waits.
  CHECK(f.worker().RunOnce() == 0);
  f.clock().Advance(options.lease_ms - 1);
  CHECK(f.worker().RunOnce() == 0);
  CHECK(f.platform().requests().empty());

  // Then, within a second (claims look for run-out leases at most once a
  // second), the row goes out without a restart, and the one behind it next.
  f.clock().Advance(1000);
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.SentTexts() == std::vector<std::string>{"satu", "dua"});
  CHECK(f.Row(stuck).state == "sent");
  CHECK(f.Row(stuck).attempts == 2);
  CHECK(f.Row(behind).state == "sent");
}

TEST_CASE("OutboxWorker: a starting gateway takes back claims on SQLite, leaves them on PostgreSQL",
          "[outbound]") {
  TempDir dir;
  const std::string db = dir.File("shared.db");
  OutboxOptions options;
  options.lease_ms = 10 * 60 * 1000;
  WorkerFixture f(options, db);
  const int64_t id = f.Enqueue("tg", "5123456789", "satu");
  auto claimed = f.store().ClaimDue(f.clock().NowMillis(), 10, options.lease_ms);
  REQUIRE(claimed);
  REQUIRE(claimed->size() == 1);

  // Another gateway starts on the same database (serve calls RecoverClaims).
  auto other = testing::OpenStore(db);
  REQUIRE(other->RecoverClaims(f.clock().NowMillis()));
  if (testing::TestingPostgres()) {
    // Several gateways share the outbox: the claim may be another live
    // gateway's send, so it waits for its lease.
    CHECK(f.Row(id).state == "sending");
    CHECK(f.worker().RunOnce() == 0);
    f.clock().Advance(options.lease_ms);
  } else {
    // One gateway per file: a claim at start-up is a crashed send's.
    CHECK(f.Row(id).state == "pending");
  }
  CHECK(f.worker().RunOnce() == 1);
  CHECK(f.SentTexts() == std::vector<std::string>{"satu"});
}

TEST_CASE("OutboxWorker: a send whose outcome could not be written is recorded, never sent twice",
          "[outbound][sqlite]") {
  TempDir dir;
  OutboxOptions options;
  options.lease_ms = 10 * 60 * 1000;
  WorkerFixture f(options, dir.File("outbox.db"));
  const int64_t first = f.Enqueue("tg", "5123456789", "satu");
  const int64_t second = f.Enqueue("tg", "5123456789", "dua");
  const int64_t other = f.Enqueue("tg", "6123456789", "tiga");

  // The disk fills up while the first message is on its way: the platform
  // accepts it, and writing "sent" fails.
  std::unique_ptr<FileSizeLimit> full_disk;
  bool filled = false;
  int message_id = 5000;
  f.platform().SetHandler([&](const testing::RecordedRequest&) {
    if (!filled) {
      filled = true;
      full_disk = std::make_unique<FileSizeLimit>(1);
    }
    FakeResponse r;
    r.body = R"({"ok":true,"result":{"message_id":)" + std::to_string(message_id++) + "}}";
    return r;
  });
  f.worker().RunOnce();
  // Nothing more was sent in that round (the other contact's row too waits).
  CHECK(f.SentTexts() == std::vector<std::string>{"satu"});
  // While the disk is full the worker sends nothing: the outcome comes first.
  f.clock().Advance(1000);
  CHECK(f.worker().RunOnce() == 0);
  CHECK(f.SentTexts() == std::vector<std::string>{"satu"});

  // Space again: "sent" is written, then the queue moves on.
  full_disk.reset();
  f.clock().Advance(1000);
  for (int round = 0; round < 5; ++round) f.worker().RunOnce();
  // Long after any lease: still nothing sent twice.
  f.clock().Advance(options.lease_ms + 1);
  for (int round = 0; round < 5; ++round) f.worker().RunOnce();

  std::vector<std::string> texts = f.SentTexts();
  std::sort(texts.begin(), texts.end());
  CHECK(texts == std::vector<std::string>{"dua", "satu", "tiga"});
  CHECK(f.Row(first).state == "sent");
  CHECK(f.Row(first).provider_id == "5000");
  CHECK(f.Row(second).state == "sent");
  CHECK(f.Row(other).state == "sent");
  CHECK(f.worker().stats().sent == 3);
}

}  // namespace
}  // namespace suaradesa
