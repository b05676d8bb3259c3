// Meeting notices end to end: a group made through /api/v1, residents who
// join by keyword on the Telegram webhook (one of them opts out), a meeting
// in a WITA desa, notices at the fake Telegram API, RSVPs counted.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/channels/sms_segments.h"
#include "tests/gateway/notices/notices_fixture.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

struct E2e : NoticesFixture {
  int64_t update = 0;
  std::string admin_token = gw->CreateToken("Admin", "admin", {});

  // Sends one message from a Telegram chat and drains the outbox. Returns
  // the texts sent to that chat in answer.
  std::vector<std::string> Say(int64_t chat, const std::string& text) {
    const size_t before = SentTo(chat).size();
    auto res = gw->Post("/webhook/tg", TelegramTextUpdate(++update, chat, text),
                        {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
    REQUIRE(res);
    REQUIRE(res->status == 200);
    DrainAll();
    auto all = SentTo(chat);
    return std::vector<std::string>(all.begin() + before, all.end());
  }

  std::vector<std::string> SentTo(int64_t chat) {
    std::vector<std::string> out;
    for (const auto& r : telegram.requests_to("/sendMessage")) {
      json body = json::parse(r.body);
      if (body["chat_id"].dump() == std::to_string(chat)) out.push_back(body.value("text", ""));
    }
    return out;
  }

  httplib::Result Post(const std::string& path, const json& body,
                       const std::string& token = "") {
    return gw->PostAuthed(path, token.empty() ? admin_token : token, body.dump());
  }

  httplib::Result Patch(const std::string& path, const json& body) {
    httplib::Client cli(gw->base_url());
    return cli.Patch(path.c_str(), {{"Authorization", "Bearer " + admin_token}}, body.dump(),
                     "application/json");
  }

  json Get(const std::string& path, int expected = 200, const std::string& token = "") {
    auto res = gw->GetAuthed(path, token.empty() ? admin_token : token);
    REQUIRE(res);
    INFO(path << " -> " << res->body);
    REQUIRE(res->status == expected);
    return json::parse(res->body);
  }
};

json MeetingBody(const std::string& starts_at = "2026-11-26T09:00") {
  return {{"title", "Desa Uloe"},
          {"forum", "MKP"},
          {"area", kWitaDesa},
          {"starts_at", starts_at},
          {"place", "Balai Desa Uloe"},
          {"agenda", "Usulan kegiatan perempuan"},
          {"bring", "KTP dan buku tabungan"},
          {"groups", {"MELATI"}}};
}

TEST_CASE("Notices e2e: groups, keyword joins, a WITA meeting, RSVPs counted", "[notices]") {
  E2e f;
  // --- the group, through the API
  auto created = f.Post("/api/v1/groups",
                        {{"code", "melati"}, {"name", "SPP Melati"}, {"area", kWitaDesa}});
  REQUIRE(created);
  INFO(created->body);
  CHECK(created->status == 201);
  CHECK(json::parse(created->body)["code"] == "MELATI");
  auto duplicate =
      f.Post("/api/v1/groups", {{"code", "MELATI"}, {"name", "Lagi"}, {"area", kWitaDesa}});
  REQUIRE(duplicate);
  CHECK(duplicate->status == 409);
  CHECK(json::parse(duplicate->body)["error"]["code"] == "code_unavailable");
  auto unknown_area =
      f.Post("/api/v1/groups", {{"code", "MAWAR"}, {"name", "Mawar"}, {"area", "9999999999"}});
  REQUIRE(unknown_area);
  CHECK(unknown_area->status == 422);
  auto no_token = f.gw->Post("/api/v1/groups", "{}", {});
  REQUIRE(no_token);
  CHECK(no_token->status == 401);

  // --- residents join by keyword; one stops everything
  auto joined = f.Say(11, "GABUNG MELATI");
  REQUIRE(joined.size() == 1);
  CHECK(joined[0].find("SPP Melati") != std::string::npos);
  f.Say(12, "gabung melati");
  f.Say(13, "GABUNG MELATI");
  f.Say(13, "BERHENTI");
  auto not_found = f.Say(14, "GABUNG KENANGA");
  REQUIRE(not_found.size() == 1);
  CHECK(not_found[0].find("KENANGA") != std::string::npos);
  // One more by phone through the API: reached by SMS on the http channel.
  auto phone = f.Post("/api/v1/groups/MELATI/members", {{"phone", "081234567890"}});
  REQUIRE(phone);
  CHECK(phone->status == 201);
  json group = f.Get("/api/v1/groups/MELATI");
  CHECK(group["member_count"] == 4);
  // Member addresses are masked in the API.
  CHECK(group.dump().find("81234567890") == std::string::npos);

  // --- a bad meeting, then the meeting in a WITA desa
  json bad = MeetingBody("26-11-2026 09:00");
  auto rejected = f.Post("/api/v1/meetings", bad);
  REQUIRE(rejected);
  CHECK(rejected->status == 422);
  CHECK(json::parse(rejected->body)["error"]["code"] == "invalid_starts_at");
  auto meeting = f.Post("/api/v1/meetings", MeetingBody());
  REQUIRE(meeting);
  INFO(meeting->body);
  REQUIRE(meeting->status == 201);
  const json m = json::parse(meeting->body);
  const std::string id = std::to_string(m["id"].get<int64_t>());
  CHECK(m["zone"] == "WITA");
  CHECK(m["invited"] == 3);  // the opted-out resident is not invited
  f.DrainAll();

  for (int64_t chat : {11, 12}) {
    auto texts = f.SentTo(chat);
    REQUIRE_FALSE(texts.empty());
    INFO(texts.back());
    CHECK(texts.back().find("Kamis, 26 November 2026 pukul 09.00 WITA") != std::string::npos);
    CHECK(texts.back().find("Balai Desa Uloe") != std::string::npos);
    CHECK(texts.back().find("HADIR") != std::string::npos);
  }
  for (const auto& t : f.SentTo(13)) CHECK(t.find("pukul") == std::string::npos);

  // --- RSVPs
  auto yes = f.Say(11, "HADIR");
  REQUIRE(yes.size() == 1);
  CHECK(yes[0].find("MKP Desa Uloe") != std::string::npos);
  // Not decided yet: an answer that says how to answer later, and nothing
  // recorded; the later answer counts.
  auto undecided = f.Say(12, "blm tau bisa kah gak, liat besok");
  REQUIRE(undecided.size() == 1);
  CHECK(undecided[0].find("HADIR atau TIDAK") != std::string::npos);
  CHECK(f.Get("/api/v1/meetings/" + id)["rsvp"] ==
        json({{"hadir", 1}, {"tidak", 0}, {"belum", 2}}));
  auto no = f.Say(12, "tidak bisa hadir, ada acara keluarga");
  REQUIRE(no.size() == 1);
  json got = f.Get("/api/v1/meetings/" + id);
  CHECK(got["rsvp"] == json({{"hadir", 1}, {"tidak", 1}, {"belum", 1}}));
  REQUIRE(got["answers"].size() == 2);
  bool reason_kept = false;
  for (const auto& a : got["answers"]) {
    if (a["answer"] != "tidak") continue;
    reason_kept = a["reason"].get<std::string>().find("acara keluarga") != std::string::npos;
  }
  CHECK(reason_kept);

  // --- JADWAL lists the member's meetings
  auto jadwal = f.Say(11, "JADWAL");
  REQUIRE(jadwal.size() == 1);
  CHECK(jadwal[0].find("pukul 09.00 WITA") != std::string::npos);

  // --- a second meeting: two invitations pending, so HADIR asks which
  auto second = f.Post("/api/v1/meetings", MeetingBody("2026-11-27T14:00"));
  REQUIRE(second);
  REQUIRE(second->status == 201);
  const std::string second_id = std::to_string(json::parse(second->body)["id"].get<int64_t>());
  auto third_body = MeetingBody("2026-11-28T08:00");
  third_body["title"] = "Musdes Uloe";
  third_body["forum"] = "Musdes";
  auto third = f.Post("/api/v1/meetings", third_body);
  REQUIRE(third);
  REQUIRE(third->status == 201);
  const std::string third_id = std::to_string(json::parse(third->body)["id"].get<int64_t>());
  f.DrainAll();
  auto which = f.Say(11, "HADIR");
  REQUIRE(which.size() == 1);
  INFO(which[0]);
  CHECK(which[0].find("1.") != std::string::npos);
  CHECK(which[0].find("2.") != std::string::npos);
  auto picked = f.Say(11, "2");
  REQUIRE(picked.size() == 1);
  CHECK(picked[0].find("Musdes Uloe") != std::string::npos);
  CHECK(f.Get("/api/v1/meetings/" + third_id)["rsvp"]["hadir"] == 1);
  CHECK(f.Get("/api/v1/meetings/" + second_id)["rsvp"]["hadir"] == 0);

  // --- rescheduling and cancelling, through the API
  auto patched = f.Patch("/api/v1/meetings/" + id, {{"starts_at", "2026-11-26T10:30"}});
  REQUIRE(patched);
  INFO(patched->body);
  CHECK(patched->status == 200);
  f.DrainAll();
  CHECK(f.SentTo(11).back().find("pukul 10.30 WITA") != std::string::npos);
  CHECK(f.SentTo(12).back().find("pukul 10.30 WITA") != std::string::npos);
  auto cancel = f.Post("/api/v1/meetings/" + second_id + "/cancel", json::object());
  REQUIRE(cancel);
  CHECK(cancel->status == 200);
  CHECK(json::parse(cancel->body)["status"] == "cancelled");

  // --- a broadcast reaches every member but the opted out
  auto broadcast =
      f.Post("/api/v1/broadcasts", {{"groups", {"MELATI"}}, {"text", "Kerja bakti Minggu pagi."}});
  REQUIRE(broadcast);
  CHECK(broadcast->status == 202);
  CHECK(json::parse(broadcast->body)["recipients"] == 3);
  f.DrainAll();
  CHECK(f.SentTo(11).back() == "Dari SPP Melati, Desa Uloe: Kerja bakti Minggu pagi.");
  for (const auto& t : f.SentTo(13)) CHECK(t.find("Kerja bakti") == std::string::npos);

  // --- a fasilitator of another area sees none of it
  const std::string other = f.gw->CreateToken("Sari", "fasilitator", {"3510070"});
  f.Get("/api/v1/meetings/" + id, 404, other);
  f.Get("/api/v1/groups/MELATI", 404, other);
  auto outside = f.Post("/api/v1/meetings", MeetingBody(), other);
  REQUIRE(outside);
  CHECK(outside->status == 403);
  const std::string local = f.gw->CreateToken("Andi", "fasilitator", {"7308010"});
  CHECK(f.Get("/api/v1/meetings/" + id, 200, local)["rsvp"]["hadir"] == 1);

  // No full phone number or chat id in the logs.
  CHECK(f.gw->logs().find("81234567890") == std::string::npos);
}

TEST_CASE("Notices e2e: an answer for all pending invitations records every one", "[notices]") {
  E2e f;
  REQUIRE(f.Post("/api/v1/groups", {{"code", "MELATI"}, {"name", "SPP Melati"}, {"area", kWitaDesa}})
              ->status == 201);
  f.Say(21, "GABUNG MELATI");
  f.Say(22, "GABUNG MELATI");
  std::vector<std::string> ids;
  for (const char* when : {"2026-11-26T09:00", "2026-11-27T14:00", "2026-11-28T08:00"}) {
    auto m = f.Post("/api/v1/meetings", MeetingBody(when));
    REQUIRE(m);
    REQUIRE(m->status == 201);
    ids.push_back(std::to_string(json::parse(m->body)["id"].get<int64_t>()));
  }
  f.DrainAll();
  // One invitation answered first: "all" covers the two still pending.
  REQUIRE(f.Say(21, "HADIR").size() == 1);  // asks which
  REQUIRE(f.Say(21, "1").size() == 1);
  auto which = f.Say(21, "tidak bisa hadir, ada hajatan");
  REQUIRE(which.size() == 1);
  CHECK(which[0].find("2.") != std::string::npos);
  auto all = f.Say(21, "dua2nya bu");
  REQUIRE(all.size() == 1);
  INFO(all[0]);
  CHECK(all[0].find("2 undangan") != std::string::npos);
  CHECK(f.Get("/api/v1/meetings/" + ids[0])["rsvp"]["hadir"] == 1);
  for (size_t i : {1, 2}) {
    json got = f.Get("/api/v1/meetings/" + ids[i]);
    CHECK(got["rsvp"] == json({{"hadir", 0}, {"tidak", 1}, {"belum", 1}}));
    REQUIRE(got["answers"].size() == 1);
    CHECK(got["answers"][0]["reason"].get<std::string>().find("hajatan") != std::string::npos);
  }
  // The other member's invitations are untouched.
  CHECK(f.Get("/api/v1/meetings/" + ids[0])["rsvp"]["belum"] == 1);
}

TEST_CASE("Notices e2e: a group code is found however it is written", "[notices]") {
  E2e f;
  for (const auto& [code, name] : {std::pair{"SPP01", "SPP Satu"}, {"MELATI", "SPP Melati"}}) {
    auto created = f.Post("/api/v1/groups", {{"code", code}, {"name", name}, {"area", kWitaDesa}});
    REQUIRE(created);
    REQUIRE(created->status == 201);
  }
  // Spaces and case never matter; a word before the code ("spp") is
  // passed over when no group has the whole.
  auto spaced = f.Say(21, "gabung spp 01");
  REQUIRE(spaced.size() == 1);
  CHECK(spaced[0].find("SPP Satu") != std::string::npos);
  auto worded = f.Say(22, "Gabung spp melati");
  REQUIRE(worded.size() == 1);
  CHECK(worded[0].find("SPP Melati") != std::string::npos);
  CHECK(f.Get("/api/v1/groups/SPP01")["member_count"] == 1);
  CHECK(f.Get("/api/v1/groups/MELATI")["member_count"] == 1);
  auto left = f.Say(21, "KELUAR spp 01");
  REQUIRE(left.size() == 1);
  CHECK(f.Get("/api/v1/groups/SPP01")["member_count"] == 0);
  // Three words are no code: not read as a group at all.
  f.Say(23, "gabung kelompok tani mawar");
  CHECK(f.Get("/api/v1/groups/MELATI")["member_count"] == 1);
  // Words of one group's name join it, however the request is put ("piye
  // carane" and a comma typed without its space are no part of the name);
  // words that name two groups join neither.
  REQUIRE(f.Post("/api/v1/groups", {{"code", "KT07"}, {"name", "Kelompok Tani Sido Makmur"},
                                    {"area", kWitaDesa}})->status == 201);
  auto named = f.Say(24, "pak aku kepingin melu kelompok tani sido makmur,piye carane daftar");
  REQUIRE(named.size() == 1);
  CHECK(named[0].find("Sido Makmur") != std::string::npos);
  CHECK(f.Get("/api/v1/groups/KT07")["member_count"] == 1);
  f.Say(25, "gabung spp");
  CHECK(f.Get("/api/v1/groups/SPP01")["member_count"] == 0);
  CHECK(f.Get("/api/v1/groups/MELATI")["member_count"] == 1);
  // Words that are in no group's name ("yg di gitik") are passed over: the
  // group's own name word joins it. A kind of group with a name no group
  // has ("spp mawar") joins nothing.
  auto sentence = f.Say(26, "BINI SY MAU IKUT SPP MELATI YG DI GITIK, BS DAK? CARANY GMN");
  REQUIRE(sentence.size() == 1);
  CHECK(sentence[0].find("SPP Melati") != std::string::npos);
  CHECK(f.Get("/api/v1/groups/MELATI")["member_count"] == 2);
  f.Say(27, "gabung spp mawar");
  CHECK(f.Get("/api/v1/groups/SPP01")["member_count"] == 0);
  CHECK(f.Get("/api/v1/groups/MELATI")["member_count"] == 2);
  // A group named after the first words of the request (stop 38: "kode
  // kelompok IBU2 GITIK tidak ditemukan").
  auto further = f.Say(28, "Pak tiang mau tanya, istri tiang mau ikut kelompok simpan pinjam "
                           "ibu2 yg di Gitik nike, yg namanya Melati. Berembe caranya daftar?");
  REQUIRE(further.size() == 1);
  CHECK(further[0].find("SPP Melati") != std::string::npos);
  CHECK(f.Get("/api/v1/groups/MELATI")["member_count"] == 3);
  // The way around: words further on that name two groups join neither;
  // the reply names both with their codes to choose from (stop 43).
  auto two = f.Say(29, "sy mau ikut kelompok ibu2 di desa, spp satu atau spp melati terserah");
  REQUIRE(two.size() == 1);
  CHECK(two[0].find("GABUNG ") != std::string::npos);
  CHECK(two[0].find("MELATI (SPP Melati)") != std::string::npos);
  CHECK(two[0].find("SPP01 (SPP Satu)") != std::string::npos);
  CHECK(f.Get("/api/v1/groups/SPP01")["member_count"] == 0);
  CHECK(f.Get("/api/v1/groups/MELATI")["member_count"] == 3);
  // Stop 41: a group named before the words that ask to join, in a longer
  // message ("kode kelompok KAH BIAR tidak ditemukan").
  auto before = f.Say(30, "Assalamualaikum nak, anakku bilang ada kelompok simpan pinjam ibu2 "
                          "namanya Melati di sini, nenek mau ikut masuk jadi anggota bisa ji kah? "
                          "biar ada modal jual ikan asin sedikit2. tabe");
  REQUIRE(before.size() == 1);
  CHECK(before[0].find("SPP Melati") != std::string::npos);
  CHECK(f.Get("/api/v1/groups/MELATI")["member_count"] == 4);
  // The way around: words before that name two groups join neither.
  auto two_before = f.Say(31, "tetangga sy di spp satu, adik sy di spp melati, sy jg mau ikut masuk "
                              "jadi anggota bisa kah? biar ada modal dagang");
  REQUIRE(two_before.size() == 1);
  CHECK(f.Get("/api/v1/groups/SPP01")["member_count"] == 0);
  CHECK(f.Get("/api/v1/groups/MELATI")["member_count"] == 4);
  // Stop 43: a join that finds no group is no dead end ("check the code"
  // to someone who never had one): the reply names the groups sharing the
  // most words with the request, with their codes, and joins none.
  REQUIRE(f.Post("/api/v1/groups", {{"code", "PKK02"}, {"name", "PKK Mawar"},
                                    {"area", kWitaDesa}})->status == 201);
  auto unknown = f.Say(32, "gabung spp mawar");
  REQUIRE(unknown.size() == 1);
  INFO(unknown[0]);
  for (const char* code : {"GABUNG ", "SPP01", "MELATI", "PKK02"}) {
    CHECK(unknown[0].find(code) != std::string::npos);
  }
  CHECK(unknown[0].find("KT07") == std::string::npos);
  CHECK(f.Get("/api/v1/groups/PKK02")["member_count"] == 0);
  CHECK(f.Get("/api/v1/groups/SPP01")["member_count"] == 0);
  CHECK(channels::CountSms(unknown[0]).segments <= 2);
  // The way around: a word most groups' names hold tells them apart from
  // nothing: with three SPP groups of five, "spp" no longer counts.
  REQUIRE(f.Post("/api/v1/groups", {{"code", "SPP03"}, {"name", "SPP Kenanga"},
                                    {"area", kWitaDesa}})->status == 201);
  auto fewer = f.Say(32, "gabung spp mawar");
  REQUIRE(fewer.size() == 1);
  INFO(fewer[0]);
  CHECK(fewer[0].find("PKK02") != std::string::npos);
  CHECK(fewer[0].find("MELATI") == std::string::npos);
  CHECK(fewer[0].find("SPP03") == std::string::npos);
  // And words no group shares name none.
  auto none = f.Say(33, "gabung nelayan");
  REQUIRE(none.size() == 1);
  CHECK(none[0].find("NELAYAN") != std::string::npos);
  CHECK(none[0].find("GABUNG ") == std::string::npos);
}

}  // namespace
}  // namespace suaradesa::testing
