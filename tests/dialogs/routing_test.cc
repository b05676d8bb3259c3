// Routing over real and realistic first messages:
//  - testdata/routing.jsonl: first messages written the way villagers write
//    (typos, keywords inside sentences, abbreviations, Javanese, numbers in
//    words), each labelled with the flow it must start; at least 95% must.
//  - testdata/routing_heldout.jsonl: more such messages (SMS shorthand,
//    look-alike characters, colloquial verb forms, polite openers, spam
//    look-alikes), never tuned against; its share is reported and floored.
//  - ../shared/corpus/real_sms.jsonl (real SMS traffic: spam, fraud,
//    chatter): as the first message of a new contact none may create a case,
//    confirm anything, opt out, answer an invitation, or get more than two
//    replies.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dialogs/engine.h"

namespace suaradesa::dialogs {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1780000000000;
// The held-out share reached (in %), asserted so that it cannot regress.
constexpr double kHeldOutFloor = 95.0;

std::unique_ptr<Dialogs> Load() {
  Options options;
  options.places = {
      {"3510070", "Rogojampi", ""},
      {"3510070001", "Gitik", "3510070"},
      {"3510070002", "Kaotan", "3510070"},
  };
  auto dialogs = LoadDialogs(EmbeddedSources(), options);
  REQUIRE(dialogs.has_value());
  return std::move(*dialogs);
}

// The flow a first message started: the open flow, or for flows that end at
// once, the flow their effect or reply belongs to.
std::string StartedFlow(const StepResult& result) {
  static const std::pair<const char*, const char*> kByEffect[] = {
      {"status_query", "status"}, {"list_meetings", "jadwal"},
      {"opt_out", "berhenti"},    {"opt_in", "mulai"},
      {"join_group", "gabung"},   {"leave_group", "keluar"},
      {"rsvp", "rsvp"},           {"set_language", "bahasa"},
      {"staff_reply", "balas"},   {"staff_cases", "kasus"},
      {"reopen_case", "buka"},    {"create_case", "CREATE_CASE"},
  };
  for (const Effect& e : result.effects) {
    for (const auto& [kind, flow] : kByEffect) {
      if (e.kind == kind) return flow;
    }
  }
  for (const Reply& r : result.replies) {
    if (r.key.starts_with("cancel.")) return "batal";
  }
  return result.session.flow;
}

std::vector<json> ReadJsonLines(const std::filesystem::path& path) {
  std::vector<json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json record = json::parse(line, nullptr, false);
    REQUIRE_FALSE(record.is_discarded());
    out.push_back(std::move(record));
  }
  return out;
}

StepResult FirstMessage(const Dialogs& dialogs, const std::string& text,
                        const std::string& channel = "sms") {
  Context context;
  context.now = kNow;
  context.channel_type = channel;
  Input input;
  input.text = text;
  return dialogs.Step(SessionState{}, input, context);
}

// Routes every labelled first message of `file`; returns the share (in %)
// that started the labelled flow, printing it and the misrouted ones.
double RoutedShare(const Dialogs& dialogs, const std::string& file,
                   size_t min_cases) {
  std::vector<json> cases = ReadJsonLines(
      std::filesystem::path(SUARADESA_SOURCE_DIR) / "tests" / "dialogs" /
      "testdata" / file);
  REQUIRE(cases.size() >= min_cases);
  int right = 0;
  std::vector<std::string> wrong;
  for (const json& c : cases) {
    std::string text = c.value("text", "");
    std::string want = c.value("flow", "");
    StepResult result = FirstMessage(dialogs, text);
    std::string got = StartedFlow(result);
    if (got == want) {
      ++right;
    } else {
      wrong.push_back(text + " -> " + got + " (want " + want + ")");
    }
    CHECK(got != "CREATE_CASE");
  }
  double share = 100.0 * right / static_cast<double>(cases.size());
  std::cout << file << ": " << right << "/" << cases.size() << " = " << share
            << "% start the right flow\n";
  WARN(file << ": " << right << "/" << cases.size() << " = " << share << "%");
  for (const std::string& w : wrong) UNSCOPED_INFO("misrouted: " << w);
  return share;
}

// routing.jsonl is the tuning set; routing_heldout.jsonl was written before
// the normalisation and word-form work and is never tuned against: its
// figure is the honest one.
TEST_CASE("Routing: villagers' first messages start the right flow",
          "[dialogs][routing]") {
  std::unique_ptr<Dialogs> dialogs = Load();
  CHECK(RoutedShare(*dialogs, "routing.jsonl", 120) >= 95.0);
}

TEST_CASE("Routing: held-out first messages start the right flow",
          "[dialogs][routing]") {
  std::unique_ptr<Dialogs> dialogs = Load();
  CHECK(RoutedShare(*dialogs, "routing_heldout.jsonl", 80) >= kHeldOutFloor);
}

TEST_CASE("Routing: the measure itself tells right from wrong",
          "[dialogs][routing]") {
  std::unique_ptr<Dialogs> dialogs = Load();
  CHECK(StartedFlow(FirstMessage(*dialogs, "USUL sumur")) == "usulan");
  CHECK(StartedFlow(FirstMessage(*dialogs, "halo")) == "menu");
  CHECK(StartedFlow(FirstMessage(*dialogs, "STOP")) == "berhenti");
  CHECK(StartedFlow(FirstMessage(*dialogs, "STOP")) != "menu");
}

TEST_CASE("Routing: real SMS as a first message does nothing harmful",
          "[dialogs][corpus]") {
  std::filesystem::path corpus = std::filesystem::path(SUARADESA_SOURCE_DIR) /
                                 ".." / "shared" / "corpus" /
                                 "real_sms.jsonl";
  if (!std::filesystem::exists(corpus)) {
    WARN("corpus missing, skipped: " << corpus.string());
    return;
  }
  std::unique_ptr<Dialogs> dialogs = Load();
  std::vector<json> records = ReadJsonLines(corpus);
  REQUIRE_FALSE(records.empty());
  for (const json& record : records) {
    std::string text = record.value("text", "");
    for (const char* channel : {"sms", "telegram"}) {
      INFO(channel << ": " << text);
      StepResult result = FirstMessage(*dialogs, text, channel);
      CHECK(result.replies.size() + result.effects.size() <= 2);
      for (const Effect& e : result.effects) {
        CHECK(e.kind != "create_case");
        CHECK(e.kind != "opt_out");
        CHECK(e.kind != "rsvp");
        CHECK(e.kind != "staff_reply");
      }
      // Taken as a confirmation: a reply that thanks for a finished case.
      for (const Reply& r : result.replies) {
        CHECK_FALSE(r.key.ends_with(".done"));
        CHECK(r.text.size() <= 306 + text.size());
      }
      // And the yes that may follow confirms nothing either.
      Input yes;
      yes.text = "ya";
      Context context;
      context.now = kNow + 60000;
      context.channel_type = channel;
      StepResult next = dialogs->Step(result.session, yes, context);
      for (const Effect& e : next.effects) CHECK(e.kind != "create_case");
    }
  }
}

}  // namespace
}  // namespace suaradesa::dialogs
