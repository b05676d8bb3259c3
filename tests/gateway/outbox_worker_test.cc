#include "gateway/outbound/outbox_worker.h"

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/channels/http/http_channel.h"
#include "gateway/channels/telegram/telegram.h"
#include "gateway/channels/whatsapp/whatsapp.h"
#include "gateway/outbound/rate_limiter.h"
#include "gateway/http_client.h"
#include "storage/sqlite_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_platform.h"

namespace suaradesa {
namespace {

using nlohmann::json;
using testing::FakeClock;
using testing::FakePlatform;
using testing::FakeResponse;

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
  explicit WorkerFixture(OutboxOptions options = {})
      : store_(Open()),
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
                  const std::string& text, const json& choices = json::array()) {
    int64_t id = 0;
    const int64_t now = clock_.NowMillis();
    auto st = store_->Transact([&](storage::Tx& tx) -> storage::Status {
      auto contact = tx.UpsertContact(channel, address, "", now);
      if (!contact) return std::unexpected(contact.error());
      storage::OutboxItem item;
      item.contact_id = contact->id;
      item.channel_id = channel;
      item.address = address;
      item.kind = storage::OutboxKind::kReply;
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
  static std::unique_ptr<storage::Store> Open() {
    auto store = storage::OpenSqliteStore({":memory:"});
    REQUIRE(store.has_value());
    return std::move(*store);
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
  const int64_t base[] = {2000, 4000, 8000, 10000, 10000};
  for (size_t i = 0; i < delays.size(); ++i) {
    INFO("attempt " << i + 1);
    CHECK(delays[i] >= base[i]);
    CHECK(delays[i] <= base[i] + base[i] / 5);
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

TEST_CASE("RateLimiter: a rate of n allows a burst of n, then one every 1/n s", "[outbound]") {
  RateLimiter limiter;
  const int64_t t0 = 1000000;
  for (int i = 0; i < 30; ++i) {
    INFO("message " << i);
    REQUIRE(limiter.WaitMs("tg", 30, t0) == 0);
    limiter.Record("tg", 30, t0);
  }
  CHECK(limiter.WaitMs("tg", 30, t0) == 34);  // ceil(1000/30)
  CHECK(limiter.WaitMs("tg", 30, t0 + 33) == 1);
  CHECK(limiter.WaitMs("tg", 30, t0 + 34) == 0);
  // Other keys are independent.
  CHECK(limiter.WaitMs("wa", 30, t0) == 0);
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

  CHECK(f.worker().RunOnce() == 2);  // "first" and the other chat's row
  CHECK(f.Row(first).state == "sent");
  CHECK(f.Row(other).state == "sent");

  // The same chat within a second: held back, neither an attempt nor an error.
  CHECK(f.worker().RunOnce() == 0);
  storage::OutboxItem held = f.Row(second);
  CHECK(held.state == "pending");
  CHECK(held.attempts == 0);
  CHECK(held.last_error.empty());
  CHECK(held.next_attempt_at == t0 + 1000);
  CHECK(f.worker().rate_held_until() == t0 + 1000);
  CHECK(f.worker().stats().rate_limited == 1);
  CHECK(f.worker().stats().retried == 0);
  CHECK(f.platform().requests().size() == 2);

  f.clock().Advance(999);
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

// ---------------------------------------------------------------- WhatsApp window

constexpr char kWaToken[] = "EAAG-outbox-test-token";

class WindowFixture {
 public:
  explicit WindowFixture(bool with_template, OutboxOptions options = {})
      : store_(Open()),
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
  static std::unique_ptr<storage::Store> Open() {
    auto store = storage::OpenSqliteStore({":memory:"});
    REQUIRE(store.has_value());
    return std::move(*store);
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

}  // namespace
}  // namespace suaradesa
