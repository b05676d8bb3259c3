// The channel table and how the config file reaches it: every type's keys,
// numeric rate limits and the WhatsApp templates object.
#include "gateway/channels/registry.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "gateway/config.h"

namespace suaradesa::channels {
namespace {

using nlohmann::json;

std::expected<Config, std::vector<std::string>> Parse(const json& channel) {
  json doc = {{"public_url", "https://desa.example.org/"},
              {"areas", json::array({{{"code", "3510070"}, {"name", "Rogojampi"},
                                      {"timezone", "Asia/Jakarta"}}})},
              {"channels", json::array({channel})}};
  return ParseConfig(doc.dump(), [](const std::string&) { return std::nullopt; });
}

bool HasProblem(const std::expected<Config, std::vector<std::string>>& r,
                const std::string& needle) {
  if (r) return false;
  for (const auto& p : r.error()) {
    if (p.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST_CASE("Registry: every channel type of the contract is known", "[channels]") {
  for (const char* type : {"telegram", "whatsapp", "twilio", "android_sms", "http"}) {
    INFO(type);
    const ChannelSpec* spec = FindChannelSpec(type);
    REQUIRE(spec != nullptr);
    CHECK(spec->make != nullptr);
    CHECK(std::find(spec->optional.begin(), spec->optional.end(), "api_base") !=
          spec->optional.end());
    CHECK(std::find(spec->optional.begin(), spec->optional.end(), kRatePerSecondKey) !=
          spec->optional.end());
  }
  CHECK(FindChannelSpec("kannel") == nullptr);
}

TEST_CASE("Registry: the config carries templates, rate limits and public_url to channels",
          "[channels]") {
  auto cfg = Parse({{"id", "wa"}, {"type", "whatsapp"}, {"phone_number_id", "1"},
                    {"access_token", "t0ken-value"}, {"app_secret", "s3cret-value"},
                    {"verify_token", "v3rify-value"}, {"rate_per_second", 20},
                    {"per_recipient_per_second", 0.2},
                    {"templates", {{"notice", {{"name", "pemberitahuan"}, {"language", "id"}}}}}});
  REQUIRE(cfg.has_value());
  const ChannelSettings& s = cfg->channels.at(0);
  CHECK(s.public_url == "https://desa.example.org");
  auto channel = FindChannelSpec("whatsapp")->make(s);
  CHECK(channel->CanSendOutsideWindow());
  CHECK(channel->rate_limits().per_second == 20);
  CHECK(channel->rate_limits().per_recipient_per_second == Approx(0.2));
  // Secrets are known to the log mask.
  const auto secrets = cfg->Secrets();
  CHECK(std::find(secrets.begin(), secrets.end(), "s3cret-value") != secrets.end());
}

TEST_CASE("Registry: bad rate limits and templates are config errors naming the key",
          "[channels]") {
  const json base = {{"id", "hp"}, {"type", "android_sms"}, {"url", "http://192.168.1.20:8080"},
                     {"username", "sms"}, {"password", "pw-value"}, {"signing_key", "key-value"}};
  json negative = base;
  negative["rate_per_second"] = -1;
  CHECK(HasProblem(Parse(negative), "channels[0].rate_per_second: must be a number >= 0"));
  json text = base;
  text["per_recipient_per_second"] = "fast";
  CHECK(HasProblem(Parse(text), "channels[0].per_recipient_per_second"));
  json templates = {{"id", "wa"}, {"type", "whatsapp"}, {"phone_number_id", "1"},
                    {"access_token", "a"}, {"app_secret", "b"}, {"verify_token", "c"},
                    {"templates", "pemberitahuan"}};
  CHECK(HasProblem(Parse(templates), "channels[0].templates: must be an object"));
  json missing = {{"id", "sms"}, {"type", "twilio"}, {"account_sid", "AC1"}};
  CHECK(HasProblem(Parse(missing), "channels[0].auth_token: missing"));
  CHECK(HasProblem(Parse(missing), "channels[0].from: missing"));
  // The twilio type sends SMS only: a Twilio WhatsApp sender is refused at
  // start-up, naming the key.
  json whatsapp_sender = {{"id", "sms"}, {"type", "twilio"}, {"account_sid", "AC1"},
                          {"auth_token", "tw-token"}, {"from", "whatsapp:+6281100000000"}};
  CHECK(HasProblem(Parse(whatsapp_sender), "channels[0].from: a Twilio WhatsApp sender"));
  whatsapp_sender["from"] = "+6281100000000";
  CHECK(Parse(whatsapp_sender).has_value());
  CHECK(Parse(base).has_value());
}

}  // namespace
}  // namespace suaradesa::channels
