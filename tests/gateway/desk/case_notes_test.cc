// Talking about one's own case (issue 14): what a resident writes outside a
// dialog joins the history of the case it is about (asked which, when
// several are recent), the assignee is alerted, the resident is told; spam
// is never attached. Staff status notes reach the resident whole, and a
// closing names BUKA. Residents talk through the Telegram webhook; staff
// read through the desk API.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr const char* kGitik = "3510070001";
constexpr int64_t kRina = 777;   // the pld's registered Telegram chat
constexpr int64_t kDay = 24LL * 3600 * 1000;

struct Fixture {
  TempDir dir;
  FakePlatform telegram;
  std::string db = dir.File("notes.db");
  TestGateway gw{TwoAreaConfig(db, telegram.base_url())};
  int64_t update = 0;
  // Staff exist before the cases: complaints in Gitik go to Rina.
  std::string rina = gw.CreateToken("Rina", "fasilitator", {kGitik}, "pld", "desa", "tg",
                                    std::to_string(kRina));
  std::string admin = gw.CreateToken("Admin", "admin", {});

  void Say(int64_t chat, const std::string& text) {
    auto res = gw.Post("/webhook/tg", TelegramTextUpdate(++update, chat, text),
                       {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
    REQUIRE(res);
    REQUIRE(res->status == 200);
    gw.DrainOutbox();
    gw.clock().Advance(20 * 1000);
  }

  std::vector<std::string> SentTo(int64_t chat) {
    std::vector<std::string> out;
    for (const auto& req : telegram.requests_to("/sendMessage")) {
      json body = json::parse(req.body);
      if (body["chat_id"].dump() == std::to_string(chat)) out.push_back(body.value("text", ""));
    }
    return out;
  }
  std::string LastTo(int64_t chat) {
    auto sent = SentTo(chat);
    return sent.empty() ? "" : sent.back();
  }

  std::string NodeOf(int64_t chat) {
    std::string node;
    storage::Status s = gw.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
      auto id = tx.FindContactByAddress(std::to_string(chat));
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

  // Answers the open dialog by node id ("ya" at a confirm, "1" otherwise)
  // and returns the ticket the last reply names.
  std::string Finish(int64_t chat, const std::map<std::string, std::string>& answers) {
    for (int i = 0; i < 30 && !NodeOf(chat).empty(); ++i) {
      const std::string node = NodeOf(chat);
      auto it = answers.find(node);
      Say(chat, it != answers.end() ? it->second : (node == "confirm" ? "ya" : "1"));
    }
    REQUIRE(NodeOf(chat).empty());
    const std::string last = LastTo(chat);
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
  std::string Complaint(int64_t chat, const std::string& what) {
    Say(chat, "ADUAN");
    return Finish(chat, {{"what", what}, {"where", "Gitik"}, {"when", "kemarin"}, {"who", "-"},
                         {"category", "3"}, {"privacy", "1"}});
  }
  std::string Proposal(int64_t chat, const std::string& activity) {
    Say(chat, "USUL");
    return Finish(chat, {{"activity", activity}, {"desa", "Gitik"},
                         {"location", "Dusun Krajan RT 02"}, {"volume", "300 m"},
                         {"households", "40"}, {"rtm", "10"}, {"women", "20"}, {"cost", "5 jt"},
                         {"swadaya", "tenaga"}, {"proposer", "-"}, {"forum", "1"}});
  }

  json Case(const std::string& ticket) {
    auto res = gw.GetAuthed("/api/v1/cases/" + ticket, admin);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  }
  void SetStatus(const std::string& ticket, const std::string& status, const std::string& note) {
    auto res = gw.PostAuthed("/api/v1/cases/" + ticket + "/status", admin,
                             json{{"status", status}, {"note", note}}.dump());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    // A status notice waits a minute for further changes (see Desk::Notify).
    gw.clock().Advance(61 * 1000);
    gw.DrainOutbox();
  }
  void PostStatus(const std::string& ticket, const std::string& status) {
    auto res = gw.PostAuthed("/api/v1/cases/" + ticket + "/status", admin,
                             json{{"status", status}}.dump());
    REQUIRE(res);
    REQUIRE(res->status == 200);
  }
};

std::string Texts(const json& detail) {
  std::string out;
  for (const auto& m : detail["messages"]) out += m["text"].get<std::string>() + "\n";
  return out;
}

int Notes(const json& detail) {
  int n = 0;
  for (const auto& e : detail["events"]) n += e["kind"] == "note" && e["actor"] == "reporter";
  return n;
}

TEST_CASE("Case notes: a resident's words after a reply join that case, not another of theirs",
          "[desk][case_note]") {
  Fixture f;
  const int64_t siti = 91400001;
  // An old proposal, decided long ago: no longer a case to talk about.
  const std::string old = f.Proposal(siti, "Perbaikan jalan dusun");
  f.SetStatus(old, "disetujui", "");
  f.gw.clock().Advance(30 * kDay);
  const std::string adu = f.Complaint(siti, "Pembangunan talud molor berbulan-bulan");
  REQUIRE(f.Case(adu)["assignee"] == "Rina");
  auto reply = f.gw.PostAuthed("/api/v1/cases/" + adu + "/replies", f.admin,
                               R"({"text":"Kontraktor sudah kami hubungi"})");
  REQUIRE(reply);
  REQUIRE(reply->status == 201);
  f.gw.DrainOutbox();
  const size_t alerts = f.SentTo(kRina).size();

  f.Say(siti, "terima kasih pak, tapi kontraktornya masih blm datang");
  CHECK(f.LastTo(siti).find(adu) != std::string::npos);
  CHECK(f.LastTo(siti).find("dicatat") != std::string::npos);
  f.Say(siti, "pak ada tambahan, yg mengerjakan CV Maju Jaya");
  CHECK(f.LastTo(siti).find(adu) != std::string::npos);

  json c = f.Case(adu);
  const std::string texts = Texts(c);
  CHECK(texts.find("kontraktornya masih blm datang") != std::string::npos);
  CHECK(texts.find("CV Maju Jaya") != std::string::npos);
  CHECK(Notes(c) == 2);
  // The assignee heard of each, with the ticket.
  auto to_rina = f.SentTo(kRina);
  REQUIRE(to_rina.size() == alerts + 2);
  CHECK(to_rina.back().find(adu) != std::string::npos);
  CHECK(to_rina.back().find("CV Maju Jaya") != std::string::npos);
  // Nothing of it in the other case of the same person.
  json p = f.Case(old);
  CHECK(Texts(p).find("kontraktor") == std::string::npos);
  CHECK(Texts(p).find("Maju Jaya") == std::string::npos);
  CHECK(Notes(p) == 0);
}

TEST_CASE("Case notes: with two recent cases the resident is asked which",
          "[desk][case_note]") {
  Fixture f;
  const int64_t budi = 91400002;
  const std::string adu = f.Complaint(budi, "Lampu jalan balai dusun mati");
  const std::string usl = f.Proposal(budi, "Sumur bor untuk RT 03");
  f.Say(budi, "pak ada tambahan, yg mengerjakan CV Maju Jaya");
  const std::string question = f.LastTo(budi);
  CHECK(question.find("1. " + usl) != std::string::npos);  // newest first
  CHECK(question.find("2. " + adu) != std::string::npos);
  CHECK(Notes(f.Case(adu)) == 0);
  f.Say(budi, "2");
  CHECK(f.LastTo(budi).find(adu) != std::string::npos);
  json c = f.Case(adu);
  CHECK(Notes(c) == 1);
  CHECK(Texts(c).find("CV Maju Jaya") != std::string::npos);
  CHECK(Texts(f.Case(usl)).find("Maju Jaya") == std::string::npos);
  // A ticket picks too.
  f.Say(budi, "sumurnya sebaiknya dekat mushola saja");
  f.Say(budi, usl);
  CHECK(Notes(f.Case(usl)) == 1);
  CHECK(Texts(f.Case(usl)).find("dekat mushola") != std::string::npos);
  CHECK(Texts(f.Case(adu)).find("mushola") == std::string::npos);
}

TEST_CASE("Case notes: spam from a resident with an open case is not attached",
          "[desk][case_note]") {
  Fixture f;
  const int64_t ani = 91400003;
  const std::string adu = f.Complaint(ani, "Dana BLT dipotong oknum");
  const size_t alerts = f.SentTo(kRina).size();
  f.Say(ani, "Selamat! Anda mendapat hadiah 50jt, hubungi 081234567890");
  f.Say(ani, "Promo pulsa murah untuk semua warga desa");
  json c = f.Case(adu);
  CHECK(Notes(c) == 0);
  CHECK(Texts(c).find("hadiah") == std::string::npos);
  CHECK(Texts(c).find("pulsa") == std::string::npos);
  CHECK(f.SentTo(kRina).size() == alerts);
}

TEST_CASE("Case notes: a closing names BUKA; every status note arrives whole",
          "[desk][case_note]") {
  Fixture f;
  const int64_t wati = 91400004;
  const std::string adu = f.Complaint(wati, "Jalan rabat beton retak");
  const std::string usl = f.Proposal(wati, "Pelatihan menjahit");
  // A note on a status that is not a closing is sent too.
  f.SetStatus(usl, "dibahas", "Dibahas pada musdes tanggal 5 Desember di balai desa");
  CHECK(f.LastTo(wati).find("musdes tanggal 5 Desember di balai desa") != std::string::npos);
  // A long note: whole, no word cut.
  const std::string note =
      "Perbaikan sudah dilaksanakan oleh TPK bersama warga pada hari Sabtu. Retakan sepanjang "
      "tiga puluh meter sudah ditambal dan dicor ulang, saluran air di sisi jalan juga "
      "dibersihkan supaya air hujan tidak menggenang lagi. Mohon kabari kami bila masih ada "
      "kerusakan di ruas yang lain.";
  REQUIRE(note.size() > 200);
  const size_t before = f.SentTo(wati).size();
  f.SetStatus(adu, "selesai", note);
  auto sent = f.SentTo(wati);
  REQUIRE(sent.size() == before + 1);
  CHECK(sent.back().find(note) != std::string::npos);
  CHECK(sent.back().find("BUKA " + adu) != std::string::npos);
  // A note too long for one message: several, split between words, that
  // together say all of it.
  std::string essay;
  for (int i = 0; essay.size() < 1500; ++i) essay += "kalimat" + std::to_string(i) + " panjang ";
  essay.pop_back();
  const size_t before_essay = f.SentTo(wati).size();
  f.SetStatus(usl, "disetujui", essay);
  auto parts = f.SentTo(wati);
  REQUIRE(parts.size() == before_essay + 2);
  const std::string joined = parts[before_essay] + " " + parts[before_essay + 1];
  CHECK(joined.find(essay) != std::string::npos);
  CHECK(parts[before_essay].back() != ' ');
  // Without a note, a closing names BUKA too; so does an archiving.
  const std::string adu2 = f.Complaint(wati, "Lampu jalan mati");
  f.SetStatus(adu2, "selesai", "");
  CHECK(f.LastTo(wati).find("BUKA " + adu2) != std::string::npos);
  const std::string adu3 = f.Complaint(wati, "Tiang listrik miring");
  f.SetStatus(adu3, "diarsipkan", "Sudah ditangani PLN");
  CHECK(f.LastTo(wati).find("BUKA " + adu3) != std::string::npos);
  CHECK(f.LastTo(wati).find("Sudah ditangani PLN") != std::string::npos);
}

TEST_CASE("Case notes: quick status changes reach the resident as one message",
          "[desk][case_note]") {
  Fixture f;
  const int64_t ani = 91400005;
  const std::string adu = f.Complaint(ani, "Lampu jalan depan balai dusun mati");
  const size_t before = f.SentTo(ani).size();
  f.PostStatus(adu, "diverifikasi");
  f.gw.DrainOutbox();
  f.gw.clock().Advance(30 * 1000);
  f.PostStatus(adu, "diteruskan");
  f.gw.DrainOutbox();
  CHECK(f.SentTo(ani).size() == before);  // nothing yet: it waits for more
  f.gw.clock().Advance(31 * 1000);
  f.gw.DrainOutbox();
  auto sent = f.SentTo(ani);
  REQUIRE(sent.size() == before + 1);
  CHECK(sent.back().find("diteruskan kepada petugas") != std::string::npos);
  CHECK(sent.back().find("diverifikasi") == std::string::npos);
  // The case history holds the one message that was sent.
  const std::string history = Texts(f.Case(adu));
  CHECK(history.find("diteruskan kepada petugas") != std::string::npos);
  CHECK(history.find("sedang diverifikasi") == std::string::npos);

  // A change after that one went out is a new message.
  f.SetStatus(adu, "ditindaklanjuti", "");
  sent = f.SentTo(ani);
  REQUIRE(sent.size() == before + 2);
  CHECK(sent.back().find("sedang ditindaklanjuti") != std::string::npos);
}

TEST_CASE("Case notes: staff messages wait for the end of quiet hours; dialog answers do not",
          "[desk][case_note]") {
  Fixture f;
  const int64_t budi = 91400006;
  const std::string adu = f.Complaint(budi, "Saluran air tersumbat");
  // Monday 23 November 2026, 22.00 WIB (15.00 UTC); Gitik is in WIB.
  const int64_t ten_pm = FakeClock::kDefaultStart + 13LL * 3600 * 1000;
  f.gw.clock().Set(ten_pm);
  const size_t before = f.SentTo(budi).size();
  auto reply = f.gw.PostAuthed("/api/v1/cases/" + adu + "/replies", f.admin,
                               R"({"text":"Besok pagi petugas datang"})");
  REQUIRE(reply);
  REQUIRE(reply->status == 201);
  f.PostStatus(adu, "diverifikasi");
  f.gw.clock().Advance(5 * 60 * 1000);
  f.gw.DrainOutbox();
  CHECK(f.SentTo(budi).size() == before);
  // The resident's own message at night is answered at once.
  f.Say(budi, "STATUS " + adu);
  INFO(f.LastTo(budi));
  REQUIRE(f.SentTo(budi).size() == before + 1);
  CHECK(f.LastTo(budi).find(adu) != std::string::npos);
  // 05.59 WIB: still held; 06.00: both go.
  f.gw.clock().Set(ten_pm + 8 * 3600 * 1000 - 60 * 1000);
  f.gw.DrainOutbox();
  CHECK(f.SentTo(budi).size() == before + 1);
  f.gw.clock().Set(ten_pm + 8 * 3600 * 1000);
  f.gw.DrainOutbox();
  auto sent = f.SentTo(budi);
  REQUIRE(sent.size() == before + 3);
  CHECK(sent[before + 1].find("Besok pagi petugas datang") != std::string::npos);
  CHECK(sent[before + 2].find("sedang diverifikasi") != std::string::npos);
}

}  // namespace
}  // namespace suaradesa::testing
