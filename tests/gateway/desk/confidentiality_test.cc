// Confidentiality by construction (issue 13): no view of one case shows
// another case, nor who a resident is. Residents talk to the real gateway
// through the Telegram webhook; what staff can read is observed through the
// desk API only.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <random>
#include <set>

#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr const char* kRogojampi = "3510070";
constexpr const char* kGitik = "3510070001";
constexpr const char* kBone = "7308010";

struct Resident {
  int64_t chat = 0;
  std::string name;   // as Telegram reports it
};

struct Fixture {
  TempDir dir;
  FakePlatform telegram;
  std::string db = dir.File("conf.db");
  TestGateway gw{TwoAreaConfig(db, telegram.base_url())};
  int64_t update = 0;

  void Say(const Resident& r, const std::string& text) {
    json u = {{"update_id", ++update},
              {"message",
               {{"message_id", update + 500},
                {"from", {{"id", r.chat}, {"is_bot", false}, {"first_name", r.name}}},
                {"chat", {{"id", r.chat}, {"first_name", r.name}, {"type", "private"}}},
                {"date", 1795399200},
                {"text", text}}}};
    auto res = gw.Post("/webhook/tg", u.dump(), {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
    REQUIRE(res);
    REQUIRE(res->status == 200);
    gw.DrainOutbox();
    gw.clock().Advance(20 * 1000);
  }

  // The node the resident's open dialog waits at, "" when none; read
  // through the store interface.
  std::string NodeOf(const Resident& r) {
    std::string node;
    storage::Status s = gw.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
      auto id = tx.FindContactByAddress(std::to_string(r.chat));
      if (!id) return std::unexpected(id.error());
      if (!*id) return {};
      auto session = tx.GetSession(**id);
      if (!session) return std::unexpected(session.error());
      if (!session->flow.empty()) node = session->node;
      return {};
    });
    REQUIRE(s);
    return node;
  }

  std::vector<std::string> SentTo(const Resident& r) {
    std::vector<std::string> out;
    for (const auto& req : telegram.requests_to("/sendMessage")) {
      json body = json::parse(req.body);
      if (body["chat_id"].dump() == std::to_string(r.chat)) out.push_back(body.value("text", ""));
    }
    return out;
  }

  // Answers the open dialog's questions by node id ("ya" at a confirm, "1"
  // otherwise); `midway` (node -> text) is sent once when that node is
  // reached, before its answer. Returns the ticket the last reply names.
  std::string Finish(const Resident& r, const std::map<std::string, std::string>& answers,
                     std::map<std::string, std::string> midway = {}) {
    for (int i = 0; i < 30; ++i) {
      const std::string node = NodeOf(r);
      if (node.empty()) break;
      if (auto m = midway.find(node); m != midway.end()) {
        Say(r, m->second);
        midway.erase(m);
        continue;
      }
      auto it = answers.find(node);
      Say(r, it != answers.end() ? it->second : (node == "confirm" ? "ya" : "1"));
    }
    REQUIRE(NodeOf(r).empty());
    const std::string last = SentTo(r).back();
    for (const char* prefix : {"ADU-", "USL-"}) {
      auto pos = last.find(prefix);
      if (pos == std::string::npos) continue;
      size_t end = pos + 4;
      while (end < last.size() && std::isdigit(static_cast<unsigned char>(last[end]))) ++end;
      return last.substr(pos, end - pos);
    }
    FAIL("no ticket in: " << last);
    return "";
  }

  std::string Complaint(const Resident& r, const std::string& what, const std::string& desa,
                        std::map<std::string, std::string> midway = {}) {
    Say(r, "ADUAN");
    return Finish(r, {{"what", what}, {"ask_where", desa}}, std::move(midway));
  }

  std::string Proposal(const Resident& r, const std::string& activity, const std::string& desa,
                       const std::string& proposer,
                       std::map<std::string, std::string> midway = {}) {
    Say(r, "USUL");
    // The proposer is not asked by SMS: it is added at the read-back
    // (no, then field 7), as a resident who wants to be named does.
    if (!proposer.empty() && proposer != "-") midway.emplace("confirm", "tidak");
    return Finish(r, {{"activity", activity}, {"ask_desa", desa + " Dusun Krajan RT 02"},
                      {"volume", "300 m"}, {"households", "40"}, {"rtm", "10"}, {"women", "20"},
                      {"cost", "5 jt"}, {"fix", "7"}, {"proposer", proposer}},
                  std::move(midway));
  }

  httplib::Result Get(const std::string& path, const std::string& token) {
    auto res = gw.GetAuthed(path, token);
    REQUIRE(res);
    return res;
  }
};

std::string Texts(const json& detail) {
  std::string out;
  for (const auto& m : detail["messages"]) out += m["text"].get<std::string>() + "\n";
  return out;
}

TEST_CASE("Confidentiality: the accused official cannot read a complaint through the same "
          "person's proposal", "[desk][confidentiality]") {
  Fixture f;
  const Resident siti{91357001, "Siti Aminah"};
  const std::string adu = f.Complaint(siti, "Pak Kades memotong dana BLT warga", "Gitik");
  const std::string usl = f.Proposal(siti, "Perbaikan jalan dusun", "Gitik", "Siti Aminah");
  const std::string kades =
      f.gw.CreateToken("Pak Harun", "fasilitator", {kGitik}, "kepala_desa", "desa");
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});

  CHECK(f.Get("/api/v1/cases/" + adu, kades)->status == 404);
  auto proposal = f.Get("/api/v1/cases/" + usl, kades);
  REQUIRE(proposal->status == 200);
  json p = json::parse(proposal->body);
  // The proposal shows its own dialog, and nothing of the complaint.
  CHECK(Texts(p).find("Perbaikan jalan dusun") != std::string::npos);
  CHECK(proposal->body.find("memotong") == std::string::npos);
  CHECK(proposal->body.find(adu) == std::string::npos);
  // The name the resident gave for the proposal is shown with it: the
  // question said so, and "-" would have left it out.
  CHECK(p["fields"]["proposer"] == "Siti Aminah");
  // The pseudonyms of the two cases differ: nothing links them.
  json complaint = json::parse(f.Get("/api/v1/cases/" + adu, admin)->body);
  CHECK(complaint["reporter"] != p["reporter"]);
  CHECK(Texts(complaint).find("memotong dana BLT") != std::string::npos);
  CHECK(Texts(complaint).find("Perbaikan jalan") == std::string::npos);
  // Stable for one case.
  CHECK(json::parse(f.Get("/api/v1/cases/" + adu, admin)->body)["reporter"] ==
        complaint["reporter"]);
}

TEST_CASE("Confidentiality: a facilitator of one area never reads another area's case of the "
          "same resident", "[desk][confidentiality]") {
  Fixture f;
  const Resident r{91357002, "Andi"};
  const std::string here = f.Complaint(r, "Jalan rabat beton retak", "Gitik");
  const std::string there = f.Complaint(r, "Dana pelatihan tidak dibagikan", "Uloe");
  // Later exchanges about the area-B case, after the area-A case's dialog.
  f.Say(r, "STATUS " + there);
  const std::string rogojampi = f.gw.CreateToken("Sari", "fasilitator", {kRogojampi});
  const std::string bone = f.gw.CreateToken("Andi Bone", "fasilitator", {kBone});
  auto reply = f.gw.PostAuthed("/api/v1/cases/" + there + "/replies", bone,
                               R"({"text":"Kami cek ke UPK minggu ini"})");
  REQUIRE(reply);
  REQUIRE(reply->status == 201);
  f.gw.DrainOutbox();

  auto a = f.Get("/api/v1/cases/" + here, rogojampi);
  REQUIRE(a->status == 200);
  for (const char* word : {"pelatihan", "UPK", there.c_str()}) {
    INFO(word);
    CHECK(a->body.find(word) == std::string::npos);
  }
  CHECK(f.Get("/api/v1/cases/" + there, rogojampi)->status == 404);
  // The area-B case holds its dialog, the STATUS question and its answer,
  // and the facilitator's reply, each recorded as the case's own.
  json b = json::parse(f.Get("/api/v1/cases/" + there, bone)->body);
  const std::string texts = Texts(b);
  CHECK(texts.find("Dana pelatihan tidak dibagikan") != std::string::npos);
  CHECK(texts.find("STATUS " + there) != std::string::npos);
  CHECK(texts.find("Kami cek ke UPK minggu ini") != std::string::npos);
  CHECK(texts.find("rabat") == std::string::npos);
}

TEST_CASE("Confidentiality: a complaint filed before its desa is known is in no area's inbox "
          "until the desa is given", "[desk][confidentiality]") {
  Fixture f;
  const Resident r{91357010, "Yanti"};
  const std::string rogojampi = f.gw.CreateToken("Sari", "fasilitator", {kRogojampi});
  const std::string bone = f.gw.CreateToken("Andi Bone", "fasilitator", {kBone});
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});
  // Filed at once from the story; the desa is asked with the ticket.
  f.Say(r, "ADUAN dana pelatihan zqunrout tidak dibagikan");
  REQUIRE(f.NodeOf(r) == "ask_where");
  const std::string filed = f.SentTo(r).back();
  const auto at = filed.find("ADU-");
  REQUIRE(at != std::string::npos);
  const std::string ticket = filed.substr(at, filed.find_first_of(",. ", at) - at);
  // Two areas are configured: neither sees it yet (the first area used to).
  CHECK(f.Get("/api/v1/cases/" + ticket, rogojampi)->status == 404);
  CHECK(f.Get("/api/v1/cases/" + ticket, bone)->status == 404);
  CHECK(f.Get("/api/v1/cases", rogojampi)->body.find("zqunrout") == std::string::npos);
  CHECK(f.Get("/api/v1/cases/" + ticket, admin)->status == 200);
  // Its desa, given next, routes it to that area only.
  f.Say(r, "di Uloe");
  CHECK(f.NodeOf(r).empty());
  CHECK(f.Get("/api/v1/cases/" + ticket, rogojampi)->status == 404);
  auto b = f.Get("/api/v1/cases/" + ticket, bone);
  REQUIRE(b->status == 200);
  json c = json::parse(b->body);
  CHECK(c["desa"] == "7308010001");
  CHECK(c["assignee"] == "Andi Bone");
  CHECK(Texts(c).find("di Uloe") != std::string::npos);
}

TEST_CASE("Confidentiality: an admin places an unrouted complaint in its desa; a facilitator "
          "cannot send one out of their areas", "[desk][confidentiality]") {
  Fixture f;
  const Resident r{91357011, "Wati"};
  const std::string rogojampi = f.gw.CreateToken("Sari", "fasilitator", {kRogojampi});
  const std::string bone = f.gw.CreateToken("Andi Bone", "fasilitator", {kBone});
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});
  f.Say(r, "ADUAN dana pelatihan zqplace tidak dibagikan");
  REQUIRE(f.NodeOf(r) == "ask_where");
  f.Say(r, "BATAL");  // the resident never names the desa
  auto list = json::parse(f.Get("/api/v1/cases", admin)->body)["cases"];
  REQUIRE(list.size() == 1);
  const std::string ticket = list[0]["ticket"];
  CHECK(list[0]["area"] == "");
  auto place = [&](const std::string& token, const std::string& desa) {
    auto res = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/place", token,
                               json{{"desa", desa}}.dump());
    REQUIRE(res);
    return res;
  };
  // Not visible to a facilitator yet: as if it did not exist.
  CHECK(place(bone, "7308010001")->status == 404);
  CHECK(place(admin, "9999999999")->status == 422);
  auto placed = place(admin, "7308010001");
  REQUIRE(placed->status == 200);
  json c = json::parse(placed->body);
  CHECK(c["area"] == kBone);
  CHECK(c["assignee"] == "Andi Bone");
  // Now in that area's inbox only.
  CHECK(f.Get("/api/v1/cases/" + ticket, bone)->status == 200);
  CHECK(f.Get("/api/v1/cases/" + ticket, rogojampi)->status == 404);
  // Its facilitator cannot move it into an area they do not cover.
  CHECK(place(bone, kGitik)->status == 403);
  CHECK(f.Get("/api/v1/cases/" + ticket, bone)->status == 200);
}

TEST_CASE("Confidentiality: words given after filing that accuse the kepala desa take the case "
          "from him before anyone is alerted", "[desk][confidentiality]") {
  constexpr int64_t kKadesChat = 5550001;
  constexpr int64_t kSariChat = 5550002;
  auto kades_sees = [](Fixture& f, const std::string& token, const std::string& ticket) {
    return f.Get("/api/v1/cases/" + ticket, token)->status == 200;
  };
  SECTION("in the answer to the desa question") {
    Fixture f;
    const std::string kades = f.gw.CreateToken("Pak Harun", "fasilitator", {kGitik},
                                               "kepala_desa", "desa", "tg", std::to_string(kKadesChat));
    f.gw.CreateToken("Sari", "fasilitator", {kRogojampi}, "", "kecamatan", "tg",
                     std::to_string(kSariChat));
    const Resident r{91357011, "Tono"};
    const std::string adu =
        f.Complaint(r, "Dana BLT dipotong", "Gitik, yang memotong pak kades sendiri");
    CHECK_FALSE(kades_sees(f, kades, adu));
  }
  SECTION("in a note on the case afterwards") {
    Fixture f;
    const std::string kades = f.gw.CreateToken("Pak Harun", "fasilitator", {kGitik},
                                               "kepala_desa", "desa", "tg", std::to_string(kKadesChat));
    f.gw.CreateToken("Sari", "fasilitator", {kRogojampi}, "", "kecamatan", "tg",
                     std::to_string(kSariChat));
    const std::string admin = f.gw.CreateToken("Admin", "admin", {});
    const Resident r{91357012, "Tini"};
    const std::string adu = f.Complaint(r, "Dana BLT dipotong", "Gitik");
    // Nothing accused him yet: the nearest facilitator has it.
    REQUIRE(kades_sees(f, kades, adu));
    CHECK(json::parse(f.Get("/api/v1/cases/" + adu, admin)->body)["assignee"] == "Pak Harun");
    const Resident kades_phone{kKadesChat, "Harun"};
    const size_t alerts_before = f.SentTo(kades_phone).size();
    f.Say(r, "pak, yang memotong itu pak kades sendiri zqnote");
    CHECK_FALSE(kades_sees(f, kades, adu));
    json c = json::parse(f.Get("/api/v1/cases/" + adu, admin)->body);
    CHECK(c["assignee"] == "Sari");
    // The alert about the note went to the new assignee, never to him.
    CHECK(f.SentTo(kades_phone).size() == alerts_before);
    const Resident sari_phone{kSariChat, "Sari"};
    bool told = false;
    for (const auto& t : f.SentTo(sari_phone)) told = told || t.find(adu) != std::string::npos;
    CHECK(told);
  }
}

TEST_CASE("Confidentiality: a message outside a dialog, an abandoned dialog and a question "
          "about another case belong to no other case", "[desk][confidentiality]") {
  Fixture f;
  const Resident r{91357003, "Wati"};
  const std::string adu = f.Complaint(r, "Bantuan beras dipotong", "Gitik");
  f.Say(r, "halo pak selamat pagi");
  f.Say(r, "ADUAN");
  f.Say(r, "Saya takut melapor soal bendahara");
  f.Say(r, "BATAL");
  const std::string usl = f.Proposal(r, "Sumur bor", "Gitik", "-");
  // Right after the proposal's dialog, a question about the complaint.
  f.Say(r, "STATUS " + adu);
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});
  json p = json::parse(f.Get("/api/v1/cases/" + usl, admin)->body);
  json c = json::parse(f.Get("/api/v1/cases/" + adu, admin)->body);
  const std::string pt = Texts(p);
  const std::string ct = Texts(c);
  CHECK(pt.find("Sumur bor") != std::string::npos);
  for (const std::string word : {"halo pak", "bendahara", "beras", adu.c_str()}) {
    INFO(word);
    CHECK(pt.find(word) == std::string::npos);
  }
  CHECK(ct.find("STATUS " + adu) != std::string::npos);
  for (const std::string word : {"halo pak", "bendahara", "Sumur"}) {
    INFO(word);
    CHECK(ct.find(word) == std::string::npos);
  }
  // A skipped name is no name.
  const std::string proposer = p["fields"].value("proposer", "");
  CHECK(proposer.find("Wati") == std::string::npos);
}

TEST_CASE("Confidentiality: the case list's limit counts only cases the caller may see",
          "[desk][confidentiality]") {
  Fixture f;
  const Resident r{91357004, "Rahmat"};
  const std::string mine = f.Complaint(r, "Jalan desa rusak parah", "Gitik");
  // 600 newer cases in another area, written through the store interface.
  storage::Status s = f.gw.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
    for (int i = 0; i < 600; ++i) {
      storage::Case c;
      c.type = storage::CaseType::kUsulan;
      c.contact_id = 1;
      c.channel_id = "tg";
      c.area_code = kBone;
      c.desa_code = "7308010001";
      c.summary = "Usulan Bone";
      c.created_at = f.gw.clock().NowMillis() + 1000 + i;
      c.updated_at = c.created_at;
      if (auto created = tx.CreateCase(c); !created) return std::unexpected(created.error());
    }
    return {};
  });
  REQUIRE(s);
  const std::string sari = f.gw.CreateToken("Sari", "fasilitator", {kRogojampi});
  json list = json::parse(f.Get("/api/v1/cases", sari)->body);
  REQUIRE(list["cases"].size() == 1);
  CHECK(list["cases"][0]["ticket"] == mine);
}

TEST_CASE("Confidentiality: a case is assigned only to staff of its area, and the refusal "
          "does not say who works elsewhere", "[desk][confidentiality]") {
  Fixture f;
  const Resident r{91357005, "Yanti"};
  const std::string ticket = f.Complaint(r, "Dana posyandu tidak cair", "Gitik");
  const std::string sari = f.gw.CreateToken("Sari", "fasilitator", {kRogojampi});
  f.gw.CreateToken("Andi", "fasilitator", {kBone});
  f.gw.CreateToken("Rina", "fasilitator", {kGitik});
  auto elsewhere = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/assign", sari,
                                   R"({"staff":"Andi"})");
  auto nobody = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/assign", sari,
                                R"({"staff":"Tidak Ada"})");
  REQUIRE(elsewhere);
  REQUIRE(nobody);
  CHECK(elsewhere->status == 422);
  CHECK(elsewhere->body == nobody->body);
  auto here = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/assign", sari, R"({"staff":"Rina"})");
  REQUIRE(here);
  CHECK(here->status == 200);
}

TEST_CASE("Confidentiality: phone numbers a resident types are masked in every desk view, "
          "amounts are kept", "[desk][confidentiality]") {
  Fixture f;
  const Resident r{91357006, "Joko"};
  const std::string ticket =
      f.Complaint(r, "Dana Rp15.000.000 hilang, hubungi saya 0812-3456-7890", "Gitik");
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});
  f.gw.CreateToken("Rina", "fasilitator", {kGitik}, "pld", "desa", "tg", "777");
  for (const std::string& path : std::vector<std::string>{
           "/api/v1/cases", "/api/v1/cases/" + ticket, "/api/v1/export/cases.csv"}) {
    auto res = f.Get(path, admin);
    INFO(path << ": " << res->body);
    CHECK(res->body.find("3456") == std::string::npos);
    CHECK(res->body.find("Rp15.000.000") != std::string::npos);
  }
  // KASUS on the facilitator's phone too.
  f.Say(Resident{777, "Rina"}, "KASUS");
  const std::string kasus = f.SentTo(Resident{777, "Rina"}).back();
  INFO(kasus);
  CHECK(kasus.find(ticket) != std::string::npos);
  CHECK(kasus.find("3456") == std::string::npos);
}

// The property: random residents with cases in two areas, some accusing the
// village head; every staff token reads every answer it can get, and no
// answer holds another case's text, a hidden case, an address, a platform
// name or a contact id.
TEST_CASE("Confidentiality: every staff answer holds only what that staff may see",
          "[desk][confidentiality]") {
  const unsigned seed = GENERATE(1u, 2u, 3u);
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto marker = [&] {
    std::string m = "zq";
    for (int i = 0; i < 6; ++i) m += static_cast<char>('a' + pick(26));
    return m;
  };

  Fixture f;
  struct Filed {
    std::string ticket;
    std::string marker;
    std::string desa;          // code
    bool accuses_kades = false;
  };
  std::vector<Filed> cases;
  std::vector<Resident> residents;
  std::vector<std::string> unfiled;  // markers that belong to no case
  const std::vector<std::pair<std::string, std::string>> desa = {
      {"Gitik", "3510070001"}, {"Kaotan", "3510070002"}, {"Uloe", "7308010001"}};
  for (int k = 0; k < 5; ++k) {
    Resident r{91358000 + k, "Warga" + std::string(1, static_cast<char>('A' + k)) + "nto"};
    residents.push_back(r);
    const int n = 1 + pick(3);
    for (int i = 0; i < n; ++i) {
      const auto& [name, code] = desa[static_cast<size_t>(pick(3))];
      Filed c;
      c.marker = marker();
      c.desa = code;
      std::map<std::string, std::string> midway;
      if (!cases.empty() && pick(3) == 0) midway = {{"volume", "STATUS " + cases.back().ticket}};
      if (pick(2) == 0) {
        c.accuses_kades = pick(2) == 0;
        const std::string what =
            (c.accuses_kades ? "Pak Kades menahan dana " : "Dana BLT dipotong ") + c.marker;
        // A complaint asks only its desa, which a status question in
        // between would answer; the question in between is a proposal's.
        c.ticket = f.Complaint(r, what, name);
      } else {
        c.ticket = f.Proposal(r, "Jalan " + c.marker, name, pick(2) ? "Kelompok Tani" : "-",
                              midway);
      }
      cases.push_back(c);
      if (pick(2) == 0) {
        const std::string loose = marker();
        unfiled.push_back(loose);
        // A greeting, alone or after a proposal begun and cancelled before
        // its activity: it belongs to no case. (A described problem is a
        // note on the resident's recent case, by design.)
        if (pick(2)) {
          f.Say(r, "USUL");
          f.Say(r, "BATAL");
        }
        f.Say(r, "halo " + loose);
      }
    }
  }

  struct Staff {
    std::string token;
    std::vector<std::string> areas;  // empty: admin
    bool kades = false;
  };
  std::vector<Staff> staff = {
      {f.gw.CreateToken("Admin", "admin", {}), {}, false},
      {f.gw.CreateToken("Sari", "fasilitator", {kRogojampi}), {kRogojampi}, false},
      {f.gw.CreateToken("Andi", "fasilitator", {kBone}), {kBone}, false},
      {f.gw.CreateToken("Pak Harun", "fasilitator", {kGitik}, "kepala_desa", "desa"), {kGitik},
       true},
  };
  // Some desk activity, so histories hold replies and status notices.
  for (const auto& c : cases) {
    if (pick(2)) continue;
    auto res = f.gw.PostAuthed("/api/v1/cases/" + c.ticket + "/replies", staff[0].token,
                               json{{"text", "Balasan untuk " + c.marker}}.dump());
    REQUIRE(res);
    REQUIRE(res->status == 201);
  }
  f.gw.DrainOutbox();

  auto visible = [&](const Staff& s, const Filed& c) {
    if (s.areas.empty()) return true;
    bool covered = false;
    for (const auto& a : s.areas) covered = covered || c.desa.rfind(a, 0) == 0;
    return covered && !(s.kades && c.accuses_kades);
  };
  auto clean = [&](const std::string& what, const std::string& body) {
    INFO(what << ": " << body.substr(0, 2000));
    CHECK(body.find("contact_id") == std::string::npos);
    for (const auto& r : residents) {
      CHECK(body.find(std::to_string(r.chat)) == std::string::npos);
      CHECK(body.find(r.name) == std::string::npos);
    }
    for (const auto& m : unfiled) CHECK(body.find(m) == std::string::npos);
  };

  int answers = 0;
  for (const auto& s : staff) {
    for (const std::string path : {"/api/v1/cases", "/api/v1/export/cases.csv", "/api/v1/me"}) {
      auto res = f.Get(path, s.token);
      REQUIRE(res->status == 200);
      clean(path, res->body);
      ++answers;
      for (const auto& c : cases) {
        if (visible(s, c)) continue;
        INFO(path << " shows hidden " << c.ticket);
        CHECK(res->body.find(c.marker) == std::string::npos);
      }
    }
    size_t listed = json::parse(f.Get("/api/v1/cases", s.token)->body)["cases"].size();
    size_t expected = 0;
    for (const auto& c : cases) expected += visible(s, c);
    CHECK(listed == expected);
    for (const auto& c : cases) {
      auto res = f.Get("/api/v1/cases/" + c.ticket, s.token);
      ++answers;
      if (!visible(s, c)) {
        CHECK(res->status == 404);
        continue;
      }
      REQUIRE(res->status == 200);
      clean(c.ticket, res->body);
      CHECK(res->body.find(c.marker) != std::string::npos);
      for (const auto& other : cases) {
        if (other.ticket == c.ticket) continue;
        INFO(c.ticket << " shows " << other.ticket);
        CHECK(res->body.find(other.marker) == std::string::npos);
      }
    }
  }
  CHECK(answers > 20);
}

}  // namespace
}  // namespace suaradesa::testing
