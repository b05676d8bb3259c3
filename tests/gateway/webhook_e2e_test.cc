// `suaradesa webhook set|info CHANNEL`, run in-process against fake
// platforms on 127.0.0.1.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gateway/cli/cli.h"
#include "tests/gateway/test_gateway.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_platform.h"
#include "tests/support/temp_dir.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr char kTgToken[] = "123456:cli-bot-token";
constexpr char kTgSecret[] = "cli_tg-secret";
constexpr char kPhoneKey[] = "cli-phone-signing-key";
constexpr char kWaVerify[] = "cli-wa-verify-token";

struct Run {
  int code = 0;
  std::string out;
  std::string err;
};

class WebhookFixture {
 public:
  WebhookFixture() {
    config_ = dir_.File("suaradesa.json");
    json cfg = {
        {"database", DatabaseJson(TestDatabase(dir_.File("cli.db")))},
        {"public_url", "https://desa.example.org"},
        {"areas", json::array({{{"code", "3510070"}, {"name", "Rogojampi"},
                                {"timezone", "Asia/Jakarta"}}})},
        {"channels",
         json::array({{{"id", "tg"}, {"type", "telegram"}, {"bot_token", kTgToken},
                       {"secret_token", kTgSecret}, {"api_base", telegram.base_url()}},
                      {{"id", "hp"}, {"type", "android_sms"}, {"url", phone.base_url()},
                       {"username", "sms"}, {"password", "cli-phone-password"},
                       {"signing_key", kPhoneKey}},
                      {{"id", "wa"}, {"type", "whatsapp"}, {"phone_number_id", "1065"},
                       {"access_token", "cli-wa-token"}, {"app_secret", "cli-wa-secret"},
                       {"verify_token", kWaVerify}, {"api_base", meta.base_url() + "/v21.0"}},
                      {{"id", "sms"}, {"type", "twilio"}, {"account_sid", "ACcli"},
                       {"auth_token", "cli-twilio-token"}, {"from", "+6281100000000"},
                       {"api_base", twilio.base_url()}}})}};
    std::ofstream(config_) << cfg.dump(2);
  }

  Run Cli(std::vector<std::string> args) {
    args.push_back("--config");
    args.push_back(config_);
    std::istringstream in;
    std::ostringstream out, err;
    cli::Context ctx{in, out, err, clock_, [](const std::string&) { return std::nullopt; }};
    Run r;
    r.code = cli::RunCli(args, ctx);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  FakePlatform telegram;
  FakePlatform phone;
  FakePlatform meta;
  FakePlatform twilio;

 private:
  TempDir dir_;
  std::string config_;
  FakeClock clock_;
};

TEST_CASE("Webhook: set registers Telegram's webhook with our secret and update kinds",
          "[cli]") {
  WebhookFixture f;
  f.telegram.Enqueue(FakeResponse{200, R"({"ok":true,"result":true,"description":"Webhook was set"})",
                                  "application/json", {}});
  Run r = f.Cli({"webhook", "set", "tg"});
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  auto calls = f.telegram.requests_to(std::string("/bot") + kTgToken + "/setWebhook");
  REQUIRE(calls.size() == 1);
  const json body = json::parse(calls[0].body);
  CHECK(body["url"] == "https://desa.example.org/webhook/tg");
  CHECK(body["secret_token"] == kTgSecret);
  CHECK(body["allowed_updates"] == json::array({"message", "callback_query"}));
  CHECK(r.out.find("Webhook was set") != std::string::npos);
  // Neither the token nor the secret is printed.
  CHECK(r.out.find(kTgToken) == std::string::npos);
  CHECK(r.out.find(kTgSecret) == std::string::npos);
}

TEST_CASE("Webhook: info shows Telegram's pending updates and last error", "[cli]") {
  WebhookFixture f;
  f.telegram.Enqueue(FakeResponse{
      200,
      R"({"ok":true,"result":{"url":"https://desa.example.org/webhook/tg","has_custom_certificate":false,
          "pending_update_count":17,"last_error_date":1795399000,
          "last_error_message":"Wrong response from the webhook: 503 Service Unavailable","max_connections":40}})",
      "application/json", {}});
  Run r = f.Cli({"webhook", "info", "tg"});
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK(f.telegram.requests_to("/getWebhookInfo").size() == 1);
  CHECK(r.out.find("pending_update_count: 17") != std::string::npos);
  CHECK(r.out.find("503 Service Unavailable") != std::string::npos);

  // Pointing elsewhere is reported, and the exit code says so.
  f.telegram.Enqueue(FakeResponse{
      200, R"({"ok":true,"result":{"url":"https://old.example.org/hook","pending_update_count":0}})",
      "application/json", {}});
  Run wrong = f.Cli({"webhook", "info", "tg"});
  CHECK(wrong.code == 1);
  CHECK(wrong.out.find("https://old.example.org/hook") != std::string::npos);
}

TEST_CASE("Webhook: set registers the Android gateway's SMS events and incoming MMS", "[cli]") {
  WebhookFixture f;
  Run r = f.Cli({"webhook", "set", "hp"});
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  auto calls = f.phone.requests_to("/webhooks");
  REQUIRE(calls.size() == 5);
  std::vector<std::string> events;
  for (const auto& c : calls) {
    CHECK(c.method == "POST");
    CHECK(c.headers.at("authorization").rfind("Basic ", 0) == 0);
    const json body = json::parse(c.body);
    CHECK(body["url"] == "https://desa.example.org/webhook/hp");
    CHECK_FALSE(body["id"].get<std::string>().empty());
    events.push_back(body["event"]);
  }
  CHECK(events == std::vector<std::string>{"sms:received", "mms:received", "sms:sent",
                                           "sms:delivered", "sms:failed"});
  CHECK(r.out.find(kPhoneKey) == std::string::npos);

  // info reads them back.
  f.phone.Clear();
  json hooks = json::array();
  for (const auto& e : events) {
    hooks.push_back({{"id", "x"}, {"url", "https://desa.example.org/webhook/hp"}, {"event", e}});
  }
  f.phone.Enqueue(FakeResponse{200, hooks.dump(), "application/json", {}});
  Run info = f.Cli({"webhook", "info", "hp"});
  INFO(info.out);
  CHECK(info.code == 0);
  CHECK(f.phone.requests_to("/webhooks").at(0).method == "GET");
  CHECK(info.out.find("sms:failed: registered") != std::string::npos);
}

TEST_CASE("Webhook: for WhatsApp and Twilio it prints what to paste", "[cli]") {
  WebhookFixture f;
  Run wa = f.Cli({"webhook", "set", "wa"});
  CHECK(wa.code == 0);
  CHECK(wa.out.find("https://desa.example.org/webhook/wa") != std::string::npos);
  CHECK(wa.out.find("messages") != std::string::npos);
  CHECK(wa.out.find(kWaVerify) == std::string::npos);
  CHECK(f.meta.requests().empty());

  Run sms = f.Cli({"webhook", "set", "sms"});
  CHECK(sms.code == 0);
  CHECK(sms.out.find("https://desa.example.org/webhook/sms") != std::string::npos);
  CHECK(sms.out.find("HTTP POST") != std::string::npos);
  CHECK(f.twilio.requests().empty());
}

TEST_CASE("Webhook: usage errors and unknown channels", "[cli]") {
  WebhookFixture f;
  CHECK(f.Cli({"webhook", "set"}).code == 2);
  CHECK(f.Cli({"webhook", "frob", "tg"}).code == 2);
  Run r = f.Cli({"webhook", "set", "nope"});
  CHECK(r.code == 1);
  CHECK(r.err.find("nope") != std::string::npos);
}

}  // namespace
}  // namespace suaradesa::testing
