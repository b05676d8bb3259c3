// The notices API and confidentiality (issue 13): no answer names a
// resident (no contact id, no name, no raw address); adding a member, and
// everything a fasilitator reads afterwards, is the same whether the person
// was a known contact or not; a taken group code answers the same in any
// area; a fasilitator stays within their areas; long lists of group codes
// are de-duplicated in n log n.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/channels/signature.h"
#include "tests/gateway/notices/notices_fixture.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr const char* kFasilitatorAreas = "7308010";  // covers Uloe (WITA)

struct Api : NoticesFixture {
  using NoticesFixture::NoticesFixture;

  int64_t update = 0;
  int64_t http_id = 0;
  std::string admin_token = gw->CreateToken("Admin", "admin", {});
  std::string fasilitator = gw->CreateToken("Andi", "fasilitator", {kFasilitatorAreas});

  // "201 {...}": the status and body of an answer, as a client sees them.
  std::string Call(const std::string& method, const std::string& path, const json& body,
                   const std::string& token) {
    httplib::Client cli(gw->base_url());
    cli.set_read_timeout(60, 0);  // the 80,000-code request on a busy machine
    const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
    httplib::Result res =
        method == "GET"     ? cli.Get(path.c_str(), auth)
        : method == "PATCH" ? cli.Patch(path.c_str(), auth, body.dump(), "application/json")
                            : cli.Post(path.c_str(), auth, body.dump(), "application/json");
    REQUIRE(res);
    return std::to_string(res->status) + " " + res->body;
  }

  static int Status(const std::string& answer) { return std::stoi(answer.substr(0, 3)); }
  static json Body(const std::string& answer) { return json::parse(answer.substr(4)); }

  // A Telegram message (from "Siti") through the webhook; drains the outbox.
  void Telegram(int64_t chat, const std::string& text) {
    auto res = gw->Post("/webhook/tg", TelegramTextUpdate(++update, chat, text),
                        {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
    REQUIRE(res);
    REQUIRE(res->status == 200);
    DrainAll();
  }

  // An SMS through the signed generic-http channel "web".
  void Sms(const std::string& from, const std::string& text) {
    const std::string raw =
        json{{"id", "sms" + std::to_string(++http_id)}, {"from", from}, {"text", text}}.dump();
    auto res = gw->Post(
        "/webhook/web", raw,
        {{"X-Suaradesa-Signature", "sha256=" + channels::HmacSha256Hex(kHttpSecret, raw)}});
    REQUIRE(res);
    REQUIRE(res->status == 200);
    DrainAll();
  }
};

// Every key anywhere in `j`, objects inside arrays included.
void Keys(const json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      out.push_back(it.key());
      Keys(it.value(), out);
    }
  } else if (j.is_array()) {
    for (const auto& e : j) Keys(e, out);
  }
}

bool HasKey(const json& j, const std::string& key) {
  std::vector<std::string> keys;
  Keys(j, keys);
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

bool IsDay(const json& v) {
  if (!v.is_string()) return false;
  const std::string s = v.get<std::string>();
  return s.size() == 10 && s[4] == '-' && s[7] == '-';
}

json MeetingBody(const std::vector<std::string>& groups, const std::string& area = kWitaDesa) {
  return {{"title", "Desa Uloe"},          {"forum", "MKP"},
          {"area", area},                  {"starts_at", "2026-11-26T09:00"},
          {"place", "Balai Desa Uloe"},    {"agenda", "Usulan kegiatan perempuan"},
          {"bring", "KTP"},                {"groups", groups}};
}

// What a fasilitator reads, in order, after adding a phone number and a
// Telegram chat to their group. `known`: both wrote to the gateway before
// (the phone then sent BERHENTI, the chat has a profile name), and another
// resident too; else nobody ever wrote.
std::vector<std::string> FasilitatorView(bool known) {
  Api f(known ? "known.db" : "unknown.db");
  f.Group("BONE", kWitaDesa);
  if (known) {
    f.Telegram(424242, "halo");              // someone else, first
    f.Sms("+6281234567890", "halo");
    f.Sms("+6281234567890", "BERHENTI");
    f.Telegram(777001, "halo");
    StoreView view = f.view();
    REQUIRE(view.ContactById(view.ContactIdAt("web", "+6281234567890")).opted_out);
    REQUIRE_FALSE(view.ContactById(view.ContactIdAt("tg", "424242")).opted_out);
    const auto siti = view.ContactById(view.ContactIdAt("tg", "777001"));
    REQUIRE_FALSE(siti.opted_out);
    REQUIRE(siti.name == "Siti");
  }
  f.clock().Set(FakeClock::kDefaultStart + kDay);
  std::vector<std::string> seen;
  auto call = [&](const std::string& method, const std::string& path, const json& body) {
    seen.push_back(method + " " + path + " -> " + f.Call(method, path, body, f.fasilitator));
  };
  call("POST", "/api/v1/groups/BONE/members", {{"phone", "0812-3456-7890"}, {"name", "Budi"}});
  call("POST", "/api/v1/groups/BONE/members", {{"urn", "tg:777001"}});
  call("POST", "/api/v1/groups/BONE/members", {{"phone", "+62 812 3456 7890"}});
  call("GET", "/api/v1/groups/BONE", nullptr);
  call("GET", "/api/v1/groups", nullptr);
  call("POST", "/api/v1/meetings", MeetingBody({"BONE"}));
  call("GET", "/api/v1/meetings/1", nullptr);
  call("GET", "/api/v1/meetings", nullptr);
  call("PATCH", "/api/v1/meetings/1", {{"place", "Masjid Uloe"}});
  call("POST", "/api/v1/broadcasts", {{"groups", {"BONE"}}, {"text", "Kerja bakti Minggu."}});
  call("POST", "/api/v1/meetings/1/cancel", nullptr);
  return seen;
}

TEST_CASE("Notices confidentiality: a fasilitator reads the same whether a number was known",
          "[notices][confidentiality]") {
  const std::vector<std::string> unknown = FasilitatorView(false);
  const std::vector<std::string> known = FasilitatorView(true);
  REQUIRE(known.size() == unknown.size());
  for (size_t i = 0; i < known.size(); ++i) {
    INFO("unknown: " << unknown[i]);
    CHECK(known[i] == unknown[i]);
  }
  // The answers themselves did what they should.
  CHECK(unknown[0].find(R"(-> 201 {"added":true,"group":"BONE"})") != std::string::npos);
  CHECK(unknown[2].find("-> 200 ") != std::string::npos);  // the same number again
  CHECK(unknown[2].find(R"("added":false)") != std::string::npos);
}

TEST_CASE("Notices confidentiality: without an SMS channel a phone number is refused, known "
          "or not", "[notices][confidentiality]") {
  TempDir dir;
  FakePlatform telegram;
  const std::string db = dir.File("nosms.db");
  Config cfg = NoticesConfig(db, telegram.base_url());
  std::erase_if(cfg.channels, [](const channels::ChannelSettings& c) { return c.type == "http"; });
  TestGateway gw(cfg);
  const desk::Actor admin{"Admin", "admin", {}, ""};
  REQUIRE(gw.app().notices().CreateGroup(
      admin, {{"code", "BONE"}, {"name", "Bone"}, {"area", kWitaDesa}}));
  // A resident known by this number (as WhatsApp writes it), on a channel
  // since removed from the config.
  auto res = gw.Post("/webhook/tg", TelegramTextUpdate(1, 555, "halo"),
                     {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
  REQUIRE(res);
  REQUIRE(res->status == 200);
  REQUIRE(gw.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
    auto known = tx.UpsertContact("wa", "6281234567890", "", gw.clock().NowMillis());
    if (!known) return std::unexpected(known.error());
    return {};
  }));
  const std::string token = gw.CreateToken("Andi", "fasilitator", {kFasilitatorAreas});
  auto add = [&](const std::string& phone) {
    auto r = gw.PostAuthed("/api/v1/groups/BONE/members", token, json{{"phone", phone}}.dump());
    REQUIRE(r);
    return std::to_string(r->status) + " " + r->body;
  };
  const std::string known = add("081234567890");
  INFO(known);
  CHECK(known == add("081299990000"));
  CHECK(Api::Status(known) == 422);
  CHECK(Api::Body(known)["error"]["code"] == "no_sms_channel");
}

TEST_CASE("Notices confidentiality: no contact id, name or raw address in any groups or "
          "meetings answer", "[notices][confidentiality]") {
  Api f;
  REQUIRE(Api::Status(f.Call("POST", "/api/v1/groups",
                             {{"code", "MELATI"}, {"name", "SPP Melati"}, {"area", kWitaDesa}},
                             f.fasilitator)) == 201);
  f.Telegram(987654321, "GABUNG MELATI");
  f.Telegram(987654322, "GABUNG MELATI");
  REQUIRE(f.view().ContactById(f.view().ContactIdAt("tg", "987654321")).name == "Siti");
  REQUIRE(f.view().ContactById(f.view().ContactIdAt("tg", "987654322")).name == "Siti");
  REQUIRE(Api::Status(f.Call("POST", "/api/v1/groups/MELATI/members",
                             {{"phone", "081234567890"}, {"name", "Budi Santoso"}},
                             f.fasilitator)) == 201);
  // The name a fasilitator gave is not put on the contact.
  const auto members = f.view().MembersOf("MELATI");
  CHECK(members.size() == 3);
  for (const auto& member : members) CHECK(member.name.find("Budi") == std::string::npos);
  const std::string created = f.Call("POST", "/api/v1/meetings", MeetingBody({"MELATI"}),
                                     f.fasilitator);
  REQUIRE(Api::Status(created) == 201);
  const std::string id = std::to_string(Api::Body(created)["id"].get<int64_t>());
  f.DrainAll();
  f.Telegram(987654321, "HADIR");
  f.Telegram(987654322, "tidak bisa, ada acara keluarga");

  for (const std::string& token : {f.fasilitator, f.admin_token}) {
    const bool admin = token == f.admin_token;
    INFO((admin ? "admin" : "fasilitator"));
    for (const std::string& path : std::vector<std::string>{
             "/api/v1/groups", "/api/v1/groups/MELATI", "/api/v1/meetings",
             "/api/v1/meetings/" + id}) {
      const std::string answer = f.Call("GET", path, nullptr, token);
      INFO(path << " -> " << answer);
      REQUIRE(Api::Status(answer) == 200);
      const json body = Api::Body(answer);
      CHECK_FALSE(HasKey(body, "contact_id"));
      CHECK(answer.find("Siti") == std::string::npos);
      CHECK(answer.find("Budi") == std::string::npos);
      CHECK(answer.find("987654321") == std::string::npos);
      CHECK(answer.find("987654322") == std::string::npos);
      CHECK(answer.find("81234567890") == std::string::npos);
    }

    const json group = Api::Body(f.Call("GET", "/api/v1/groups/MELATI", nullptr, token));
    REQUIRE(group["members"].size() == 3);
    int64_t number = 0;
    for (const auto& m : group["members"]) {
      INFO(m.dump());
      CHECK(m["member"] == ++number);
      CHECK(IsDay(m["joined_on"]));
      CHECK_FALSE(m.contains("name"));
      // A fasilitator gets no address, not even masked; an admin a masked one.
      CHECK(m.contains("address") == admin);
      CHECK(m.contains("opted_out") == admin);
    }
    CHECK(group["members"][2]["source"] == "api");

    const json meeting = Api::Body(f.Call("GET", "/api/v1/meetings/" + id, nullptr, token));
    CHECK(meeting["rsvp"] == json({{"hadir", 1}, {"tidak", 1}, {"belum", 1}}));
    REQUIRE(meeting["answers"].size() == 2);
    for (const auto& a : meeting["answers"]) {
      INFO(a.dump());
      CHECK_FALSE(a.contains("name"));
      CHECK(IsDay(a["answered_on"]));
      CHECK_FALSE(a.contains("answered_at"));
    }
    CHECK(meeting["answers"][0]["answer"] == "hadir");
    CHECK(meeting["answers"][1]["reason"].get<std::string>().find("acara keluarga") !=
          std::string::npos);
  }
}

TEST_CASE("Notices confidentiality: a taken group code answers the same in any area",
          "[notices][confidentiality]") {
  Api f;
  f.Group("MAWAR", kWitDesa);    // another area: Hamadi (WIT)
  f.Group("MELATI", kWitaDesa);  // the fasilitator's own
  auto create = [&](const std::string& code, const std::string& area) {
    return f.Call("POST", "/api/v1/groups",
                  {{"code", code}, {"name", "Kelompok baru"}, {"area", area}}, f.fasilitator);
  };
  const std::string elsewhere = create("mawar", kWitaDesa);
  const std::string own = create("MELATI", kWitaDesa);
  INFO(elsewhere);
  CHECK(Api::Status(elsewhere) == 409);
  CHECK(elsewhere == own);
  CHECK(Api::Body(elsewhere)["error"]["code"] == "code_unavailable");
  CHECK(elsewhere.find(kWitDesa) == std::string::npos);
  CHECK(elsewhere.find("Hamadi") == std::string::npos);
  CHECK(elsewhere.find("Kelompok MAWAR") == std::string::npos);
  // Outside one's areas a code is refused for the area, taken or not.
  CHECK(create("MAWAR", kWitDesa) == create("KENANGA", kWitDesa));
  CHECK(Api::Status(create("KENANGA", kWitDesa)) == 403);
  // A free code is still free.
  CHECK(Api::Status(create("KENANGA", kWitaDesa)) == 201);
}

TEST_CASE("Notices: a fasilitator reads and changes only the groups, meetings and broadcasts "
          "of their areas", "[notices][confidentiality]") {
  Api f;
  f.Group("ULOE", kWitaDesa);
  f.Group("HAMADI", kWitDesa);
  f.TelegramMembers("ULOE", 100, 2);
  f.TelegramMembers("HAMADI", 200, 2);
  const int64_t own = f.Meeting(kWitaDesa, "2026-11-26T09:00", {"ULOE"});
  const int64_t other = f.Meeting(kWitDesa, "2026-11-26T09:00", {"HAMADI"}, "Hamadi");
  const std::string& t = f.fasilitator;

  const json groups = Api::Body(f.Call("GET", "/api/v1/groups", nullptr, t));
  REQUIRE(groups["groups"].size() == 1);
  CHECK(groups["groups"][0]["code"] == "ULOE");
  const json meetings = Api::Body(f.Call("GET", "/api/v1/meetings", nullptr, t));
  REQUIRE(meetings["meetings"].size() == 1);
  CHECK(meetings["meetings"][0]["id"] == own);

  // Another area's group or meeting answers as one that does not exist.
  CHECK(f.Call("GET", "/api/v1/groups/HAMADI", nullptr, t) ==
        f.Call("GET", "/api/v1/groups/NOPE", nullptr, t));
  CHECK(Api::Status(f.Call("GET", "/api/v1/groups/HAMADI", nullptr, t)) == 404);
  CHECK(f.Call("POST", "/api/v1/groups/HAMADI/members", {{"urn", "tg:300"}}, t) ==
        f.Call("POST", "/api/v1/groups/NOPE/members", {{"urn", "tg:300"}}, t));
  CHECK(Api::Status(f.Call("POST", "/api/v1/groups/HAMADI/members", {{"urn", "tg:300"}}, t)) ==
        404);
  const std::string other_path = "/api/v1/meetings/" + std::to_string(other);
  for (const std::string suffix : {"", "/cancel"}) {
    const std::string method = suffix.empty() ? "GET" : "POST";
    CHECK(f.Call(method, other_path + suffix, nullptr, t) ==
          f.Call(method, "/api/v1/meetings/999" + suffix, nullptr, t));
    CHECK(Api::Status(f.Call(method, other_path + suffix, nullptr, t)) == 404);
  }
  CHECK(Api::Status(f.Call("PATCH", other_path, {{"place", "Pasar"}}, t)) == 404);

  const int64_t outbox = f.view().OutboxCount();
  // Another area's group in one's own meeting, or in a broadcast: unknown.
  const std::string meeting = f.Call("POST", "/api/v1/meetings", MeetingBody({"HAMADI"}), t);
  CHECK(Api::Status(meeting) == 422);
  CHECK(Api::Body(meeting)["error"]["code"] == "unknown_group");
  CHECK(Api::Status(f.Call("PATCH", "/api/v1/meetings/" + std::to_string(own),
                           {{"groups", {"ULOE", "HAMADI"}}}, t)) == 422);
  const std::string broadcast =
      f.Call("POST", "/api/v1/broadcasts", {{"groups", {"HAMADI"}}, {"text", "Halo"}}, t);
  CHECK(Api::Status(broadcast) == 422);
  CHECK(Api::Body(broadcast)["error"]["code"] == "unknown_group");
  CHECK(Api::Status(f.Call("POST", "/api/v1/meetings", MeetingBody({"ULOE"}, kWitDesa), t)) ==
        403);
  CHECK(f.view().OutboxCount() == outbox);
  auto upcoming = f.app().store().Read([&](storage::Tx& tx) {
    return tx.UpcomingMeetings(f.clock().NowMillis());
  });
  REQUIRE(upcoming);
  CHECK(upcoming->size() == 2);
  // The other area's meeting is as it was.
  const json kept = Api::Body(f.Call("GET", other_path, nullptr, f.admin_token));
  CHECK(kept["place"] == "Balai Desa");
  CHECK(kept["status"] == "scheduled");
  CHECK(f.view().MembersOf("ULOE").size() + f.view().MembersOf("HAMADI").size() == 4);
}

TEST_CASE("Notices: 80,000 group codes with duplicates are each taken once, in order",
          "[notices][confidentiality]") {
  Api f;
  // 40,000 groups in the fasilitator's desa, written in one transaction.
  REQUIRE(f.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
    for (int i = 0; i < 40000; ++i) {
      char code[8];
      std::snprintf(code, sizeof code, "G%05d", i);
      storage::Group group;
      group.code = code;
      group.name = "Kelompok";
      group.area = kWitaDesa;
      auto created = tx.CreateGroup(group);
      if (!created) return std::unexpected(created.error());
    }
    return {};
  }));
  // Each code twice, the second time in lower case: 80,000 codes.
  std::vector<std::string> codes;
  for (int i = 0; i < 40000; ++i) {
    char code[8];
    std::snprintf(code, sizeof code, "G%05d", i);
    codes.push_back(code);
    codes.push_back("g" + std::string(code + 1));
  }
  REQUIRE(codes.size() == 80000);

  const std::string meeting = f.Call("POST", "/api/v1/meetings", MeetingBody(codes), f.fasilitator);
  REQUIRE(Api::Status(meeting) == 201);
  const json m = Api::Body(meeting);
  REQUIRE(m["groups"].size() == 40000);
  CHECK(m["groups"][0] == "G00000");
  CHECK(m["groups"][1] == "G00001");
  CHECK(m["groups"][39999] == "G39999");
  const auto stored = f.view().MeetingById(m["id"].get<int64_t>());
  REQUIRE(stored);
  CHECK(stored->groups.size() == 40000);

  const std::string broadcast = f.Call(
      "POST", "/api/v1/broadcasts", {{"groups", json(codes)}, {"text", "Halo"}}, f.fasilitator);
  REQUIRE(Api::Status(broadcast) == 202);
  const json b = Api::Body(broadcast);
  REQUIRE(b["groups"].size() == 40000);
  CHECK(b["groups"][39999] == "G39999");
}

}  // namespace
}  // namespace suaradesa::testing
