#include "gateway/config.h"

#include <catch2/catch.hpp>

#include <map>

namespace suaradesa {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const char* kValid = R"({
  "listen": {"host": "127.0.0.1", "port": 8081},
  "database": {"path": "data/test.db"},
  "public_url": "https://desa.example.org/",
  "areas": [
    {"code": "3510070", "name": "Rogojampi", "level": "kecamatan", "timezone": "Asia/Jakarta",
     "desa": [{"code": "3510070001", "name": "Gitik"}, {"code": "3510070002", "name": "Kaotan"}]},
    {"code": "7308010", "name": "Dua Boccoe", "level": "kecamatan", "timezone": "Asia/Makassar",
     "desa": [{"code": "7308010001", "name": "Uloe"}]}
  ],
  "channels": [
    {"id": "tg", "type": "telegram", "bot_token": "${TG_TOKEN}", "secret_token": "${TG_SECRET}"},
    {"id": "web", "type": "http", "secret": "${HTTP_SECRET}", "send_url": "https://sms.example.org/out"}
  ]
})";

const std::map<std::string, std::string> kEnv = {
    {"TG_TOKEN", "123:abc"}, {"TG_SECRET", "s3cret-token"}, {"HTTP_SECRET", "http-secret"}};

TEST_CASE("Config: a valid file is read with secrets from the environment", "[config]") {
  auto cfg = ParseConfig(kValid, FakeEnv(kEnv));
  REQUIRE(cfg.has_value());
  CHECK(cfg->listen_port == 8081);
  CHECK(cfg->database_path == "data/test.db");
  CHECK(cfg->public_url == "https://desa.example.org");
  REQUIRE(cfg->areas.size() == 2);
  CHECK(cfg->areas[1].timezone == "Asia/Makassar");
  REQUIRE(cfg->channels.size() == 2);
  CHECK(cfg->channels[0].Get("bot_token") == "123:abc");
  CHECK(cfg->channels[0].Get("secret_token") == "s3cret-token");
  CHECK(cfg->AreaOfDesa("7308010001")->code == "7308010");
  CHECK(cfg->AreaOfDesa("9999") == nullptr);
  auto secrets = cfg->Secrets();
  CHECK(std::find(secrets.begin(), secrets.end(), "s3cret-token") != secrets.end());
  CHECK(std::find(secrets.begin(), secrets.end(), "http-secret") != secrets.end());
}

TEST_CASE("Config: every problem is named by its key path", "[config]") {
  struct Case {
    const char* label;
    std::string text;
    std::map<std::string, std::string> env;
    std::string expected;  // a substring of one of the problems
  };
  const std::string areas =
      R"("areas":[{"code":"1","name":"A","timezone":"Asia/Jakarta"}])";
  const Case cases[] = {
      {"not json", "{", {}, "not valid JSON"},
      {"unknown top-level key", "{" + areas + R"(,"lisen":{}})", {}, "lisen: unknown key"},
      {"unknown nested key", "{" + areas + R"(,"listen":{"hots":"x"}})", {}, "listen.hots: unknown key"},
      {"missing secret", "{" + areas + R"(,"channels":[{"id":"a","type":"http","send_url":"x"},
         {"id":"tg","type":"telegram","bot_token":"t"}]})", {}, "channels[1].secret_token: missing"},
      {"unset environment variable", "{" + areas +
         R"(,"channels":[{"id":"tg","type":"telegram","bot_token":"${NOPE}","secret_token":"x"}]})",
       {}, "channels[0].bot_token: environment variable NOPE is not set"},
      {"unknown channel key", "{" + areas +
         R"(,"channels":[{"id":"tg","type":"telegram","bot_token":"t","secret_token":"x","colour":"red"}]})",
       {}, "channels[0].colour: unknown key"},
      {"unknown channel type", "{" + areas + R"(,"channels":[{"id":"x","type":"pigeon"}]})", {},
       "channels[0].type: unknown channel type 'pigeon'"},
      {"duplicate channel id", "{" + areas +
         R"(,"channels":[{"id":"a","type":"http","secret":"s","send_url":"u"},{"id":"a","type":"http","secret":"s","send_url":"u"}]})",
       {}, "channels[1].id: duplicate id a"},
      {"bad time zone", R"({"areas":[{"code":"1","name":"A","timezone":"Europe/Paris"}]})", {},
       "areas[0].timezone: must be Asia/Jakarta"},
      {"port out of range", "{" + areas + R"(,"listen":{"port":70000}})", {},
       "listen.port: must be between 0 and 65535"},
      {"no areas", R"({})", {}, "areas: missing"},
      {"port as text", "{" + areas + R"(,"listen":{"port":"80"}})", {}, "listen.port: must be a whole number"},
  };
  for (const auto& c : cases) {
    INFO(c.label);
    auto cfg = ParseConfig(c.text, FakeEnv(c.env));
    REQUIRE_FALSE(cfg.has_value());
    bool found = false;
    for (const auto& p : cfg.error()) found = found || p.find(c.expected) != std::string::npos;
    INFO("problems: " << cfg.error().front());
    CHECK(found);
  }
}

TEST_CASE("Config: the demo has an area, desa and an http channel", "[config]") {
  Config cfg = DemoConfig("0123456789abcdef", "http://127.0.0.1:8080/demo/sent");
  CHECK(cfg.demo);
  REQUIRE(cfg.areas.size() == 1);
  CHECK(cfg.areas[0].desa.size() >= 3);
  REQUIRE(cfg.channels.size() == 1);
  CHECK(cfg.channels[0].type == "http");
  CHECK(cfg.database_path == "data/suaradesa.db");
}

// Issue 7: the read timeout and the flood limit.
TEST_CASE("Config: listen.read_timeout_seconds and inbound.flood_limit", "[config]") {
  auto defaults = ParseConfig(kValid, FakeEnv(kEnv));
  REQUIRE(defaults.has_value());
  CHECK(defaults->read_timeout_seconds == 5);
  CHECK(defaults->flood_limit.messages == 30);
  CHECK(defaults->flood_limit.window_seconds == 60);

  std::string text = kValid;
  const std::string port = "\"port\": 8081}";
  text.replace(text.find(port), port.size(),
               "\"port\": 8081, \"read_timeout_seconds\": 2}, "
               "\"inbound\": {\"flood_limit\": {\"messages\": 12, \"window_seconds\": 30}}");
  auto set = ParseConfig(text, FakeEnv(kEnv));
  INFO((set ? std::string() : set.error().front()));
  REQUIRE(set.has_value());
  CHECK(set->read_timeout_seconds == 2);
  CHECK(set->flood_limit.messages == 12);
  CHECK(set->flood_limit.window_seconds == 30);

  const auto problems = [&](const std::string& replacement) {
    std::string bad = kValid;
    bad.replace(bad.find(port), port.size(), replacement);
    auto cfg = ParseConfig(bad, FakeEnv(kEnv));
    REQUIRE_FALSE(cfg.has_value());
    std::string all;
    for (const auto& p : cfg.error()) all += p + "\n";
    return all;
  };
  CHECK_THAT(problems("\"port\": 8081, \"read_timeout_seconds\": 0}"),
             Catch::Contains("listen.read_timeout_seconds: must be between 1 and 300"));
  CHECK_THAT(problems("\"port\": 8081}, \"inbound\": {\"flood_limit\": {\"messages\": 0}}"),
             Catch::Contains("inbound.flood_limit.messages: must be between 1 and 10000"));
  CHECK_THAT(
      problems("\"port\": 8081}, \"inbound\": {\"flood_limit\": {\"window_seconds\": 1.5}}"),
      Catch::Contains("inbound.flood_limit.window_seconds: must be a whole number"));
  CHECK_THAT(problems("\"port\": 8081}, \"inbound\": {\"flood_limit\": 10}"),
             Catch::Contains("inbound.flood_limit: must be an object"));
  CHECK_THAT(problems("\"port\": 8081}, \"inbound\": {\"flood\": {}}"),
             Catch::Contains("inbound.flood: unknown key"));
}

// Issue 13: the request deadline and the proxies whose X-Forwarded-For counts.
TEST_CASE("Config: listen.request_timeout_seconds and listen.trusted_proxies", "[config]") {
  auto defaults = ParseConfig(kValid, FakeEnv(kEnv));
  REQUIRE(defaults.has_value());
  CHECK(defaults->request_timeout_seconds == 10);
  CHECK(defaults->trusted_proxies.empty());

  const std::string port = "\"port\": 8081}";
  const auto parse = [&](const std::string& replacement) {
    std::string text = kValid;
    text.replace(text.find(port), port.size(), replacement);
    return ParseConfig(text, FakeEnv(kEnv));
  };
  auto set = parse(
      "\"port\": 8081, \"request_timeout_seconds\": 3, "
      "\"trusted_proxies\": [\"127.0.0.1\", \"::1\"]}");
  INFO((set ? std::string() : set.error().front()));
  REQUIRE(set.has_value());
  CHECK(set->request_timeout_seconds == 3);
  CHECK(set->trusted_proxies == std::vector<std::string>{"127.0.0.1", "::1"});

  const auto problems = [&](const std::string& replacement) {
    auto cfg = parse(replacement);
    REQUIRE_FALSE(cfg.has_value());
    std::string all;
    for (const auto& p : cfg.error()) all += p + "\n";
    return all;
  };
  CHECK_THAT(problems("\"port\": 8081, \"request_timeout_seconds\": 0}"),
             Catch::Contains("listen.request_timeout_seconds: must be between 1 and 300"));
  CHECK_THAT(problems("\"port\": 8081, \"trusted_proxies\": [\"proxy.local\"]}"),
             Catch::Contains("listen.trusted_proxies: must be a list of IP addresses"));
  CHECK_THAT(problems("\"port\": 8081, \"trusted_proxies\": \"127.0.0.1\"}"),
             Catch::Contains("listen.trusted_proxies: must be a list of IP addresses"));
  CHECK_THAT(problems("\"port\": 8081, \"trusted_proxy\": []}"),
             Catch::Contains("listen.trusted_proxy: unknown key"));
}

}  // namespace
}  // namespace suaradesa
