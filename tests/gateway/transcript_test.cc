// Golden transcripts: whole conversations, replayed through the real inbound
// pipeline (Inbound::HandleMessage) with a real SQLite store in a temporary
// file, and compared with tests/dialogs/testdata/<name>.transcript.json.
//
// Every transcript starts from the same world, set up through the Notices
// service and the store interface as staff would set it up
// (tests/dialogs/testdata/transcript_world.json, tests/gateway/transcript_world.h):
// the demo area of TestConfig with the world's desa, group SPP01, the
// meetings staff may schedule, a staff member and the people who write in.
//
// A transcript is a JSON list of steps:
//   {"in": "USUL", "out": ["..."], "flow": "usulan", "node": "activity",
//    "cases": [...]}
// Inputs: "in" (text), optional "choice_id", "location" ([lat, lon]),
// "advance_ms" (time since the previous step; default one minute),
// "channel_type" ("sms" by default, "telegram" or "whatsapp"), "from" (who
// writes: "resident" by default, "neighbour" or "staff") and "invite" (keys
// of the world's meetings that staff schedule just before the step,
// inviting group SPP01, which the sender is added to first).
// Everything else is expected output: "out" holds the texts of
// InboundResult::replies ("buttons" their choices, off SMS), "flow" and
// "node" the dialog left open. What the step changed in the store, read
// through the store interface, follows when it changed: "cases" (every
// case: ticket, status, confidential, desa, summary, fields; never who
// filed it), and for the sender "contact" (language, opted out), "groups"
// (codes of the groups they belong to) and "invitations" (their upcoming
// meetings and answers).
//
// To regenerate after an intended change:
//   SUARADESA_UPDATE_GOLDEN=1 build/gateway_tests "[transcript]"
// then review the diff of tests/dialogs/testdata/.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "gateway/app.h"
#include "tests/gateway/transcript_world.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultAdvanceMs = 60 * 1000;

// Every case in the store, as the golden shows it.
json CasesIn(storage::Tx& tx) {
  json cases = json::array();
  for (storage::CaseType type : {storage::CaseType::kUsulan, storage::CaseType::kPengaduan}) {
    for (int64_t number = 1;; ++number) {
      auto c = tx.GetCase(type, number);
      if (!c) {
        REQUIRE(c.error().kind == storage::Error::Kind::kNotFound);
        break;
      }
      json fields = json::parse(c->fields_json, nullptr, false);
      cases.push_back({{"ticket", c->Ticket()},
                       {"status", c->status},
                       {"confidential", c->confidential},
                       {"desa", c->desa_code},
                       {"summary", c->summary},
                       {"fields", fields}});
    }
  }
  return cases;
}

// What the store holds about someone who never wrote.
json NobodyState() {
  return {{"contact", {{"language", "id"}, {"opted_out", false}}},
          {"groups", json::array()},
          {"invitations", json::array()}};
}

// What the store holds about the sender at `address` at `now`.
json SenderState(storage::Tx& tx, const std::string& address, int64_t now) {
  json state = NobodyState();
  auto id = tx.FindContactByAddress(address);
  REQUIRE(id.has_value());
  if (!*id) return state;
  auto contact = tx.GetContact(**id);
  REQUIRE(contact.has_value());
  state["contact"] = {{"language", contact->language}, {"opted_out", contact->opted_out}};
  auto groups = tx.ListGroups();
  REQUIRE(groups.has_value());
  for (const storage::Group& g : *groups) {
    auto members = tx.GroupMembers(g.id);
    REQUIRE(members.has_value());
    for (const storage::Member& m : *members) {
      if (m.contact_id == **id) state["groups"].push_back(g.code);
    }
  }
  auto invitations = tx.UpcomingInvitations(**id, now);
  REQUIRE(invitations.has_value());
  for (const storage::MeetingInvitation& mi : *invitations) {
    std::string line = mi.meeting.forum + " " + mi.meeting.title + ": " +
                       (mi.invitation.answer.empty() ? "-" : mi.invitation.answer);
    if (!mi.invitation.reason.empty()) line += " (" + mi.invitation.reason + ")";
    state["invitations"].push_back(line);
  }
  return state;
}

// Replays the inputs of `steps` and returns the steps with actual outputs.
json Replay(const json& world_data, const json& steps) {
  TranscriptWorld world(world_data);
  App& app = world.app();
  json actual = json::array();
  json cases = json::array();
  std::map<std::string, json> states;  // by sender address
  for (const json& step : steps) {
    json out_step = json::object();
    out_step["in"] = step.value("in", "");
    for (const char* input : {"choice_id", "location", "advance_ms", "channel_type", "from",
                              "invite"}) {
      if (step.contains(input)) out_step[input] = step[input];
    }
    world.clock().Advance(step.value("advance_ms", kDefaultAdvanceMs));
    const std::string type = step.value("channel_type", "sms");
    const std::string from = step.value("from", "resident");
    const std::string address = world.AddressOf(from, type);
    if (step.contains("invite")) {
      for (const json& key : step["invite"]) {
        world.Invite(key.get<std::string>(), world.AddressOf(from, "sms"));
      }
    }

    channels::InboundEvent event = world.MessageFrom(address, step.value("in", ""));
    event.choice_id = step.value("choice_id", "");
    if (step.contains("location")) {
      event.latitude = step["location"][0].get<double>();
      event.longitude = step["location"][1].get<double>();
    }
    auto result = app.inbound().HandleMessage(world.ChannelOf(type), event);
    INFO((result ? std::string() : result.error().message) << "\n" << world.logs());
    REQUIRE(result.has_value());
    REQUIRE_FALSE(result->duplicate);

    json out = json::array();
    json buttons = json::array();
    for (const dialogs::Reply& r : result->replies) {
      out.push_back(r.text);
      json ids = json::array();
      for (const dialogs::Choice& c : r.choices) ids.push_back(c.id + "=" + c.label);
      buttons.push_back(ids);
    }
    out_step["out"] = out;
    if (type != "sms") out_step["buttons"] = buttons;
    out_step["flow"] = result->flow;
    out_step["node"] = result->node;

    json now_cases;
    json state;
    storage::Status read = app.store().Transact([&](storage::Tx& tx) -> storage::Status {
      now_cases = CasesIn(tx);
      state = SenderState(tx, StoredAddress(world.ChannelOf(type), address),
                          world.clock().NowMillis());
      return {};
    });
    REQUIRE(read.has_value());
    if (now_cases != cases) out_step["cases"] = now_cases;
    cases = now_cases;
    const json before = states.contains(address) ? states[address] : NobodyState();
    for (const auto& [key, value] : state.items()) {
      if (before.at(key) != value) out_step[key] = value;
    }
    states[address] = state;
    actual.push_back(out_step);
  }
  return actual;
}

// Describes each step whose actual output differs from the golden one.
std::vector<std::string> Differences(const json& expected, const json& actual) {
  std::vector<std::string> diffs;
  if (expected.size() != actual.size()) {
    diffs.push_back("step count: expected " + std::to_string(expected.size()) + ", got " +
                    std::to_string(actual.size()));
  }
  for (size_t i = 0; i < expected.size() && i < actual.size(); ++i) {
    for (const auto& [key, value] : actual[i].items()) {
      json want = expected[i].contains(key) ? expected[i][key] : json();
      if (want != value) {
        diffs.push_back("step " + std::to_string(i) + " (in: " + actual[i]["in"].dump() +
                        ") " + key + ":\n  expected " + want.dump() + "\n  actual   " +
                        value.dump());
      }
    }
    for (const auto& [key, value] : expected[i].items()) {
      if (!actual[i].contains(key)) {
        diffs.push_back("step " + std::to_string(i) + ": unexpected key " + key);
      }
    }
  }
  return diffs;
}

bool UpdateGoldens() {
  const char* env = std::getenv("SUARADESA_UPDATE_GOLDEN");
  return env != nullptr && std::string(env) == "1";
}

TEST_CASE("Transcripts: the golden conversations replay exactly through the gateway",
          "[transcript]") {
  const json world = ReadJsonFile(DialogTestdataDir() / "transcript_world.json");
  REQUIRE(world.is_object());
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(DialogTestdataDir())) {
    if (entry.path().filename().string().ends_with(".transcript.json")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 15);
  for (const std::filesystem::path& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      json expected = ReadJsonFile(file);
      REQUIRE_FALSE(expected.is_discarded());
      REQUIRE(expected.is_array());
      json actual = Replay(world, expected);
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

TEST_CASE("Transcripts: a transcript whose output changed is reported", "[transcript]") {
  const json world = ReadJsonFile(DialogTestdataDir() / "transcript_world.json");
  json golden = Replay(world, json::parse(R"([{"in": "MENU"}])"));
  REQUIRE(golden[0]["out"].size() == 1);
  CHECK(Differences(golden, golden).empty());
  json changed = golden;
  changed[0]["out"][0] = "something else";
  std::vector<std::string> diffs = Differences(changed, golden);
  REQUIRE(diffs.size() == 1);
  CHECK(diffs[0].find("step 0") != std::string::npos);
  changed = golden;
  changed[0]["node"] = "other";
  CHECK(Differences(changed, golden).size() == 1);
  changed = golden;
  changed[0]["cases"] = json::array();
  CHECK(Differences(changed, golden).size() == 1);
}

}  // namespace
}  // namespace suaradesa::testing
