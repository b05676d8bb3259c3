// End to end: the real gateway with a Twilio SMS channel, and a fake Twilio
// REST API on 127.0.0.1 standing in for api.twilio.com.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/channels/twilio/twilio.h"
#include "tests/gateway/channels_e2e.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr char kPhone[] = "+6281234567890";
constexpr char kUrl[] = "https://desa.example.org/webhook/sms";

struct TwilioFixture {
  TempDir dir;
  FakePlatform telegram;
  FakePlatform twilio;
  std::string db = dir.File("twilio.db");
  TestGateway gw{[this] {
    Config cfg = TestConfig(db, telegram.base_url(), telegram.base_url() + "/out");
    AddTwilio(cfg, twilio.base_url());
    return cfg;
  }()};
  int next_sid = 0;
  StoreView view() { return StoreView(gw.app().store()); }

  TwilioFixture() {
    twilio.SetHandler(Numbered([](int n) {
      FakeResponse r;
      r.status = 201;
      r.body = json{{"sid", "SMOUT" + std::to_string(n)}, {"status", "queued"}}.dump();
      return r;
    }));
  }

  // POSTs a form signed as Twilio signs it: over the URL and the sorted
  // parameters (computed here, not by the channel).
  int Post(std::vector<std::pair<std::string, std::string>> params,
           const std::string& url = kUrl, const std::string& token = kTwilioToken) {
    const std::string body = channels::EncodeForm(params);
    std::sort(params.begin(), params.end());
    std::string data = url;
    for (const auto& [k, v] : params) data += k + v;
    auto res = gw.Post("/webhook/sms", body,
                       {{"X-Twilio-Signature", channels::HmacSha1Base64(token, data)}},
                       "application/x-www-form-urlencoded");
    REQUIRE(res);
    if (res->status == 200) {
      CHECK(res->get_header_value("Content-Type").find("text/xml") == 0);
      CHECK(res->body.find("<Response/>") != std::string::npos);
    }
    return res->status;
  }

  std::vector<std::pair<std::string, std::string>> Sms(const std::string& sid,
                                                       const std::string& text) {
    return {{"MessageSid", sid}, {"SmsSid", sid},         {"AccountSid", kTwilioSid},
            {"From", kPhone},    {"To", kTwilioFrom},     {"Body", text},
            {"NumMedia", "0"},   {"SmsStatus", "received"}, {"ApiVersion", "2010-04-01"}};
  }

  int Say(const std::string& text) {
    return Post(Sms("SM" + std::to_string(1000 + ++next_sid), text));
  }

  std::vector<std::string> Sent() {
    std::vector<std::string> out;
    for (const auto& r : twilio.requests_to("/Messages.json")) {
      for (const auto& [k, v] : channels::ParseForm(r.body)) {
        if (k == "Body") out.push_back(v);
      }
    }
    return out;
  }
};

TEST_CASE("Twilio e2e: a proposal by SMS reaches its ticket", "[e2e]") {
  TwilioFixture f;
  const std::string ticket = UntilTicket([&](const std::string& t) { return f.Say(t); },
                                         [&] { f.gw.DrainOutbox(); }, [&] { return f.Sent(); },
                                         "USL-");
  INFO("replies: " << json(f.Sent()).dump());
  CHECK(ticket.find("USL-1") != std::string::npos);
  CHECK(f.view().Cases().size() == 1);
  CHECK(f.view().OutboxCount([](const auto& o) { return o.state != "sent"; }) == 0);
  // Each reply went by REST, with a status callback to our webhook, and
  // its SMS segment count was recorded.
  const auto sent = f.twilio.requests_to(std::string("/2010-04-01/Accounts/") + kTwilioSid +
                                         "/Messages.json");
  REQUIRE_FALSE(sent.empty());
  const auto form = channels::ParseForm(sent[0].body);
  const std::map<std::string, std::string> fields(form.begin(), form.end());
  CHECK(fields.at("To") == kPhone);
  CHECK(fields.at("From") == kTwilioFrom);
  CHECK(fields.at("StatusCallback") == kUrl);
  // Every reply has at least one segment: /metrics counts the segments sent.
  auto metrics = f.gw.Get("/metrics");
  REQUIRE(metrics);
  const std::string sample = "suaradesa_sms_segments_sent_total{channel=\"sms\"} ";
  const size_t at = metrics->body.find(sample);
  REQUIRE(at != std::string::npos);
  const int64_t segments = std::stoll(metrics->body.substr(at + sample.size()));
  CHECK(segments >= f.view().OutboundCount());
  CHECK(f.view().OutboundCount() == static_cast<int64_t>(sent.size()));
}

TEST_CASE("Twilio e2e: a retried delivery is answered once", "[e2e]") {
  TwilioFixture f;
  CHECK(f.Post(f.Sms("SMDUP", "USUL")) == 200);
  CHECK(f.Post(f.Sms("SMDUP", "USUL")) == 200);
  f.gw.DrainOutbox();
  CHECK(f.view().InboundCount() == 1);
  CHECK(f.twilio.requests().size() == 1);
}

TEST_CASE("Twilio e2e: a wrong signature changes nothing", "[e2e]") {
  TwilioFixture f;
  CHECK(f.Post(f.Sms("SMBAD", "USUL"), kUrl, "not-the-token") == 403);
  CHECK(f.Post(f.Sms("SMBAD", "USUL"), "https://desa.example.org/webhook/other") == 403);
  auto missing = f.gw.Post("/webhook/sms", channels::EncodeForm(f.Sms("SMBAD", "USUL")), {},
                           "application/x-www-form-urlencoded");
  REQUIRE(missing);
  CHECK(missing->status == 401);
  f.gw.DrainOutbox();
  CHECK(f.view().Messages().empty());
  CHECK(f.twilio.requests().empty());
  CHECK(f.gw.logs().find(kTwilioToken) == std::string::npos);
}

TEST_CASE("Twilio e2e: the URL is accepted with the default port", "[e2e]") {
  TwilioFixture f;
  CHECK(f.Post(f.Sms("SMPORT", "MENU"), "https://desa.example.org:443/webhook/sms") == 200);
  CHECK(f.view().InboundCount() == 1);
}

TEST_CASE("Twilio e2e: status callbacks build the delivery timeline", "[e2e]") {
  TwilioFixture f;
  CHECK(f.Say("MENU") == 200);
  f.gw.DrainOutbox();
  REQUIRE(f.twilio.requests().size() == 1);
  CHECK(f.Post({{"MessageSid", "SMOUT1"}, {"MessageStatus", "sent"}, {"AccountSid", kTwilioSid}}) ==
        200);
  CHECK(f.Post({{"MessageSid", "SMOUT1"}, {"MessageStatus", "undelivered"},
                {"ErrorCode", "30003"}, {"AccountSid", kTwilioSid}}) == 200);
  const auto message = f.view().OutboundByProviderId("SMOUT1");
  REQUIRE(message);
  CHECK(message->status == "failed");
  CHECK(message->error_code == "30003");
  // queued (at enqueue), sent (by the worker), failed; the repeated "sent"
  // callback adds nothing.
  CHECK(f.view().TimelineStatuses("SMOUT1") == std::vector<std::string>{"queued", "sent", "failed"});
}

}  // namespace
}  // namespace suaradesa::testing
