// Whole conversations on SMS by a simulated villager, measured for issue 14
// item 8, run through the real gateway: each conversation is a fresh
// TranscriptWorld (tests/gateway/transcript_world.h: the real App on a temp
// SQLite file, the world of testdata/transcript_world.json), every message
// goes through Inbound::HandleMessage, and what happened is read from the
// InboundResult (replies, the dialog left open) and the store interface
// (cases, group members, invitations, the contact).
//
// The sets (one JSON object a line, in tests/dialogs/testdata):
//  - conversations.jsonl: the tuning set;
//  - conversations_heldout.jsonl: written and committed before this
//    runner and before any tuning, never tuned against: its figures are the
//    honest ones;
//  - conversations_tuning2.jsonl, conversations_heldout2.jsonl: three
//    writers none of the dialogs had seen (a tofu maker writing Javanese
//    ngoko, a young ojek driver's chat slang; a retired village clerk's
//    formal letters), 20 conversations each, written by the world's facts
//    alone; the clerk's set was drawn at random (seeded) to be held out
//    and was never read;
//  - conversations_tuning3.jsonl, conversations_heldout3.jsonl: the same
//    way, three more writers (a Sundanese tailor, a Bugis trader; a Kupang
//    midwife's assistant, drawn and held out, never read).
// A conversation: {"id", "register", "channel": "sms", "opening": the first
// message, "expect": the flow it should complete ("pengaduan", "usulan",
// "status", "jadwal", "gabung", "rsvp", "berhenti", "menu" for a question
// about the service itself ("ini nomor apa?"), or "chatter" for
// greetings, thanks and spam that must start nothing), "facts": what the
// villager answers, keyed by the flows' `var` names, "in_opening": the fact
// keys the opening already carries (optional)}.
//
// What the world holds before the opening, by what the conversation expects:
//  - status: the cases the opening names (ADU-5, USL 7), filed by the
//    villager (lower numbers by the neighbour); when it names none, the
//    villager's complaint ADU-1;
//  - rsvp: the villager is in the world's group, invited to its meeting
//    MKP, not answered yet;
//  - jadwal: the same invitation, already answered (so none is pending);
//  - anything else: the world alone (the group exists; the villager is in
//    none).
//
// The villager's policy, one answer per question the gateway asks:
//  1. The question is the node the dialog is left at (InboundResult::flow,
//     node); its `var` and `type` are read from dialogs/flows/<flow>.json.
//  2. A confirm node is answered with the yes word; one whose prompt asked
//     for the desa too (the node's "prompt_no_place") with the yes word and
//     the place's fact ("ya, desa Kaotan rt 3").
//  3. A question whose choices include one with the id of the expected flow
//     (the menu, or an offer such as "complaint or proposal?") is answered
//     with that choice's number, as a villager reading the list would.
//  4. Otherwise the node's var is mapped to a fact by kVarFacts (then by the
//     var's own name); a var "details" gets the facts "where" and "when"
//     joined. The fact, if present, is the answer. A question that asks
//     for the place too (the node's "asks_place": "what happened, and in
//     which desa?") gets that place's fact after it ("..., kaotan rt 3").
//  5. With no fact: a skippable node gets the skip word; any other node is
//     an "unscripted question" and gets the don't-know word.
//  6. A node asked again after it was answered is a "repeated question"
//     (the villager never corrects anything, so every repeat counts). The
//     second time it is answered with the skip word if skippable, else the
//     don't-know word; after kMaxAsks asks the villager gives up (stuck).
//  7. When no dialog is open after a message and the expected flow has not
//     been reached, the villager sends the menu word once (as the hint
//     says), then gives up.
//  8. A dialog other than the expected one (a status question taken as a
//     complaint, a menu without the wanted choice) is a miss: the villager
//     stops there, so a wrong dialog is never walked into a case.
//  9. "chatter" conversations send only the opening: reached if no dialog
//     is open afterwards and no case was made.
// The villager's words are testdata too (testdata/conversation_villager.json).
//
// Reached, as the store and the replies show it:
//  - pengaduan, usulan: a case of that type filed by the villager, a reply
//    naming its ticket, and no dialog left open (the details asked after
//    filing answered or skipped);
//  - status: a status reply (key status.result) naming one of the
//    villager's tickets;
//  - jadwal: a list of meetings (key jadwal.list) that shows the meeting's
//    place;
//  - gabung: the villager is a member of the group;
//  - rsvp: the villager's invitation has an answer;
//  - berhenti: the villager is opted out;
//  - menu: the menu is shown (a question about the service; two tuning
//    conversations written as "chatter", "min ini nomer apa ya?" and "INI
//    NOMR APA? ... BYR DAK KLO SMS KSINI?", were relabelled "menu" at stop
//    36: the menu, which says what the service does, answers them better
//    than the one short line chatter gets; so was tuning 7's "lur iki nomer
//    resmi desa ta? ..." at stop 37).
//
// SUARADESA_CONVERSATION_TRACE=<id> prints that conversation, both ways.
//
// Measured per conversation: reached, repeated questions, unscripted
// questions, questions about what the opening already said, SMS and
// segments from the villager, segments to the villager (every reply
// queued), and whether a case was created.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "gateway/app.h"
#include "gateway/channels/sms_segments.h"
#include "tests/dialogs/testdata.h"
#include "tests/gateway/transcript_world.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr int64_t kStepMs = 60 * 1000;
constexpr int kMaxMessages = 30;  // from the villager, per conversation
constexpr int kMaxAsks = 3;       // of one node, before the villager gives up
// The meeting of the world a pending (rsvp) or answered (jadwal)
// invitation is for.
constexpr char kMeeting[] = "MKP";

// A node's var -> the fact key that answers it. Vars not listed are looked
// up by their own name; "details" (where and when together) is joined.
struct VarFact {
  const char* var;
  const char* fact;
};
constexpr VarFact kVarFacts[] = {
    // pengaduan
    {"what", "what"},
    {"category", "category"},
    {"where", "where"},
    {"when", "when"},
    {"who", "who"},
    {"privacy", "privacy"},
    // usulan
    {"activity", "activity"},
    {"desa", "desa"},
    {"location", "location"},
    {"volume", "volume"},
    {"households", "households"},
    {"rtm", "rtm"},
    {"women", "women"},
    {"cost", "cost"},
    {"swadaya", "swadaya"},
    {"proposer", "proposer"},
    {"forum", "forum"},
    // gabung
    {"code", "code"},
};

constexpr const char* kExpectations[] = {"pengaduan", "usulan", "status",   "jadwal",
                                         "gabung",    "rsvp",   "berhenti", "menu",
                                         "chatter"};

// Every flow's nodes by id, read from dialogs/flows/*.json.
class FlowNodes {
 public:
  FlowNodes() {
    const std::filesystem::path dir =
        std::filesystem::path(SUARADESA_SOURCE_DIR) / "dialogs" / "flows";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      json flow = ReadJsonFile(entry.path());
      REQUIRE_FALSE(flow.is_discarded());
      std::string name = flow.value("name", entry.path().stem().string());
      for (const json& node : flow.value("nodes", json::array())) {
        nodes_[name + "/" + node.value("id", "")] = node;
      }
    }
  }

  // The node, or an empty object if the flow files do not have it.
  json Find(const std::string& flow, const std::string& node) const {
    auto it = nodes_.find(flow + "/" + node);
    return it == nodes_.end() ? json::object() : it->second;
  }

 private:
  std::map<std::string, json> nodes_;
};

struct Villager {
  json words = ReadJsonFile(DialogTestdataDir() / "conversation_villager.json");
  std::string Word(const char* key) const { return words.value(key, ""); }
};

// The fact that answers `var`, or "" if the villager has none.
std::string FactFor(const std::string& var, const json& facts) {
  auto fact = [&facts](const std::string& key) {
    return facts.contains(key) ? facts[key].get<std::string>() : std::string();
  };
  for (const VarFact& vf : kVarFacts) {
    if (var == vf.var) return fact(vf.fact);
  }
  if (var == "details") {
    std::string where = fact("where");
    std::string when = fact("when");
    if (where.empty() || when.empty()) return where + when;
    return where + ", " + when;
  }
  return fact(var);
}

struct Outcome {
  std::string id;
  std::string expect;
  bool reached = false;
  bool case_created = false;
  bool ticket_given = false;  // a reply named the ticket of the expected case
  bool stuck = false;
  int repeated = 0;
  int unscripted = 0;
  int asked_opening = 0;  // questions about what the opening already said
  int sms_in = 0;
  int segments_in = 0;
  int segments_out = 0;
  std::vector<std::string> notes;
  std::string last_text;  // the villager's last message, for misses
};

bool IsCaseFlow(const std::string& flow) {
  return flow == "pengaduan" || flow == "usulan";
}

// What the store holds about the villager, read through the store interface.
struct Observed {
  std::vector<storage::Case> cases;  // filed by the villager
  bool in_group = false;             // a member of the world's group
  int answered = 0;                  // upcoming invitations with an answer
  bool opted_out = false;
};

Observed Observe(TranscriptWorld& world, const std::string& address) {
  Observed seen;
  const std::string code = world.data()["group"]["code"].get<std::string>();
  const int64_t now = world.clock().NowMillis();
  storage::Status read = world.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
    auto id = tx.FindContactByAddress(StoredAddress(world.ChannelOf("sms"), address));
    if (!id) return std::unexpected(id.error());
    if (!*id) return {};
    auto contact = tx.GetContact(**id);
    if (!contact) return std::unexpected(contact.error());
    seen.opted_out = contact->opted_out;
    auto cases = tx.CasesOfContact(**id);
    if (!cases) return std::unexpected(cases.error());
    seen.cases = *cases;
    auto group = tx.FindGroup(code);
    if (!group) return std::unexpected(group.error());
    if (*group) {
      auto members = tx.GroupMembers((*group)->id);
      if (!members) return std::unexpected(members.error());
      for (const storage::Member& m : *members) {
        if (m.contact_id == **id) seen.in_group = true;
      }
    }
    auto invitations = tx.UpcomingInvitations(**id, now);
    if (!invitations) return std::unexpected(invitations.error());
    for (const storage::MeetingInvitation& mi : *invitations) {
      if (!mi.invitation.answer.empty()) ++seen.answered;
    }
    return {};
  });
  INFO((read ? std::string() : read.error().message));
  REQUIRE(read.has_value());
  return seen;
}

// The contact writing from `address` by SMS, as the inbound pipeline finds
// or creates it.
storage::Contact ContactAt(storage::Tx& tx, TranscriptWorld& world, const std::string& address) {
  channels::InboundEvent event;
  event.address = address;
  event.user_id = address;
  auto contact = tx.FindOrCreateContact(ContactRefOf(world.ChannelOf("sms"), event),
                                        world.clock().NowMillis());
  REQUIRE(contact.has_value());
  return *contact;
}

// Files, through the store interface, the cases a status conversation asks
// about (see the file comment).
void FileCasesAskedAbout(TranscriptWorld& world, const std::string& opening,
                         const std::string& villager, const std::string& neighbour) {
  std::map<storage::CaseType, int64_t> wanted;  // type -> the number asked about
  // As villagers write them: "ADU-5", "USL 7", "adu5".
  static const std::regex kTicket("\\b(ADU|USL)[- ]?([0-9]+)\\b", std::regex::icase);
  for (std::sregex_iterator it(opening.begin(), opening.end(), kTicket), end; it != end; ++it) {
    std::string prefix = (*it)[1].str();
    std::transform(prefix.begin(), prefix.end(), prefix.begin(), ::toupper);
    const storage::CaseType type =
        prefix == "ADU" ? storage::CaseType::kPengaduan : storage::CaseType::kUsulan;
    wanted[type] = std::max<int64_t>(wanted[type], std::stoll((*it)[2].str()));
  }
  if (wanted.empty()) wanted[storage::CaseType::kPengaduan] = 1;
  const std::string desa = world.data()["desa"][0]["code"].get<std::string>();
  storage::Status filed = world.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
    const storage::Contact mine = ContactAt(tx, world, villager);
    const storage::Contact other = ContactAt(tx, world, neighbour);
    for (const auto& [type, number] : wanted) {
      for (int64_t n = 1; n <= number; ++n) {
        storage::Case c;
        c.type = type;
        c.contact_id = n == number ? mine.id : other.id;
        c.channel_id = world.ChannelOf("sms").id;
        c.area_code = desa.substr(0, 7);
        c.desa_code = desa;
        c.summary = "case " + std::to_string(n);
        c.created_at = c.updated_at = world.clock().NowMillis();
        auto created = tx.CreateCase(c);
        if (!created) return std::unexpected(created.error());
        REQUIRE(created->number == n);
      }
    }
    return {};
  });
  INFO((filed ? std::string() : filed.error().message));
  REQUIRE(filed.has_value());
}

// Sets up what the world holds before a conversation expecting `expect`.
void Prepare(TranscriptWorld& world, const json& conversation, const std::string& address) {
  const std::string expect = conversation.value("expect", "");
  if (expect == "status") {
    FileCasesAskedAbout(world, conversation.value("opening", ""), address,
                        world.AddressOf("neighbour", "sms"));
  } else if (expect == "rsvp" || expect == "jadwal") {
    world.Invite(kMeeting, address);
  }
  if (expect != "jadwal") return;
  storage::Status answered = world.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
    const storage::Contact contact = ContactAt(tx, world, address);
    const int64_t now = world.clock().NowMillis();
    auto invitations = tx.UpcomingInvitations(contact.id, now);
    if (!invitations) return std::unexpected(invitations.error());
    REQUIRE(invitations->size() == 1);
    return tx.SetRsvp(invitations->front().meeting.id, contact.id, "hadir", "", now);
  });
  REQUIRE(answered.has_value());
}

// Whether the replies of one message, with the store after it, reach a
// non-case flow (see the file comment).
bool ReachesEffect(const std::string& expect, const std::vector<dialogs::Reply>& replies,
                   const Observed& seen, const std::string& place) {
  auto any_reply = [&replies](const std::string& key, auto&& names) {
    return std::any_of(replies.begin(), replies.end(), [&](const dialogs::Reply& r) {
      return r.key == key && names(r.text);
    });
  };
  if (expect == "status") {
    return any_reply("status.result", [&seen](const std::string& text) {
      return std::any_of(seen.cases.begin(), seen.cases.end(), [&](const storage::Case& c) {
        return text.find(c.Ticket()) != std::string::npos;
      });
    });
  }
  if (expect == "jadwal") {
    return any_reply("jadwal.list", [&place](const std::string& text) {
      return text.find(place) != std::string::npos;
    });
  }
  if (expect == "menu") {
    return any_reply("menu.prompt", [](const std::string&) { return true; });
  }
  if (expect == "gabung") return seen.in_group;
  if (expect == "rsvp") return seen.answered > 0;
  if (expect == "berhenti") return seen.opted_out;
  return false;
}

// What the villager answers at `node` (policy points 2 to 6).
std::string Answer(const json& conversation, const json& node,
                   const std::vector<dialogs::Choice>& offered, int asks, bool asked_place,
                   const Villager& villager, Outcome& outcome) {
  const json facts = conversation.value("facts", json::object());
  if (node.value("type", "") == "confirm") {
    // "Reply YES and the desa": both, as asked.
    const std::string place = FactFor(node.value("asks_place", ""), facts);
    if (asked_place && !place.empty()) return villager.Word("yes") + ", " + place;
    return villager.Word("yes");
  }
  const std::string expect = conversation.value("expect", "");
  for (size_t i = 0; i < offered.size(); ++i) {
    if (offered[i].id == expect) return std::to_string(i + 1);
  }
  const bool skippable = node.value("skippable", false);
  if (asks > 1) return villager.Word(skippable ? "skip" : "unknown");
  const std::string var = node.value("var", "");
  std::string fact = FactFor(var, facts);
  // "What happened, and in which desa?": both, as asked.
  if (std::string place = FactFor(node.value("asks_place", ""), facts);
      !fact.empty() && !place.empty()) {
    return fact + ", " + place;
  }
  if (!fact.empty()) return fact;
  if (skippable) return villager.Word("skip");
  ++outcome.unscripted;
  outcome.notes.push_back("unscripted question: " + node.value("id", "?") + " (var '" + var +
                          "')");
  return villager.Word("unknown");
}

Outcome Converse(const json& world_data, const FlowNodes& flows, const Villager& villager,
                 const json& conversation) {
  Outcome outcome;
  outcome.id = conversation.value("id", "");
  outcome.expect = conversation.value("expect", "");
  INFO("conversation " << outcome.id);
  REQUIRE(std::find(std::begin(kExpectations), std::end(kExpectations), outcome.expect) !=
          std::end(kExpectations));
  const char* trace_id = std::getenv("SUARADESA_CONVERSATION_TRACE");
  const bool trace = trace_id != nullptr && outcome.id == trace_id;
  std::set<std::string> in_opening;
  for (const json& key : conversation.value("in_opening", json::array())) {
    in_opening.insert(key.get<std::string>());
  }

  TranscriptWorld world(world_data);
  const ChannelInfo sms = world.ChannelOf("sms");
  const std::string address = world.AddressOf("resident", "sms");
  const std::string place = world_data["meetings"][kMeeting]["place"].get<std::string>();
  Prepare(world, conversation, address);
  std::set<int64_t> cases_before;
  for (const storage::Case& c : Observe(world, address).cases) cases_before.insert(c.id);

  std::string text = conversation.value("opening", "");
  std::map<std::string, int> asks;  // "flow/node" -> times asked
  std::set<std::string> tickets_named;
  bool menu_sent = false;
  while (outcome.sms_in < kMaxMessages) {
    outcome.last_text = text;
    ++outcome.sms_in;
    outcome.segments_in += channels::CountSms(text).segments;
    world.clock().Advance(kStepMs);
    auto result = world.app().inbound().HandleMessage(sms, world.MessageFrom(address, text));
    INFO((result ? std::string() : result.error().message) << "\n" << world.logs());
    REQUIRE(result.has_value());
    REQUIRE_FALSE(result->duplicate);
    if (trace) std::cout << "> " << text << "\n";
    std::vector<dialogs::Choice> offered;
    std::set<std::string> keys;
    for (const dialogs::Reply& r : result->replies) {
      keys.insert(r.key);
      if (trace) std::cout << "< [" << r.key << "] " << r.text << "\n";
      outcome.segments_out += channels::CountSms(r.text).segments;
      if (!r.choices.empty()) offered = r.choices;
    }
    const Observed seen = Observe(world, address);
    for (const storage::Case& c : seen.cases) {
      if (cases_before.contains(c.id)) continue;
      outcome.case_created = true;
      if (storage::CaseTypeName(c.type) != outcome.expect) continue;
      for (const dialogs::Reply& r : result->replies) {
        if (r.text.find(c.Ticket()) != std::string::npos) outcome.ticket_given = true;
      }
    }
    const bool open = !result->flow.empty();
    if (trace) {
      std::cout << "  [" << (open ? result->flow + "/" + result->node : "no dialog") << "; "
                << seen.cases.size() << " case(s), in group " << seen.in_group
                << ", answered " << seen.answered << ", opted out " << seen.opted_out << "]\n";
    }
    // A case is reached once its ticket was given and its dialog is done
    // (the details asked after filing answered or skipped).
    if (outcome.ticket_given && !open) outcome.reached = true;
    if (!IsCaseFlow(outcome.expect) &&
        ReachesEffect(outcome.expect, result->replies, seen, place)) {
      outcome.reached = true;
    }
    if (outcome.reached) break;
    if (outcome.expect == "chatter") {
      outcome.reached = !open && !outcome.case_created;
      if (open) outcome.notes.push_back("opened " + result->flow + "/" + result->node);
      break;
    }
    if (!open) {
      if (menu_sent) {
        outcome.notes.push_back("no dialog open after: " + text);
        break;
      }
      outcome.notes.push_back("no dialog open, villager asks for the menu");
      menu_sent = true;
      text = villager.Word("menu");
      continue;
    }
    const std::string where = result->flow + "/" + result->node;
    const bool offers_expected =
        std::any_of(offered.begin(), offered.end(),
                    [&](const dialogs::Choice& c) { return c.id == outcome.expect; });
    if (result->flow != outcome.expect && !offers_expected) {
      outcome.notes.push_back("wrong dialog: " + where + " after '" + text + "'");
      break;
    }
    json node = flows.Find(result->flow, result->node);
    const int times = ++asks[where];
    if (times > 1) {
      ++outcome.repeated;
      outcome.notes.push_back("repeated question: " + where + " after '" + text + "'");
    }
    if (times > kMaxAsks) {
      outcome.stuck = true;
      outcome.notes.push_back("stuck at " + where);
      break;
    }
    if (times == 1 && in_opening.count(node.value("var", "")) > 0) {
      ++outcome.asked_opening;
      outcome.notes.push_back("asked what the opening said: " + where);
    }
    const bool asked_place = keys.contains(node.value("prompt_no_place", std::string("-")));
    text = Answer(conversation, node, offered, times, asked_place, villager, outcome);
  }
  if (outcome.expect != "chatter" && !IsCaseFlow(outcome.expect) && outcome.case_created) {
    outcome.notes.push_back("a case was created");
  }
  return outcome;
}

struct SetFigures {
  int total = 0;
  int reached = 0;
  int repeated = 0;
  int unscripted = 0;
  int asked_opening = 0;
  int chatter_cases = 0;      // chatter or non-case conversations with a case
  int case_done = 0;          // completed complaints and proposals
  int case_segments_in = 0;
  int case_segments_out = 0;  // segments to the villager
  int other_done = 0;         // reached status, jadwal, gabung, rsvp, berhenti
  int other_sms_in = 0;       // their SMS from the villager
  // Per flow (every one but chatter): reached, SMS from the villager (sum,
  // max), segments from and to the villager (sums).
  std::map<std::string, std::array<int, 5>> by_flow;
};

SetFigures RunSet(const std::string& file, size_t min_conversations) {
  const json world = ReadJsonFile(DialogTestdataDir() / "transcript_world.json");
  REQUIRE(world.is_object());
  FlowNodes flows;
  Villager villager;
  std::vector<json> conversations = dialogs::ReadJsonLines(DialogTestdataDir() / file);
  REQUIRE(conversations.size() >= min_conversations);
  SetFigures f;
  for (const json& conversation : conversations) {
    Outcome o = Converse(world, flows, villager, conversation);
    ++f.total;
    f.repeated += o.repeated;
    f.unscripted += o.unscripted;
    f.asked_opening += o.asked_opening;
    if (o.reached) ++f.reached;
    if (!IsCaseFlow(o.expect) && o.case_created) ++f.chatter_cases;
    if (o.reached && IsCaseFlow(o.expect)) {
      ++f.case_done;
      f.case_segments_in += o.segments_in;
      f.case_segments_out += o.segments_out;
    } else if (o.reached && o.expect != "chatter") {
      ++f.other_done;
      f.other_sms_in += o.sms_in;
    }
    if (o.reached && o.expect != "chatter") {
      auto& row = f.by_flow[o.expect];
      ++row[0];
      row[1] += o.sms_in;
      row[2] = std::max(row[2], o.sms_in);
      row[3] += o.segments_in;
      row[4] += o.segments_out;
    }
    if (!o.reached || !o.notes.empty()) {
      std::cout << "  " << o.id << " [" << o.expect << "] " << (o.reached ? "reached" : "MISSED")
                << ", " << o.sms_in << " SMS";
      for (const std::string& n : o.notes) std::cout << "; " << n;
      std::cout << "\n";
      if (!o.reached) {
        UNSCOPED_INFO("missed: " << o.id << " (last sent: " << o.last_text << ")");
      }
    }
  }
  std::cout << file << ": " << f.reached << "/" << f.total << " reached; repeated questions "
            << f.repeated << "; unscripted questions " << f.unscripted
            << "; asked what the opening said " << f.asked_opening
            << "; non-case conversations with a case " << f.chatter_cases << "\n";
  for (const auto& [flow, row] : f.by_flow) {
    std::cout << "  " << flow << ": " << row[0] << " reached, SMS from the villager avg "
              << static_cast<double>(row[1]) / row[0] << ", max " << row[2]
              << "; segments from the villager avg " << static_cast<double>(row[3]) / row[0]
              << ", to the villager avg " << static_cast<double>(row[4]) / row[0] << "\n";
  }
  std::cout << "  status, jadwal, gabung, rsvp, berhenti: " << f.other_done
            << " reached with " << f.other_sms_in << " SMS from the villager\n";
  if (f.case_done > 0) {
    std::cout << "  per completed complaint/proposal: segments from the villager avg "
              << static_cast<double>(f.case_segments_in) / f.case_done
              << ", segments to the villager avg "
              << static_cast<double>(f.case_segments_out) / f.case_done << "\n";
  }
  return f;
}

// What each set reached when this runner was written (issue 14 item 8),
// asserted so that it cannot get worse: conversations reached at least,
// repeated questions, questions about what the opening said, and the
// average SMS from the villager per completed complaint and proposal at
// most; and the SMS it took to reach the other flows (a status, the
// meetings, joining a group, an answer to an invitation) at most, so that a
// first answer that fails and is recovered through the menu shows.
// Raise the floors (lower the ceilings) as the dialogs improve.
struct Floors {
  int reached;
  int repeated_max;
  int asked_opening_max;
  double complaint_sms_max;
  double proposal_sms_max;
  int other_sms_max;
};
// Lowered at stop 36, when "what happened?" and "which activity?" came to
// ask for the desa too (flows' asks_place): over the five held-out sets a
// complaint went from 2.54 to 2.20 SMS on average, a proposal from 5.77 to
// 5.67. The villager of this runner answers such a question with both facts
// (policy point 4); one who gives only the story is asked the desa after the
// ticket, as before.
// Raised when complaints and proposals were filed at once (issue 14 item
// 4): a complaint 2.1 / 2.0 SMS, a proposal 5.75 / 6.0 (targets 2 and 6).
// The other flows: 5 SMS for 5 (tuning), 11 for 10 (held-out: h32 names
// no group and is asked for its code), when they moved to the gateway.
constexpr Floors kTuningFloors{25, 0, 0, 1.9, 5.75, 5};
constexpr Floors kHeldOutFloors{36, 0, 1, 1.85, 5.55, 11};
// The second round as written: tuning 38/40 reached, 7 questions about
// what the opening said; held out 18/20, 3 repeated, 4. After tuning (sizes
// and places read from the opening, groups joined by their name's words,
// a comma typed without its space, a formal letter's answer to an
// invitation): tuning 40/40 and 3, held out 19/20 and 2.
constexpr Floors kTuning2Floors{40, 0, 1, 1.86, 5.43, 10};
constexpr Floors kHeldOut2Floors{19, 1, 1, 2.0, 5.29, 4};
// The third round: the Bugis trader's set 16/20 as written, the tailor's
// 18/20 at its first run (after part of the fixes); 39/40 after them all
// (a place's consonants with some left out, "lmhbg dewo"; sizes in words,
// "sepuluh unit"; Bugis and Sundanese particles in a group's code;
// "sudah"/"tapi" before an invitation's answer). The held-out set was
// first run after those fixes: 18/20.
constexpr Floors kTuning3Floors{40, 1, 1, 2.0, 5.15, 10};
constexpr Floors kHeldOut3Floors{20, 0, 1, 1.86, 5.43, 5};
// The fourth round as written: a tempe maker's Javanese krama 19/20 (a
// 29-word "mboten saged rawuh" offered as a complaint), a young farmer's
// shorthand 17/20 ("gk tau" to the households asked for ever); the held-out
// set, an old farmer whose granddaughter types (drawn at random, never
// read), 16/20 with 10 repeated questions. After the fixes (a question
// with no skip answered "gk tau" twice is kept as not known; a desa named
// before the keyword and a cost after "biaya" in the opening are not asked;
// a cost answer's total; a long answer to an invitation that opens with
// it): tuning 40/40, held out 19/20 with 5 repeated, 4 asked of what the
// opening said, a complaint 3 SMS and a proposal 6.6 (targets 2 and 6:
// not met on this set).
constexpr Floors kTuning4Floors{40, 3, 0, 1.86, 5.36, 10};
// Stop 42: held out 20/20, its invitation answer read since a short
// sentence of its own or a reason closed by an apology answers (rsvp.cc);
// five other conversations then reach with one SMS each.
constexpr Floors kHeldOut4Floors{20, 5, 2, 2.29, 6.43, 5};
// The fifth round as written: an angry former RT head in capitals 19/20
// (his story before "SAYA MAU LAPOR" asked again; a long answer to the
// invitation that opens with the meeting's place read as asking the
// schedule), a student's slang for his parents 19/20 ("lmhbang kulon"
// not a place, then asked for ever). The held-out set, an SPP chair
// writing for her group (drawn at random, never read), 19/20 with 1
// repeated question, 2 asked of what the opening said, at its first run
// (before any of the round's fixes) and since.
// Stop 37: with blind sets 162, 163 and 165 in the intent model's training,
// lx16's "min mau tanya blt bokap gw kok gk cair2 ya" is taken for a status
// question (the model, 95% sure) instead of offered as a complaint: one more
// SMS and one question of what the opening said. Left so: the held-out sets
// did not move either way.
constexpr Floors kTuning5Floors{40, 0, 1, 2.0, 5.43, 11};
constexpr Floors kHeldOut5Floors{19, 0, 1, 2.15, 5.15, 5};
// Stop 36's round-6 fixes (a group joined by its own name's word among
// other words, a Madurese yes before an invitation's answer and a question,
// "mbah2nya" no number, "JD" a total) took held-out 3 to 19/20 and held-out
// 5 to 0 repeated questions; the menu for "min ini nomer apa ya?" made one
// more SMS of tuning 5's other flows.
// The sixth round, written after the place was asked with the story: a
// Madurese fish seller's wife and a Lampung coffee farmer typing capitals
// without vowels (tuning: 36/40 as written, 3 repeated questions; 40/40 and
// 0 since); a Toba Batak carpenter (drawn at random, seeded
// random.Random(20261207036), never read: 17/20 at its first run, 18/20
// after the round's fixes). Seven and four questions of what the opening
// said are mostly the desa asked after a story that names only a dusun
// ("Krajan RT 2"), which is no desa of this world.
constexpr Floors kTuning6Floors{40, 0, 2, 2.0, 5.86, 11};
constexpr Floors kHeldOut6Floors{19, 0, 2, 2.0, 5.86, 5};
// The seventh round (stop 37): a young Osing mechanic in lowercase
// shorthand and a retired sekdes writing formal letters (tuning: 38/40 as
// written, 7 repeated questions: "gak ngerti lur" at the cost, and the
// letters' cost answers with several figures, "Rp. 187.500.000,- (seratus
// delapan puluh tujuh juta ...)", "2 unit x Rp. 14.500.000,- = Rp.
// 29.000.000,-"; 40/40 and 0 since); a Balinese trader in Lemahbang Kulon
// (drawn at random, seeded random.Random(20261207037), never read: 18/20
// at its first run, with a complaint in 1.86 SMS, max 2; 18/20 after the
// round's fixes).
constexpr Floors kTuning7Floors{40, 0, 1, 2.15, 5.15, 11};
constexpr Floors kHeldOut7Floors{20, 0, 2, 1.86, 5.43, 5};
// Stop 38: a longer letter about the invitation answers it wherever the
// answer stands, when the person says it of themselves and asks nothing
// (dialogs/parsers/rsvp.cc): an answer to the invitation reached in tuning
// 3 and 5 and held-out 3, 6 and 7 (one more each), in one SMS. Each such
// answer adds its SMS to the last figure, which counts the SMS of every
// reached status, schedule, group or invitation conversation.
// The eighth round: a Sasak tobacco farmer and a retired nurse from
// Manado (tuning: 36/40 as written; 39/40 after the round's fixes: the
// letter answers above; "kita ada satu usulan for torang pe dusun. Boleh
// kita sampaikan?" asks for the activity instead of a status; a group
// named after the first words of a request, "... ibu2 yg di Gitik nike,
// yg namanya Melati", is joined; "Rp 6.000.000 satu tahun" is one
// amount). Left: a join asked deep in a long letter. A young mother from
// Bekasi writing Jakarta slang (drawn at random, seeded
// random.Random(20261207038), never read): 18/20 at its first run, 4
// repeated questions, a complaint in 2.0 SMS and a proposal in 5.71;
// 19/20 after the round's fixes, and held-out 7 20/20 (each one join).
constexpr Floors kTuning8Floors{39, 1, 1, 1.72, 5.43, 9};
constexpr Floors kHeldOut8Floors{19, 4, 1, 1.86, 5.72, 4};
// The ninth round (stop 41): a Banyumas cassava farmer's wife writing
// ngapak Javanese in lowercase, and a Mandar fisherman's widow whose
// granddaughter types her long letters (tuning: 38/40 as written; 40/40
// after the round's fixes: a group named before the words that ask to join
// it, "... kelompok simpan pinjam ibu2 namanya Melati di gitik, nenek mau
// ikut masuk jadi anggota bisa ji kah?", is joined; an elder who names
// herself "nenek" answers the invitation; "2 juta setengah" is 2,500,000).
// Left: "satu gerobak katanya 1 juta setengah" (a price per unit) is asked
// again. A young Batak mechanic writing quick chat (drawn at random,
// seeded random.Random(20261207041), never read): 18/20 at its first run
// and after the round's fixes; its two misses are its join and its answer
// to the invitation, seen only as counts.
constexpr Floors kTuning9Floors{40, 1, 4, 1.86, 6.0, 10};
constexpr Floors kHeldOut9Floors{18, 0, 0, 1.86, 5.29, 3};
// The tenth round (stop 43): a Toraja elder, retired village secretary,
// writing letters in the formal Indonesian of the 1980s, and a fisherman's
// son on Buton writing lowercase chat (tuning). A seaweed farmer in Bima
// writing short lines with Mbojo words (drawn at random, never read).
// Tuning 38/40 as written: a join that names the group by what it is
// ("Kelompok Simpan Pinjam kaum Ibu yang di Gitik") finds none, and a
// question whether this is the village's number, or a machine, offers a
// complaint or proposal. Held-out 19/20 as written, its invitation answer
// missed (seen only as a count).
constexpr Floors kTuning10Floors{38, 2, 1, 1.86, 5.65, 9};
constexpr Floors kHeldOut10Floors{19, 0, 0, 2.0, 5.72, 4};

// Stop 38: an offer whose story names no desa asks for it with the yes
// ("reply YES and the desa"), and the villager answers both (policy point
// 2): over the eight held-out sets a complaint went from 2.2 to 1.97 SMS
// (max 4), and fewer questions ask what the opening said (the desa no
// longer asked after the ticket). Every ceiling above was lowered to what
// the sets reach now.

double AverageSms(const SetFigures& f, const char* flow) {
  auto it = f.by_flow.find(flow);
  if (it == f.by_flow.end() || it->second[0] == 0) return 0;
  return static_cast<double>(it->second[1]) / it->second[0];
}

void CheckFloors(const SetFigures& f, const Floors& floors) {
  constexpr double kRounding = 0.005;
  // No greeting, thanks, spam or question about a case becomes a case.
  CHECK(f.chatter_cases == 0);
  CHECK(f.reached >= floors.reached);
  CHECK(f.repeated <= floors.repeated_max);
  CHECK(f.asked_opening <= floors.asked_opening_max);
  CHECK(AverageSms(f, "pengaduan") <= floors.complaint_sms_max + kRounding);
  CHECK(AverageSms(f, "usulan") <= floors.proposal_sms_max + kRounding);
  CHECK(f.other_sms_in <= floors.other_sms_max);
}

TEST_CASE("Conversations: tuning set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations.jsonl", 20), kTuningFloors);
}

TEST_CASE("Conversations: held-out set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_heldout.jsonl", 30), kHeldOutFloors);
}

TEST_CASE("Conversations: a second tuning set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_tuning2.jsonl", 40), kTuning2Floors);
}

TEST_CASE("Conversations: a second held-out set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_heldout2.jsonl", 20), kHeldOut2Floors);
}

TEST_CASE("Conversations: a third tuning set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_tuning3.jsonl", 40), kTuning3Floors);
}

TEST_CASE("Conversations: a third held-out set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_heldout3.jsonl", 20), kHeldOut3Floors);
}

TEST_CASE("Conversations: a fourth tuning set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_tuning4.jsonl", 40), kTuning4Floors);
}

TEST_CASE("Conversations: a fourth held-out set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_heldout4.jsonl", 20), kHeldOut4Floors);
}

TEST_CASE("Conversations: a fifth tuning set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_tuning5.jsonl", 40), kTuning5Floors);
}

TEST_CASE("Conversations: a fifth held-out set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_heldout5.jsonl", 20), kHeldOut5Floors);
}

TEST_CASE("Conversations: a sixth tuning set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_tuning6.jsonl", 40), kTuning6Floors);
}

TEST_CASE("Conversations: a sixth held-out set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_heldout6.jsonl", 20), kHeldOut6Floors);
}

TEST_CASE("Conversations: a seventh tuning set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_tuning7.jsonl", 40), kTuning7Floors);
}

TEST_CASE("Conversations: a seventh held-out set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_heldout7.jsonl", 20), kHeldOut7Floors);
}

TEST_CASE("Conversations: an eighth tuning set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_tuning8.jsonl", 40), kTuning8Floors);
}

TEST_CASE("Conversations: an eighth held-out set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_heldout8.jsonl", 20), kHeldOut8Floors);
}

TEST_CASE("Conversations: a ninth tuning set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_tuning9.jsonl", 40), kTuning9Floors);
}

TEST_CASE("Conversations: a ninth held-out set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_heldout9.jsonl", 20), kHeldOut9Floors);
}

TEST_CASE("Conversations: a tenth tuning set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_tuning10.jsonl", 40), kTuning10Floors);
}

TEST_CASE("Conversations: a tenth held-out set reaches its tickets through the gateway",
          "[conversations]") {
  CheckFloors(RunSet("conversations_heldout10.jsonl", 20), kHeldOut10Floors);
}

}  // namespace
}  // namespace suaradesa::testing
