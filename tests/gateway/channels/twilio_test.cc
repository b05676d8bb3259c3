#include "gateway/channels/twilio/twilio.h"

#include <catch2/catch.hpp>

#include <algorithm>

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

constexpr char kSid[] = "AC0123456789abcdef0123456789abcdef";
constexpr char kToken[] = "twilio-auth-token-0123456789";
constexpr char kFrom[] = "+6281100000000";
constexpr char kPublicUrl[] = "https://desa.example.org";
constexpr char kWebhookUrl[] = "https://desa.example.org/webhook/sms";

TwilioChannel MakeChannel(const std::string& api_base = "https://api.twilio.com") {
  return TwilioChannel("sms", kSid, kToken, kFrom, kPublicUrl, api_base);
}

// The signature computed here from first principles (not with
// TwilioChannel::Sign): url + sorted name/value pairs, HMAC-SHA1, base64.
std::string TwilioSignature(const std::string& url,
                            std::vector<std::pair<std::string, std::string>> params,
                            const std::string& token = kToken) {
  std::sort(params.begin(), params.end());
  std::string data = url;
  for (const auto& [k, v] : params) data += k + v;
  return HmacSha1Base64(token, data);
}

std::map<std::string, std::string> Signed(
    const std::vector<std::pair<std::string, std::string>>& params,
    const std::string& url = kWebhookUrl) {
  return {{"x-twilio-signature", TwilioSignature(url, params)},
          {"content-type", "application/x-www-form-urlencoded"}};
}

const std::vector<std::pair<std::string, std::string>> kInbound = {
    {"ToCountry", "ID"},       {"SmsMessageSid", "SM11111111111111111111111111111111"},
    {"NumMedia", "0"},         {"SmsSid", "SM11111111111111111111111111111111"},
    {"SmsStatus", "received"}, {"Body", "Jalan rusak! 100%"},
    {"To", "+6281100000000"},  {"NumSegments", "1"},
    {"MessageSid", "SM11111111111111111111111111111111"},
    {"AccountSid", kSid},      {"From", "+6281234567890"},
    {"ApiVersion", "2010-04-01"}};
// The same, form-encoded as Twilio posts it.
const std::string kInboundBody =
    "ToCountry=ID&SmsMessageSid=SM11111111111111111111111111111111&NumMedia=0"
    "&SmsSid=SM11111111111111111111111111111111&SmsStatus=received"
    "&Body=Jalan+rusak%21+100%25&To=%2B6281100000000&NumSegments=1"
    "&MessageSid=SM11111111111111111111111111111111&AccountSid=" +
    std::string(kSid) + "&From=%2B6281234567890&ApiVersion=2010-04-01";

TEST_CASE("Twilio: signatures match the SDK's published test vectors", "[channels]") {
  const std::multimap<std::string, std::string> params = {{"CallSid", "CA1234567890ABCDE"},
                                                          {"Caller", "+14158675309"},
                                                          {"Digits", "1234"},
                                                          {"From", "+14158675309"},
                                                          {"To", "+18005551212"}};
  const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  CHECK(TwilioChannel::Sign("12345", url, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  CHECK(TwilioChannel::Sign("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", params) ==
        "kvajT1Ptam85bY51eRf/AJRuM3w=");
  CHECK(TwilioChannel::Sign("12345", "http://mycompany.com:80/myapp.php?foo=1&bar=2", params) ==
        "0ZXoZLH/DfblKGATFgpif+LLRf4=");
  CHECK(TwilioChannel::Sign("12345", "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
                            params) == "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=");
  const std::multimap<std::string, std::string> repeated = {
      {"Sid", "CA123"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Digits", "1234"}};
  CHECK(TwilioChannel::Sign("12345", url, repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
}

TEST_CASE("Twilio: the default port is added or removed, other ports kept", "[channels]") {
  CHECK(TwilioChannel::TogglePort("https://a.org/x?y=1") == "https://a.org:443/x?y=1");
  CHECK(TwilioChannel::TogglePort("https://a.org:443/x") == "https://a.org/x");
  CHECK(TwilioChannel::TogglePort("http://a.org/x") == "http://a.org:80/x");
  CHECK(TwilioChannel::TogglePort("http://a.org:80/x") == "http://a.org/x");
  CHECK(TwilioChannel::TogglePort("http://a.org:1234/x") == "http://a.org:1234/x");
}

TEST_CASE("Twilio: form bodies are decoded and encoded", "[channels]") {
  const auto pairs = ParseForm("a=1&b=x+y%21&c=&d&e=%E2%82%AC&bad=%zz");
  REQUIRE(pairs.size() == 6);
  CHECK(pairs[1] == std::make_pair(std::string("b"), std::string("x y!")));
  CHECK(pairs[2].second.empty());
  CHECK(pairs[3].first == "d");
  CHECK(pairs[4].second == "€");
  CHECK(pairs[5].second == "%zz");
  CHECK(EncodeForm({{"To", "+62 81"}, {"Body", "a&b=€"}}) ==
        "To=%2B62%2081&Body=a%26b%3D%E2%82%AC");
}

TEST_CASE("Twilio: incoming webhooks are verified, parsed and answered per the case table",
          "[channels]") {
  const TwilioChannel channel = MakeChannel();
  InboundEvent sms;
  sms.provider_id = "SM11111111111111111111111111111111";
  sms.address = "+6281234567890";
  sms.text = "Jalan rusak! 100%";

  const std::vector<std::pair<std::string, std::string>> delivered = {
      {"MessageSid", "SM22222222222222222222222222222222"}, {"MessageStatus", "delivered"},
      {"SmsStatus", "delivered"}, {"AccountSid", kSid}, {"From", kFrom},
      {"To", "+6281234567890"}, {"ApiVersion", "2010-04-01"}};
  const std::string delivered_body =
      "MessageSid=SM22222222222222222222222222222222&MessageStatus=delivered"
      "&SmsStatus=delivered&AccountSid=" + std::string(kSid) +
      "&From=%2B6281100000000&To=%2B6281234567890&ApiVersion=2010-04-01";
  const std::vector<std::pair<std::string, std::string>> undelivered = {
      {"MessageSid", "SM33333333333333333333333333333333"}, {"MessageStatus", "undelivered"},
      {"ErrorCode", "30003"}};
  const std::string undelivered_body =
      "MessageSid=SM33333333333333333333333333333333&MessageStatus=undelivered&ErrorCode=30003";
  const std::vector<std::pair<std::string, std::string>> queued = {
      {"MessageSid", "SM44444444444444444444444444444444"}, {"MessageStatus", "queued"}};
  const std::string queued_body =
      "MessageSid=SM44444444444444444444444444444444&MessageStatus=queued";
  const std::vector<std::pair<std::string, std::string>> mms = {
      {"MessageSid", "MM55555555555555555555555555555555"}, {"From", "+6281234567890"},
      {"Body", ""}, {"NumMedia", "1"}, {"MediaContentType0", "image/jpeg"}};
  const std::string mms_body =
      "MessageSid=MM55555555555555555555555555555555&From=%2B6281234567890&Body=&NumMedia=1"
      "&MediaContentType0=image%2Fjpeg";
  const std::vector<std::pair<std::string, std::string>> no_sid = {{"From", "+6281234567890"},
                                                                   {"Body", "hi"}};
  const std::string no_sid_body = "From=%2B6281234567890&Body=hi";

  InboundEvent media;
  media.provider_id = "MM55555555555555555555555555555555";
  media.address = "+6281234567890";
  media.text = "[media]";
  media.unsupported = true;

  IncomingCase inbound = Accept("incoming SMS", Signed(kInbound), kInboundBody, {sms});
  inbound.expected_body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

  std::string tampered = kInboundBody;
  tampered.replace(tampered.find("Jalan"), 5, "Jalam");

  using Params = std::vector<std::pair<std::string, std::string>>;
  // A signed form POST of these parameters (in this order).
  const auto form = [](std::string label, const Params& params,
                       std::vector<InboundEvent> events) {
    return Accept(std::move(label), Signed(params), EncodeForm(params), std::move(events));
  };
  const auto status = [](std::string label, const Params& params,
                         std::vector<StatusEvent> statuses) {
    return testing::Statuses(std::move(label), Signed(params), EncodeForm(params),
                             std::move(statuses));
  };
  const auto skip = [](std::string label, const Params& params, std::string reason) {
    return testing::Skip(std::move(label), Signed(params), EncodeForm(params), {reason});
  };
  const auto from = [](std::string sid, std::string text) {
    InboundEvent e;
    e.provider_id = std::move(sid);
    e.address = "+6281234567890";
    e.text = std::move(text);
    return e;
  };
  InboundEvent two_media = from("MM66666666666666666666666666666666", "[media]");
  two_media.unsupported = true;
  Params query_params = {{"MessageSid", "SM77777777777777777777777777777777"},
                         {"From", "+6281234567890"}, {"Body", "hello"}};
  IncomingCase with_query =
      Accept("webhook URL with a query string", Signed(query_params, std::string(kWebhookUrl) + "?src=desa"),
             EncodeForm(query_params), {from("SM77777777777777777777777777777777", "hello")});
  with_query.query = "src=desa";
  // Twilio calls with GET when the number is configured so: the parameters
  // are in the URL, which alone is signed.
  IncomingCase get;
  get.label = "GET delivery: parameters in the signed URL";
  get.method = "GET";
  get.query = "MessageSid=SM88888888888888888888888888888888&From=%2B6281234567890&Body=halo";
  get.params = {{"MessageSid", "SM88888888888888888888888888888888"},
                {"From", "+6281234567890"}, {"Body", "hello"}};
  get.headers = {{"x-twilio-signature",
                  TwilioSignature(std::string(kWebhookUrl) + "?" + get.query, {})}};
  get.expected_events = {from("SM88888888888888888888888888888888", "hello")};

  const std::vector<IncomingCase> cases = {
      inbound,
      Accept("URL signed with the default port", Signed(kInbound, "https://desa.example.org:443/webhook/sms"),
             kInboundBody, {sms}),
      testing::Statuses("delivered callback", Signed(delivered), delivered_body,
                        {{"SM22222222222222222222222222222222", "delivered", "", "", 0}}),
      testing::Statuses("undelivered callback with ErrorCode", Signed(undelivered),
                        undelivered_body,
                        {{"SM33333333333333333333333333333333", "failed", "30003", "", 0}}),
      Ignore("queued status is not recorded", Signed(queued), queued_body),
      Accept("MMS without text is unsupported", Signed(mms), mms_body, {media}),
      Reject("missing signature", {}, kInboundBody, 401),
      Reject("signature by another token",
             {{"x-twilio-signature", TwilioSignature(kWebhookUrl, kInbound, "other-token")}},
             kInboundBody, 403),
      Reject("signature for another URL",
             Signed(kInbound, "https://desa.example.org/webhook/other"), kInboundBody, 403),
      Reject("a tampered parameter", Signed(kInbound), tampered, 403),
      Reject("no MessageSid", Signed(no_sid), no_sid_body, 400),
      Reject("empty body", Signed({}), "", 400),
      Reject("empty signature header", {{"x-twilio-signature", ""}}, kInboundBody, 401),
      skip("Twilio WhatsApp sender is refused",
           {{"MessageSid", "SM99999999999999999999999999999999"},
            {"From", "whatsapp:+6281234567890"}, {"To", "whatsapp:+6281100000000"},
            {"Body", "hello"}, {"ProfileName", "Sri"}, {"WaId", "6281234567890"}},
           "Twilio WhatsApp sender (whatsapp:): this channel is SMS only"),
      skip("message without From",
           {{"MessageSid", "SMAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, {"Body", "hello"}},
           "message without From"),
      form("MMS with a Body: the Body is the text",
           {{"MessageSid", "MMBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"}, {"From", "+6281234567890"},
            {"Body", "photo of the road"}, {"NumMedia", "1"}, {"MediaContentType0", "image/jpeg"},
            {"MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1"}},
           {from("MMBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "photo of the road")}),
      form("MMS with two attachments and no Body is [media]",
           {{"MessageSid", "MM66666666666666666666666666666666"}, {"From", "+6281234567890"},
            {"NumMedia", "2"}, {"MediaContentType0", "image/jpeg"},
            {"MediaContentType1", "audio/amr"}},
           {two_media}),
      form("empty SMS is an empty text",
           {{"MessageSid", "SMCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"}, {"From", "+6281234567890"},
            {"Body", ""}, {"NumMedia", "0"}},
           {from("SMCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC", "")}),
      form("only the deprecated SmsSid",
           {{"SmsSid", "SMDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD"}, {"From", "+6281234567890"},
            {"Body", "hello"}},
           {from("SMDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD", "hello")}),
      form("emoji and Javanese script are kept byte-exact",
           {{"MessageSid", "SMEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE"}, {"From", "+6281234567890"},
            {"Body", "ꦲꦏ꧀ꦱꦫ 🙏 & +"}},
           {from("SMEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE", "ꦲꦏ꧀ꦱꦫ 🙏 & +")}),
      form("a long reassembled SMS with geo fields",
           {{"MessageSid", "SMFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"}, {"From", "+6281234567890"},
            {"Body", std::string(400, 'a')}, {"NumSegments", "3"}, {"FromCountry", "ID"},
            {"FromCity", ""}, {"SmsStatus", "received"}, {"MessageStatus", "received"}},
           {from("SMFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", std::string(400, 'a'))}),
      with_query,
      get,
      status("failed with ErrorCode and ErrorMessage",
             {{"MessageSid", "SM12121212121212121212121212121212"}, {"MessageStatus", "failed"},
              {"ErrorCode", "21610"}, {"ErrorMessage", "Attempt to send to unsubscribed recipient"}},
             {{"SM12121212121212121212121212121212", "failed", "21610",
               "Attempt to send to unsubscribed recipient", 0}}),
      status("undelivered 30005 (unknown handset)",
             {{"MessageSid", "SM13131313131313131313131313131313"},
              {"MessageStatus", "undelivered"}, {"SmsStatus", "undelivered"}, {"ErrorCode", "30005"},
              {"RawDlrDoneDate", "2612041530"}},
             {{"SM13131313131313131313131313131313", "failed", "30005", "", 0}}),
      status("canceled is failed",
             {{"MessageSid", "SM14141414141414141414141414141414"}, {"MessageStatus", "canceled"}},
             {{"SM14141414141414141414141414141414", "failed", "", "", 0}}),
      status("sent", {{"MessageSid", "SM15151515151515151515151515151515"}, {"MessageStatus", "sent"}},
             {{"SM15151515151515151515151515151515", "sent", "", "", 0}}),
      status("read", {{"MessageSid", "SM16161616161616161616161616161616"}, {"MessageStatus", "read"}},
             {{"SM16161616161616161616161616161616", "read", "", "", 0}}),
      Ignore("sending is not recorded",
             Signed({{"MessageSid", "SM17171717171717171717171717171717"},
                     {"MessageStatus", "sending"}}),
             "MessageSid=SM17171717171717171717171717171717&MessageStatus=sending"),
  };
  CHECK(cases.size() >= 25);
  testing::RunIncomingCases(channel, cases);
}

TEST_CASE("Twilio: without public_url nothing can be verified", "[channels]") {
  const TwilioChannel channel("sms", kSid, kToken, kFrom, "", "https://api.twilio.com");
  const std::vector<IncomingCase> cases = {
      Reject("no public_url", Signed(kInbound), kInboundBody, 403)};
  testing::RunIncomingCases(channel, cases);
}

FakeResponse Created(const std::string& sid) {
  return Reply(201, json{{"sid", sid}, {"status", "queued"}, {"num_segments", "1"}}.dump());
}

TEST_CASE("Twilio: replies are sent by REST with a status callback", "[channels]") {
  FakePlatform twilio;
  RealHttpClient http(5);
  const TwilioChannel channel = MakeChannel(twilio.base_url());
  const std::string path = std::string("/2010-04-01/Accounts/") + kSid + "/Messages.json";

  SECTION("one message") {
    twilio.Enqueue(Created("SM99999999999999999999999999999999"));
    auto sent = channel.Send(Outbound("+6281234567890", "Tiket Anda USL-3"), http);
    REQUIRE(sent.has_value());
    CHECK(sent->provider_id == "SM99999999999999999999999999999999");
    CHECK(sent->segments == 1);
    auto requests = twilio.requests_to(path);
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].headers["authorization"] ==
          "Basic " + Base64(std::string(kSid) + ":" + kToken));
    CHECK(requests[0].headers["content-type"].find("application/x-www-form-urlencoded") == 0);
    const auto form = ParseForm(requests[0].body);
    const std::map<std::string, std::string> fields(form.begin(), form.end());
    CHECK(fields.at("To") == "+6281234567890");
    CHECK(fields.at("From") == kFrom);
    CHECK(fields.at("Body") == "Tiket Anda USL-3");
    CHECK(fields.at("StatusCallback") == kWebhookUrl);
  }
  SECTION("a text over 1600 characters goes as two messages") {
    twilio.SetHandler([](const testing::RecordedRequest&) { return Created("SMx"); });
    std::string text;
    while (text.size() < 2000) text += "kata ";
    auto sent = channel.Send(Outbound("+6281234567890", text), http);
    REQUIRE(sent.has_value());
    CHECK(twilio.requests_to(path).size() == 2);
    CHECK(sent->segments >= 14);
  }
  SECTION("errors are classified, and never quote the recipient or token") {
    struct Row {
      FakeResponse response;
      SendError::Kind kind;
    };
    const std::vector<Row> rows = {
        {Reply(400, R"({"code":21211,"message":"The 'To' number +6281234567890 is not valid.","status":400})"),
         SendError::Kind::kPermanent},
        {Reply(429, R"({"code":20429,"message":"Too Many Requests","status":429})",
               {{"Retry-After", "3"}}),
         SendError::Kind::kThrottled},
        {Reply(401, R"({"code":20003,"message":"Authenticate","status":401})"),
         SendError::Kind::kConfig},
        {Reply(500, "oops"), SendError::Kind::kRetryable},
    };
    for (const Row& row : rows) {
      INFO(row.response.body);
      twilio.Enqueue(row.response);
      auto sent = channel.Send(Outbound("+6281234567890", "hi"), http);
      REQUIRE_FALSE(sent.has_value());
      CHECK(sent.error().kind == row.kind);
      CHECK(sent.error().message.find("6281234567890") == std::string::npos);
      CHECK(sent.error().message.find(kToken) == std::string::npos);
    }
    twilio.Enqueue(rows[1].response);
    auto throttled = channel.Send(Outbound("+6281234567890", "hi"), http);
    REQUIRE_FALSE(throttled.has_value());
    CHECK(throttled.error().retry_after_seconds == 3);
  }
}

TEST_CASE("Twilio: the registry builds an SMS channel limited to 1 message a second",
          "[channels]") {
  ChannelSettings settings;
  settings.id = "sms";
  settings.type = "twilio";
  settings.public_url = kPublicUrl;
  settings.values = {{"account_sid", kSid}, {"auth_token", kToken}, {"from", kFrom}};
  auto channel = FindChannelSpec("twilio")->make(settings);
  CHECK(channel->is_sms());
  CHECK(channel->rate_limits().per_second == 1);
  CHECK(channel->rate_limits().per_recipient_per_second == 0);
}

}  // namespace
}  // namespace suaradesa::channels
