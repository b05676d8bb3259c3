// Opt-out at send time (issue 13), end to end: residents on the Telegram
// webhook, broadcasts and meetings through /api/v1, notices held by quiet
// hours, the fake Telegram API. BERHENTI cancels every broadcast, notice and
// reminder waiting for the person; KELUAR <group> only what that group
// brought; answers about the person's own cases still go out.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/gateway/notices/notices_fixture.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

struct OptOut : NoticesFixture {
  int64_t update = 0;
  std::string admin_token = gw->CreateToken("Admin", "admin", {});

  OptOut() {
    // 22.00 WITA: notices queued now wait for the end of quiet hours.
    clock().Set(LocalMs(2026, 11, 23, 22, 0, kWita));
  }

  void Post(int64_t chat, const std::string& text) {
    auto res = gw->Post("/webhook/tg", TelegramTextUpdate(++update, chat, text),
                        {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
    REQUIRE(res);
    REQUIRE(res->status == 200);
  }

  void Say(int64_t chat, const std::string& text) {
    Post(chat, text);
    gw->DrainOutbox();
  }

  void Broadcast(const std::vector<std::string>& groups, const std::string& text) {
    auto res = gw->PostAuthed("/api/v1/broadcasts", admin_token,
                              json{{"groups", groups}, {"text", text}}.dump());
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 202);
  }

  std::vector<std::string> SentTo(int64_t chat) {
    std::vector<std::string> out;
    for (const auto& r : telegram.requests_to("/sendMessage")) {
      json body = json::parse(r.body);
      if (body["chat_id"].dump() == std::to_string(chat)) out.push_back(body.value("text", ""));
    }
    return out;
  }

  bool Received(int64_t chat, const std::string& part) {
    for (const auto& t : SentTo(chat)) {
      if (t.find(part) != std::string::npos) return true;
    }
    return false;
  }

  // The outbox rows for a chat of one kind.
  std::vector<storage::OutboxItem> Rows(int64_t chat, storage::OutboxKind kind) {
    auto rows = app().store().ListOutbox();
    REQUIRE(rows);
    std::vector<storage::OutboxItem> out;
    for (const auto& r : *rows) {
      if (r.address == std::to_string(chat) && r.kind == kind) out.push_back(r);
    }
    return out;
  }

  // The next morning, after quiet hours: everything due goes out.
  void Morning() {
    clock().Set(LocalMs(2026, 11, 24, 6, 30, kWita));
    DrainAll();
  }
};

TEST_CASE("Opt-out: BERHENTI cancels the broadcasts and notices waiting for the person",
          "[notices][optout]") {
  OptOut f;
  f.Group("MELATI", kWitaDesa);
  f.Say(11, "GABUNG MELATI");
  f.Say(12, "GABUNG MELATI");
  f.Broadcast({"MELATI"}, "Kerja bakti Minggu pagi.");
  f.Meeting(kWitaDesa, "2026-11-26T09:00", {"MELATI"});
  REQUIRE(f.Rows(11, storage::OutboxKind::kBroadcast).size() == 2);

  // BERHENTI: in the same transaction, what waits for chat 11 is failed.
  f.Post(11, "BERHENTI");
  for (const auto& row : f.Rows(11, storage::OutboxKind::kBroadcast)) {
    CHECK(row.state == "failed");
    CHECK(row.last_error == "opted_out");
  }
  for (const auto& row : f.Rows(12, storage::OutboxKind::kBroadcast)) CHECK(row.state == "pending");
  f.gw->DrainOutbox();
  const std::vector<std::string> confirmation = f.SentTo(11);
  REQUIRE_FALSE(confirmation.empty());
  CHECK(confirmation.back() ==
        "Baik, Bapak/Ibu tidak akan lagi menerima pengumuman, undangan, atau pengingat. Jawaban "
        "atas laporan Bapak/Ibu tetap dikirim. Ketik MULAI untuk daftar lagi.");

  f.Morning();
  CHECK(f.Received(12, "Kerja bakti Minggu pagi."));
  CHECK(f.Received(12, "Balai Desa"));
  CHECK_FALSE(f.Received(11, "Kerja bakti"));
  CHECK_FALSE(f.Received(11, "Balai Desa"));
  CHECK(f.SentTo(11) == confirmation);
}

TEST_CASE("Opt-out: KELUAR cancels only what the group it leaves brought", "[notices][optout]") {
  OptOut f;
  f.Group("MELATI", kWitaDesa);
  f.Group("MAWAR", kWitaDesa);
  f.Say(21, "GABUNG MELATI");
  f.Say(21, "GABUNG MAWAR");
  f.Say(22, "GABUNG MELATI");
  f.Broadcast({"MELATI"}, "Arisan Melati ditunda.");
  f.Broadcast({"MAWAR"}, "Arisan Mawar tetap jalan.");
  f.Broadcast({"MELATI", "MAWAR"}, "Gotong royong Sabtu.");
  f.Meeting(kWitaDesa, "2026-11-26T09:00", {"MELATI"}, "Rapat Melati");
  f.Meeting(kWitaDesa, "2026-11-27T09:00", {"MAWAR"}, "Rapat Mawar");
  REQUIRE(f.Rows(21, storage::OutboxKind::kBroadcast).size() == 5);

  f.Post(21, "KELUAR MELATI");
  int cancelled = 0;
  for (const auto& row : f.Rows(21, storage::OutboxKind::kBroadcast)) {
    if (row.state == "failed") ++cancelled;
  }
  CHECK(cancelled == 2);  // the Melati broadcast and the Melati meeting's invitation

  f.Morning();
  CHECK_FALSE(f.Received(21, "Arisan Melati"));
  CHECK_FALSE(f.Received(21, "Rapat Melati"));
  CHECK(f.Received(21, "Arisan Mawar tetap jalan."));
  // Sent to both groups: chat 21 is still in one of them.
  CHECK(f.Received(21, "Gotong royong Sabtu."));
  CHECK(f.Received(21, "Rapat Mawar"));
  // Someone who stayed gets everything of the group.
  CHECK(f.Received(22, "Arisan Melati ditunda."));
  CHECK(f.Received(22, "Rapat Melati"));
}

TEST_CASE("Opt-out: a stop that names a group leaves it, and stops everything when the person is "
          "in no such group",
          "[notices][optout]") {
  OptOut f;
  f.Group("PKK", kWitaDesa);
  f.Group("MELATI", kWitaDesa);
  f.Say(31, "GABUNG PKK");
  f.Say(31, "GABUNG MELATI");
  f.Say(32, "GABUNG MELATI");
  f.Broadcast({"PKK"}, "Arisan PKK ditunda.");
  f.Broadcast({"MELATI"}, "Kerja bakti Minggu pagi.");

  // A group the person is in: only that group's notices stop, and the reply
  // says how to stop everything.
  f.Say(31, "jangan kirim info PKK lagi");
  REQUIRE_FALSE(f.SentTo(31).empty());
  CHECK(f.SentTo(31).back().find("STOP") != std::string::npos);
  // A group nobody has: the stop stops everything.
  f.Say(32, "jangan kirim info posyandu lagi");
  for (const auto& row : f.Rows(32, storage::OutboxKind::kBroadcast)) {
    CHECK(row.state == "failed");
    CHECK(row.last_error == "opted_out");
  }
  REQUIRE_FALSE(f.SentTo(32).empty());
  CHECK(f.SentTo(32).back().find("MULAI") != std::string::npos);

  f.Morning();
  CHECK_FALSE(f.Received(31, "Arisan PKK"));
  CHECK(f.Received(31, "Kerja bakti Minggu pagi."));
  CHECK_FALSE(f.Received(32, "Kerja bakti"));
}

TEST_CASE("Opt-out: a stop or a leave naming a kind of group, or words of its name, leaves the "
          "person's groups of that name only",
          "[notices][optout]") {
  OptOut f;
  f.Group("MAWAR", kWitaDesa, "SPP Mawar");
  f.Group("MELATI", kWitaDesa, "PKK Melati");
  f.Group("SUMBER", kWitaDesa, "Kelompok Tani Sumber Rejeki");
  f.Group("SUBUR", kWitaDesa, "Kelompok Tani Subur");
  f.Say(41, "GABUNG MAWAR");
  f.Say(41, "GABUNG MELATI");
  f.Say(42, "GABUNG SUMBER");
  f.Say(42, "GABUNG SUBUR");
  f.Broadcast({"MAWAR"}, "Arisan Mawar ditunda.");
  f.Broadcast({"MELATI"}, "Kerja bakti PKK Minggu pagi.");
  f.Broadcast({"SUMBER"}, "Pupuk Sumber Rejeki datang.");
  f.Broadcast({"SUBUR"}, "Pupuk Subur datang.");

  // No group has the code SPP: the person's SPP group is left, and only it;
  // the stop does not opt them out of everything.
  f.Say(41, "stop info SPP aja");
  REQUIRE_FALSE(f.SentTo(41).empty());
  CHECK(f.SentTo(41).back().find("SPP Mawar") != std::string::npos);
  // Words of one group's name leave that group, not the other of its kind.
  f.Say(42, "keluarkan saya dari kelompok tani sumber rejeki");
  REQUIRE_FALSE(f.SentTo(42).empty());
  CHECK(f.SentTo(42).back().find("Kelompok Tani Sumber Rejeki") != std::string::npos);

  f.Morning();
  CHECK_FALSE(f.Received(41, "Arisan Mawar"));
  CHECK(f.Received(41, "Kerja bakti PKK Minggu pagi."));
  CHECK_FALSE(f.Received(42, "Pupuk Sumber Rejeki"));
  CHECK(f.Received(42, "Pupuk Subur datang."));
}

TEST_CASE("Opt-out: answers about one's own complaint still go out after BERHENTI",
          "[notices][optout]") {
  OptOut f;
  const int64_t chat = 31;
  auto texts = Converse(*f.gw, f.telegram, chat, f.update, "ADUAN",
                        {{"what", "Dana BLM dipotong oleh oknum"}, {"where", "Gitik"},
                         {"when", "kemarin"}, {"who", "-"}, {"category", "3"}, {"privacy", "1"}});
  REQUIRE_FALSE(texts.empty());
  const std::string& last = texts.back();
  const auto pos = last.find("ADU-");
  INFO(last);
  REQUIRE(pos != std::string::npos);
  const std::string ticket = last.substr(pos, 5);
  f.Group("MELATI", kWitaDesa);
  f.Say(chat, "GABUNG MELATI");
  f.Broadcast({"MELATI"}, "Kerja bakti Minggu pagi.");
  f.Say(chat, "BERHENTI");

  // The desk answers and changes the status: both reach the resident.
  const std::string sari = f.gw->CreateToken("Sari", "fasilitator", {"3510070"});
  auto reply = f.gw->PostAuthed("/api/v1/cases/" + ticket + "/replies", sari,
                                R"({"text":"Terima kasih, sedang kami periksa."})");
  REQUIRE(reply);
  CHECK(reply->status == 201);
  auto status = f.gw->PostAuthed("/api/v1/cases/" + ticket + "/status", sari,
                                 R"({"status":"diverifikasi","note":"dicek ke lapangan"})");
  REQUIRE(status);
  CHECK(status->status == 200);
  // Morning in WITA is still quiet in Gitik (WIB), the case's desa: the
  // desk's messages go at 06.00 WIB.
  f.clock().Set(LocalMs(2026, 11, 24, 6, 0, kWib));
  f.DrainAll();
  CHECK(f.Received(chat, "Terima kasih, sedang kami periksa."));
  CHECK(f.Received(chat, "diverifikasi"));
  CHECK_FALSE(f.Received(chat, "Kerja bakti"));
  // A message of the resident's own still gets its answer.
  const size_t before = f.SentTo(chat).size();
  f.Say(chat, "STATUS " + ticket);
  CHECK(f.SentTo(chat).size() == before + 1);
}

}  // namespace
}  // namespace suaradesa::testing
