// Issue 13, "bounded before authentication" and "one request kills the
// process": through the real server on 127.0.0.1, a gzip bomb, a 256 MiB
// chunked body, megabytes of headers, slow clients holding every worker,
// JSON nested 160,000 deep, Twilio form bodies over 8 KiB, the failed-token
// limiter behind a proxy, and the CSV export's caching. Memory is measured
// by this process from /proc/self/status (the server runs in it).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/channels/json_fields.h"
#include "gateway/channels/signature.h"
#include "gateway/channels/twilio/twilio.h"
#include "tests/gateway/channels_e2e.h"
#include "tests/gateway/test_gateway.h"
#include "tests/support/raw_connection.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr size_t kMiB = 1 << 20;
// What a refused request may add to the peak resident memory of this
// process (server and client together); the attacks below would take
// hundreds of MiB without the bounds.
constexpr size_t kMaxGrowth = 48 * kMiB;

// A field of /proc/self/status in bytes ("VmHWM", "VmRSS").
size_t StatusBytes(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoul(line.substr(field.size() + 1)) * 1024;
  }
  FAIL("no " << field << " in /proc/self/status");
  return 0;
}

// Resets VmHWM to the current VmRSS, so that earlier tests in this process
// do not hide a peak. Returns the RSS at the start.
size_t ResetPeak() {
  std::ofstream("/proc/self/clear_refs") << "5";
  return StatusBytes("VmHWM");
}


// Sends `head`, then `piece` again and again until `total` bytes or until
// the server stops reading, on its own thread; the main thread reads the
// answer meanwhile.
class Flood {
 public:
  Flood(RawConnection& conn, std::string head, std::string piece, size_t total)
      : conn_(conn), thread_([this, head = std::move(head), piece = std::move(piece), total] {
          if (!conn_.Send(head)) return;
          while (sent_ < total && conn_.Send(piece)) sent_ += piece.size();
        }) {}
  // Stops the sender by closing the connection; returns the body bytes sent.
  size_t Finish() {
    conn_.Shutdown();
    thread_.join();
    return sent_;
  }

 private:
  RawConnection& conn_;
  std::atomic<size_t> sent_{0};
  std::thread thread_;
};

struct Fixture {
  TempDir dir;
  FakePlatform telegram;
  FakePlatform sms_bridge;
  std::string db = dir.File("gw.db");
  std::unique_ptr<TestGateway> gw;

  explicit Fixture(void (*adjust)(Config&) = nullptr) {
    Config cfg = TestConfig(db, telegram.base_url(), sms_bridge.base_url() + "/out");
    if (adjust != nullptr) adjust(cfg);
    gw = std::make_unique<TestGateway>(cfg);
  }

  int port() const {
    const std::string url = gw->base_url();
    return std::stoi(url.substr(url.rfind(':') + 1));
  }

  void CheckHealthy() {
    auto res = gw->Get("/healthz");
    REQUIRE(res);
    CHECK(res->status == 200);
  }
};

std::string SignedHead(const std::string& extra) {
  return std::string("POST /webhook/tg HTTP/1.1\r\nHost: 127.0.0.1\r\n") +
         "Content-Type: application/json\r\nX-Telegram-Bot-Api-Secret-Token: " + kTelegramSecret +
         "\r\n" + extra + "\r\n";
}

// The output of a shell command.
std::string Run(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  REQUIRE(pipe);
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe.get())) > 0) out.append(buf, n);
  return out;
}

TEST_CASE("Bounded: a gzip bomb gets 415 without being inflated", "[bounded][e2e]") {
  Fixture f;
  // 512 MiB of zeros as about 500 KB of gzip: well under the body limit.
  const std::string bomb = Run("head -c 536870912 /dev/zero | gzip -c");
  REQUIRE(bomb.size() < kMiB);
  const size_t before = ResetPeak();
  RawConnection conn(f.port());
  REQUIRE(conn.Send(SignedHead("Content-Encoding: gzip\r\nContent-Length: " +
                               std::to_string(bomb.size()) + "\r\n") +
                    bomb));
  const std::string head = conn.ReadHead();
  INFO("response: " << head);
  CHECK(StatusOf(head) == 415);
  const size_t growth = StatusBytes("VmHWM") - before;
  INFO("VmHWM growth: " << growth);
  CHECK(growth < kMaxGrowth);
  CHECK(StoreView(f.gw->app().store()).Messages().empty());
  f.CheckHealthy();
}

TEST_CASE("Bounded: a chunked body of 256 MiB is refused at the limit, memory bounded",
          "[bounded][e2e]") {
  Fixture f;
  const size_t before = ResetPeak();
  RawConnection conn(f.port());
  std::string chunk(64 * 1024, 'a');
  chunk = "10000\r\n" + chunk + "\r\n";  // 64 KiB of data
  Flood flood(conn, SignedHead("Transfer-Encoding: chunked\r\n"), chunk, 256 * kMiB);
  const std::string head = conn.ReadHead();
  const size_t sent = flood.Finish();
  INFO("response: " << head << "\nsent: " << sent);
  CHECK(StatusOf(head) == 413);
  CHECK(sent < 64 * kMiB);  // the server stopped reading long before the end
  const size_t growth = StatusBytes("VmHWM") - before;
  INFO("VmHWM growth: " << growth);
  CHECK(growth < kMaxGrowth);
  f.CheckHealthy();
}

TEST_CASE("Bounded: a small chunked webhook is still accepted", "[bounded][e2e]") {
  Fixture f;
  const std::string body = TelegramTextUpdate(1, 4242, "halo");
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  RawConnection conn(f.port());
  REQUIRE(conn.Send(SignedHead("Transfer-Encoding: chunked\r\n") + size + "\r\n" + body +
                    "\r\n0\r\n\r\n"));
  const std::string head = conn.ReadHead();
  INFO("response: " << head);
  CHECK(StatusOf(head) == 200);
  CHECK(StoreView(f.gw->app().store()).InboundCount() == 1);
}

TEST_CASE("Bounded: 160 MB of headers get 431 after 64 KiB, memory bounded", "[bounded][e2e]") {
  Fixture f;
  const size_t before = ResetPeak();
  RawConnection conn(f.port());
  // 20,000 fields of 8 KB, as in the issue.
  const std::string field = "X-Hostile: " + std::string(8000, 'h') + "\r\n";
  Flood flood(conn, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n", field,
              20000 * field.size());
  const std::string head = conn.ReadHead();
  const size_t sent = flood.Finish();
  INFO("response: " << head << "\nsent: " << sent);
  CHECK(StatusOf(head) == 431);
  CHECK(sent < 32 * kMiB);
  CHECK_THAT(f.gw->logs(), Catch::Contains("refused 431 headers_too_large from 127.0.0.1"));
  const size_t growth = StatusBytes("VmHWM") - before;
  INFO("VmHWM growth: " << growth);
  CHECK(growth < kMaxGrowth);
  f.CheckHealthy();
}

TEST_CASE("Bounded: slow clients on every worker are cut at the deadline; a webhook is answered",
          "[bounded][e2e]") {
  // Four workers, a request deadline of 1 s, and an idle timeout far longer
  // than any wait here: only the deadline can free the workers.
  Fixture f([](Config& cfg) {
    cfg.threads = 4;
    cfg.read_timeout_seconds = 120;
    cfg.request_timeout_seconds = 1;
  });
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 4; ++i) {
    slow.push_back(std::make_unique<RawConnection>(f.port()));
    // Half a request; a trickler would add a line now and then, which only
    // resets the idle timer.
    REQUIRE(slow.back()->Send("POST /webhook/tg HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n"));
  }
  // A fifth connection waits in the kernel's backlog until a worker is free.
  auto res = f.gw->Post("/webhook/tg", TelegramTextUpdate(1, 4242, "halo"),
                        {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(StoreView(f.gw->app().store()).InboundCount() == 1);
  for (auto& conn : slow) {
    std::string got;
    CHECK(conn->ReadUntilClosed(&got));  // closed by the server, not our 30 s timeout
    INFO("slow client got: " << got);
    CHECK(StatusOf(got) == 408);
  }
}

TEST_CASE("Bounded: JSON nested 160,000 deep gets 400 from the API and webhooks, no crash",
          "[bounded][e2e]") {
  Fixture f;
  const std::string admin = f.gw->CreateToken("Admin", "admin", {});
  constexpr size_t kDepth = 160000;
  const std::string deep = std::string(kDepth, '[') + std::string(kDepth, ']');
  // A valid meeting but for its groups.
  const std::string meeting =
      "{\"title\":\"Musdes\",\"forum\":\"Musdes\",\"area\":\"3510070001\","
      "\"starts_at\":\"2036-11-20T09:00\",\"place\":\"Balai\",\"agenda\":\"APBDes\","
      "\"groups\":" +
      deep + "}";
  auto created = f.gw->PostAuthed("/api/v1/meetings", admin, meeting);
  REQUIRE(created);
  CHECK(created->status == 400);
  CHECK(json::parse(created->body)["error"]["message"].get<std::string>().find("64") !=
        std::string::npos);
  httplib::Client cli("127.0.0.1", f.port());
  auto patched = cli.Patch("/api/v1/meetings/1", {{"Authorization", "Bearer " + admin}}, meeting,
                           "application/json");
  REQUIRE(patched);
  CHECK(patched->status == 400);
  // A signed Telegram update with the nesting where its text should be.
  std::string update = TelegramTextUpdate(1, 4242, "PLACEHOLDER");
  update.replace(update.find("\"PLACEHOLDER\""), 13, deep);
  auto hook = f.gw->Post("/webhook/tg", update,
                         {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
  REQUIRE(hook);
  CHECK(hook->status == 400);
  f.CheckHealthy();
}

TEST_CASE("Bounded: JSON depth is counted outside strings only", "[bounded]") {
  using channels::json_fields::TooDeep;
  CHECK_FALSE(TooDeep(std::string(64, '[') + std::string(64, ']')));
  CHECK(TooDeep(std::string(65, '[') + std::string(65, ']')));
  CHECK(TooDeep(std::string(65, '{')));
  // Brackets inside strings, escaped quotes included, are text.
  CHECK_FALSE(TooDeep("{\"a\":\"" + std::string(100, '[') + "\\\"" + std::string(100, '{') +
                      "\"}"));
  CHECK(channels::json_fields::Parse(std::string(100, '[') + std::string(100, ']'))
            .is_discarded());
  CHECK(channels::json_fields::Parse("{\"a\":[[1]]}")["a"][0][0] == 1);
}

TEST_CASE("Bounded: a Twilio SMS of 1,600 'é' (over 8 KiB as a form) is stored byte-exact",
          "[bounded][e2e]") {
  TempDir dir;
  FakePlatform telegram;
  FakePlatform twilio;
  const std::string db = dir.File("twilio.db");
  Config cfg = TestConfig(db, telegram.base_url(), telegram.base_url() + "/out");
  AddTwilio(cfg, twilio.base_url());
  TestGateway gw(cfg);
  std::string text;
  for (int i = 0; i < 1600; ++i) text += "\xc3\xa9";
  std::vector<std::pair<std::string, std::string>> params = {
      {"MessageSid", "SM1"}, {"AccountSid", kTwilioSid}, {"From", "+6281234567890"},
      {"To", kTwilioFrom},   {"Body", text},             {"NumMedia", "0"}};
  const std::string body = channels::EncodeForm(params);
  REQUIRE(body.size() > 8192);
  std::sort(params.begin(), params.end());
  std::string data = "https://desa.example.org/webhook/sms";
  for (const auto& [k, v] : params) data += k + v;
  auto res = gw.Post("/webhook/sms", body,
                     {{"X-Twilio-Signature", channels::HmacSha1Base64(kTwilioToken, data)}},
                     "application/x-www-form-urlencoded");
  REQUIRE(res);
  CHECK(res->status == 200);
  const auto inbound = StoreView(gw.app().store()).Messages(storage::Direction::kIn);
  REQUIRE(inbound.size() == 1);
  CHECK(inbound[0].text == text);
}

TEST_CASE("Bounded: failed tokens never lock out a valid one from the same address",
          "[bounded][e2e][desk]") {
  Fixture f;
  const std::string admin = f.gw->CreateToken("Admin", "admin", {});
  for (int i = 0; i < 25; ++i) {
    auto wrong = f.gw->GetAuthed("/api/v1/cases", "sd_wrong");
    REQUIRE(wrong);
    CHECK(wrong->status == (i < 21 ? 401 : 429));
  }
  auto right = f.gw->GetAuthed("/api/v1/cases", admin);
  REQUIRE(right);
  CHECK(right->status == 200);
  auto still_wrong = f.gw->GetAuthed("/api/v1/cases", "sd_wrong");
  REQUIRE(still_wrong);
  CHECK(still_wrong->status == 429);
  f.gw->clock().Advance(61 * 1000);
  auto later = f.gw->GetAuthed("/api/v1/cases", "sd_wrong");
  REQUIRE(later);
  CHECK(later->status == 401);
}

// GET with a token and an X-Forwarded-For header.
int GetForwarded(Fixture& f, const std::string& token, const std::string& forwarded_for) {
  httplib::Client cli("127.0.0.1", f.port());
  auto res = cli.Get("/api/v1/cases",
                     {{"Authorization", "Bearer " + token}, {"X-Forwarded-For", forwarded_for}});
  REQUIRE(res);
  return res->status;
}

TEST_CASE("Bounded: behind a trusted proxy failures count per forwarded client",
          "[bounded][e2e][desk]") {
  Fixture f([](Config& cfg) { cfg.trusted_proxies = {"127.0.0.1"}; });
  for (int i = 0; i < 21; ++i) CHECK(GetForwarded(f, "sd_wrong", "10.0.0.1, 127.0.0.1") == 401);
  CHECK(GetForwarded(f, "sd_wrong", "10.0.0.1") == 429);
  // Another client behind the same proxy is not blocked.
  CHECK(GetForwarded(f, "sd_wrong", "10.0.0.2") == 401);
}

TEST_CASE("Bounded: X-Forwarded-For from an untrusted peer is ignored", "[bounded][e2e][desk]") {
  Fixture f;  // no trusted proxies
  for (int i = 0; i < 21; ++i) {
    CHECK(GetForwarded(f, "sd_wrong", "10.0.0." + std::to_string(i)) == 401);
  }
  // A made-up forwarded address does not escape the peer's count.
  CHECK(GetForwarded(f, "sd_wrong", "10.9.9.9") == 429);
}

TEST_CASE("Bounded: the CSV export is not cached", "[bounded][e2e][desk]") {
  Fixture f;
  const std::string admin = f.gw->CreateToken("Admin", "admin", {});
  auto csv = f.gw->GetAuthed("/api/v1/export/cases.csv", admin);
  REQUIRE(csv);
  CHECK(csv->status == 200);
  CHECK(csv->get_header_value("Cache-Control") == "no-store");
}

}  // namespace
}  // namespace suaradesa::testing
