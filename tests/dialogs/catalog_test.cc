// Locale catalogues: fallback, placeholders, and the rules every shipped
// text must follow (GSM-7, SMS length, same placeholders as id.json).
#include "dialogs/catalog.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dialogs/engine.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

using nlohmann::json;

Catalog LoadOrFail(const std::map<std::string, std::string>& files) {
  Catalog catalog;
  std::vector<std::string> problems;
  bool ok = catalog.Load(files, &problems);
  for (const std::string& p : problems) UNSCOPED_INFO(p);
  REQUIRE(ok);
  return catalog;
}

std::vector<std::string> Problems(
    const std::map<std::string, std::string>& files) {
  Catalog catalog;
  std::vector<std::string> problems;
  catalog.Load(files, &problems);
  return problems;
}

TEST_CASE("Catalog: renders a key with named parameters", "[dialogs]") {
  Catalog c = LoadOrFail({{"id.json", R"({"a.b": "Nomor {ticket}: {status}."})"}});
  CHECK(c.Render("a.b", {{"ticket", "ADU-3"}, {"status", "diterima"}}, "id") ==
        "Nomor ADU-3: diterima.");
  SECTION("numbers and booleans render as JSON writes them") {
    CHECK(c.Render("a.b", {{"ticket", 7}, {"status", true}}, "id") ==
          "Nomor 7: true.");
  }
  SECTION("a missing parameter stays visible") {
    CHECK(c.Render("a.b", {{"ticket", "X"}}, "id") == "Nomor X: {status}.");
  }
}

TEST_CASE("Catalog: falls back to id, and an unknown key renders as itself",
          "[dialogs]") {
  Catalog c = LoadOrFail({{"id.json", R"({"a": "Halo", "b": "Dua"})"},
                          {"en.json", R"({"a": "Hello"})"}});
  CHECK(c.Render("a", json::object(), "en") == "Hello");
  CHECK(c.Render("a", json::object(), "en-US") == "Hello");
  CHECK(c.Render("b", json::object(), "en") == "Dua");
  CHECK(c.Render("a", json::object(), "jv") == "Halo");
  CHECK(c.Render("nope.key", json::object(), "en") == "nope.key");
  CHECK(c.Has("b"));
  CHECK_FALSE(c.Has("nope.key"));
}

TEST_CASE("Catalog: rejects keys and placeholders id.json does not have",
          "[dialogs]") {
  struct {
    const char* en;
    const char* problem;
  } cases[] = {
      {R"({"x": "X"})", "en.json: x: not in id.json"},
      {R"({"a": "Hi {nama}"})",
       "en.json: a: placeholders {nama} differ from id.json's {name}"},
      {R"({"a": "Hi"})",
       "en.json: a: placeholders {} differ from id.json's {name}"},
      {R"({"a": 3})", "en.json: a: expected a string"},
      {R"(["a"])", "en.json: expected an object of key -> text"},
  };
  for (const auto& c : cases) {
    INFO(c.en);
    std::vector<std::string> problems =
        Problems({{"id.json", R"({"a": "Halo {name}"})"}, {"en.json", c.en}});
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == c.problem);
  }
  SECTION("broken JSON names the file and position") {
    std::vector<std::string> problems =
        Problems({{"id.json", R"({"a": "Halo",})"}});
    REQUIRE_FALSE(problems.empty());
    CHECK(problems[0].starts_with("id.json: "));
    CHECK(problems[0].find("line 1") != std::string::npos);
  }
  SECTION("id.json is required") {
    std::vector<std::string> problems = Problems({{"en.json", R"({"a": "A"})"}});
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].starts_with("id.json: missing"));
  }
}

TEST_CASE("Catalog: placeholders are found by name", "[dialogs]") {
  CHECK(Placeholders("{a} and {b_c} {a}") == std::set<std::string>{"a", "b_c"});
  CHECK(Placeholders("{ not } {} {x").empty());
  CHECK(Substitute("{x}{y} {", {{"x", "1"}}) == "1{y} {");
}

TEST_CASE("Catalog: shipped catalogues are complete, GSM-7 and SMS-sized",
          "[dialogs]") {
  Catalog c = LoadOrFail(EmbeddedSources().locales);
  std::vector<std::string> languages = c.Languages();
  CHECK(std::find(languages.begin(), languages.end(), "id") != languages.end());
  CHECK(std::find(languages.begin(), languages.end(), "en") != languages.end());
  std::vector<std::string> id_keys = c.Keys("id");
  for (const std::string& language : languages) {
    std::vector<std::string> keys = c.Keys(language);
    INFO(language);
    if (language == "en") CHECK(keys == id_keys);  // en ships complete
    for (const std::string& key : keys) {
      CHECK(std::find(id_keys.begin(), id_keys.end(), key) != id_keys.end());
    }
    for (const std::string& key : keys) {
      std::string text = *c.Find(key, language);
      INFO(key << ": " << text);
      CHECK(IsGsm7(text));
      CHECK(text.size() <= 306);
      CHECK(text == Trim(text));
    }
  }
  // Javanese covers the main prompts; the rest falls back to id.
  std::vector<std::string> jv = c.Keys("jv");
  for (const char* key :
       {"menu.prompt", "usulan.ask_activity", "usulan.ask_desa",
        "usulan.ask_cost", "usulan.confirm", "usulan.done",
        "usulan.filed", "usulan.updated", "pengaduan.ask_what", "pengaduan.ask_where",
        "pengaduan.filed", "pengaduan.updated", "pengaduan.offer", "pengaduan.done", "optout.done", "common.yes", "common.no"}) {
    INFO(key);
    CHECK(std::find(jv.begin(), jv.end(), key) != jv.end());
  }
}

TEST_CASE("Catalog: GSM-7 detection catches emoji and curly quotes",
          "[dialogs]") {
  CHECK(IsGsm7("Terima kasih, Bapak/Ibu. Rp5.000.000 {ticket}\n"));
  CHECK(IsGsm7("Caf\u00e9 \u00a3 \u20ac"));
  CHECK_FALSE(IsGsm7("Terima kasih \xF0\x9F\x99\x8F"));  // emoji
  CHECK_FALSE(IsGsm7("\u201cya\u201d"));                   // curly quotes
  CHECK_FALSE(IsGsm7("a \u2014 b"));                      // em dash
  CHECK_FALSE(IsGsm7("`"));
}

}  // namespace
}  // namespace suaradesa::dialogs
