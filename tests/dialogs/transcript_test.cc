// Golden transcripts: whole conversations, replayed through the embedded
// flows and locales and compared with testdata/<name>.transcript.json.
//
// A transcript is a JSON list of steps:
//   {"in": "USUL", "out": ["..."], "flow": "usulan", "node": "activity",
//    "effects": ["create_case"], "effect_data": [{...}]}
// Inputs: "in" (text), optional "choice_id", "location" ([lat, lon]),
// "advance_ms" (time since the previous step; default one minute),
// "channel_type" (default "sms"), "language" (default "id", and it sticks
// once set_language ran) and "rsvp_pending" (default false).
// Everything else is expected output. "out" holds the step's replies, then
// the follow-up replies of its effects as the gateway would render them with
// a fake store (tickets USL-1, ADU-1, ...; every status "diterima"; one
// meeting pending, or two when the step says "meetings": 2; group SPP01).
//
// To regenerate after an intended change:
//   SUARADESA_UPDATE_GOLDEN=1 build-dialogs/dialogs_tests "[transcript]"
// then review the diff of tests/dialogs/testdata/.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dialogs/engine.h"
#include "dialogs/format.h"
#include "tests/dialogs/testdata.h"

namespace suaradesa::dialogs {
namespace {

using nlohmann::json;

constexpr int64_t kStartMs = 1780000000000;  // 2026-05-28, fixed
constexpr int64_t kDefaultAdvanceMs = 60 * 1000;

std::filesystem::path TestdataDir() {
  return std::filesystem::path(SUARADESA_SOURCE_DIR) / "tests" / "dialogs" /
         "testdata";
}

// The gateway's part, faked: carries out effects and renders their replies.
class FakeStore {
 public:
  std::string Apply(const Dialogs& dialogs, const Effect& effect,
                    const std::string& language, int meetings) {
    json params = json::object();
    std::string key = effect.reply_key;
    const std::string kind(KindName(effect.value));
    const json data = DataOf(effect.value);
    if (kind == "create_case") {
      bool usulan = data.value("type", "") == "usulan";
      int n = usulan ? ++usulan_ : ++pengaduan_;
      params["ticket"] = std::string(usulan ? "USL-" : "ADU-") +
                         std::to_string(n);
      filed_ = params["ticket"];
    } else if (kind == "update_case") {
      params["ticket"] = data.value("ticket", "");
    } else if (kind == "status_query") {
      std::string ticket = data.value("ticket", "");
      params["ticket"] = ticket.empty() ? "ADU-1" : ticket;
      params["status"] =
          dialogs.Render("case_status.diterima", json::object(), language)
              .text;
    } else if (kind == "list_meetings") {
      params["meetings"] =
          "1. MKP Gitik, " +
          FormatDateTime(dialogs, kMeetingMs, 480, "", language);
    } else if (kind == "join_group" || kind == "leave_group") {
      std::string code = data.value("code", "");
      params["code"] = code;
      params["name"] = "Kelompok SPP Melati";
      if (code != "SPP01") {
        key = kind == "join_group" ? "group.not_found"
                                          : "group.not_member";
      }
    } else if (kind == "rsvp") {
      if (meetings > 1 && !data.contains("choice")) {
        key = "rsvp.which";
        params["list"] = "1. MKP Gitik\n2. Musdes Gitik";
      } else {
        params["title"] = "MKP Gitik";
        params["answer"] =
            dialogs.Render("rsvp.answer_" + data.value("answer", ""),
                           json::object(), language)
                .text;
      }
    } else if (kind == "staff_reply" || kind == "reopen_case") {
      params["ticket"] = data.value("ticket", "");
    } else if (kind == "staff_cases") {
      params["list"] = "ADU-1 diterima";
    }
    if (key.empty()) return "";
    std::string text = dialogs.Render(key, params, language).text;
    if (!effect.follow_up.text.empty()) text += "\n" + effect.follow_up.text;
    return text;
  }

  // The ticket of the case filed by the last step, as the gateway keeps it
  // in the session of a dialog that goes on ("_ticket"); "" if none.
  std::string TakeFiled() { return std::exchange(filed_, std::string()); }

 private:
  std::string filed_;
  static constexpr int64_t kMeetingMs = 1795395600000;  // 23 Nov 2026 01:00Z
  int usulan_ = 0;
  int pengaduan_ = 0;
};

// Replays the inputs of `steps` and returns the steps with actual outputs.
json Replay(const Dialogs& dialogs, const json& steps) {
  json actual = json::array();
  SessionState session;
  FakeStore store;
  int64_t now = kStartMs;
  std::string language = "id";
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
    if (step.contains("location")) {
      input.location = Location{step["location"][0].get<double>(),
                                step["location"][1].get<double>()};
      out_step["location"] = step["location"];
    }
    Context context;
    context.now = now += advance;
    if (step.contains("language")) {
      language = step["language"].get<std::string>();
      out_step["language"] = language;
    }
    context.language = language;
    context.channel_type = "sms";
    if (step.contains("rsvp_pending")) {
      context.rsvp_pending = step["rsvp_pending"].get<bool>();
      out_step["rsvp_pending"] = context.rsvp_pending;
    }
    int meetings = step.value("meetings", 1);
    if (step.contains("meetings")) out_step["meetings"] = meetings;
    if (step.contains("channel_type")) {
      context.channel_type = step["channel_type"].get<std::string>();
      out_step["channel_type"] = context.channel_type;
    }
    StepResult result = dialogs.Step(session, input, context);
    json out = json::array();
    json buttons = json::array();
    for (const Reply& r : result.replies) {
      out.push_back(r.text);
      if (context.channel_type != "sms") {
        json ids = json::array();
        for (const Choice& c : r.choices) ids.push_back(c.id + "=" + c.label);
        buttons.push_back(ids);
      }
    }
    json kinds = json::array();
    json data = json::array();
    for (const Effect& e : result.effects) {
      kinds.push_back(KindName(e.value));
      data.push_back(DataOf(e.value));
      if (const auto* set = std::get_if<SetLanguage>(&e.value)) language = set->language;
      std::string text = store.Apply(dialogs, e, context.language, meetings);
      if (!text.empty()) out.push_back(text);
    }
    std::string filed = store.TakeFiled();
    if (!filed.empty() && result.session.open()) result.session.vars["_ticket"] = filed;
    out_step["out"] = out;
    if (context.channel_type != "sms") out_step["buttons"] = buttons;
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
  auto dialogs = LoadDialogs(EmbeddedSources(), DemoPlaces());
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
  REQUIRE(files.size() >= 15);
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

// Real SMS traffic is replayed in routing_test.cc.

}  // namespace
}  // namespace suaradesa::dialogs
