// GET /metrics over real HTTP (issue 7): the Prometheus text format and the
// values after a few webhooks, before and after the outbox drains.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gateway/channels/signature.h"
#include "gateway/channels/sms_segments.h"
#include "gateway/metrics.h"
#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

const httplib::Headers kSigned = {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}};

struct Fixture : GatewayFixture {

  int Say(int64_t update_id, const std::string& text, const httplib::Headers& headers = kSigned) {
    auto res = gw.Post("/webhook/tg", TelegramTextUpdate(update_id, 4242, text), headers);
    REQUIRE(res);
    return res->status;
  }

  // A signed message on the generic http channel "web" (an SMS channel).
  int SayBySms(const std::string& id, const std::string& text) {
    const std::string raw =
        nlohmann::json{{"id", id}, {"from", "+6281234567890"}, {"text", text}}.dump();
    auto res = gw.Post("/webhook/web", raw,
                       {{"X-Suaradesa-Signature",
                         "sha256=" + channels::HmacSha256Hex(kHttpSecret, raw)}});
    REQUIRE(res);
    return res->status;
  }

  std::string Scrape() {
    auto res = gw.Get("/metrics");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(res->get_header_value("Content-Type").find("version=0.0.4") != std::string::npos);
    return res->body;
  }
};

// Every sample line of an exposition, by its name and labels as written.
std::map<std::string, std::string> Samples(const std::string& body) {
  std::map<std::string, std::string> out;
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    REQUIRE(space != std::string::npos);
    INFO(line);
    CHECK(out.count(line.substr(0, space)) == 0);  // no sample twice
    out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

// The value of one sample; fails when it is missing.
std::string Value(const std::map<std::string, std::string>& samples, const std::string& key) {
  auto it = samples.find(key);
  INFO("sample " << key);
  REQUIRE(it != samples.end());
  return it->second;
}

// Checks the exposition's structure: every family has one HELP and one TYPE
// line before its samples, and a family's samples are not interleaved with
// another's.
void CheckWellFormed(const std::string& body) {
  std::istringstream in(body);
  std::string line;
  std::set<std::string> typed, finished;
  std::string current;
  std::map<std::string, std::string> types;
  while (std::getline(in, line)) {
    INFO(line);
    if (line.rfind("# HELP ", 0) == 0) continue;
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream t(line.substr(7));
      std::string name, type;
      t >> name >> type;
      CHECK(typed.insert(name).second);
      CHECK((type == "counter" || type == "gauge" || type == "histogram"));
      types[name] = type;
      if (!current.empty()) finished.insert(current);
      current = name;
      continue;
    }
    REQUIRE_FALSE(line.empty());
    std::string name = line.substr(0, line.find_first_of("{ "));
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (types.count(name) == 0 && name.size() > s.size() &&
          name.compare(name.size() - s.size(), s.size(), s) == 0) {
        name = name.substr(0, name.size() - s.size());
      }
    }
    CHECK(name == current);
    CHECK(finished.count(name) == 0);
  }
}

TEST_CASE("Metrics: the registry renders counters, histograms and escaped labels",
          "[metrics]") {
  MetricsRegistry m;
  m.Counter("x_total", "Things.\nSecond line \\ here.");
  m.Histogram("lat_seconds", "Latency.", {0.01, 0.1});
  m.Add("x_total", {{"path", "a\"b\\c\nd"}}, 2);
  m.Observe("lat_seconds", {{"ch", "tg"}}, 0.005);
  m.Observe("lat_seconds", {{"ch", "tg"}}, 0.05);
  m.Observe("lat_seconds", {{"ch", "tg"}}, 3);
  std::ostringstream out;
  m.Render(out);
  CHECK(out.str() ==
        "# HELP x_total Things.\\nSecond line \\\\ here.\n"
        "# TYPE x_total counter\n"
        "x_total{path=\"a\\\"b\\\\c\\nd\"} 2\n"
        "# HELP lat_seconds Latency.\n"
        "# TYPE lat_seconds histogram\n"
        "lat_seconds_bucket{ch=\"tg\",le=\"0.01\"} 1\n"
        "lat_seconds_bucket{ch=\"tg\",le=\"0.1\"} 2\n"
        "lat_seconds_bucket{ch=\"tg\",le=\"+Inf\"} 3\n"
        "lat_seconds_sum{ch=\"tg\"} 3.055\n"
        "lat_seconds_count{ch=\"tg\"} 3\n");
  CHECK(FormatMetricValue(0.0025) == "0.0025");
  CHECK(FormatMetricValue(2.5) == "2.5");
  CHECK(FormatMetricValue(17) == "17");
}

TEST_CASE("Metrics: /metrics counts webhooks by result, the outbox, latency and segments",
          "[metrics][e2e]") {
  Fixture f;
  CHECK(f.Say(1, "MENU") == 200);                                                // ok
  CHECK(f.Say(2, "MENU", {{"X-Telegram-Bot-Api-Secret-Token", "wrong"}}) == 403);  // rejected
  CHECK(f.Say(1, "MENU") == 200);                                                // duplicate
  CHECK(f.SayBySms("sms-1", "MENU") == 200);                                     // ok
  auto unknown = f.gw.Post("/webhook/no-such-channel", "{}", kSigned);
  REQUIRE(unknown);
  CHECK(unknown->status == 404);

  // Before the drain: two replies wait, queued at the fake clock's start.
  f.gw.clock().Advance(2500);
  const std::string before = f.Scrape();
  CheckWellFormed(before);
  auto s = Samples(before);
  CHECK(Value(s, "suaradesa_outbox_depth") == "2");
  CHECK(Value(s, "suaradesa_outbox_oldest_age_seconds") == "2.5");
  CHECK(Value(s, "suaradesa_inbound_total{channel=\"tg\",result=\"ok\"}") == "1");
  CHECK(Value(s, "suaradesa_inbound_total{channel=\"tg\",result=\"rejected\"}") == "1");
  CHECK(Value(s, "suaradesa_inbound_total{channel=\"tg\",result=\"duplicate\"}") == "1");
  CHECK(Value(s, "suaradesa_inbound_total{channel=\"web\",result=\"ok\"}") == "1");
  // An unknown channel id is not a label value (anyone could make up ids).
  CHECK(Value(s, "suaradesa_inbound_total{channel=\"other\",result=\"unknown_channel\"}") ==
        "1");
  CHECK(before.find("no-such-channel") == std::string::npos);
  CHECK(s.count("suaradesa_outbound_total{channel=\"tg\",status=\"sent\"}") == 0);

  // The histogram: one observation per handled webhook of a channel.
  CHECK(Value(s, "suaradesa_webhook_duration_seconds_count{channel=\"tg\"}") == "3");
  CHECK(Value(s, "suaradesa_webhook_duration_seconds_count{channel=\"web\"}") == "1");
  CHECK(Value(s, "suaradesa_webhook_duration_seconds_bucket{channel=\"tg\",le=\"+Inf\"}") ==
        "3");
  int64_t previous = 0;
  for (double bound : kLatencyBuckets) {
    const std::string key = "suaradesa_webhook_duration_seconds_bucket{channel=\"tg\",le=\"" +
                            FormatMetricValue(bound) + "\"}";
    const int64_t n = std::stoll(Value(s, key));
    CHECK(n >= previous);
    CHECK(n <= 3);
    previous = n;
  }
  CHECK(std::stod(Value(s, "suaradesa_webhook_duration_seconds_sum{channel=\"tg\"}")) >= 0);

  // After the drain: nothing waits, and what was sent is counted.
  CHECK(f.gw.DrainOutbox() == 2);
  const std::string after = f.Scrape();
  CheckWellFormed(after);
  s = Samples(after);
  CHECK(Value(s, "suaradesa_outbox_depth") == "0");
  CHECK(Value(s, "suaradesa_outbox_oldest_age_seconds") == "0");
  CHECK(Value(s, "suaradesa_outbound_total{channel=\"tg\",status=\"sent\"}") == "1");
  CHECK(Value(s, "suaradesa_outbound_total{channel=\"web\",status=\"sent\"}") == "1");
  CHECK(s.count("suaradesa_outbound_total{channel=\"tg\",status=\"failed\"}") == 0);
  // Segments: only SMS channels, as many as the texts sent take.
  int64_t segments = 0;
  for (const auto& m : f.view().Messages(storage::Direction::kOut)) {
    if (m.channel_id == "web") segments += std::max(1, channels::SmsSegments(m.text));
  }
  CHECK(segments >= 1);
  CHECK(Value(s, "suaradesa_sms_segments_sent_total{channel=\"web\"}") == std::to_string(segments));
  CHECK(s.count("suaradesa_sms_segments_sent_total{channel=\"tg\"}") == 0);
  // Scraping observes nothing itself.
  CHECK(Value(s, "suaradesa_webhook_duration_seconds_count{channel=\"tg\"}") == "3");
}

TEST_CASE("Metrics: a failed send is counted by channel and status", "[metrics][e2e]") {
  Fixture f;
  // Telegram refuses the bot token: a configuration error, kept for later.
  FakeResponse unauthorized;
  unauthorized.status = 401;
  unauthorized.body = R"({"ok":false,"error_code":401,"description":"Unauthorized"})";
  f.telegram.Enqueue(unauthorized);
  CHECK(f.Say(1, "MENU") == 200);
  CHECK(f.gw.DrainOutbox() == 1);
  auto s = Samples(f.Scrape());
  CHECK(Value(s, "suaradesa_outbound_total{channel=\"tg\",status=\"config_error\"}") == "1");
  CHECK(s.count("suaradesa_outbound_total{channel=\"tg\",status=\"sent\"}") == 0);
  // The row waits: it is still in the backlog.
  CHECK(Value(s, "suaradesa_outbox_depth") == "1");
}

}  // namespace
}  // namespace suaradesa::testing
