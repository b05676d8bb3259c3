// Residents' data rights (issue 19), end to end: residents on the Telegram
// webhook and on an Android SMS gateway (fake platforms on 127.0.0.1), the
// desk API, the store interface, a FakeClock. The privacy notice, DATA SAYA,
// HAPUS DATA (with a search of the SQLite file and its WAL for every form of
// the erased number, the chat id and the name), erasure by an admin, the
// staff audit, and the retention job.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/channels/sms_segments.h"
#include "tests/gateway/channels_e2e.h"
#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

constexpr int64_t kChat = 7788990011;
constexpr char kName[] = "Wulandari Kusumawati";
constexpr char kLocalNumber[] = "081298765432";
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

std::string NamedTelegramUpdate(int64_t update_id, int64_t chat, const std::string& text) {
  json u = {{"update_id", update_id},
            {"message",
             {{"message_id", update_id + 500},
              {"from", {{"id", chat}, {"is_bot", false}, {"first_name", kName}}},
              {"chat", {{"id", chat}, {"first_name", kName}, {"type", "private"}}},
              {"date", 1795399200},
              {"text", text}}}};
  return u.dump();
}

struct RightsFixture {
  TempDir dir;
  FakePlatform telegram;
  FakePlatform phone;
  std::string db = dir.File("rights.db");
  TestGateway gw{[this] {
    Config cfg = TestConfig(db, telegram.base_url(), telegram.base_url() + "/out");
    AddAndroidSms(cfg, phone.base_url());
    cfg.privacy.notice_first_message = true;
    cfg.privacy.contact = "Kantor Kecamatan Rogojampi";
    return cfg;
  }()};
  int64_t update = 0;
  int next = 0;

  RightsFixture() {
    phone.SetHandler(Numbered([](int n) {
      FakeResponse r;
      r.status = 202;
      r.body = json{{"id", "out-" + std::to_string(n)}, {"state", "Pending"}}.dump();
      return r;
    }));
  }

  void Tg(int64_t chat, const std::string& text) {
    auto res = gw.Post("/webhook/tg", NamedTelegramUpdate(++update, chat, text),
                       {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
    REQUIRE(res);
    REQUIRE(res->status == 200);
    gw.DrainOutbox();
  }

  int PostPhone(const std::string& id, const std::string& from, const std::string& text) {
    const std::string body =
        json{{"deviceId", "ffffffffceb0b1db"}, {"event", "sms:received"}, {"id", id},
             {"payload", {{"messageId", "h"}, {"message", text}, {"sender", from},
                          {"recipient", nullptr}, {"simNumber", 1},
                          {"receivedAt", "2026-11-23T09:00:00.000+07:00"}}},
             {"webhookId", "suaradesa-hp-sms:received"}}
            .dump();
    const std::string ts = std::to_string(gw.clock().NowMillis() / 1000);
    auto res = gw.Post("/webhook/hp", body,
                       {{"X-Signature", channels::HmacSha256Hex(kPhoneKey, body + ts)},
                        {"X-Timestamp", ts}});
    REQUIRE(res);
    return res->status;
  }

  void Sms(const std::string& from, const std::string& text) {
    REQUIRE(PostPhone("ev" + std::to_string(++next), from, text) == 200);
    gw.DrainOutbox();
  }

  std::vector<std::string> SmsTo(const std::string& e164) {
    std::vector<std::string> out;
    for (const auto& r : phone.requests_to("/message")) {
      const json b = json::parse(r.body);
      if (b["phoneNumbers"][0] == e164) out.push_back(b["textMessage"]["text"]);
    }
    return out;
  }

  std::vector<std::string> TgTo(int64_t chat) {
    std::vector<std::string> out;
    for (const auto& r : telegram.requests_to("/sendMessage")) {
      json body = json::parse(r.body);
      if (body["chat_id"].dump() == std::to_string(chat)) out.push_back(body.value("text", ""));
    }
    return out;
  }

  json Api(const std::string& token, const std::string& path) {
    auto res = gw.GetAuthed(path, token);
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  }

  std::string Notice() {
    return gw.app().dialogs().Render("privacy.notice", {{"months", 12}}, "id").text;
  }
};

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("Privacy notice: once per contact, before the first reply, in one SMS segment",
          "[rights]") {
  RightsFixture f;
  const std::string notice = f.Notice();
  CHECK(channels::CountSms(notice).encoding == channels::SmsEncoding::kGsm7);
  CHECK(channels::CountSms(notice).segments == 1);
  for (const char* lang : {"en", "jv"}) {
    const std::string other = f.gw.app().dialogs().Render("privacy.notice", {{"months", 12}}, lang).text;
    CHECK(channels::CountSms(other).segments == 1);
    CHECK(channels::CountSms(other).encoding == channels::SmsEncoding::kGsm7);
  }

  REQUIRE(f.PostPhone("first", "081211112222", "menu") == 200);
  // The platform retries the same delivery: processed once, noticed once.
  REQUIRE(f.PostPhone("first", "081211112222", "menu") == 200);
  f.gw.DrainOutbox();
  std::vector<std::string> sent = f.SmsTo("+6281211112222");
  REQUIRE(sent.size() == 2);
  CHECK(sent[0] == notice);
  CHECK_FALSE(Contains(sent[1], "Privasi"));

  f.Sms("081211112222", "menu");
  CHECK(f.SmsTo("+6281211112222").size() == 3);  // the reply alone

  f.Sms("081211112222", "PRIVASI");
  sent = f.SmsTo("+6281211112222");
  REQUIRE(sent.size() == 4);
  CHECK(Contains(sent[3], notice));
  CHECK(Contains(sent[3], "Kantor Kecamatan Rogojampi"));
}

TEST_CASE("DATA SAYA: the sender's own messages, tickets, groups, opt-out and language",
          "[rights]") {
  RightsFixture f;
  f.Tg(kChat, "lapor dana BLT dipotong kepala dusun");
  f.Tg(kChat, "1");  // the desa, when asked
  auto cases = f.gw.app().store().ListCases({});
  REQUIRE(cases);
  REQUIRE(cases->size() == 1);
  const std::string ticket = cases->front().Ticket();

  f.Tg(kChat, "DATA SAYA");
  const std::vector<std::string> mine = f.TgTo(kChat);
  REQUIRE(mine.size() >= 2);
  const std::string summary = mine[mine.size() - 2];
  const std::string tickets = mine.back();
  INFO(summary);
  CHECK(Contains(summary, "2 pesan"));
  CHECK(Contains(summary, "menerima pengumuman"));
  CHECK(Contains(tickets, ticket));

  // Another person: none of it.
  f.Tg(kChat + 1, "DATA SAYA");
  const std::vector<std::string> theirs = f.TgTo(kChat + 1);
  REQUIRE_FALSE(theirs.empty());
  CHECK(Contains(theirs.back(), "tidak ada"));
  for (const auto& t : theirs) CHECK_FALSE(Contains(t, ticket));
}

// Every byte of the database's files (SQLite): the main file and the WAL.
std::string DatabaseBytes(const std::string& db) {
  return ReadFile(db) + ReadFile(db + "-wal");
}

TEST_CASE("HAPUS DATA with YA erases the identity; the case stays; a new message is a new contact",
          "[rights]") {
  RightsFixture f;
  // A complaint on Telegram, free messages by SMS.
  f.Tg(kChat, "lapor dana BLT dipotong kepala dusun");
  f.Tg(kChat, "1");
  f.Sms(kLocalNumber, "halo pak, nomor saya 081298765432");
  f.Sms(kLocalNumber, "menu");
  auto before = f.gw.app().store().ListCases({});
  REQUIRE(before);
  REQUIRE(before->size() == 1);
  const std::string ticket = before->front().Ticket();

  // NO keeps everything.
  f.Tg(kChat, "HAPUS DATA");
  f.Tg(kChat, "tidak");
  CHECK(Contains(f.TgTo(kChat).back(), "tidak dihapus"));

  f.Tg(kChat, "HAPUS DATA");
  CHECK(Contains(f.TgTo(kChat).back(), "Balas YA"));
  const size_t tg_sent = f.TgTo(kChat).size();
  f.Tg(kChat, "YA");
  f.Sms(kLocalNumber, "HAPUS DATA");
  const size_t sms_sent = f.SmsTo("+6281298765432").size();
  f.Sms(kLocalNumber, "ya");
  f.gw.DrainOutbox();
  // The question was the last message: nothing after YA.
  CHECK(f.TgTo(kChat).size() == tg_sent);
  CHECK(f.SmsTo("+6281298765432").size() == sms_sent);

  // The case stays, whole, with its pseudonym; no longer linked to anyone.
  auto after = f.gw.app().store().ListCases({});
  REQUIRE(after);
  REQUIRE(after->size() == 1);
  CHECK(after->front().summary == before->front().summary);
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});
  json detail = f.Api(admin, "/api/v1/cases/" + ticket);
  CHECK(Contains(detail.dump(), "dipotong kepala dusun"));

  // The outbox keeps no address of theirs.
  auto outbox = f.gw.app().store().ListOutbox();
  REQUIRE(outbox);
  for (const auto& row : *outbox) {
    CHECK(row.address != std::to_string(kChat));
    CHECK(row.address != "+6281298765432");
  }

  if (!TestingPostgres()) {
    // Nowhere in the database's files: every form of the number, the chat
    // id, the name. (The erasure truncated the WAL; secure_delete zeroed
    // what was freed.)
    const std::string bytes = DatabaseBytes(f.db);
    REQUIRE(bytes.size() > 4096);
    for (const std::string& form :
         {std::string("+6281298765432"), std::string("6281298765432"), std::string(kLocalNumber),
          std::string("81298765432"), std::to_string(kChat), std::string(kName),
          std::string("Wulandari")}) {
      INFO(form);
      CHECK_FALSE(Contains(bytes, form));
    }
  }

  // The same chat writes again: a new contact, told again, and the old
  // ticket is not theirs.
  const size_t before_new = f.TgTo(kChat).size();
  f.Tg(kChat, "STATUS " + ticket);
  const std::vector<std::string> now = f.TgTo(kChat);
  REQUIRE(now.size() == before_new + 2);
  CHECK(now[before_new] == f.Notice());
  CHECK(Contains(now.back(), "tidak kami temukan"));
  f.Tg(kChat, "DATA SAYA");
  CHECK_FALSE(Contains(f.TgTo(kChat).back(), ticket));

  // Each erasure is in the audit: when and by whom, not what.
  json audit = f.Api(admin, "/api/v1/audit?action=erase");
  REQUIRE(audit["entries"].size() == 2);
  for (const auto& e : audit["entries"]) {
    CHECK(e["actor"] == "resident");
    CHECK(e["ticket"] == "");
  }
}

TEST_CASE("Staff erasure and the audit: admins only; reads, replies and exports are recorded",
          "[rights]") {
  RightsFixture f;
  f.Tg(kChat, "lapor dana BLT dipotong kepala dusun");
  f.Tg(kChat, "1");
  auto cases = f.gw.app().store().ListCases({});
  REQUIRE(cases);
  REQUIRE(cases->size() == 1);
  const std::string ticket = cases->front().Ticket();
  REQUIRE(cases->front().confidential);
  const std::string admin = f.gw.CreateToken("Admin", "admin", {});
  const std::string fasil = f.gw.CreateToken("Budi", "fasilitator", {"3510070"});

  // Every path that shows a confidential case: the list, the case, a reply,
  // the export.
  f.Api(fasil, "/api/v1/cases");
  json detail = f.Api(fasil, "/api/v1/cases/" + ticket);
  const std::string pseudonym = detail["reporter"];
  auto replied = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/replies", fasil,
                                 json{{"text", "Sudah kami terima."}}.dump());
  REQUIRE(replied);
  REQUIRE(replied->status == 201);
  auto csv = f.gw.GetAuthed("/api/v1/export/cases.csv", fasil);
  REQUIRE(csv);
  REQUIRE(csv->status == 200);

  // Only admins read the audit and erase.
  auto denied = f.gw.GetAuthed("/api/v1/audit", fasil);
  REQUIRE(denied);
  CHECK(denied->status == 403);
  auto refused = f.gw.PostAuthed("/api/v1/contacts/" + pseudonym + "/erase", fasil, "");
  REQUIRE(refused);
  CHECK(refused->status == 403);
  auto unknown = f.gw.PostAuthed("/api/v1/contacts/Pelapor-0000/erase", admin,
                                 json{{"ticket", ticket}}.dump());
  REQUIRE(unknown);
  CHECK(unknown->status == 404);

  auto erased = f.gw.PostAuthed("/api/v1/contacts/" + pseudonym + "/erase", admin, "");
  REQUIRE(erased);
  INFO(erased->body);
  REQUIRE(erased->status == 200);
  CHECK(json::parse(erased->body)["cases_kept"] == 1);
  // A reply to the erased reporter stays in the history and goes nowhere.
  const size_t sent = f.TgTo(kChat).size();
  auto later = f.gw.PostAuthed("/api/v1/cases/" + ticket + "/replies", admin,
                               json{{"text", "Kasus kami tutup."}}.dump());
  REQUIRE(later);
  CHECK(later->status == 201);
  f.gw.DrainOutbox();
  CHECK(f.TgTo(kChat).size() == sent);

  json audit = f.Api(admin, "/api/v1/audit");
  std::vector<std::string> seen;
  for (const auto& e : audit["entries"]) {
    seen.push_back(e["actor"].get<std::string>() + " " + e["action"].get<std::string>() + " " +
                   e["ticket"].get<std::string>());
  }
  auto has = [&](const std::string& line) {
    return std::find(seen.begin(), seen.end(), line) != seen.end();
  };
  INFO(json(seen).dump());
  CHECK(has("Budi case.list " + ticket));
  CHECK(has("Budi case.read " + ticket));
  CHECK(has("Budi reply " + ticket));
  CHECK(has("Budi export "));
  CHECK(has("Admin erase "));
  CHECK(has("Admin reply " + ticket));
  // Filtered by action and time.
  json replies = f.Api(admin, "/api/v1/audit?action=reply");
  CHECK(replies["entries"].size() == 2);
  json none = f.Api(admin, "/api/v1/audit?to=1");
  CHECK(none["entries"].empty());
}

TEST_CASE("Retention: a daily job removes old texts outside cases, bodies and timelines",
          "[rights]") {
  RightsFixture f;
  f.Tg(kChat, "lapor dana BLT dipotong kepala dusun");
  f.Tg(kChat, "1");
  f.Sms(kLocalNumber, "halo pak apa kabar");
  auto& job = f.gw.app().retention();

  // Now: nothing is old enough.
  auto first = job.RunIfDue();
  REQUIRE(first);
  REQUIRE(first->has_value());
  CHECK(**first == storage::RetentionReport{});
  // Not again the same day.
  f.gw.clock().Advance(3600LL * 1000);
  auto again = job.RunIfDue();
  REQUIRE(again);
  CHECK_FALSE(again->has_value());

  // 31 days on: the outbox bodies (default 30 days) go.
  f.gw.clock().Advance(31 * kDayMs);
  auto month = job.RunIfDue();
  REQUIRE(month);
  REQUIRE(month->has_value());
  CHECK((*month)->outbox_bodies > 0);
  CHECK((*month)->message_texts == 0);
  CHECK(Contains(f.gw.logs(), "retention: removed"));

  // 400 days on: texts outside the case go, the case's stay; timelines go.
  f.gw.clock().Advance(400 * kDayMs);
  auto year = job.RunIfDue();
  REQUIRE(year);
  REQUIRE(year->has_value());
  CHECK((*year)->message_texts > 0);
  CHECK((*year)->delivery_events > 0);
  auto messages = f.gw.app().store().ListMessages(std::nullopt, std::nullopt);
  REQUIRE(messages);
  bool case_text = false;
  for (const auto& m : *messages) {
    CHECK(m.text != "halo pak apa kabar");
    if (Contains(m.text, "dipotong kepala dusun")) case_text = true;
  }
  CHECK(case_text);
}

}  // namespace
}  // namespace suaradesa::testing
