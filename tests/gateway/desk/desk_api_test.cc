// The facilitator desk end to end: a complaint filed through the Telegram
// webhook, then handled through /api/v1 with tokens of different scopes.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/desk/deadlines.h"
#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr int64_t kReporterChat = 4242;
constexpr int64_t kHour = 3600LL * 1000;

struct Fixture {
  TempDir dir;
  FakePlatform telegram;
  std::string db = dir.File("desk.db");
  TestGateway gw{TwoAreaConfig(db, telegram.base_url())};
  int64_t update = 0;

  // Files a complaint in desa Gitik whose story is `what`; returns its ticket.
  std::string FileComplaint(const std::string& what, int64_t chat = kReporterChat) {
    auto texts = Converse(gw, telegram, chat, update, "ADUAN",
                          {{"what", what}, {"where", "Gitik"}, {"when", "kemarin"},
                           {"who", "-"}, {"category", "3"}, {"privacy", "1"}});
    REQUIRE_FALSE(texts.empty());
    const std::string& last = texts.back();
    auto pos = last.find("ADU-");
    INFO(last);
    REQUIRE(pos != std::string::npos);
    size_t end = pos + 4;
    while (end < last.size() && std::isdigit(static_cast<unsigned char>(last[end]))) ++end;
    return last.substr(pos, end - pos);
  }

  json GetJson(const std::string& path, const std::string& token, int expected_status = 200) {
    auto res = gw.GetAuthed(path, token);
    REQUIRE(res);
    INFO(path << " -> " << res->body);
    REQUIRE(res->status == expected_status);
    return json::parse(res->body);
  }

  std::vector<std::string> SentTo(int64_t chat) {
    std::vector<std::string> out;
    for (const auto& r : telegram.requests_to("/sendMessage")) {
      json body = json::parse(r.body);
      if (body["chat_id"].dump() == std::to_string(chat)) out.push_back(body.value("text", ""));
    }
    return out;
  }
};

TEST_CASE("Desk: no token or a wrong token gets 401; a flood of wrong ones 429", "[desk]") {
  Fixture f;
  auto none = f.gw.Get("/api/v1/cases");
  REQUIRE(none);
  CHECK(none->status == 401);
  CHECK(json::parse(none->body)["error"]["code"] == "unauthorized");
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});
  // The request without a token was the first failure; 19 more make 20.
  for (int i = 0; i < 19; ++i) {
    auto wrong = f.gw.GetAuthed("/api/v1/cases", "sd_wrong");
    REQUIRE(wrong);
    CHECK(wrong->status == 401);
  }
  auto last_wrong = f.gw.GetAuthed("/api/v1/cases", "sd_wrong");
  REQUIRE(last_wrong);
  CHECK(last_wrong->status == 401);
  // Over 20 failures in a minute: more wrong tokens get 429; a right token
  // is still served (issue 13).
  auto blocked = f.gw.GetAuthed("/api/v1/cases", "sd_wrong");
  REQUIRE(blocked);
  CHECK(blocked->status == 429);
  CHECK(f.GetJson("/api/v1/cases", admin)["cases"].is_array());
}

TEST_CASE("Desk: a fasilitator sees the cases of their own area only", "[desk]") {
  Fixture f;
  const std::string ticket = f.FileComplaint("Dana BLM dipotong oleh oknum");
  const std::string rogojampi = f.gw.CreateToken("Sari", "fasilitator", {"3510070"});
  const std::string gitik = f.gw.CreateToken("Budi", "fasilitator", {"3510070001"});
  const std::string bone = f.gw.CreateToken("Andi", "fasilitator", {"7308010"});
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});

  CHECK(f.GetJson("/api/v1/cases", rogojampi)["cases"].size() == 1);
  CHECK(f.GetJson("/api/v1/cases", gitik)["cases"].size() == 1);
  CHECK(f.GetJson("/api/v1/cases", admin)["cases"].size() == 1);
  CHECK(f.GetJson("/api/v1/cases", bone)["cases"].empty());
  // Outside the token's area a case does not exist, just like a wrong ticket.
  json hidden = f.GetJson("/api/v1/cases/" + ticket, bone, 404);
  json missing = f.GetJson("/api/v1/cases/ADU-999", bone, 404);
  CHECK(hidden == missing);
  auto reply = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/replies", bone, R"({"text":"x"})");
  REQUIRE(reply);
  CHECK(reply->status == 404);
}

TEST_CASE("Desk: a confidential reporter shows only as a pseudonym of the case", "[desk]") {
  Fixture f;
  const std::string first = f.FileComplaint("Dana BLM dipotong oleh oknum");
  const std::string second = f.FileComplaint("Jalan rusak belum diperbaiki");
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});
  json a = f.GetJson("/api/v1/cases/" + first, admin);
  json b = f.GetJson("/api/v1/cases/" + second, admin);
  const std::string pseudonym = a["reporter"];
  CHECK(pseudonym.rfind("Pelapor-", 0) == 0);
  CHECK(pseudonym.size() == std::string("Pelapor-7F3A").size());
  // One pseudonym per case: stable for the case, never shared by two cases
  // of one person (issue 13).
  CHECK(b["reporter"] != pseudonym);
  CHECK(f.GetJson("/api/v1/cases/" + first, admin)["reporter"] == pseudonym);
  CHECK(a["confidential"] == true);
  // Neither the chat id nor the name Telegram gave appears anywhere.
  for (const json* j : {&a, &b}) {
    const std::string text = j->dump();
    CHECK(text.find(std::to_string(kReporterChat)) == std::string::npos);
    CHECK(text.find("Siti") == std::string::npos);
  }
  auto csv = f.gw.GetAuthed("/api/v1/export/cases.csv", admin);
  REQUIRE(csv);
  CHECK(csv->status == 200);
  CHECK(csv->body.rfind("\xEF\xBB\xBFticket,type,status", 0) == 0);
  CHECK(csv->body.find(first) != std::string::npos);
  CHECK(csv->body.find(std::to_string(kReporterChat)) == std::string::npos);
  CHECK(csv->body.find("Siti") == std::string::npos);
  // The logs never carry the reporter's chat id either.
  CHECK(f.gw.logs().find(std::to_string(kReporterChat)) == std::string::npos);
}

TEST_CASE("Desk: a reply reaches the resident on their channel and is an event", "[desk]") {
  Fixture f;
  const std::string ticket = f.FileComplaint("Dana BLM dipotong oleh oknum");
  const std::string sari = f.gw.CreateToken("Sari", "fasilitator", {"3510070"});
  const size_t before = f.SentTo(kReporterChat).size();
  auto res = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/replies", sari,
                             R"({"text":"Terima kasih, sedang kami periksa."})");
  REQUIRE(res);
  CHECK(res->status == 201);
  f.gw.DrainOutbox();
  auto sent = f.SentTo(kReporterChat);
  REQUIRE(sent.size() == before + 1);
  CHECK(sent.back().find("Terima kasih, sedang kami periksa.") != std::string::npos);
  CHECK(sent.back().find(ticket) != std::string::npos);
  json detail = f.GetJson("/api/v1/cases/" + ticket, sari);
  bool has_reply = false;
  for (const auto& e : detail["events"]) {
    if (e["kind"] == "reply" && e["actor"] == "Sari") has_reply = true;
  }
  CHECK(has_reply);
  auto empty = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/replies", sari, R"({"text":""})");
  REQUIRE(empty);
  CHECK(empty->status == 422);
  auto bad = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/replies", sari, "not json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
}

TEST_CASE("Desk: status changes follow the workflow and tell the resident", "[desk]") {
  Fixture f;
  const std::string ticket = f.FileComplaint("Dana BLM dipotong oleh oknum");
  const std::string sari = f.gw.CreateToken("Sari", "fasilitator", {"3510070"});
  const size_t before = f.SentTo(kReporterChat).size();
  auto ok = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/status", sari,
                            R"({"status":"diverifikasi","note":"dicek ke lapangan"})");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(json::parse(ok->body)["status"] == "diverifikasi");
  f.gw.clock().Advance(61 * 1000);  // a status notice waits a minute for more
  f.gw.DrainOutbox();
  CHECK(f.SentTo(kReporterChat).size() == before + 1);

  auto back = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/status", sari,
                              R"({"status":"diterima"})");
  REQUIRE(back);
  CHECK(back->status == 422);
  auto unknown = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/status", sari,
                                 R"({"status":"disetujui"})");
  REQUIRE(unknown);
  CHECK(unknown->status == 422);
  auto no_reason = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/status", sari,
                                   R"({"status":"diarsipkan"})");
  REQUIRE(no_reason);
  CHECK(no_reason->status == 422);
  auto archived = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/status", sari,
                                  R"({"status":"diarsipkan","note":"bukan wewenang desa"})");
  REQUIRE(archived);
  CHECK(archived->status == 200);
  json detail = json::parse(archived->body);
  int status_events = 0;
  for (const auto& e : detail["events"]) status_events += e["kind"] == "status";
  CHECK(status_events == 2);
  json statuses = f.GetJson("/api/v1/statuses", sari);
  CHECK(statuses["pengaduan"].size() == 6);
}

TEST_CASE("Desk: a complaint about the village head is kept from the village head", "[desk]") {
  Fixture f;
  const std::string ticket = f.FileComplaint("Pak Kades memotong dana BLT warga");
  const std::string kades = f.gw.CreateToken("Pak Harun", "fasilitator", {"3510070001"},
                                             "kepala_desa", "desa");
  const std::string pld = f.gw.CreateToken("Rina", "fasilitator", {"3510070001"}, "pld", "desa");
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});
  CHECK(f.GetJson("/api/v1/cases", kades)["cases"].empty());
  f.GetJson("/api/v1/cases/" + ticket, kades, 404);
  CHECK(f.GetJson("/api/v1/cases", pld)["cases"].size() == 1);
  auto assign = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/assign", admin,
                                R"({"staff":"Pak Harun"})");
  REQUIRE(assign);
  CHECK(assign->status == 409);
  auto to_pld = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/assign", admin,
                                R"({"staff":"Rina"})");
  REQUIRE(to_pld);
  CHECK(to_pld->status == 200);
  CHECK(json::parse(to_pld->body)["assignee"] == "Rina");
}

TEST_CASE("Desk: complaint deadlines remind, then escalate an overdue case", "[desk]") {
  Fixture f;
  // Staff exist before the complaint: it is assigned by area at desa level.
  const std::string pld = f.gw.CreateToken("Rina", "fasilitator", {"3510070001"}, "pld", "desa",
                                           "tg", "777");
  const std::string pd = f.gw.CreateToken("Sari", "fasilitator", {"3510070"}, "pd", "kecamatan",
                                          "tg", "888");
  // Monday 23 November 2026, 09.00 WIB.
  const std::string ticket = f.FileComplaint("Dana BLM dipotong oleh oknum");
  json c = f.GetJson("/api/v1/cases/" + ticket, pld);
  CHECK(c["assignee"] == "Rina");
  // Verification: 3 working days, Thursday 09.00 WIB.
  // (The conversation took a few minutes of fake time.)
  CHECK(c["deadlines"]["verify"].get<std::string>().substr(0, 15) == "2026-11-26T02:0");
  CHECK(c["deadlines"]["answer"].get<std::string>().substr(0, 15) == "2026-11-30T02:0");
  CHECK(c["overdue"] == false);

  auto run = [&] {
    auto r = f.gw.app().deadlines().RunOnce();
    REQUIRE(r);
    f.gw.DrainOutbox();
    return *r;
  };
  CHECK(run().reminded == 0);
  // Wednesday 09.00: one working day before verification is due.
  f.gw.clock().Advance(48 * kHour);
  CHECK(run().reminded == 1);
  CHECK(run().reminded == 0);  // once only
  CHECK(f.SentTo(777).size() == 1);
  // Thursday 09.01: overdue, escalated to the kecamatan.
  f.gw.clock().Advance(24 * kHour + 60 * 1000);
  CHECK(run().escalated == 1);
  CHECK(run().escalated == 0);
  c = f.GetJson("/api/v1/cases/" + ticket, pd);
  CHECK(c["overdue"] == true);
  CHECK(c["assignee"] == "Sari");
  CHECK(f.SentTo(888).size() == 1);
  bool escalated = false;
  for (const auto& e : c["events"]) escalated = escalated || e["kind"] == "escalate";
  CHECK(escalated);
  CHECK(f.GetJson("/api/v1/cases?overdue=1", pd)["cases"].size() == 1);
}

TEST_CASE("Desk: staff answer from their phone with BALAS and list cases with KASUS", "[desk]") {
  Fixture f;
  const std::string ticket = f.FileComplaint("Dana BLM dipotong oleh oknum");
  f.gw.CreateToken("Rina", "fasilitator", {"3510070001"}, "pld", "desa", "tg", "777");
  auto staff_says = [&](const std::string& text) {
    auto res = f.gw.Post("/webhook/tg", TelegramTextUpdate(++f.update, 777, text),
                         {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
    REQUIRE(res);
    REQUIRE(res->status == 200);
    f.gw.DrainOutbox();
    f.gw.clock().Advance(5000);
  };
  staff_says("KASUS");
  REQUIRE(f.SentTo(777).size() == 1);
  CHECK(f.SentTo(777).back().find(ticket) != std::string::npos);
  const size_t before = f.SentTo(kReporterChat).size();
  staff_says("BALAS " + ticket + " Sudah kami cek ke lapangan");
  auto resident = f.SentTo(kReporterChat);
  REQUIRE(resident.size() == before + 1);
  CHECK(resident.back().find("Sudah kami cek ke lapangan") != std::string::npos);
  CHECK(f.SentTo(777).back().find(ticket) != std::string::npos);
  // A resident who is not staff cannot use BALAS.
  f.FileComplaint("Jalan rusak", 5151);
  const size_t other_before = f.SentTo(kReporterChat).size();
  auto res = f.gw.Post("/webhook/tg", TelegramTextUpdate(++f.update, 5151, "BALAS " + ticket + " halo"),
                       {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
  REQUIRE(res);
  f.gw.DrainOutbox();
  CHECK(f.SentTo(kReporterChat).size() == other_before);
}

TEST_CASE("Desk: a resident reopens a closed complaint with BUKA", "[desk]") {
  Fixture f;
  const std::string ticket = f.FileComplaint("Dana BLM dipotong oleh oknum");
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});
  auto done = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/status", admin,
                              R"({"status":"selesai","note":"dana sudah dikembalikan"})");
  REQUIRE(done);
  REQUIRE(done->status == 200);
  f.gw.DrainOutbox();
  f.gw.clock().Advance(3 * 24 * 3600 * 1000LL);
  auto res = f.gw.Post("/webhook/tg", TelegramTextUpdate(++f.update, kReporterChat, "BUKA " + ticket),
                       {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
  REQUIRE(res);
  f.gw.DrainOutbox();
  json c = f.GetJson("/api/v1/cases/" + ticket, admin);
  CHECK(c["status"] == "ditindaklanjuti");
  bool reopened = false;
  for (const auto& e : c["events"]) reopened = reopened || e["kind"] == "reopen";
  CHECK(reopened);
}

TEST_CASE("Desk: BUKA after the configured reopen_days is refused, naming those days", "[desk]") {
  TempDir dir;
  FakePlatform telegram;
  Config cfg = TwoAreaConfig(dir.File("reopen.db"), telegram.base_url());
  cfg.desk.reopen_days = 7;
  TestGateway gw(cfg);
  int64_t update = 0;
  auto texts = Converse(gw, telegram, kReporterChat, update, "ADUAN",
                        {{"what", "Dana BLM dipotong oleh oknum"}, {"where", "Gitik"},
                         {"when", "kemarin"}, {"who", "-"}, {"category", "3"}, {"privacy", "1"}});
  REQUIRE_FALSE(texts.empty());
  const std::string& last = texts.back();
  const size_t at = last.find("ADU-");
  REQUIRE(at != std::string::npos);
  const std::string ticket = last.substr(at, 5);
  const std::string admin = gw.CreateToken("Admin", "admin", {});
  auto done = gw.PostAuthed("/api/v1/cases/" + ticket + "/status", admin,
                            R"({"status":"selesai","note":"sudah dikembalikan"})");
  REQUIRE(done);
  REQUIRE(done->status == 200);
  gw.clock().Advance(61 * 1000);  // status notices wait a minute (merged if several)
  gw.DrainOutbox();
  gw.clock().Advance(8 * 24 * 3600 * 1000LL);
  const size_t before = telegram.requests_to("/sendMessage").size();
  auto res = gw.Post("/webhook/tg", TelegramTextUpdate(++update, kReporterChat, "BUKA " + ticket),
                     {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
  REQUIRE(res);
  gw.DrainOutbox();
  auto sent = telegram.requests_to("/sendMessage");
  REQUIRE(sent.size() == before + 1);
  const std::string answer = json::parse(sent.back().body).value("text", "");
  INFO(answer);
  CHECK(answer.find("7 hari") != std::string::npos);
  CHECK(answer.find("14") == std::string::npos);
}

TEST_CASE("Desk: the web inbox is served with a strict content security policy", "[desk]") {
  Fixture f;
  auto page = f.gw.Get("/inbox/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Security-Policy").find("script-src 'self'") !=
        std::string::npos);
  auto strings = f.gw.Get("/inbox/strings.json");
  REQUIRE(strings);
  json s = json::parse(strings->body);
  CHECK(s.is_object());
  CHECK_FALSE(s.empty());
}

}  // namespace
}  // namespace suaradesa::testing
