// End to end: the real gateway with an Android SMS gateway channel, and a
// fake phone API on 127.0.0.1 standing in for the capcom6 app.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/gateway/channels_e2e.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr char kPhone[] = "+6281234567890";

struct PhoneFixture {
  TempDir dir;
  FakePlatform telegram;
  FakePlatform phone;
  std::string db = dir.File("phone.db");
  TestGateway gw{[this] {
    Config cfg = TestConfig(db, telegram.base_url(), telegram.base_url() + "/out");
    AddAndroidSms(cfg, phone.base_url());
    return cfg;
  }()};
  int next_id = 0;

  PhoneFixture() {
    phone.SetHandler(Numbered([](int n) {
      FakeResponse r;
      r.status = 202;
      r.body = json{{"id", "out-" + std::to_string(n)}, {"state", "Pending"}}.dump();
      return r;
    }));
  }

  // POSTs an event signed as the app signs it, stamped `skew_s` seconds
  // away from the gateway's clock.
  int Post(const std::string& body, int64_t skew_s = 0, const std::string& key = kPhoneKey) {
    const std::string ts = std::to_string(gw.clock().NowMillis() / 1000 + skew_s);
    auto res = gw.Post("/webhook/hp", body,
                       {{"X-Signature", channels::HmacSha256Hex(key, body + ts)},
                        {"X-Timestamp", ts}});
    REQUIRE(res);
    return res->status;
  }

  static std::string Event(const std::string& event, const std::string& id, const json& payload) {
    return json{{"deviceId", "ffffffffceb0b1db"}, {"event", event}, {"id", id},
                {"payload", payload}, {"webhookId", "suaradesa-hp-" + event}}
        .dump();
  }

  static std::string Received(const std::string& id, const std::string& text) {
    // messageId is derived from the content: the same for two equal texts.
    return Event("sms:received", id,
                 {{"messageId", "content-hash"}, {"message", text}, {"sender", kPhone},
                  {"recipient", nullptr}, {"simNumber", 1},
                  {"receivedAt", "2026-11-23T09:00:00.000+07:00"}});
  }

  StoreView view() { return StoreView(gw.app().store()); }

  int Say(const std::string& text) { return Post(Received("ev" + std::to_string(++next_id), text)); }

  std::vector<std::string> Sent() {
    std::vector<std::string> out;
    for (const auto& r : phone.requests_to("/message")) {
      out.push_back(json::parse(r.body)["textMessage"]["text"]);
    }
    return out;
  }
};

TEST_CASE("Android SMS e2e: a proposal by SMS reaches its ticket", "[e2e]") {
  PhoneFixture f;
  const std::string ticket = UntilTicket([&](const std::string& t) { return f.Say(t); },
                                         [&] { f.gw.DrainOutbox(); }, [&] { return f.Sent(); },
                                         "USL-");
  INFO("replies: " << json(f.Sent()).dump());
  CHECK(ticket.find("USL-1") != std::string::npos);
  CHECK(f.view().Cases().size() == 1);
  CHECK(f.view().OutboxCount([](const auto& o) { return o.state != "sent"; }) == 0);
  const auto sent = f.phone.requests_to("/message");
  REQUIRE_FALSE(sent.empty());
  const json body = json::parse(sent[0].body);
  CHECK(body["phoneNumbers"] == json::array({kPhone}));
  CHECK(body["withDeliveryReport"] == true);
  CHECK(sent[0].headers.at("authorization") ==
        "Basic " + channels::Base64(std::string(kPhoneUser) + ":" + kPhonePassword));
}

TEST_CASE("Android SMS e2e: the phone's retry is answered once, equal texts are not merged",
          "[e2e]") {
  PhoneFixture f;
  CHECK(f.Post(PhoneFixture::Received("ev-A", "MENU")) == 200);
  CHECK(f.Post(PhoneFixture::Received("ev-A", "MENU")) == 200);  // retried delivery
  f.gw.DrainOutbox();
  CHECK(f.view().InboundCount() == 1);
  CHECK(f.phone.requests().size() == 1);
  // Same text, same payload.messageId, new envelope id: a new message.
  CHECK(f.Post(PhoneFixture::Received("ev-B", "MENU")) == 200);
  CHECK(f.view().InboundCount() == 2);
}

TEST_CASE("Android SMS e2e: a wrong signature or stale timestamp changes nothing", "[e2e]") {
  PhoneFixture f;
  const std::string body = PhoneFixture::Received("ev-X", "USUL");
  CHECK(f.Post(body, 0, "not-the-key") == 403);
  CHECK(f.Post(body, -301) == 401);
  CHECK(f.Post(body, 301) == 401);
  auto unsigned_post = f.gw.Post("/webhook/hp", body, {});
  REQUIRE(unsigned_post);
  CHECK(unsigned_post->status == 401);
  f.gw.DrainOutbox();
  CHECK(f.view().Messages().empty());
  CHECK(f.phone.requests().empty());
  CHECK(f.gw.logs().find(kPhoneKey) == std::string::npos);
}

TEST_CASE("Android SMS e2e: sent, delivered and failed events update the message", "[e2e]") {
  PhoneFixture f;
  CHECK(f.Say("MENU") == 200);
  f.gw.DrainOutbox();
  REQUIRE(f.phone.requests().size() == 1);  // out-1
  const json payload = {{"messageId", "out-1"}, {"phoneNumber", kPhone}, {"partsCount", 1}};
  CHECK(f.Post(PhoneFixture::Event("sms:sent", "st-1", payload)) == 200);
  CHECK(f.Post(PhoneFixture::Event("sms:delivered", "st-2", payload)) == 200);
  CHECK(f.Post(PhoneFixture::Event("sms:delivered", "st-3", payload)) == 200);  // a second part
  CHECK(f.Post(PhoneFixture::Event("system:ping", "st-4", {{"health", "pass"}})) == 200);
  const auto message = f.view().OutboundByProviderId("out-1");
  REQUIRE(message);
  CHECK(message->status == "delivered");
  CHECK(f.view().TimelineStatuses("out-1") ==
        std::vector<std::string>{"queued", "sent", "delivered"});
}

}  // namespace
}  // namespace suaradesa::testing
