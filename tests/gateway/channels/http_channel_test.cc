#include "gateway/channels/http/http_channel.h"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/channels/registry.h"
#include "gateway/channels/signature.h"
#include "gateway/http_client.h"
#include "tests/gateway/channels/channel_harness.h"
#include "tests/support/fake_platform.h"

namespace suaradesa::channels {
namespace {

using nlohmann::json;
using testing::FakePlatform;
using testing::Accept;
using testing::IncomingCase;
using testing::Outbound;
using testing::Reject;
using testing::Reply;

constexpr char kSecret[] = "http-secret-0123456789";
constexpr char kHeader[] = "x-suaradesa-signature";

// Signs like a well-behaved bridge: computed here with OpenSSL, not with the
// channel's own helper.
std::map<std::string, std::string> SignedBy(const std::string& key, const std::string& body) {
  return {{kHeader, "sha256=" + HmacSha256Hex(key, body)}};
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

InboundEvent Event(const std::string& id, const std::string& from, const std::string& text,
                   const std::string& name = "") {
  InboundEvent e;
  e.provider_id = id;
  e.address = from;
  e.text = text;
  e.sender_name = name;
  return e;
}

TEST_CASE("HttpChannel: incoming webhooks are verified, parsed and answered per the case table",
          "[channels]") {
  const HttpChannel channel("web", kSecret, "https://sms.example.org/out");
  const std::string valid = R"({"id":"msg-1","from":"+6281234567890","text":"hello"})";
  const std::string no_text = R"({"id":"msg-2","from":"+6281234567890"})";
  const std::string empty_text = R"({"id":"msg-3","from":"+6281234567890","text":""})";
  const std::string named = R"({"id":"msg-4","from":"+6281234567890","text":"hi","name":"Sri"})";
  const std::string bad_json = R"({"id":"msg-1","from":)";
  const std::string no_id = R"({"from":"+6281234567890","text":"hello"})";
  const std::string numeric_id = R"({"id":17,"from":"+6281234567890","text":"hello"})";
  const std::string no_from = R"({"id":"msg-1","text":"hello"})";
  const std::string text_number = R"({"id":"msg-1","from":"+6281234567890","text":5})";
  const std::string array = R"([{"id":"msg-1","from":"+6281234567890","text":"hello"}])";
  // Lone surrogate escapes (a text cut inside an emoji) become U+FFFD; whole
  // pairs are kept.
  const std::string lone = R"({"id":"msg-5","from":"+6281234567890","text":"ok \ud83d"})";
  const std::string lone_low = R"({"id":"msg-6","from":"+6281234567890","text":"\udc00!"})";
  const std::string pair_lone =
      R"({"id":"msg-7","from":"+6281234567890","text":"\ud83d\ude4f\ude4f"})";
  const std::string lone_name =
      R"({"id":"msg-8","from":"+6281234567890","text":"hi","name":"Sri \ud83d"})";
  const std::string raw_utf8 = R"({"id":"msg-9","from":"+6281234567890","text":"café 🙏"})";
  const std::string extra = R"({"id":"msg-10","from":"+6281234567890","text":"hi","via":"kannel","smsc":{"id":1}})";
  const std::string empty_id = R"({"id":"","from":"+6281234567890","text":"hello"})";
  const std::string empty_from = R"({"id":"msg-1","from":"","text":"hello"})";
  const std::string null_text = R"({"id":"msg-1","from":"+6281234567890","text":null})";
  const std::string name_number = R"({"id":"msg-1","from":"+6281234567890","name":7})";
  const std::string deep = std::string(100, '[') + std::string(100, ']');

  const std::vector<IncomingCase> cases = {
      Accept("receive valid message", SignedBy(kSecret, valid), valid,
             {Event("msg-1", "+6281234567890", "hello")}),
      Accept("upper-case hex signature",
             {{kHeader, "sha256=" + Upper(HmacSha256Hex(kSecret, valid))}}, valid,
             {Event("msg-1", "+6281234567890", "hello")}),
      Accept("missing text is empty", SignedBy(kSecret, no_text), no_text,
             {Event("msg-2", "+6281234567890", "")}),
      Accept("empty text", SignedBy(kSecret, empty_text), empty_text,
             {Event("msg-3", "+6281234567890", "")}),
      Accept("optional name", SignedBy(kSecret, named), named,
             {Event("msg-4", "+6281234567890", "hi", "Sri")}),
      Reject("bad JSON", SignedBy(kSecret, bad_json), bad_json, 400),
      Reject("no id", SignedBy(kSecret, no_id), no_id, 400),
      Reject("numeric id", SignedBy(kSecret, numeric_id), numeric_id, 400),
      Reject("no from", SignedBy(kSecret, no_from), no_from, 400),
      Reject("text is a number", SignedBy(kSecret, text_number), text_number, 400),
      Reject("array body", SignedBy(kSecret, array), array, 400),
      Reject("missing signature", {}, valid, 401),
      Reject("wrong key", SignedBy("another-secret", valid), valid, 403),
      Reject("signature of another body", SignedBy(kSecret, no_text), valid, 403),
      Reject("bare hex without prefix", {{kHeader, HmacSha256Hex(kSecret, valid)}}, valid, 403),
      Accept("lone high surrogate becomes U+FFFD", SignedBy(kSecret, lone), lone,
             {Event("msg-5", "+6281234567890", "ok \xEF\xBF\xBD")}),
      Accept("lone low surrogate becomes U+FFFD", SignedBy(kSecret, lone_low), lone_low,
             {Event("msg-6", "+6281234567890", "\xEF\xBF\xBD!")}),
      Accept("a pair is kept next to a lone low half", SignedBy(kSecret, pair_lone), pair_lone,
             {Event("msg-7", "+6281234567890", "🙏\xEF\xBF\xBD")}),
      Accept("lone surrogate in the name", SignedBy(kSecret, lone_name), lone_name,
             {Event("msg-8", "+6281234567890", "hi", "Sri \xEF\xBF\xBD")}),
      Accept("raw UTF-8 is kept", SignedBy(kSecret, raw_utf8), raw_utf8,
             {Event("msg-9", "+6281234567890", "café 🙏")}),
      Accept("unknown fields are ignored", SignedBy(kSecret, extra), extra,
             {Event("msg-10", "+6281234567890", "hi")}),
      Reject("lone surrogate signed with another key", SignedBy("another-secret", lone), lone,
             403),
      Reject("empty id", SignedBy(kSecret, empty_id), empty_id, 400),
      Reject("empty from", SignedBy(kSecret, empty_from), empty_from, 400),
      Reject("null text", SignedBy(kSecret, null_text), null_text, 400),
      Reject("name is a number", SignedBy(kSecret, name_number), name_number, 400),
      Reject("nested too deep", SignedBy(kSecret, deep), deep, 400),
      Reject("empty body", SignedBy(kSecret, ""), "", 400),
  };
  CHECK(cases.size() >= 25);
  testing::RunIncomingCases(channel, cases);
}

TEST_CASE("HttpChannel: a channel without a secret rejects every webhook", "[channels]") {
  const HttpChannel channel("web", "", "https://sms.example.org/out");
  WebhookRequest req;
  req.body = "{}";
  req.headers[kHeader] = "sha256=" + HmacSha256Hex("", req.body);
  auto rejection = channel.Verify(req, 0);
  REQUIRE(rejection.has_value());
  CHECK(rejection->status == 403);
}

TEST_CASE("HttpChannel: Send posts a signed JSON body to send_url", "[channels]") {
  FakePlatform platform;
  platform.Enqueue(Reply(200, R"({"id":"out-77"})"));
  const HttpChannel channel("web", kSecret, platform.base_url() + "/out?user=kannel");
  RealHttpClient http(5);
  auto receipt = channel.Send(Outbound("+6281234567890", "Which topic?",
                                       {{"roads", "1. Roads"}, {"water", "2. Water"}}),
                              http);
  REQUIRE(receipt.has_value());
  CHECK(receipt->provider_id == "out-77");
  CHECK(receipt->segments == 1);

  auto requests = platform.requests();
  REQUIRE(requests.size() == 1);
  const auto& r = requests[0];
  CHECK(r.method == "POST");
  CHECK(r.path == "/out");
  CHECK(r.params.find("user") != r.params.end());
  CHECK(r.headers.at(kHeader) == "sha256=" + HmacSha256Hex(kSecret, r.body));
  const json body = json::parse(r.body);
  CHECK(body == json::parse(R"({"to":"+6281234567890","text":"Which topic?",
      "choices":[{"id":"roads","label":"1. Roads"},{"id":"water","label":"2. Water"}]})"));
}

TEST_CASE("HttpChannel: Send without choices omits them; provider id may be absent",
          "[channels]") {
  FakePlatform platform;
  platform.Enqueue(Reply(202, "accepted"));
  const HttpChannel channel("web", kSecret, platform.base_url() + "/out");
  RealHttpClient http(5);
  std::string text(200, 'a');  // two GSM-7 segments
  auto receipt = channel.Send(Outbound("+6281234567890", text), http);
  REQUIRE(receipt.has_value());
  CHECK(receipt->provider_id.empty());
  CHECK(receipt->segments == 2);
  const json body = json::parse(platform.requests().at(0).body);
  CHECK_FALSE(body.contains("choices"));
}

TEST_CASE("HttpChannel: a numeric id in the answer becomes the provider id", "[channels]") {
  FakePlatform platform;
  platform.Enqueue(Reply(200, R"({"id":12345})"));
  const HttpChannel channel("web", kSecret, platform.base_url() + "/out");
  RealHttpClient http(5);
  auto receipt = channel.Send(Outbound("+62812", "hi"), http);
  REQUIRE(receipt.has_value());
  CHECK(receipt->provider_id == "12345");
}

TEST_CASE("HttpChannel: send errors are classified by status", "[channels]") {
  struct Case {
    int status;
    std::map<std::string, std::string> headers;
    SendError::Kind kind;
    int retry_after;
  };
  const Case cases[] = {
      {500, {}, SendError::Kind::kRetryable, 0},
      {503, {{"Retry-After", "30"}}, SendError::Kind::kRetryable, 0},
      {429, {{"Retry-After", "7"}}, SendError::Kind::kThrottled, 7},
      {429, {}, SendError::Kind::kThrottled, 0},
      {429, {{"Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"}}, SendError::Kind::kThrottled, 0},
      {401, {}, SendError::Kind::kConfig, 0},
      {403, {}, SendError::Kind::kConfig, 0},
      {400, {}, SendError::Kind::kPermanent, 0},
      {404, {}, SendError::Kind::kPermanent, 0},
      {422, {}, SendError::Kind::kPermanent, 0},
  };
  FakePlatform platform;
  const HttpChannel channel("web", kSecret, platform.base_url() + "/out?password=hunter22");
  RealHttpClient http(5);
  for (const Case& c : cases) {
    INFO("status " << c.status);
    platform.Enqueue(Reply(c.status, R"({"error":"+6281234567890 rejected"})", c.headers));
    auto receipt = channel.Send(Outbound("+6281234567890", "hi"), http);
    REQUIRE_FALSE(receipt.has_value());
    CHECK(receipt.error().kind == c.kind);
    CHECK(receipt.error().retry_after_seconds == c.retry_after);
    // Neither the answer (it may echo the number) nor the URL (it may hold a
    // password) is quoted.
    CHECK(receipt.error().message.find("6281234567890") == std::string::npos);
    CHECK(receipt.error().message.find("hunter22") == std::string::npos);
  }
}

TEST_CASE("HttpChannel: a transport error is retryable", "[channels]") {
  const HttpChannel channel("web", kSecret,
                            std::string(testing::kDeadBaseUrl) + "/out?password=hunter22");
  RealHttpClient http(2);
  auto receipt = channel.Send(Outbound("+62812", "hi"), http);
  REQUIRE_FALSE(receipt.has_value());
  CHECK(receipt.error().kind == SendError::Kind::kRetryable);
  CHECK(receipt.error().message.find("hunter22") == std::string::npos);
}

TEST_CASE("HttpChannel: is an SMS channel whose secret is masked", "[channels]") {
  const HttpChannel channel("web", kSecret, "https://sms.example.org/out");
  CHECK(channel.is_sms());
  CHECK(channel.type() == "http");
  CHECK(channel.Secrets() == std::vector<std::string>{kSecret});
  const ChannelSpec* spec = FindChannelSpec("http");
  REQUIRE(spec != nullptr);
  CHECK(spec->required == std::vector<std::string>{"secret", "send_url"});
  CHECK(spec->secrets == std::vector<std::string>{"secret"});
  auto made = spec->make({.id = "web", .type = "http",
                          .values = {{"secret", kSecret}, {"send_url", "http://x/out"}}});
  REQUIRE(made != nullptr);
  CHECK(made->id() == "web");
  CHECK(made->is_sms());
}

TEST_CASE("HttpChannel: RealHttpClient rejects URLs it cannot use without throwing",
          "[channels]") {
  RealHttpClient http(1);
  for (const char* url : {"", "not a url", "ftp://example.org/x", "http://", "http://user:pw@host/x"}) {
    INFO(url);
    OutgoingRequest req;
    req.url = url;
    HttpResult r = http.Send(req);
    CHECK(r.status == 0);
    CHECK_FALSE(r.error.empty());
    CHECK(r.error.find("pw") == std::string::npos);
  }
}

}  // namespace
}  // namespace suaradesa::channels
