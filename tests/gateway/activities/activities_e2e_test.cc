// Activities end to end (issue 18): the real gateway on 127.0.0.1 with a
// fake Telegram, the fake clock, the desk API for staff, Telegram messages
// for residents and the TPK. Observed through the API, the texts the fake
// platform received, and the store interface.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "gateway/activities/activities.h"
#include "gateway/channels/sms_segments.h"
#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr int64_t kProposer = 4242;
constexpr int64_t kTpkChat = 777;
constexpr const char* kGitik = "3510070001";
constexpr const char* kKaotan = "3510070002";

struct Fixture {
  TempDir dir;
  FakePlatform telegram;
  std::string db = dir.File("act.db");
  TestGateway gw{TwoAreaConfig(db, telegram.base_url())};
  int64_t update = 0;
  std::string admin = gw.CreateToken("Admin", "admin", {});
  std::string sari = gw.CreateToken("Sari", "fasilitator", {"3510070"});
  std::string budi = gw.CreateToken("Budi", "fasilitator", {"7308010"});

  void Say(int64_t chat, const std::string& text) {
    auto res = gw.Post("/webhook/tg", TelegramTextUpdate(++update, chat, text),
                       {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
    REQUIRE(res);
    REQUIRE(res->status == 200);
    gw.DrainOutbox();
    gw.clock().Advance(5000);
  }

  std::vector<std::string> SentTo(int64_t chat) {
    std::vector<std::string> out;
    for (const auto& r : telegram.requests_to("/sendMessage")) {
      json body = json::parse(r.body);
      if (body["chat_id"].dump() == std::to_string(chat)) out.push_back(body.value("text", ""));
    }
    return out;
  }
  std::string LastTo(int64_t chat) {
    auto all = SentTo(chat);
    return all.empty() ? "" : all.back();
  }

  // A proposal of desa `desa` from the resident at Telegram chat `chat`
  // (who wrote first, so they are reachable), in status `status`.
  storage::Case Proposal(int64_t chat, const std::string& desa, const std::string& summary,
                         const std::string& status = "disetujui") {
    Say(chat, "halo");
    auto contact = view().ContactAt("tg", std::to_string(chat));
    REQUIRE(contact);
    storage::Case out;
    auto s = gw.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
      storage::Case c;
      c.type = storage::CaseType::kUsulan;
      c.status = status;
      c.contact_id = contact->id;
      c.channel_id = "tg";
      c.area_code = std::string(desa).substr(0, 7);
      c.desa_code = desa;
      c.summary = summary;
      c.fields_json = R"({"location":"Dusun Krajan"})";
      c.created_at = gw.clock().NowMillis();
      auto made = tx.CreateCase(c);
      if (!made) return std::unexpected(made.error());
      out = *made;
      return {};
    });
    REQUIRE(s.has_value());
    return out;
  }
  StoreView view() { return StoreView(gw.app().store()); }

  json Call(const std::string& method, const std::string& path, const std::string& token,
            const json& body, int expected) {
    httplib::Client cli("127.0.0.1", gw.port());
    httplib::Headers h = {{"Authorization", "Bearer " + token}};
    httplib::Result res = method == "GET"     ? cli.Get(path, h)
                          : method == "PATCH" ? cli.Patch(path, h, body.dump(), "application/json")
                                              : cli.Post(path, h, body.dump(), "application/json");
    REQUIRE(res);
    INFO(method << " " << path << " -> " << res->status << " " << res->body);
    REQUIRE(res->status == expected);
    return json::parse(res->body);
  }

  std::vector<storage::ActivityNote> Notes(int64_t activity_id) {
    std::vector<storage::ActivityNote> out;
    REQUIRE(gw.app().store().Read([&](storage::Tx& tx) -> storage::Status {
      auto n = tx.NotesOf(activity_id);
      if (!n) return std::unexpected(n.error());
      out = *n;
      return {};
    }).has_value());
    return out;
  }
};

int Count(const std::vector<std::string>& texts, const std::string& needle) {
  int n = 0;
  for (const auto& t : texts) n += t.find(needle) != std::string::npos;
  return n;
}

TEST_CASE("Activities: staff create and update an activity; every change is in the case history "
          "and the proposer hears of each milestone once",
          "[activities]") {
  Fixture f;
  const storage::Case p = f.Proposal(kProposer, kGitik, "Rabat beton jalan dusun Krajan");
  const std::string ticket = p.Ticket();
  const storage::Case draft = f.Proposal(5151, kGitik, "Sumur bor", "dibahas");

  // Only an approved proposal becomes an activity; Budi's area is elsewhere.
  f.Call("POST", "/api/v1/activities", f.sari, {{"ticket", draft.Ticket()}}, 409);
  f.Call("POST", "/api/v1/activities", f.budi, {{"ticket", ticket}}, 404);
  json a = f.Call("POST", "/api/v1/activities", f.sari,
                  {{"ticket", ticket}, {"budget_blm", 85000000}, {"budget_swadaya", 12500000},
                   {"tpk", "TPK Gitik"}},
                  201);
  const int64_t id = a["id"];
  CHECK(a["ticket"] == ticket);
  CHECK(a["title"] == "Rabat beton jalan dusun Krajan");
  CHECK(a["location"] == "Dusun Krajan");
  CHECK(a["stage"] == "persiapan");
  CHECK(a["desa"] == kGitik);
  f.Call("POST", "/api/v1/activities", f.sari, {{"ticket", ticket}}, 409);
  f.Call("GET", "/api/v1/activities/" + std::to_string(id), f.budi, json(), 404);
  CHECK(f.Call("GET", "/api/v1/activities", f.budi, json(), 200)["activities"].empty());
  CHECK(f.Call("GET", "/api/v1/activities?area=3510070", f.sari, json(), 200)["activities"].size() ==
        1);

  const size_t heard_before = f.SentTo(kProposer).size();
  const std::string path = "/api/v1/activities/" + std::to_string(id);
  f.Call("PATCH", path, f.sari, {{"stage", "dibatalkan"}}, 400);
  f.Call("PATCH", path, f.sari, {{"stage", "pelaksanaan"}, {"location", "RT 02 Krajan"}}, 200);
  f.Call("POST", path + "/notes", f.sari, {{"progress", 20}, {"note", "galian"}}, 201);
  // 20 -> 60 crosses 25 and 50: one notice.
  f.Call("POST", path + "/notes", f.sari, {{"progress", 60}, {"note", "pengecoran"}}, 201);
  f.Call("POST", path + "/notes", f.sari, {{"progress", 40}}, 409);  // back without a reason
  f.Call("POST", path + "/notes", f.sari, {{"progress", 45}, {"note", "retak, dibongkar"}}, 201);
  f.Call("POST", path + "/notes", f.sari, {{"progress", 55}, {"note", "dicor ulang"}}, 201);
  f.Call("POST", path + "/notes", f.sari, {{"progress", 101}}, 400);
  f.Call("POST", path + "/tranches", f.sari, {{"tahap", 1}, {"amount", 34000000}}, 201);
  f.Call("POST", path + "/tranches", f.sari, {{"tahap", 1}, {"amount", 1}}, 409);
  f.Call("POST", path + "/tranches", f.sari, {{"tahap", 4}, {"amount", 1}}, 400);
  f.Call("PATCH", path, f.sari, {{"stage", "pelaksanaan"}}, 200);  // no change: no notice
  f.gw.DrainOutbox();

  const std::vector<std::string> all_heard = f.SentTo(kProposer);
  const std::vector<std::string> heard(all_heard.begin() + heard_before, all_heard.end());
  INFO(json(heard).dump(1));
  CHECK(heard.size() == 2);
  CHECK(Count(heard, "pelaksanaan") == 1);
  CHECK(Count(heard, "60%") == 1);
  for (const auto& t : heard) {
    CHECK(channels::SmsSegments(t) == 1);
    CHECK(channels::DetectSmsEncoding(t) == channels::SmsEncoding::kGsm7);
  }

  json detail = f.Call("GET", path, f.sari, json(), 200);
  CHECK(detail["progress"] == 55);
  CHECK(detail["location"] == "RT 02 Krajan");
  REQUIRE(detail["notes"].size() == 4);
  CHECK(detail["notes"][2]["note"] == "retak, dibongkar");
  CHECK(detail["notes"][2]["actor"] == "Sari");
  REQUIRE(detail["tranches"].size() == 1);
  CHECK(detail["tranches"][0]["amount"] == 34000000);

  // The proposal's history, as the desk shows it.
  json c = f.Call("GET", "/api/v1/cases/" + ticket, f.sari, json(), 200);
  std::map<std::string, int> kinds;
  for (const auto& e : c["events"]) kinds[e["kind"].get<std::string>()]++;
  CHECK(kinds["activity"] == 2);  // created, location changed
  CHECK(kinds["stage"] == 1);
  CHECK(kinds["progress"] == 4);
  CHECK(kinds["tranche"] == 1);

  // An accountability meeting, made through the meetings API, then linked.
  f.Call("POST", "/api/v1/groups", f.sari,
         {{"code", "KRAJAN"}, {"name", "Dusun Krajan"}, {"area", kGitik}}, 201);
  json m = f.Call("POST", "/api/v1/meetings", f.sari,
                  {{"title", "Pertanggungjawaban rabat"}, {"forum", "pertanggungjawaban"},
                   {"area", kGitik}, {"starts_at", "2026-11-30T09:00"}, {"place", "Balai desa"},
                   {"groups", {"KRAJAN"}}},
                  201);
  json musdes = f.Call("POST", "/api/v1/meetings", f.sari,
                       {{"title", "Musdes"}, {"forum", "musdes"}, {"area", kGitik},
                        {"starts_at", "2026-11-30T13:00"}, {"place", "Balai"},
                        {"groups", {"KRAJAN"}}},
                       201);
  f.Call("POST", path + "/meetings", f.sari, {{"meeting_id", musdes["id"]}}, 409);
  f.Call("POST", path + "/meetings", f.sari, {{"meeting_id", m["id"]}}, 200);
  f.Call("POST", path + "/meetings", f.sari, {{"meeting_id", m["id"]}}, 200);  // again: no-op
  f.gw.DrainOutbox();
  const auto after = f.SentTo(kProposer);
  CHECK(after.size() == heard_before + 3);
  CHECK(after.back().find("30/11 09.00") != std::string::npos);
  CHECK(after.back().find("Balai desa") != std::string::npos);
  detail = f.Call("GET", path, f.sari, json(), 200);
  REQUIRE(detail["meetings"].size() == 1);
  CHECK(detail["meetings"][0]["forum"] == "pertanggungjawaban");

  // The members of the group that proposed it hear of it too, once each;
  // a group that does not exist (or is elsewhere) is refused.
  constexpr int64_t kMember = 7007;
  f.Say(kMember, "GABUNG KRAJAN");
  const size_t member_before = f.SentTo(kMember).size();
  f.Call("PATCH", path, f.sari, {{"groups", {"MAWAR"}}}, 400);
  json grouped = f.Call("PATCH", path, f.sari, {{"groups", {"krajan"}}}, 200);
  CHECK(grouped["groups"] == json::array({"KRAJAN"}));
  f.Call("PATCH", path, f.sari, {{"stage", "serah_terima"}}, 200);
  f.gw.DrainOutbox();
  const auto member_heard = f.SentTo(kMember);
  REQUIRE(member_heard.size() == member_before + 1);
  CHECK(member_heard.back().find("serah terima") != std::string::npos);
  CHECK(Count(f.SentTo(kProposer), "serah terima") == 1);  // the proposer once, not twice
  // Sent as notices: outside WhatsApp's window they go as the notice template.
  auto rows = f.gw.app().store().ListOutbox();
  REQUIRE(rows.has_value());
  int notices = 0;
  for (const auto& row : *rows) {
    const json payload = json::parse(row.payload_json);
    if (payload.value("text", "").find("serah terima") == std::string::npos) continue;
    ++notices;
    CHECK(payload.value("notice", false));
    CHECK(payload.value("notice_kind", "") == "activity:stage:serah_terima");
  }
  CHECK(notices == 2);
}

TEST_CASE("Activities: the TPK reports progress by phone for their own desa only", "[activities]") {
  Fixture f;
  const storage::Case p = f.Proposal(kProposer, kGitik, "Rabat beton");
  const storage::Case other = f.Proposal(5252, kKaotan, "Drainase");
  json a = f.Call("POST", "/api/v1/activities", f.sari, {{"ticket", p.Ticket()}}, 201);
  f.Call("POST", "/api/v1/activities", f.sari, {{"ticket", other.Ticket()}}, 201);
  const int64_t id = a["id"];
  f.gw.CreateToken("Darto", "fasilitator", {kGitik}, "tpk", "desa", "tg",
                   std::to_string(kTpkChat));
  f.gw.CreateToken("Joko", "fasilitator", {kKaotan}, "tpk", "desa", "tg", "888");
  f.gw.CreateToken("Rina", "fasilitator", {kGitik}, "pld", "desa", "tg", "999");

  f.Say(kTpkChat, "PROGRES " + p.Ticket() + " 30 galian selesai");
  CHECK(f.LastTo(kTpkChat).find("30%") != std::string::npos);
  f.Say(kTpkChat, "progres usl " + std::to_string(p.number) + " 60% pengecoran selesai");
  f.Say(kTpkChat, "PROGRESS " + p.Ticket() + " 150 salah ketik");
  CHECK(f.LastTo(kTpkChat).find("0 sampai 100") != std::string::npos);
  f.Say(kTpkChat, "PROGRES " + p.Ticket() + " 40");
  CHECK(f.LastTo(kTpkChat).find("alasan") != std::string::npos);
  f.Say(kTpkChat, "PROGRES " + other.Ticket() + " 50 bukan desa saya");
  CHECK(f.LastTo(kTpkChat).find("tidak ditemukan") != std::string::npos);
  f.Say(kTpkChat, "PROGRES USL-9999 50 tidak ada");
  CHECK(f.LastTo(kTpkChat).find("tidak ditemukan") != std::string::npos);
  // A complaint's ticket is no proposal, and a note with no figure no
  // progress: both get the usage line, and neither is recorded.
  f.Say(kTpkChat, "PROGRES ADU-1 50 salah tiket");
  CHECK(f.LastTo(kTpkChat).find("PROGRES USL-") != std::string::npos);
  f.Say(kTpkChat, "PROGRES " + p.Ticket() + " sudah dicor");
  CHECK(f.LastTo(kTpkChat).find("PROGRES USL-") != std::string::npos);
  // Joko is TPK of Kaotan, Rina is not TPK, 4243 is a resident pretending,
  // and 778 is Darto writing from a phone he did not register.
  f.Say(888, "PROGRES " + p.Ticket() + " 90 dari desa lain");
  CHECK(f.LastTo(888).find("tidak ditemukan") != std::string::npos);
  f.Say(999, "PROGRES " + p.Ticket() + " 90 bukan tpk");
  CHECK(f.LastTo(999).find("khusus untuk TPK") != std::string::npos);
  f.Say(4243, "PROGRES " + p.Ticket() + " 90 warga iseng");
  CHECK(f.LastTo(4243).find("khusus untuk petugas") != std::string::npos);
  f.Say(778, "PROGRES " + p.Ticket() + " 90 nomor lain");
  CHECK(f.LastTo(778).find("khusus untuk petugas") != std::string::npos);

  const auto notes = f.Notes(id);
  REQUIRE(notes.size() == 2);
  CHECK(notes[0].progress == 30);
  CHECK(notes[0].note == "galian selesai");
  CHECK(notes[0].actor == "tpk:Darto");
  CHECK(notes[1].progress == 60);
  CHECK(notes[1].note == "pengecoran selesai");
  CHECK(f.Call("GET", "/api/v1/activities/" + std::to_string(id), f.sari, json(), 200)["progress"] ==
        60);
  // The proposer heard of 25 and of 50, once each.
  const auto heard = f.SentTo(kProposer);
  CHECK(Count(heard, "30%") == 1);
  CHECK(Count(heard, "60%") == 1);
}

TEST_CASE("Activities: residents ask INFO, page with LANJUT, follow and stop following",
          "[activities]") {
  Fixture f;
  // Eight activities in Gitik: more than two segments of lines.
  std::vector<storage::Case> ps;
  for (int i = 0; i < 8; ++i) {
    ps.push_back(f.Proposal(kProposer, kGitik,
                            "Pembangunan rabat beton jalan lingkungan dusun nomor " +
                                std::to_string(i + 1)));
    f.Call("POST", "/api/v1/activities", f.sari, {{"ticket", ps.back().Ticket()}}, 201);
  }
  const std::string t1 = ps[0].Ticket();
  // The proposer's desa is known from their proposals: the list at once.
  f.Say(kProposer, "INFO");
  const std::string page1 = f.LastTo(kProposer);
  INFO(page1);
  CHECK(page1.find(t1 + " ") != std::string::npos);
  CHECK(page1.find("LANJUT") != std::string::npos);
  CHECK(channels::SmsSegments(page1) <= 2);
  CHECK(page1.find(ps[7].Ticket() + " ") == std::string::npos);
  f.Say(kProposer, "LANJUT");
  const std::string page2 = f.LastTo(kProposer);
  INFO(page2);
  CHECK(page2 != page1);
  CHECK(page2.find(t1 + " ") == std::string::npos);
  CHECK(page2.find(ps[7].Ticket() + " ") != std::string::npos);
  CHECK(channels::SmsSegments(page2) <= 2);

  // A resident with no case is asked their desa, once.
  f.Say(6001, "INFO");
  const std::string asked = f.LastTo(6001);
  INFO(asked);
  CHECK(asked.find(t1 + " ") == std::string::npos);  // a question (the desa are its buttons)
  f.Say(6001, "gitik");
  CHECK(f.LastTo(6001) == page1);
  f.Say(6001, "makasih");
  f.Say(6001, "info");
  CHECK(f.LastTo(6001) == page1);

  // INFO USL-n, and following it.
  const int64_t id = f.Call("GET", "/api/v1/activities", f.sari, json(), 200)["activities"][0]["id"];
  f.Call("POST", "/api/v1/activities/" + std::to_string(id) + "/notes", f.sari,
         {{"progress", 10}, {"note", "material datang hub 081377788899"}}, 201);
  f.Say(6001, "info " + t1);
  const std::string one = f.LastTo(6001);
  INFO(one);
  CHECK(one.find("10%") != std::string::npos);
  CHECK(one.find("material datang hub [phone]") != std::string::npos);  // no one's number
  CHECK(one.find("7788899") == std::string::npos);
  CHECK(channels::SmsSegments(one) <= 2);
  f.Say(6001, "IKUTI " + t1);
  CHECK(f.LastTo(6001).find("mengikuti") != std::string::npos);
  f.Call("PATCH", "/api/v1/activities/" + std::to_string(id), f.sari, {{"stage", "pelaksanaan"}},
         200);
  f.gw.DrainOutbox();
  CHECK(f.LastTo(6001).find("pelaksanaan") != std::string::npos);
  f.Say(6001, "BERHENTI IKUTI " + t1);
  CHECK(f.LastTo(6001).find("tidak lagi") != std::string::npos);
  const size_t before = f.SentTo(6001).size();
  f.Call("POST", "/api/v1/activities/" + std::to_string(id) + "/notes", f.sari,
         {{"progress", 30}}, 201);
  f.gw.DrainOutbox();
  CHECK(f.SentTo(6001).size() == before);
  // BERHENTI IKUTI did not opt the resident out of everything.
  CHECK_FALSE(f.view().ContactAt("tg", "6001")->opted_out);

  // A complaint naming the activity is counted on it, never shown.
  Converse(f.gw, f.telegram, 6002, f.update, "ADUAN",
           {{"what", "Jalan " + t1 + " sudah retak padahal baru"}, {"where", "Gitik"},
            {"when", "kemarin"}, {"who", "-"}, {"category", "3"}, {"privacy", "1"}});
  json shown = f.Call("GET", "/api/v1/activities/" + std::to_string(id), f.sari, json(), 200);
  CHECK(shown["complaints"] == 1);
  CHECK(shown.dump().find("retak") == std::string::npos);
  f.Say(6001, "INFO " + t1);
  CHECK(f.LastTo(6001).find("Aduan tercatat: 1") != std::string::npos);

  // The issue's own form: ADUAN USL-n and the story in one message files a
  // complaint on that activity (not a question after USL-n's status).
  f.Say(6003, "ADUAN " + t1 + " pekerjaan talud tidak sesuai RAB, semen dikurangi");
  json after = f.Call("GET", "/api/v1/activities/" + std::to_string(id), f.sari, json(), 200);
  CHECK(after["complaints"] == 2);
  // STATUS of someone else's proposal that became an activity: what INFO says.
  f.Say(6004, "STATUS " + t1);
  INFO(f.LastTo(6004));
  CHECK(f.LastTo(6004).find("tahap pelaksanaan") != std::string::npos);
}

}  // namespace
}  // namespace suaradesa::testing
