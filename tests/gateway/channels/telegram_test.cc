#include "gateway/channels/telegram/telegram.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "gateway/channels/registry.h"
#include "gateway/http_client.h"
#include "storage/store.h"
#include "tests/gateway/channels/channel_harness.h"
#include "tests/gateway/test_gateway.h"
#include "tests/support/fake_platform.h"
#include "tests/support/temp_dir.h"

namespace suaradesa::channels {
namespace {

using nlohmann::json;
using testing::FakePlatform;
using testing::Fixture;
using testing::Accept;
using testing::Ignore;
using testing::IncomingCase;
using testing::Outbound;
using testing::Reject;
using testing::Reply;

constexpr char kToken[] = "123456:AAH-test_token-Zx9";
constexpr char kSecret[] = "tg_secret-0123456789";
constexpr char kSecretHeader[] = "x-telegram-bot-api-secret-token";

TelegramChannel MakeChannel(const std::string& api_base = "https://api.telegram.org") {
  return TelegramChannel("tg", kToken, kSecret, api_base);
}

std::map<std::string, std::string> Signed() { return {{kSecretHeader, kSecret}}; }

InboundEvent TextEvent() {
  InboundEvent e;
  e.provider_id = "u735126001";
  e.address = "5123456789";
  e.sender_name = "Sri Wahyuni";
  e.text = "hello, the bridge is broken";
  e.sent_at = 1795399200000;
  return e;
}

InboundEvent CallbackEvent() {
  InboundEvent e;
  e.provider_id = "u735126002";
  e.address = "5123456789";
  e.sender_name = "Sri";
  e.choice_id = "topic:roads";
  e.callback_id = "4382bfdwdsb323b2d9";
  return e;
}

InboundEvent LocationEvent() {
  InboundEvent e;
  e.provider_id = "u735126004";
  e.address = "5123456789";
  e.sender_name = "Sri";
  e.latitude = -8.2851;
  e.longitude = 114.3069;
  e.sent_at = 1795399300000;
  return e;
}

InboundEvent CaptionEvent() {
  InboundEvent e;
  e.provider_id = "u735126005";
  e.address = "5123456789";
  e.sender_name = "Sri";
  e.text = "the pothole near the school";
  e.sent_at = 1795399400000;
  return e;
}

// A private-chat message update from Sri (Bot API Message), with `fields`
// added to the message.
std::string Private(int64_t update_id, const json& fields) {
  json message = {{"message_id", 50},
                  {"from", {{"id", 5123456789}, {"is_bot", false}, {"first_name", "Sri"}}},
                  {"chat", {{"id", 5123456789}, {"first_name", "Sri"}, {"type", "private"}}},
                  {"date", 1795399800}};
  for (auto it = fields.begin(); it != fields.end(); ++it) message[it.key()] = it.value();
  return json{{"update_id", update_id}, {"message", message}}.dump();
}

// What Private(update_id, ...) becomes, before its content.
InboundEvent FromSri(int64_t update_id) {
  InboundEvent e;
  e.provider_id = "u" + std::to_string(update_id);
  e.address = "5123456789";
  e.sender_name = "Sri";
  e.sent_at = 1795399800000;
  return e;
}

InboundEvent WithText(InboundEvent e, std::string text) {
  e.text = std::move(text);
  return e;
}

// A file as the Bot API describes them (file_id, file_unique_id, ...).
json File(json extra = json::object()) {
  json f = {{"file_id", "AwACAgUAAxkBAAIBQ2"}, {"file_unique_id", "AgADbQ8"}};
  for (auto it = extra.begin(); it != extra.end(); ++it) f[it.key()] = it.value();
  return f;
}

TEST_CASE("Telegram: incoming webhooks are verified, parsed and answered per the case table",
          "[channels]") {
  using testing::Skip;
  using testing::Unsupported;
  const TelegramChannel channel = MakeChannel();

  InboundEvent sticker = Unsupported(FromSri(735126006), "[sticker]");
  sticker.sent_at = 1795399500000;
  InboundEvent venue = FromSri(735126022);
  venue.latitude = -8.2851;
  venue.longitude = 114.3069;
  // A lone surrogate escape (a message cut inside an emoji) is stored as
  // U+FFFD; a whole pair is kept, also next to a lone half.
  InboundEvent lone = WithText(FromSri(735126030), "ok \xEF\xBF\xBD");
  lone.sender_name.clear();
  InboundEvent lone_low = WithText(lone, "\xEF\xBF\xBD x");
  lone_low.provider_id = "u735126031";
  InboundEvent pair_then_lone = WithText(lone, "🙏\xEF\xBF\xBD");
  pair_then_lone.provider_id = "u735126032";
  InboundEvent escaped_backslash = WithText(lone, "\\ud83d \xEF\xBF\xBD");
  escaped_backslash.provider_id = "u735126033";
  const std::string lone_body =
      R"({"update_id": 735126030, "message": {"message_id": 1, "chat": {"id": 5123456789, "type": "private"}, "date": 1795399800, "text": "ok \ud83d"}})";
  const std::string lone_low_body =
      R"({"update_id": 735126031, "message": {"message_id": 1, "chat": {"id": 5123456789, "type": "private"}, "date": 1795399800, "text": "\ude4f x"}})";
  const std::string pair_then_lone_body =
      R"({"update_id": 735126032, "message": {"message_id": 1, "chat": {"id": 5123456789, "type": "private"}, "date": 1795399800, "text": "\ud83d\ude4f\ud83d"}})";
  const std::string escaped_backslash_body =
      R"({"update_id": 735126033, "message": {"message_id": 1, "chat": {"id": 5123456789, "type": "private"}, "date": 1795399800, "text": "\\ud83d \udc00"}})";

  const std::vector<IncomingCase> cases = {
      Accept("receive valid text message", Signed(), Fixture("telegram_text.json"),
             {TextEvent()}),
      Accept("receive callback_query", Signed(), Fixture("telegram_callback.json"),
             {CallbackEvent()}),
      Accept("receive location", Signed(), Fixture("telegram_location.json"),
             {LocationEvent()}),
      Accept("photo caption is the text", Signed(), Fixture("telegram_photo_caption.json"),
             {CaptionEvent()}),
      Accept("voice note with a caption: the caption is the text", Signed(),
             Private(735126010, {{"voice", File({{"duration", 4}})}, {"caption", "the road is broken"}}),
             {WithText(FromSri(735126010), "the road is broken")}),
      Accept("voice note is recorded as [voice]", Signed(),
             Private(735126011, {{"voice", File({{"duration", 4}, {"mime_type", "audio/ogg"}})}}),
             {Unsupported(FromSri(735126011), "[voice]")}),
      Accept("audio file is recorded as [audio]", Signed(),
             Private(735126012, {{"audio", File({{"duration", 180}, {"title", "Song"},
                                                 {"mime_type", "audio/mpeg"}})}}),
             {Unsupported(FromSri(735126012), "[audio]")}),
      Accept("video is recorded as [video]", Signed(),
             Private(735126013,
                     {{"video", File({{"width", 640}, {"height", 360}, {"duration", 12}})}}),
             {Unsupported(FromSri(735126013), "[video]")}),
      Accept("video note is recorded as [video]", Signed(),
             Private(735126014, {{"video_note", File({{"length", 240}, {"duration", 9}})}}),
             {Unsupported(FromSri(735126014), "[video]")}),
      Accept("animation (which also carries document) is recorded as [video]", Signed(),
             Private(735126015, {{"animation", File({{"width", 320}, {"height", 240},
                                                     {"duration", 3}})},
                                 {"document", File({{"file_name", "a.gif.mp4"}})}}),
             {Unsupported(FromSri(735126015), "[video]")}),
      Accept("document is recorded as [document]", Signed(),
             Private(735126016, {{"document", File({{"file_name", "letter.pdf"},
                                                    {"mime_type", "application/pdf"}})}}),
             {Unsupported(FromSri(735126016), "[document]")}),
      Accept("photo without a caption is recorded as [image]", Signed(),
             Private(735126017,
                     {{"photo", json::array({File({{"width", 90}, {"height", 67}})})}}),
             {Unsupported(FromSri(735126017), "[image]")}),
      Accept("sticker is recorded as [sticker]", Signed(), Fixture("telegram_sticker.json"),
             {sticker}),
      Accept("shared contact: its phone number is the text", Signed(),
             Private(735126018, {{"contact", {{"phone_number", "6281234567001"},
                                              {"first_name", "Sri"},
                                              {"user_id", 5123456789}}}}),
             {WithText(FromSri(735126018), "6281234567001")}),
      Accept("shared contact without a phone number is recorded as [contacts]", Signed(),
             Private(735126019, {{"contact", {{"first_name", "Budi"}}}}),
             {Unsupported(FromSri(735126019), "[contacts]")}),
      Accept("poll is recorded as [poll]", Signed(),
             Private(735126020,
                     {{"poll", {{"id", "5"}, {"question", "When?"},
                                {"options", json::array({{{"text", "Monday"}, {"voter_count", 0}}})},
                                {"total_voter_count", 0}, {"is_closed", false},
                                {"is_anonymous", true}, {"type", "regular"},
                                {"allows_multiple_answers", false}}}}),
             {Unsupported(FromSri(735126020), "[poll]")}),
      Accept("dice is recorded as [dice]", Signed(),
             Private(735126021, {{"dice", {{"emoji", "🎲"}, {"value", 4}}}}),
             {Unsupported(FromSri(735126021), "[dice]")}),
      Accept("venue is its location", Signed(),
             Private(735126022,
                     {{"venue", {{"location", {{"latitude", -8.2851}, {"longitude", 114.3069}}},
                                 {"title", "Village hall"}, {"address", "Main road 1"}}},
                      {"location", {{"latitude", -8.2851}, {"longitude", 114.3069}}}}),
             {venue}),
      Accept("game is recorded as [game]", Signed(),
             Private(735126023, {{"game", {{"title", "g"}, {"description", "d"},
                                           {"photo", json::array()}}}}),
             {Unsupported(FromSri(735126023), "[game]")}),
      Accept("a kind newer than the adapter is recorded as [unknown]", Signed(),
             Private(735126024, {{"hologram", {{"id", "x"}}}}),
             {Unsupported(FromSri(735126024), "[unknown]")}),
      Ignore("service message (pinned_message) ignored", Signed(),
             Private(735126025, {{"pinned_message", {{"message_id", 41}, {"date", 0},
                                                     {"chat", {{"id", 5123456789},
                                                               {"type", "private"}}}}}})),
      Accept("lone high surrogate escape becomes U+FFFD", Signed(), lone_body, {lone}),
      Accept("lone low surrogate escape becomes U+FFFD", Signed(), lone_low_body, {lone_low}),
      Accept("a pair is kept next to a lone half", Signed(), pair_then_lone_body,
             {pair_then_lone}),
      Accept("an escaped backslash before u is no escape", Signed(), escaped_backslash_body,
             {escaped_backslash}),
      Ignore("edited_message ignored", Signed(), Fixture("telegram_edited.json")),
      Skip("supergroup message skipped", Signed(), Fixture("telegram_group.json"),
           {"group message"}),
      Skip("group message skipped", Signed(),
           R"({"update_id": 26, "message": {"message_id": 1, "chat": {"id": -4001, "title": "Block 2", "type": "group"}, "date": 1, "voice": {"file_id": "a", "file_unique_id": "b", "duration": 2}}})",
           {"group message"}),
      Skip("button press in a group skipped", Signed(),
           R"({"update_id": 27, "callback_query": {"id": "78", "from": {"id": 5, "first_name": "A"}, "chat_instance": "1", "data": "x", "message": {"message_id": 3, "date": 1, "chat": {"id": -4001, "type": "group"}}}})",
           {"group message"}),
      Ignore("my_chat_member ignored", Signed(), Fixture("telegram_my_chat_member.json")),
      Ignore("channel_post ignored", Signed(),
             R"({"update_id": 9, "channel_post": {"message_id": 1, "chat": {"id": -100, "type": "channel"}, "date": 1, "text": "news"}})"),
      Ignore("callback_query without data ignored", Signed(),
             R"({"update_id": 10, "callback_query": {"id": "77", "from": {"id": 5, "first_name": "A"}, "chat_instance": "1", "game_short_name": "g"}})"),
      Skip("message without chat skipped", Signed(),
           R"({"update_id": 11, "message": {"message_id": 1, "date": 1, "text": "x"}})",
           {"message without chat.id"}),
      Skip("callback_query without id skipped", Signed(),
           R"({"update_id": 12, "callback_query": {"from": {"id": 5, "first_name": "A"}, "chat_instance": "1", "data": "x"}})",
           {"callback_query without id"}),
      Skip("callback_query without chat or sender skipped", Signed(),
           R"({"update_id": 13, "callback_query": {"id": "79", "chat_instance": "1", "data": "x"}})",
           {"callback_query without chat or sender"}),
      Reject("bad JSON", Signed(), "{\"update_id\": 1,", 400),
      Reject("not an object", Signed(), "[1,2,3]", 400),
      Reject("no update_id", Signed(),
             R"({"message": {"message_id": 1, "chat": {"id": 5, "type": "private"}, "text": "x"}})",
             400),
      Reject("update_id is a string", Signed(), R"({"update_id": "12", "message": {}})", 400),
      Reject("missing secret header", {}, Fixture("telegram_text.json"), 401),
      Reject("wrong secret header", {{kSecretHeader, "tg_secret-0123456780"}},
             Fixture("telegram_text.json"), 403),
      Reject("secret header of another length", {{kSecretHeader, "tg"}},
             Fixture("telegram_text.json"), 403),
      Reject("lone surrogate body without the secret", {}, lone_body, 401),
  };
  CHECK(cases.size() >= 25);
  testing::RunIncomingCases(channel, cases);
}

TEST_CASE("Telegram: a channel without a secret_token rejects every webhook", "[channels]") {
  const TelegramChannel channel("tg", kToken, "");
  WebhookRequest req;
  req.headers[kSecretHeader] = "anything";
  req.body = Fixture("telegram_text.json");
  auto rejection = channel.Verify(req, 0);
  REQUIRE(rejection.has_value());
  CHECK(rejection->status == 403);
}

TEST_CASE("Telegram: sendMessage carries chat_id, text and an inline keyboard", "[channels]") {
  FakePlatform platform;
  const TelegramChannel channel = MakeChannel(platform.base_url());
  RealHttpClient http(5);
  const OutboundMessage msg = Outbound("5123456789", "Which topic?",
                                       {{"topic:roads", "Roads"}, {"topic:water", "Water"}});
  auto receipt = channel.Send(msg, http);
  REQUIRE(receipt.has_value());
  CHECK(receipt->provider_id == "1000");
  CHECK(receipt->segments == 1);

  auto requests = platform.requests_to("/sendMessage");
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].path == std::string("/bot") + kToken + "/sendMessage");
  CHECK(requests[0].headers["content-type"].find("application/json") == 0);
  const json body = json::parse(requests[0].body);
  CHECK(body["chat_id"] == 5123456789LL);
  CHECK(body["text"] == "Which topic?");
  const json expected_keyboard = json::parse(R"([
      [{"text": "Roads", "callback_data": "topic:roads"}],
      [{"text": "Water", "callback_data": "topic:water"}]])");
  CHECK(body["reply_markup"]["inline_keyboard"] == expected_keyboard);
}

TEST_CASE("Telegram: a message without choices has no reply_markup", "[channels]") {
  FakePlatform platform;
  const TelegramChannel channel = MakeChannel(platform.base_url() + "/");
  RealHttpClient http(5);
  REQUIRE(channel.Send(Outbound("42", "Thanks"), http).has_value());
  auto requests = platform.requests_to("/sendMessage");
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].path == std::string("/bot") + kToken + "/sendMessage");
  const json body = json::parse(requests[0].body);
  CHECK_FALSE(body.contains("reply_markup"));
}

TEST_CASE("Telegram: callback data over 64 bytes is left out of the keyboard", "[channels]") {
  FakePlatform platform;
  const TelegramChannel channel = MakeChannel(platform.base_url());
  RealHttpClient http(5);
  const std::string long_id(65, 'x');
  const std::string max_id(64, 'y');
  REQUIRE(channel
              .Send(Outbound("42", "Pick", {{long_id, "Too long"}, {max_id, "Just fits"}}),
                    http)
              .has_value());
  const json body = json::parse(platform.requests_to("/sendMessage").at(0).body);
  const json& keyboard = body["reply_markup"]["inline_keyboard"];
  REQUIRE(keyboard.size() == 1);
  CHECK(keyboard[0][0]["callback_data"] == max_id);
}

TEST_CASE("Telegram: text over 4096 characters goes out as several messages, keyboard last",
          "[channels]") {
  FakePlatform platform;
  const TelegramChannel channel = MakeChannel(platform.base_url());
  RealHttpClient http(5);
  std::string text;
  while (text.size() < 6000) text += "word ";
  auto receipt = channel.Send(Outbound("42", text, {{"a", "A"}}), http);
  REQUIRE(receipt.has_value());
  auto requests = platform.requests_to("/sendMessage");
  REQUIRE(requests.size() == 2);
  CHECK(receipt->segments == 2);
  CHECK(receipt->provider_id == "1001");
  const json first = json::parse(requests[0].body);
  const json second = json::parse(requests[1].body);
  CHECK(first["text"].get<std::string>().size() <= TelegramChannel::kMaxTextUnits);
  CHECK_FALSE(first.contains("reply_markup"));
  CHECK(second.contains("reply_markup"));
  // Cut at a word break: no word is split across the two messages.
  CHECK(first["text"].get<std::string>().back() == 'd');
  CHECK(second["text"].get<std::string>().substr(0, 4) == "word");
}

TEST_CASE("Telegram: SplitTelegramText respects the limit and never cuts a character",
          "[channels]") {
  CHECK(SplitTelegramText("", 10).empty());
  CHECK(SplitTelegramText("short", 10) == std::vector<std::string>{"short"});
  CHECK(SplitTelegramText("aaaa bbbb cccc", 10) ==
        std::vector<std::string>{"aaaa bbbb", "cccc"});
  CHECK(SplitTelegramText("line one\nline two", 12) ==
        std::vector<std::string>{"line one", "line two"});
  CHECK(SplitTelegramText("abcdefghijkl", 5) ==
        std::vector<std::string>{"abcde", "fghij", "kl"});
  // An emoji is two UTF-16 units: with room for one unit left it moves on.
  const std::string emoji = "\xF0\x9F\x98\x80";
  CHECK(SplitTelegramText("abcd" + emoji, 5) == std::vector<std::string>{"abcd", emoji});
  CHECK(SplitTelegramText("\xC3\xA9\xC3\xA9\xC3\xA9", 2) ==
        std::vector<std::string>{"\xC3\xA9\xC3\xA9", "\xC3\xA9"});
}

TEST_CASE("Telegram: 429 is throttled with the platform's retry_after", "[channels]") {
  FakePlatform platform;
  const TelegramChannel channel = MakeChannel(platform.base_url());
  RealHttpClient http(5);

  SECTION("from parameters.retry_after") {
    platform.Enqueue(Reply(
        429,
        R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}})"));
    auto receipt = channel.Send(Outbound("42", "hi"), http);
    REQUIRE_FALSE(receipt.has_value());
    CHECK(receipt.error().kind == SendError::Kind::kThrottled);
    CHECK(receipt.error().retry_after_seconds == 7);
  }
  SECTION("from the Retry-After header") {
    platform.Enqueue(Reply(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests"})",
                           {{"Retry-After", "7"}}));
    auto receipt = channel.Send(Outbound("42", "hi"), http);
    REQUIRE_FALSE(receipt.has_value());
    CHECK(receipt.error().kind == SendError::Kind::kThrottled);
    CHECK(receipt.error().retry_after_seconds == 7);
  }
}

TEST_CASE("Telegram: send errors are classified by kind and never show the token",
          "[channels]") {
  struct Case {
    const char* label;
    int status;
    const char* body;
    SendError::Kind kind;
    bool unreachable;
  };
  const Case cases[] = {
      {"500", 500, R"({"ok":false,"error_code":500,"description":"Internal Server Error"})",
       SendError::Kind::kRetryable, false},
      {"502 without JSON", 502, "<html>Bad Gateway</html>", SendError::Kind::kRetryable, false},
      {"403 blocked", 403,
       R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})",
       SendError::Kind::kPermanent, true},
      {"403 deactivated", 403,
       R"({"ok":false,"error_code":403,"description":"Forbidden: user is deactivated"})",
       SendError::Kind::kPermanent, true},
      {"403 cannot initiate", 403,
       R"({"ok":false,"error_code":403,"description":"Forbidden: bot can't initiate conversation with a user"})",
       SendError::Kind::kPermanent, false},
      {"401 bad token", 401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})",
       SendError::Kind::kConfig, false},
      {"404 malformed token", 404, R"({"ok":false,"error_code":404,"description":"Not Found"})",
       SendError::Kind::kConfig, false},
      {"400 chat not found", 400,
       R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})",
       SendError::Kind::kPermanent, false},
      {"400 echoing the token", 400,
       R"({"ok":false,"error_code":400,"description":"Bad Request: 123456:AAH-test_token-Zx9"})",
       SendError::Kind::kPermanent, false},
  };
  FakePlatform platform;
  const TelegramChannel channel = MakeChannel(platform.base_url());
  RealHttpClient http(5);
  for (const Case& c : cases) {
    INFO("case: " << c.label);
    platform.Enqueue(Reply(c.status, c.body));
    auto receipt = channel.Send(Outbound("42", "hi"), http);
    REQUIRE_FALSE(receipt.has_value());
    CHECK(receipt.error().kind == c.kind);
    CHECK(receipt.error().unreachable == c.unreachable);
    CHECK_FALSE(receipt.error().message.empty());
    CHECK(receipt.error().message.find(kToken) == std::string::npos);
  }
}

TEST_CASE("Telegram: a transport error is retryable and does not show the token",
          "[channels]") {
  const TelegramChannel channel = MakeChannel(testing::kDeadBaseUrl);
  RealHttpClient http(2);
  auto receipt = channel.Send(Outbound("42", "hi"), http);
  REQUIRE_FALSE(receipt.has_value());
  CHECK(receipt.error().kind == SendError::Kind::kRetryable);
  CHECK(receipt.error().message.find(kToken) == std::string::npos);
  CHECK(receipt.error().message.find("/bot") == std::string::npos);
}

TEST_CASE("Telegram: AnswerCallback posts answerCallbackQuery and ignores the result",
          "[channels]") {
  FakePlatform platform;
  platform.Enqueue(Reply(400, R"({"ok":false,"description":"query is too old"})"));
  const TelegramChannel channel = MakeChannel(platform.base_url());
  RealHttpClient http(5);
  channel.AnswerCallback("4382bfdwdsb323b2d9", http);
  auto requests = platform.requests_to("/answerCallbackQuery");
  REQUIRE(requests.size() == 1);
  CHECK(json::parse(requests[0].body)["callback_query_id"] == "4382bfdwdsb323b2d9");
}

TEST_CASE("Telegram: Secrets lists the bot token and the secret token; Ack is 200",
          "[channels]") {
  const TelegramChannel channel = MakeChannel();
  CHECK(channel.Secrets() == std::vector<std::string>{kToken, kSecret});
  CHECK(channel.type() == "telegram");
  CHECK(channel.id() == "tg");
  CHECK_FALSE(channel.is_sms());
  const WebhookResponse ack = channel.Ack(InboundBatch{});
  CHECK(ack.status == 200);
  CHECK(ack.body == "{\"ok\":true}");
  CHECK_FALSE(channel.Handshake(WebhookRequest{}).has_value());
}

TEST_CASE("Telegram: the registry builds the channel from its settings", "[channels]") {
  const ChannelSpec* spec = FindChannelSpec("telegram");
  REQUIRE(spec != nullptr);
  CHECK(spec->required == std::vector<std::string>{"bot_token", "secret_token"});
  CHECK(spec->secrets == std::vector<std::string>{"bot_token", "secret_token"});
  ChannelSettings settings{.id = "tg", .type = "telegram",
                           .values = {{"bot_token", kToken}, {"secret_token", kSecret}}};
  CHECK(settings.Get("api_base", "fallback") == "fallback");
  std::unique_ptr<Channel> channel = spec->make(settings);
  REQUIRE(channel != nullptr);
  CHECK(channel->id() == "tg");
  CHECK(channel->type() == "telegram");
  CHECK(FindChannelSpec("carrier-pigeon") == nullptr);
}

// A private text update whose update_id is written exactly as `id`.
std::string UpdateWithId(const std::string& id) {
  return R"({"update_id": )" + id +
         R"(, "message": {"message_id": 7, "date": 1795399200, "text": "hello",
            "from": {"id": 5123456789, "first_name": "Sri"},
            "chat": {"id": 5123456789, "type": "private"}}})";
}

// The provider id Parse gives an update whose id is written as `id`, or the
// status it refuses it with.
std::string ProviderIdOf(const std::string& id) {
  WebhookRequest req;
  req.body = UpdateWithId(id);
  auto batch = MakeChannel().Parse(req);
  if (!batch) return "refused " + std::to_string(batch.error().status);
  REQUIRE(batch->messages.size() == 1);
  return batch->messages[0].provider_id;
}

TEST_CASE("Telegram: update_id is kept as its exact digits, above 2^63 and 2^64 too",
          "[channels][telegram-update-id]") {
  CHECK(ProviderIdOf("0") == "u0");
  CHECK(ProviderIdOf("735126001") == "u735126001");
  CHECK(ProviderIdOf("9223372036854775807") == "u9223372036854775807");
  // 2^63 and 2^63 + 1 used to wrap to negative numbers.
  CHECK(ProviderIdOf("9223372036854775808") == "u9223372036854775808");
  CHECK(ProviderIdOf("9223372036854775809") == "u9223372036854775809");
  CHECK(ProviderIdOf("18446744073709551615") == "u18446744073709551615");
  // nlohmann keeps these two as the same double; their digits differ.
  CHECK(ProviderIdOf("18446744073709551616") == "u18446744073709551616");
  CHECK(ProviderIdOf("18446744073709551617") == "u18446744073709551617");
  CHECK(ProviderIdOf("123456789012345678901234567890") == "u123456789012345678901234567890");
}

TEST_CASE("Telegram: a negative, fractional or exponent update_id is refused with 400",
          "[channels][telegram-update-id]") {
  for (const char* id : {"-1", "-0", "-9223372036854775809", "1.5", "12.0", "1e3", "1E21",
                         "18446744073709551616.0", "-18446744073709551616", "\"12\"", "true",
                         "null", "[1]", "{}"}) {
    INFO("update_id: " << id);
    CHECK(ProviderIdOf(id) == "refused 400");
  }
  // Longer than 64 digits: not an id Telegram could send.
  CHECK(ProviderIdOf(std::string(65, '9')) == "refused 400");
  CHECK(ProviderIdOf(std::string(64, '9')) == "u" + std::string(64, '9'));
}

TEST_CASE("Telegram: ids that differ only above 2^63 are two messages; a retry is none",
          "[channels][telegram-update-id]") {
  testing::TempDir dir;
  FakePlatform telegram;
  FakePlatform bridge;
  testing::TestGateway gw{testing::TestConfig(dir.File("tg.db"), telegram.base_url(),
                                              bridge.base_url() + "/out")};
  const httplib::Headers headers = {{"X-Telegram-Bot-Api-Secret-Token",
                                     testing::kTelegramSecret}};
  for (const char* id : {"9223372036854775808", "9223372036854775808", "9223372036854775809",
                         "18446744073709551616", "18446744073709551617",
                         "18446744073709551617"}) {
    INFO("update_id: " << id);
    auto res = gw.Post("/webhook/tg", UpdateWithId(id), headers);
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  auto messages = gw.app().store().ListMessages(std::nullopt, std::nullopt);
  REQUIRE(messages);
  std::vector<std::string> inbound;
  for (const auto& m : *messages) {
    if (m.direction == storage::Direction::kIn) inbound.push_back(m.provider_id);
  }
  std::sort(inbound.begin(), inbound.end());
  CHECK(inbound == std::vector<std::string>{"u18446744073709551616", "u18446744073709551617",
                                            "u9223372036854775808", "u9223372036854775809"});
}

}  // namespace
}  // namespace suaradesa::channels
