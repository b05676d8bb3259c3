// End to end: the real gateway on 127.0.0.1, a real SQLite file, and a fake
// Telegram Bot API standing in for api.telegram.org.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>

#include <nlohmann/json.hpp>

#include "tests/gateway/channels_e2e.h"
#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

const httplib::Headers kSigned = {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}};

struct Fixture : GatewayFixture {

  // Sends `text` as chat 4242 with the given update id; returns the status.
  int Say(int64_t update_id, const std::string& text, int64_t chat = 4242) {
    auto res = gw.Post("/webhook/tg", TelegramTextUpdate(update_id, chat, text), kSigned);
    REQUIRE(res);
    return res->status;
  }

  // The texts sent to Telegram's sendMessage so far, in order.
  std::vector<std::string> Sent() {
    std::vector<std::string> out;
    for (const auto& r : telegram.requests_to("/sendMessage")) {
      out.push_back(json::parse(r.body).value("text", ""));
    }
    return out;
  }
};

// A whole proposal, answered the way a villager would.
const std::vector<std::string> kUsulan = {
    "USUL", "Perbaikan jalan desa", "Gitik", "Dusun Krajan RT 02", "300 m", "40 KK", "10",
    "20", "5 jt", "tenaga gotong royong", "Kelompok Tani Maju", "3", "ya"};

TEST_CASE("Gateway: a signed Telegram update gets its reply at the Telegram API", "[e2e]") {
  Fixture f;
  CHECK(f.Say(1, "MENU") == 200);
  CHECK(f.gw.DrainOutbox() == 1);
  auto sends = f.telegram.requests_to("/bot" + std::string(kBotToken) + "/sendMessage");
  REQUIRE(sends.size() == 1);
  json body = json::parse(sends[0].body);
  CHECK(body["chat_id"].dump() == "4242");
  CHECK_FALSE(body.value("text", "").empty());
  CHECK(f.view().InboundCount() == 1);
  CHECK(f.view().OutboxInState("sent") == 1);
}

TEST_CASE("Gateway: a Telegram conversation ends with a USL ticket and a case", "[e2e]") {
  Fixture f;
  int64_t update = 100;
  for (const auto& text : kUsulan) {
    CHECK(f.Say(++update, text) == 200);
    f.gw.DrainOutbox();
  }
  auto sent = f.Sent();
  REQUIRE_FALSE(sent.empty());
  INFO("last reply: " << sent.back());
  CHECK(sent.back().find("USL-1") != std::string::npos);
  CHECK(f.view().Cases().size() == 1);
  CHECK(f.view().InboundCount() == static_cast<int64_t>(kUsulan.size()));
  // Every reply that was queued reached the platform.
  CHECK(f.view().OutboxCount([](const auto& o) { return o.state != "sent"; }) == 0);
}

TEST_CASE("Gateway: a complaint by Telegram ends with an ADU ticket", "[e2e]") {
  Fixture f;
  // Filed with the story (the ticket in that reply), then its desa.
  const std::vector<std::string> answers = {"ADUAN", "Dana BLM dipotong oleh oknum", "Kaotan"};
  int64_t update = 300;
  for (const auto& text : answers) {
    CHECK(f.Say(++update, text) == 200);
    f.gw.DrainOutbox();
  }
  auto sent = f.Sent();
  REQUIRE_FALSE(sent.empty());
  INFO("last reply: " << sent.back());
  CHECK(sent.back().find("ADU-1") != std::string::npos);
  const auto cases = f.view().Cases();
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].type == storage::CaseType::kPengaduan);
  CHECK(cases[0].confidential);
}

TEST_CASE("Gateway: CEK with a bare number answers the sender's case of that number", "[e2e]") {
  Fixture f;
  int64_t update = 700;
  // Two proposals filed at once from their openings, their questions
  // stopped: USL-1 and USL-2.
  for (const char* text : {"USUL sumur bor", "BATAL", "USUL jembatan gantung", "BATAL"}) {
    REQUIRE(f.Say(++update, text) == 200);
    f.gw.DrainOutbox();
  }
  REQUIRE(f.Sent().back().find("USL-2") != std::string::npos);
  REQUIRE(f.Say(++update, "CEK 1") == 200);
  f.gw.DrainOutbox();
  CHECK(f.Sent().back().find("USL-1") != std::string::npos);
  REQUIRE(f.Say(++update, "cek 2") == 200);
  f.gw.DrainOutbox();
  CHECK(f.Sent().back().find("USL-2") != std::string::npos);
  // A number that is none of the sender's cases is not found, never the
  // newest case instead.
  REQUIRE(f.Say(++update, "CEK 7") == 200);
  f.gw.DrainOutbox();
  CHECK(f.Sent().back().find("USL-2") == std::string::npos);
  CHECK(f.Sent().back().find("7") != std::string::npos);
  // Someone else's case 1 is not theirs to read.
  REQUIRE(f.Say(++update, "CEK 1", 5151) == 200);
  f.gw.DrainOutbox();
  CHECK(f.Sent().back().find("USL-1") == std::string::npos);
}

TEST_CASE("Gateway: a retried update is answered 200 and changes nothing", "[e2e]") {
  Fixture f;
  CHECK(f.Say(7, "USUL") == 200);
  CHECK(f.Say(7, "USUL") == 200);
  f.gw.DrainOutbox();
  CHECK(f.telegram.requests_to("/sendMessage").size() == 1);
  CHECK(f.view().InboundCount() == 1);
  CHECK(f.view().OutboxCount() == 1);

  // Retrying the last update of a finished proposal creates no second case.
  int64_t update = 10;
  for (const auto& text : std::vector<std::string>(kUsulan.begin() + 1, kUsulan.end())) {
    CHECK(f.Say(++update, text) == 200);
  }
  CHECK(f.view().Cases().size() == 1);
  CHECK(f.Say(update, kUsulan.back()) == 200);
  CHECK(f.view().Cases().size() == 1);
  int64_t outbox_rows = f.view().OutboxCount();
  CHECK(f.Say(update, kUsulan.back()) == 200);
  CHECK(f.view().OutboxCount() == outbox_rows);
}

TEST_CASE("Gateway: a wrong or missing secret token is refused and nothing is stored", "[e2e]") {
  Fixture f;
  auto wrong = f.gw.Post("/webhook/tg", TelegramTextUpdate(1, 4242, "USUL"),
                         {{"X-Telegram-Bot-Api-Secret-Token", "not-the-secret"}});
  REQUIRE(wrong);
  CHECK(wrong->status == 403);
  auto missing = f.gw.Post("/webhook/tg", TelegramTextUpdate(2, 4242, "USUL"), {});
  REQUIRE(missing);
  CHECK(missing->status == 401);
  CHECK(f.gw.DrainOutbox() == 0);
  CHECK(f.telegram.requests().empty());
  CHECK(f.view().Messages().empty());
  CHECK_FALSE(f.view().ContactAt("tg", "4242"));
  // The log says why, and never repeats the secret.
  CHECK(f.gw.logs().find("rejected 403") != std::string::npos);
  CHECK(f.gw.logs().find(kTelegramSecret) == std::string::npos);
}

TEST_CASE("Gateway: malformed and unhandled updates", "[e2e]") {
  Fixture f;
  auto bad = f.gw.Post("/webhook/tg", "{\"update_id\": 1, \"message\": ", kSigned);
  REQUIRE(bad);
  CHECK(bad->status == 400);
  auto edited = f.gw.Post(
      "/webhook/tg",
      R"({"update_id":5,"edited_message":{"message_id":1,"chat":{"id":1,"type":"private"},"date":1,"text":"x"}})",
      kSigned);
  REQUIRE(edited);
  CHECK(edited->status == 200);
  auto unknown = f.gw.Post("/webhook/nope", "{}", kSigned);
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(f.view().Messages().empty());
  CHECK(f.gw.logs().find("malformed") != std::string::npos);
}

// A private-chat update from chat 4242 whose message carries `fields`.
std::string TelegramMessage(int64_t update_id, const json& fields, const std::string& chat_type =
                                                                      "private") {
  json message = {{"message_id", update_id},
                  {"from", {{"id", 4242}, {"is_bot", false}, {"first_name", "Sri"}}},
                  {"chat", {{"id", chat_type == "private" ? 4242 : -4001}, {"type", chat_type}}},
                  {"date", 1795399200}};
  for (auto it = fields.begin(); it != fields.end(); ++it) message[it.key()] = it.value();
  return json{{"update_id", update_id}, {"message", message}}.dump();
}

// The locale's text for `key` (locales/id.json), the way the notice is sent.
std::string LocaleText(const std::string& key) {
  return json::parse(ReadFile(SourceDir() + "/locales/id.json")).at(key).get<std::string>();
}

TEST_CASE("Gateway: Telegram voice notes, stickers and video notes are recorded and answered "
          "with the text-only notice once a day",
          "[e2e]") {
  Fixture f;
  const auto post = [&](const std::string& body) {
    auto res = f.gw.Post("/webhook/tg", body, kSigned);
    REQUIRE(res);
    return res->status;
  };
  const json voice = {{"voice", {{"file_id", "AwAC1"}, {"file_unique_id", "AgAD1"},
                                 {"duration", 4}, {"mime_type", "audio/ogg"}}}};
  CHECK(post(TelegramMessage(501, voice)) == 200);
  CHECK(post(TelegramMessage(501, voice)) == 200);  // Telegram's retry
  CHECK(post(TelegramMessage(502, {{"sticker", {{"file_id", "CAAC"}, {"file_unique_id", "AgAD2"},
                                                {"width", 512}, {"height", 512},
                                                {"is_animated", false}, {"is_video", false},
                                                {"type", "regular"}}}})) == 200);
  f.gw.DrainOutbox();
  const std::string notice = LocaleText("channel.text_only");
  CHECK(f.Sent() == std::vector<std::string>{notice});

  // Both are stored for the contact; the dialogs never saw them.
  const ContactView sri = ContactAt(f.gw.app().store(), "4242");
  CHECK(sri.exists);
  CHECK(sri.inbound == 2);
  CHECK(sri.open_flow.empty());

  // A day later the next one gets the notice again.
  f.gw.clock().Advance(25LL * 3600 * 1000);
  CHECK(post(TelegramMessage(503, {{"video_note", {{"file_id", "DQAC"}, {"file_unique_id", "AgAD3"},
                                                   {"length", 240}, {"duration", 9}}}})) == 200);
  f.gw.DrainOutbox();
  CHECK(f.Sent() == std::vector<std::string>{notice, notice});
  // A text still reaches the dialogs as before.
  CHECK(f.Say(504, "MENU") == 200);
  f.gw.DrainOutbox();
  REQUIRE(f.Sent().size() == 3);
  CHECK(f.Sent()[2] != notice);
}

TEST_CASE("Gateway: a Telegram group message is skipped, logged and counted; a shared contact "
          "is text",
          "[e2e]") {
  Fixture f;
  auto group = f.gw.Post("/webhook/tg", TelegramMessage(601, {{"text", "MENU"}}, "supergroup"),
                         kSigned);
  REQUIRE(group);
  CHECK(group->status == 200);
  f.gw.DrainOutbox();
  CHECK(f.telegram.requests_to("/sendMessage").empty());
  CHECK_FALSE(ContactAt(f.gw.app().store(), "-4001").exists);
  CHECK_FALSE(ContactAt(f.gw.app().store(), "4242").exists);
  CHECK(f.gw.logs().find("webhook tg: skipped one item (group message)") != std::string::npos);
  auto metrics = f.gw.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("suaradesa_inbound_total{channel=\"tg\",result=\"skipped\"} 1") !=
        std::string::npos);

  // A shared contact card reaches the dialogs as its phone number (no flow
  // asks for one today; at the menu a bare number gets no answer): it is
  // recorded, and not taken for a kind we cannot read.
  auto contact = f.gw.Post(
      "/webhook/tg",
      TelegramMessage(602, {{"contact", {{"phone_number", "6281234567001"}, {"first_name", "Sri"},
                                         {"user_id", 4242}}}}),
      kSigned);
  REQUIRE(contact);
  CHECK(contact->status == 200);
  f.gw.DrainOutbox();
  CHECK(ContactAt(f.gw.app().store(), "4242").inbound == 1);
  for (const std::string& text : f.Sent()) CHECK(text != LocaleText("channel.text_only"));
}

TEST_CASE("Gateway: a body over 1 MiB gets 413", "[e2e]") {
  Fixture f;
  std::string huge(1100000, 'a');
  auto res = f.gw.Post("/webhook/tg", huge, kSigned);
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(f.view().Messages().empty());
}

TEST_CASE("Gateway: a failed store write answers 503 and leaves nothing half done", "[e2e]") {
  Fixture f;
  // Every outbox insert fails, after the message row was already written in
  // the same transaction.
  FailInserts(f.db, "outbox");
  CHECK(f.Say(1, "USUL") == 503);
  CHECK(f.view().Messages().empty());
  CHECK_FALSE(f.view().ContactAt("tg", "4242"));
  CHECK(f.gw.logs().find("503") != std::string::npos);

  // The platform retries once the disk is back: processed exactly once.
  AllowInserts(f.db, "outbox");
  CHECK(f.Say(1, "USUL") == 200);
  CHECK(f.Say(1, "USUL") == 200);
  f.gw.DrainOutbox();
  CHECK(f.view().InboundCount() == 1);
  CHECK(f.telegram.requests_to("/sendMessage").size() == 1);
}

TEST_CASE("Gateway: a button press on Telegram answers the open question", "[e2e]") {
  Fixture f;
  CHECK(f.Say(1, "MENU") == 200);
  f.gw.DrainOutbox();
  auto menu = f.telegram.requests_to("/sendMessage");
  REQUIRE(menu.size() == 1);
  json body = json::parse(menu[0].body);
  REQUIRE(body.contains("reply_markup"));
  auto buttons = body["reply_markup"]["inline_keyboard"];
  REQUIRE(buttons.size() >= 2);
  const std::string data = buttons[0][0]["callback_data"];
  json press = {{"update_id", 2},
                {"callback_query",
                 {{"id", "cbq-1"},
                  {"from", {{"id", 4242}, {"is_bot", false}, {"first_name", "Siti"}}},
                  {"chat_instance", "ci"},
                  {"message", {{"message_id", 9}, {"chat", {{"id", 4242}, {"type", "private"}}},
                               {"date", 1795399200}, {"text", "menu"}}},
                  {"data", data}}}};
  // Telegram's answerCallbackQuery is held until the webhook's answer has
  // arrived: the delivery must not wait for a call to the platform.
  std::promise<void> answered;
  std::shared_future<void> webhook_answered = answered.get_future().share();
  std::atomic<bool> held_until_answered{false};
  std::atomic<int> next_id{500};
  f.telegram.SetHandler([&](const testing::RecordedRequest& r) {
    if (r.path.ends_with("/answerCallbackQuery")) {
      // Bounded, so a gateway that calls before answering fails the test
      // instead of hanging it.
      held_until_answered =
          webhook_answered.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    }
    return testing::FakeResponse{
        200, R"({"ok":true,"result":{"message_id":)" + std::to_string(next_id++) + "}}",
        "application/json", {}};
  });
  auto res = f.gw.Post("/webhook/tg", press.dump(), kSigned);
  answered.set_value();
  REQUIRE(res);
  CHECK(res->status == 200);
  f.gw.DrainAfterAnswer();
  auto callbacks = f.telegram.requests_to("/answerCallbackQuery");
  REQUIRE(callbacks.size() == 1);
  CHECK(json::parse(callbacks[0].body)["callback_query_id"] == "cbq-1");
  CHECK(held_until_answered);
  f.gw.DrainOutbox();
  CHECK(f.telegram.requests_to("/sendMessage").size() == 2);
}

TEST_CASE("Gateway: a port another gateway listens on is refused", "[e2e]") {
  // With cpp-httplib's default SO_REUSEPORT a second gateway would bind the
  // same port and the kernel would split the webhooks between the two.
  Fixture f;
  HttpServer second(f.gw.app());
  CHECK(second.Bind("127.0.0.1", f.gw.port()) == -1);
  CHECK(f.Say(1, "hello") == 200);
}

TEST_CASE("Gateway: /healthz answers ok while the store answers", "[e2e]") {
  Fixture f;
  auto res = f.gw.Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == "{\"status\":\"ok\"}");
  auto metrics = f.gw.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("suaradesa_outbound_total") != std::string::npos);
}

}  // namespace
}  // namespace suaradesa::testing
