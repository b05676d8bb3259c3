// Golden transcripts: whole conversations, replayed through the embedded
// flows and locales and compared with testdata/<name>.transcript.json.
//
// A transcript is a JSON list of steps:
//   {"in": "USUL", "out": ["..."], "flow": "usulan", "node": "activity",
//    "effects": ["create_case"], "effect_data": [{...}]}
// Inputs: "in" (text), optional "choice_id", "advance_ms" (time since the
// previous step; default one minute) and "channel_type" (default "sms").
// Everything else is expected output. "out" holds the step's replies, then
// the follow-up replies of its effects as the gateway would render them with
// a fake store (tickets USL-1, ADU-1, ...; every status "diterima").
//
// To regenerate after an intended change:
//   SUARADESA_UPDATE_GOLDEN=1 build-dialogs/dialogs_tests "[transcript]"
// then review the diff of tests/dialogs/testdata/.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dialogs/engine.h"

namespace suaradesa::dialogs {
namespace {

using nlohmann::json;

constexpr int64_t kStartMs = 1780000000000;  // 2026-05-28, fixed
constexpr int64_t kDefaultAdvanceMs = 60 * 1000;

Options TranscriptOptions() {
  Options options;
  options.places = {
      {"3510070", "Rogojampi", ""},
      {"3510070001", "Gitik", "3510070"},
      {"3510070002", "Kaotan", "3510070"},
      {"3510070003", "Lemahbang Kulon", "3510070"},
  };
  return options;
}

std::filesystem::path TestdataDir() {
  return std::filesystem::path(SUARADESA_SOURCE_DIR) / "tests" / "dialogs" /
         "testdata";
}

// The gateway's part, faked: carries out effects and renders their replies.
class FakeStore {
 public:
  std::string Apply(const Dialogs& dialogs, const Effect& effect,
                    const std::string& language) {
    json params = json::object();
    if (effect.kind == "create_case") {
      bool usulan = effect.data.value("type", "") == "usulan";
      int n = usulan ? ++usulan_ : ++pengaduan_;
      params["ticket"] = std::string(usulan ? "USL-" : "ADU-") +
                         std::to_string(n);
    } else if (effect.kind == "status_query") {
      std::string ticket = effect.data.value("ticket", "");
      params["ticket"] = ticket.empty() ? "ADU-1" : ticket;
      params["status"] =
          dialogs.Render("case_status.diterima", json::object(), language)
              .text;
    }
    if (effect.reply_key.empty()) return "";
    return dialogs.Render(effect.reply_key, params, language).text;
  }

 private:
  int usulan_ = 0;
  int pengaduan_ = 0;
};

// Replays the inputs of `steps` and returns the steps with actual outputs.
json Replay(const Dialogs& dialogs, const json& steps) {
  json actual = json::array();
  SessionState session;
  FakeStore store;
  int64_t now = kStartMs;
  for (const json& step : steps) {
    json out_step = json::object();
    out_step["in"] = step.value("in", "");
    Input input;
    input.text = step.value("in", "");
    if (step.contains("choice_id")) {
      input.choice_id = step["choice_id"].get<std::string>();
      out_step["choice_id"] = input.choice_id;
    }
    int64_t advance = kDefaultAdvanceMs;
    if (step.contains("advance_ms")) {
      advance = step["advance_ms"].get<int64_t>();
      out_step["advance_ms"] = advance;
    }
    Context context;
    context.now = now += advance;
    context.language = "id";
    context.channel_type = "sms";
    if (step.contains("channel_type")) {
      context.channel_type = step["channel_type"].get<std::string>();
      out_step["channel_type"] = context.channel_type;
    }
    StepResult result = dialogs.Step(session, input, context);
    json out = json::array();
    for (const Reply& r : result.replies) out.push_back(r.text);
    json kinds = json::array();
    json data = json::array();
    for (const Effect& e : result.effects) {
      kinds.push_back(e.kind);
      data.push_back(e.data);
      std::string text = store.Apply(dialogs, e, context.language);
      if (!text.empty()) out.push_back(text);
    }
    out_step["out"] = out;
    out_step["flow"] = result.session.flow;
    out_step["node"] = result.session.node;
    out_step["effects"] = kinds;
    if (!data.empty()) out_step["effect_data"] = data;
    actual.push_back(out_step);
    session = result.session;
  }
  return actual;
}

// Describes each step whose actual output differs from the golden one.
std::vector<std::string> Differences(const json& expected,
                                     const json& actual) {
  std::vector<std::string> diffs;
  if (expected.size() != actual.size()) {
    diffs.push_back("step count: expected " + std::to_string(expected.size()) +
                    ", got " + std::to_string(actual.size()));
  }
  for (size_t i = 0; i < expected.size() && i < actual.size(); ++i) {
    for (const auto& [key, value] : actual[i].items()) {
      json want = expected[i].contains(key) ? expected[i][key] : json();
      if (want != value) {
        diffs.push_back("step " + std::to_string(i) + " (in: " +
                        actual[i]["in"].dump() + ") " + key +
                        ":\n  expected " + want.dump() + "\n  actual   " +
                        value.dump());
      }
    }
    for (const auto& [key, value] : expected[i].items()) {
      if (!actual[i].contains(key)) {
        diffs.push_back("step " + std::to_string(i) + ": unexpected key " +
                        key);
      }
    }
  }
  return diffs;
}

bool UpdateGoldens() {
  const char* env = std::getenv("SUARADESA_UPDATE_GOLDEN");
  return env != nullptr && std::string(env) == "1";
}

std::unique_ptr<Dialogs> LoadEmbedded() {
  auto dialogs = LoadDialogs(EmbeddedSources(), TranscriptOptions());
  if (!dialogs) {
    for (const std::string& p : dialogs.error().problems) UNSCOPED_INFO(p);
  }
  REQUIRE(dialogs.has_value());
  return std::move(*dialogs);
}

TEST_CASE("Engine: golden transcripts replay exactly", "[dialogs][transcript]") {
  std::unique_ptr<Dialogs> dialogs = LoadEmbedded();
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(TestdataDir())) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".transcript.json")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const std::filesystem::path& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      std::ifstream in(file);
      std::stringstream buffer;
      buffer << in.rdbuf();
      json expected = json::parse(buffer.str(), nullptr, false);
      REQUIRE_FALSE(expected.is_discarded());
      REQUIRE(expected.is_array());
      json actual = Replay(*dialogs, expected);
      std::vector<std::string> diffs = Differences(expected, actual);
      if (!diffs.empty() && UpdateGoldens()) {
        std::ofstream out(file);
        out << actual.dump(2) << "\n";
        WARN("rewrote " << file.string());
        continue;
      }
      for (const std::string& d : diffs) UNSCOPED_INFO(d);
      CHECK(diffs.empty());
    }
  }
}

TEST_CASE("Engine: a transcript whose output changed is reported",
          "[dialogs][transcript]") {
  std::unique_ptr<Dialogs> dialogs = LoadEmbedded();
  json golden = Replay(*dialogs, json::parse(R"([{"in": "MENU"}])"));
  CHECK(Differences(golden, golden).empty());
  json changed = golden;
  changed[0]["out"][0] = "something else";
  std::vector<std::string> diffs = Differences(changed, golden);
  REQUIRE(diffs.size() == 1);
  CHECK(diffs[0].find("step 0") != std::string::npos);
  changed = golden;
  changed[0]["node"] = "other";
  CHECK(Differences(changed, golden).size() == 1);
}

// Real SMS traffic (spam, fraud, chatter) must never open a case on its own.
TEST_CASE("Engine: real SMS from an empty session never creates a case",
          "[dialogs][corpus]") {
  std::filesystem::path corpus = std::filesystem::path(SUARADESA_SOURCE_DIR) /
                                 ".." / "shared" / "corpus" /
                                 "real_sms.jsonl";
  std::ifstream in(corpus);
  if (!in) {
    WARN("corpus missing, skipped: " << corpus.string());
    return;
  }
  std::unique_ptr<Dialogs> dialogs = LoadEmbedded();
  Context context;
  context.now = kStartMs;
  context.channel_type = "sms";
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json record = json::parse(line, nullptr, false);
    REQUIRE_FALSE(record.is_discarded());
    Input input;
    input.text = record.value("text", "");
    StepResult result = dialogs->Step(SessionState{}, input, context);
    INFO(input.text);
    CHECK(result.replies.size() <= 2);
    for (const Effect& e : result.effects) CHECK(e.kind != "create_case");
    ++lines;
  }
  CHECK(lines > 0);
}

}  // namespace
}  // namespace suaradesa::dialogs
