#include "gateway/channels/android_sms/android_sms.h"

#include <catch2/catch.hpp>

#include <cctype>

#include <nlohmann/json.hpp>

#include "gateway/channels/registry.h"
#include "gateway/channels/signature.h"
#include "gateway/http_client.h"
#include "tests/gateway/channels/channel_harness.h"
#include "tests/support/fake_platform.h"

namespace suaradesa::channels {
namespace {

using nlohmann::json;
using testing::Accept;
using testing::FakePlatform;
using testing::FakeResponse;
using testing::Ignore;
using testing::IncomingCase;
using testing::Outbound;
using testing::Reject;
using testing::Reply;

constexpr char kKey[] = "smsgw-signing-key-0123";
constexpr char kUser[] = "sms";
constexpr char kPassword[] = "smsgw-password-987";
constexpr int64_t kNowMs = 1795399200000;  // 2026-11-23T02:00:00Z

AndroidSmsChannel MakeChannel(const std::string& url = "http://192.168.1.20:8080") {
  return AndroidSmsChannel("hp", url, kUser, kPassword, kKey);
}

// Headers as the app sends them: hex HMAC-SHA256 of body + timestamp,
// computed here without the channel's own Sign.
std::map<std::string, std::string> Signed(const std::string& body, int64_t timestamp_s = kNowMs / 1000,
                                          const std::string& key = kKey) {
  const std::string ts = std::to_string(timestamp_s);
  return {{"x-signature", HmacSha256Hex(key, body + ts)},
          {"x-timestamp", ts},
          {"content-type", "application/json"}};
}

std::string Envelope(const std::string& event, const std::string& id, const json& payload) {
  return json{{"deviceId", "ffffffffceb0b1db0000018e937c815b"},
              {"event", event},
              {"id", id},
              {"payload", payload},
              {"webhookId", "suaradesa-hp-sms-received"}}
      .dump();
}

TEST_CASE("Android SMS: incoming webhooks are verified, parsed and answered per the case table",
          "[channels]") {
  const AndroidSmsChannel channel = MakeChannel();
  const std::string received = Envelope(
      "sms:received", "Ey6ECgOkVVFjz3CL48B8C",
      {{"messageId", "abc"}, {"message", "USUL jalan desa"}, {"sender", "+6281234567890"},
       {"recipient", "+6281100000000"}, {"simNumber", 1},
       {"receivedAt", "2026-11-23T09:00:00.000+07:00"}});
  const std::string legacy = Envelope("sms:received", "legacy-1",
                                      {{"messageId", "x"}, {"message", "MENU"},
                                       {"phoneNumber", "+6281234567890"},
                                       {"receivedAt", "2026-11-23T09:00:00.000+07:00"}});
  const std::string sent = Envelope("sms:sent", "ev-2", {{"messageId", "out-1"},
                                                         {"phoneNumber", "+6281234567890"},
                                                         {"partsCount", 1},
                                                         {"sentAt", "2026-11-23T09:00:01.000+07:00"}});
  const std::string delivered = Envelope(
      "sms:delivered", "ev-3",
      {{"messageId", "out-1"}, {"phoneNumber", "+6281234567890"},
       {"deliveredAt", "2026-11-23T09:00:05.000+07:00"}});
  const std::string failed = Envelope(
      "sms:failed", "ev-4",
      {{"messageId", "out-2"}, {"phoneNumber", "+6281234567890"},
       {"failedAt", "2026-11-23T09:00:05.000+07:00"}, {"reason", "RESULT_ERROR_NO_SERVICE"}});
  const std::string ping = Envelope("system:ping", "ev-5", {{"health", {{"status", "pass"}}}});
  // An MMS notice (the picture or voice message itself is not fetched).
  const std::string mms = Envelope(
      "mms:received", "ev-6",
      {{"messageId", "m"}, {"transactionId", "T1"}, {"subject", ""}, {"size", 48213},
       {"contentClass", "IMAGE_BASIC"}, {"sender", "+6281234567890"},
       {"recipient", "+6281100000000"}, {"simNumber", 1},
       {"receivedAt", "2026-11-23T09:00:00.000+07:00"}});
  const std::string mms_no_sender = Envelope("mms:received", "ev-8", {{"messageId", "m"}});
  const std::string downloaded = Envelope("mms:downloaded", "ev-9",
                                          {{"messageId", "m"}, {"sender", "+6281234567890"}});
  const std::string data_sms = Envelope(
      "sms:data-received", "ev-10",
      {{"messageId", "d"}, {"data", "SGVsbG8="}, {"sender", "+6281234567890"}});
  const std::string cancelled = Envelope("sms:cancelled", "ev-11", {{"messageId", "out-3"}});
  const std::string started = Envelope("app:started", "ev-12", {{"simCount", 1}});
  const std::string failed_no_id =
      Envelope("sms:failed", "ev-13", {{"reason", "RESULT_ERROR_GENERIC_FAILURE"}});
  const std::string no_payload =
      R"({"deviceId":"d","event":"sms:received","id":"ev-14","webhookId":"w"})";
  const std::string payload_not_object =
      R"({"deviceId":"d","event":"sms:received","id":"ev-15","payload":"hi","webhookId":"w"})";
  // A lone surrogate escape (a text cut inside an emoji) and a whole pair.
  const std::string lone =
      R"({"deviceId":"d","event":"sms:received","id":"ev-16","payload":{"messageId":"x","message":"help \ud83d","sender":"+6281234567890"},"webhookId":"w"})";
  const std::string pair =
      R"({"deviceId":"d","event":"sms:received","id":"ev-17","payload":{"messageId":"x","message":"\ud83d\ude4f","sender":"+6281234567890"},"webhookId":"w"})";
  const std::string empty_text = Envelope(
      "sms:received", "ev-18", {{"messageId", "e"}, {"message", ""}, {"sender", "+6281234567890"}});
  const std::string second_part = Envelope(
      "sms:delivered", "ev-19",
      {{"messageId", "out-1"}, {"phoneNumber", "+6281234567890"},
       {"deliveredAt", "2026-11-23T09:00:06.000+07:00"}});
  const std::string no_sender = Envelope("sms:received", "ev-7", {{"message", "hi"}});
  const std::string no_id = R"({"event":"sms:received","payload":{"message":"hi","sender":"+62"}})";

  InboundEvent usul;
  usul.provider_id = "Ey6ECgOkVVFjz3CL48B8C";
  usul.address = "+6281234567890";
  usul.text = "USUL jalan desa";
  const auto from = [](std::string id, std::string text) {
    InboundEvent e;
    e.provider_id = std::move(id);
    e.address = "+6281234567890";
    e.text = std::move(text);
    return e;
  };
  InboundEvent picture = from("ev-6", "[media]");
  picture.unsupported = true;
  std::map<std::string, std::string> bad_timestamp = Signed(received);
  bad_timestamp["x-timestamp"] = "soon";
  InboundEvent menu;
  menu.provider_id = "legacy-1";
  menu.address = "+6281234567890";
  menu.text = "MENU";

  std::map<std::string, std::string> upper = Signed(received);
  for (auto& c : upper["x-signature"]) c = static_cast<char>(std::toupper(c));
  std::map<std::string, std::string> body_only = Signed(received);
  body_only["x-signature"] = HmacSha256Hex(kKey, received);

  const std::vector<IncomingCase> cases = {
      Accept("sms:received", Signed(received), received, {usul}),
      Accept("sms:received with the deprecated phoneNumber", Signed(legacy), legacy, {menu}),
      Accept("upper-case hex signature", upper, received, {usul}),
      Accept("timestamp 4 minutes old", Signed(received, kNowMs / 1000 - 240), received, {usul}),
      testing::Statuses("sms:sent", Signed(sent), sent, {{"out-1", "sent", "", "", 0}}),
      testing::Statuses("sms:delivered", Signed(delivered), delivered,
                        {{"out-1", "delivered", "", "", 0}}),
      testing::Statuses("sms:failed", Signed(failed), failed,
                        {{"out-2", "failed", "", "RESULT_ERROR_NO_SERVICE", 0}}),
      Ignore("system:ping", Signed(ping), ping),
      Accept("mms:received is recorded as [media]", Signed(mms), mms, {picture}),
      testing::Skip("mms:received without sender", Signed(mms_no_sender), mms_no_sender,
                    {"mms:received without payload.sender"}),
      Ignore("mms:downloaded reports the same MMS again", Signed(downloaded), downloaded),
      Ignore("sms:data-received (binary SMS between apps)", Signed(data_sms), data_sms),
      Ignore("sms:cancelled", Signed(cancelled), cancelled),
      Ignore("app:started", Signed(started), started),
      testing::Skip("sms:failed without messageId", Signed(failed_no_id), failed_no_id,
                    {"sms:failed without payload.messageId"}),
      testing::Skip("sms:received without payload", Signed(no_payload), no_payload,
                    {"sms:received without payload"}),
      testing::Skip("payload is not an object", Signed(payload_not_object), payload_not_object,
                    {"sms:received without payload"}),
      Accept("lone surrogate escape becomes U+FFFD", Signed(lone), lone,
             {from("ev-16", "help \xEF\xBF\xBD")}),
      Accept("escaped surrogate pair is the emoji", Signed(pair), pair, {from("ev-17", "🙏")}),
      Accept("empty SMS is an empty text", Signed(empty_text), empty_text, {from("ev-18", "")}),
      testing::Statuses("sms:delivered fires once per part", Signed(second_part), second_part,
                        {{"out-1", "delivered", "", "", 0}}),
      Reject("X-Timestamp is not a number", bad_timestamp, received, 401),
      Reject("lone surrogate with a wrong signature", Signed(received), lone, 403),
      Reject("envelope is an array", Signed("[]"), "[]", 400),
      Reject("timestamp 6 minutes old", Signed(received, kNowMs / 1000 - 360), received, 401),
      Reject("timestamp 6 minutes ahead", Signed(received, kNowMs / 1000 + 360), received, 401),
      Reject("no X-Signature", {{"x-timestamp", std::to_string(kNowMs / 1000)}}, received, 401),
      Reject("no X-Timestamp", {{"x-signature", Signed(received)["x-signature"]}}, received, 401),
      Reject("signature by another key", Signed(received, kNowMs / 1000, "other-key"), received,
             403),
      Reject("signature over the body without the timestamp", body_only, received, 403),
      Reject("signature for another body", Signed(legacy), received, 403),
      Reject("malformed JSON", Signed("{"), "{", 400),
      Reject("no envelope id", Signed(no_id), no_id, 400),
      testing::Skip("sms:received without sender", Signed(no_sender), no_sender,
                    {"sms:received without payload.sender"}),
  };
  CHECK(cases.size() >= 25);
  testing::RunIncomingCases(channel, cases, kNowMs);
}

TEST_CASE("Android SMS: replies go to the phone's /message API", "[channels]") {
  FakePlatform phone;
  RealHttpClient http(5);
  const AndroidSmsChannel channel = MakeChannel(phone.base_url());

  SECTION("sent") {
    phone.Enqueue(Reply(202, R"({"id":"PyDmBQZZXYmyxMwED8Fzy","deviceId":"d","state":"Pending",
        "recipients":[{"phoneNumber":"+6281234567890","state":"Pending"}]})"));
    auto sent = channel.Send(Outbound("+6281234567890", "Tiket Anda ADU-4"), http);
    REQUIRE(sent.has_value());
    CHECK(sent->provider_id == "PyDmBQZZXYmyxMwED8Fzy");
    CHECK(sent->segments == 1);
    auto requests = phone.requests_to("/message");
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].headers["authorization"] ==
          "Basic " + Base64(std::string(kUser) + ":" + kPassword));
    const json body = json::parse(requests[0].body);
    CHECK(body["textMessage"]["text"] == "Tiket Anda ADU-4");
    CHECK(body["phoneNumbers"] == json::array({"+6281234567890"}));
    CHECK(body["withDeliveryReport"] == true);
  }
  SECTION("errors") {
    struct Row {
      FakeResponse response;
      SendError::Kind kind;
    };
    const std::vector<Row> rows = {
        {Reply(401, R"({"message":"Unauthorized"})"), SendError::Kind::kConfig},
        {Reply(400, R"({"message":"invalid phone"})"), SendError::Kind::kPermanent},
        {Reply(500, R"({"message":"internal"})"), SendError::Kind::kRetryable},
        {Reply(429, "{}"), SendError::Kind::kThrottled},
    };
    for (const Row& row : rows) {
      phone.Enqueue(row.response);
      auto sent = channel.Send(Outbound("+6281234567890", "hi"), http);
      REQUIRE_FALSE(sent.has_value());
      CHECK(sent.error().kind == row.kind);
      CHECK(sent.error().message.find(kPassword) == std::string::npos);
    }
    const AndroidSmsChannel offline = MakeChannel(testing::kDeadBaseUrl);
    auto sent = offline.Send(Outbound("+6281234567890", "hi"), http);
    REQUIRE_FALSE(sent.has_value());
    CHECK(sent.error().kind == SendError::Kind::kRetryable);
  }
}

TEST_CASE("Android SMS: the registry spaces messages three seconds apart", "[channels]") {
  ChannelSettings settings;
  settings.id = "hp";
  settings.type = "android_sms";
  settings.values = {{"url", "http://192.168.1.20:8080"}, {"username", kUser},
                     {"password", kPassword}, {"signing_key", kKey}};
  auto channel = FindChannelSpec("android_sms")->make(settings);
  CHECK(channel->is_sms());
  CHECK(channel->rate_limits().per_second == Approx(1.0 / 3.0));
  settings.values["rate_per_second"] = "0.5";
  CHECK(FindChannelSpec("android_sms")->make(settings)->rate_limits().per_second == 0.5);
}

}  // namespace
}  // namespace suaradesa::channels
