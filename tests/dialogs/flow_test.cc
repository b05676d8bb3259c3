// Flow loading: every malformed flow is rejected with a message naming the
// file and the path inside it.
#include "dialogs/flow.h"

#include <catch2/catch.hpp>

#include "dialogs/engine.h"

namespace suaradesa::dialogs {
namespace {

const char kLocale[] = R"({
  "common.yes": "Ya", "common.no": "Tidak", "common.error": "Galat",
  "common.skip": "Lewati", "common.or": "atau", "common.reply_choices": "Balas {numbers}.",
  "common.place_which": "Pilih:",
  "common.stuck": "Ketik BATAL.",
  "common.more_places": "Lainnya",
  "q.one": "Satu?", "q.two": "Dua {a}?", "q.done": "Selesai {ticket}",
  "q.pick": "Pilih"
})";

const char kMenu[] = R"({"spec_version": 1, "name": "menu", "start": "m",
  "nodes": [{"id": "m", "type": "action", "action": "reply", "reply": "q.one"}]})";

// A valid flow; the cases below break it one way each.
const char kGood[] = R"({
  "spec_version": 1, "name": "demo", "keywords": ["demo"], "start": "one",
  "nodes": [
    {"id": "one", "type": "ask", "prompt": "q.one", "parser": "text",
     "var": "a", "next": "two"},
    {"id": "two", "type": "confirm", "prompt": "q.two", "yes": "done",
     "no": "one"},
    {"id": "done", "type": "action", "action": "create_case",
     "case_type": "usulan", "reply": "q.done", "summary": "{a}"}
  ]})";

std::vector<std::string> LoadProblems(const std::string& flow_text) {
  Catalog catalog;
  std::vector<std::string> problems;
  REQUIRE(catalog.Load({{"id.json", kLocale}}, &problems));
  LoadFlows({{"demo.json", flow_text}, {"menu.json", kMenu}}, catalog,
            &problems);
  return problems;
}

std::string Replace(std::string text, const std::string& from,
                    const std::string& to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

TEST_CASE("Flow: a valid flow loads", "[dialogs]") {
  CHECK(LoadProblems(kGood).empty());
  Catalog catalog;
  std::vector<std::string> problems;
  REQUIRE(catalog.Load({{"id.json", kLocale}}, &problems));
  std::optional<Flow> flow = LoadFlow("demo.json", kGood, catalog, &problems);
  REQUIRE(flow.has_value());
  CHECK(flow->name == "demo");
  CHECK(flow->nodes.size() == 3);
  REQUIRE(flow->Find("two") != nullptr);
  CHECK(flow->Find("two")->type == NodeType::kConfirm);
  CHECK(flow->Find("nope") == nullptr);
}

TEST_CASE("Flow: load errors name the file and the path", "[dialogs]") {
  static const struct {
    const char* from;
    const char* to;
    const char* problem;
  } cases[] = {
      {R"("next": "two")", R"("next": "konfirm")",
       "demo.json: nodes[0].next: no node 'konfirm'"},
      {R"("yes": "done")", R"("yes": "selesai")",
       "demo.json: nodes[1].yes: no node 'selesai'"},
      {R"("start": "one")", R"("start": "zero")",
       "demo.json: start: no node 'zero'"},
      {R"("parser": "text")", R"("parser": "tanggal")",
       "demo.json: nodes[0].parser: unknown parser 'tanggal'"},
      {R"("prompt": "q.one")", R"("prompt": "q.missing")",
       "demo.json: nodes[0].prompt: 'q.missing' is not in id.json"},
      {R"("spec_version": 1)", R"("spec_version": 2)",
       "demo.json: spec_version: expected 1, got 2"},
      {R"("spec_version": 1,)", "",
       "demo.json: spec_version: missing"},
      {R"("keywords")", R"("kata_kunci")",
       "demo.json: kata_kunci: unknown key"},
      {R"("keywords": ["demo"],)", R"("keywords": ["demo"], "leads": "paragraph",)",
       "demo.json: leads: expected \"clause\" or \"sentence\""},
      {R"("var": "a",)", R"("var": "a", "nexts": "x",)",
       "demo.json: nodes[0].nexts: unknown key"},
      {R"("type": "confirm")", R"("type": "menu")",
       "demo.json: nodes[1].type: unknown node type 'menu'"},
      {R"("action": "create_case")", R"("action": "send_email")",
       "demo.json: nodes[2].action: unknown action 'send_email'"},
      {R"("case_type": "usulan")", R"("case_type": "rapat")",
       "demo.json: nodes[2].case_type: unknown case type 'rapat'"},
      {R"("summary": "{a}")", R"("summary": "{b}")",
       "demo.json: nodes[2].summary: summary uses {b}, which no node saves"},
      {R"("var": "a")", R"("var": "x")",
       "demo.json: nodes[1]: 'q.two' uses {a}, which no node saves"},
      {R"("name": "demo")", R"("name": "other")",
       "demo.json: name: 'other' does not match the file name"},
      {R"("id": "two")", R"("id": "one")",
       "demo.json: nodes[1].id: duplicate node 'one'"},
      {R"("keywords": ["demo"])", R"("keywords": ["demo", "!!"])",
       "demo.json: keywords[1]: expected a string with letters or digits"},
      {R"("var": "a",)", R"("var": "a", "labels": ["kk"],)",
       "demo.json: nodes[0].labels: only parser 'count' takes labels"},
      {R"("var": "a",)", R"("var": "a", "fills": ["two"],)",
       "demo.json: nodes[0].fills: 'two' is no 'count' question with labels"},
      {R"("var": "a",)", R"("var": "a", "fills": ["nine"],)",
       "demo.json: nodes[0].fills: no node 'nine'"},
      {R"("var": "a",)", R"("var": "a", "all": ["semua"],)",
       "demo.json: nodes[0].all: only parser 'index' takes all"},
  };
  for (const auto& c : cases) {
    INFO(c.problem);
    std::vector<std::string> problems =
        LoadProblems(Replace(kGood, c.from, c.to));
    for (const std::string& p : problems) UNSCOPED_INFO(p);
    CHECK(std::find(problems.begin(), problems.end(), c.problem) !=
          problems.end());
  }
}

TEST_CASE("Flow: every problem is reported, not just the first", "[dialogs]") {
  std::string text = Replace(Replace(kGood, R"("next": "two")",
                                     R"("next": "konfirm")"),
                             R"("parser": "text")", R"("parser": "tanggal")");
  CHECK(LoadProblems(text).size() == 2);
}

TEST_CASE("Flow: broken JSON and wrong shapes are load errors", "[dialogs]") {
  std::vector<std::string> problems = LoadProblems("{\"spec_version\": 1,");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].starts_with("demo.json: "));
  CHECK(problems[0].find("parse error") != std::string::npos);
  problems = LoadProblems("[]");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "demo.json: expected a JSON object");
}

TEST_CASE("Flow: node-type rules are checked", "[dialogs]") {
  SECTION("choice needs choices, and other parsers may not have them") {
    std::string text = Replace(kGood, R"("parser": "text")",
                               R"("parser": "choice")");
    CHECK_THAT(LoadProblems(text),
               Catch::Matchers::VectorContains(std::string(
                   "demo.json: nodes[0].choices: missing (parser 'choice' "
                   "needs choices)")));
    text = Replace(kGood, R"("parser": "text")",
                   R"("parser": "text", "choices": [{"id": "x", "label": "q.pick"}])");
    CHECK_THAT(LoadProblems(text),
               Catch::Matchers::VectorContains(std::string(
                   "demo.json: nodes[0].choices: only parser 'choice' takes "
                   "choices")));
  }
  SECTION("a choice label must be a catalogue key and its next a node") {
    std::string text = Replace(
        Replace(kGood, R"("parser": "text")", R"("parser": "choice")"),
        R"("next": "two")",
        R"("choices": [
             {"id": "x", "label": "q.nolabel", "next": "two"},
             {"id": "y", "label": "q.pick", "next": "nowhere"}])");
    std::vector<std::string> problems = LoadProblems(text);
    CHECK_THAT(problems, Catch::Matchers::VectorContains(std::string(
                             "demo.json: nodes[0].choices[0].label: "
                             "'q.nolabel' is not in id.json")));
    CHECK_THAT(problems, Catch::Matchers::VectorContains(std::string(
                             "demo.json: nodes[0].choices[1].next: no node "
                             "'nowhere'")));
  }
  SECTION("an ask node needs a next") {
    std::string text = Replace(kGood, R"(, "next": "two")", "");
    CHECK_THAT(LoadProblems(text), Catch::Matchers::VectorContains(std::string(
                                       "demo.json: nodes[0].next: missing")));
  }
  SECTION("default is for yes_no only") {
    std::string text =
        Replace(kGood, R"("var": "a",)", R"("var": "a", "default": "yes",)");
    CHECK_THAT(LoadProblems(text),
               Catch::Matchers::VectorContains(std::string(
                   "demo.json: nodes[0].default: only parsers 'yes_no' and 'choice' take a "
                   "default")));
  }
}

TEST_CASE("Flow: problems spanning files are found", "[dialogs]") {
  Catalog catalog;
  std::vector<std::string> problems;
  REQUIRE(catalog.Load({{"id.json", kLocale}}, &problems));
  SECTION("a keyword claimed by two flows") {
    std::string other = Replace(Replace(kGood, R"("name": "demo")",
                                        R"("name": "other")"),
                                R"(["demo"])", R"(["Demo!"])");
    LoadFlows({{"demo.json", kGood}, {"other.json", other}, {"menu.json", kMenu}},
              catalog, &problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] ==
          "other.json: keywords[0]: 'demo' is already a keyword of demo.json");
  }
  SECTION("start_flow to a flow that does not exist") {
    std::string menu = Replace(kMenu, R"("action": "reply", "reply": "q.one")",
                               R"("action": "start_flow", "flow": "usulan")");
    LoadFlows({{"menu.json", menu}}, catalog, &problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "menu.json: nodes[0].flow: no flow 'usulan'");
  }
  SECTION("the menu flow is required") {
    LoadFlows({{"demo.json", kGood}}, catalog, &problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].starts_with("menu.json: missing"));
  }
}

TEST_CASE("Flow: LoadDialogs reports catalogue and flow problems together",
          "[dialogs]") {
  Sources sources;
  sources.locales = {{"id.json", kLocale}, {"en.json", R"({"q.two": "Two?"})"}};
  sources.flows = {{"demo.json", Replace(kGood, R"("next": "two")",
                                         R"("next": "konfirm")")},
                   {"menu.json", kMenu}};
  auto dialogs = LoadDialogs(sources, Options{});
  REQUIRE_FALSE(dialogs.has_value());
  CHECK(dialogs.error().problems ==
        std::vector<std::string>{
            "en.json: q.two: placeholders {} differ from id.json's {a}",
            "demo.json: nodes[0].next: no node 'konfirm'"});
}

// A flow that joins a group by the code it asks for.
const char kJoin[] = R"({
  "spec_version": 1, "name": "demo", "keywords": ["demo"], "start": "code",
  "nodes": [
    {"id": "code", "type": "ask", "prompt": "q.one", "parser": "code",
     "var": "code", "next": "join"},
    {"id": "join", "type": "action", "action": "effect", "effect": "join_group",
     "data": {"code": "{code}"}, "reply": "q.done"}
  ]})";

std::vector<std::string> LoadDialogsProblems(const std::string& flow_text) {
  Sources sources;
  sources.locales = {{"id.json", kLocale}};
  sources.flows = {{"demo.json", flow_text}, {"menu.json", kMenu}};
  auto dialogs = LoadDialogs(sources, Options{});
  if (dialogs) return {};
  return dialogs.error().problems;
}

TEST_CASE("Flow: an effect kind or data key that does not exist is a load error",
          "[dialogs]") {
  REQUIRE(LoadDialogsProblems(kJoin).empty());
  CHECK(LoadDialogsProblems(Replace(kJoin, R"("effect": "join_group")",
                                    R"("effect": "join_grup")")) ==
        std::vector<std::string>{
            "demo.json: nodes[1].effect: unknown effect 'join_grup' (a flow may name: "
            "list_meetings, join_group, leave_group, staff_reply, staff_cases, reopen_case, "
            "case_note, set_language, activity_info, follow_activity, activity_progress, "
            "privacy_info, data_access, erase_data)"});
  CHECK(LoadDialogsProblems(Replace(kJoin, R"("data": {"code": "{code}"})",
                                    R"("data": {"kode": "{code}"})")) ==
        std::vector<std::string>{"demo.json: nodes[1].data.kode: effect 'join_group' has no field 'kode'"});
  // Kinds made by actions of their own are not declared by name.
  std::vector<std::string> filed = LoadDialogsProblems(
      Replace(kJoin, R"("effect": "join_group")", R"("effect": "create_case")"));
  REQUIRE(filed.size() == 1);
  CHECK(filed[0].starts_with("demo.json: nodes[1].effect: unknown effect 'create_case'"));
}

TEST_CASE("Flow: the embedded flows and locales load cleanly", "[dialogs]") {
  auto dialogs = LoadDialogs(EmbeddedSources(), Options{});
  if (!dialogs) {
    for (const std::string& p : dialogs.error().problems) UNSCOPED_INFO(p);
  }
  REQUIRE(dialogs.has_value());
  std::vector<std::string> names = (*dialogs)->FlowNames();
  for (const char* name : {"menu", "usulan", "pengaduan", "status", "berhenti",
                           "mulai", "batal"}) {
    INFO(name);
    CHECK(std::find(names.begin(), names.end(), name) != names.end());
  }
}

}  // namespace
}  // namespace suaradesa::dialogs
