// Shared set-up for the meeting notices tests: a TestGateway whose config
// has desa in all three Indonesian time zones, a fake Telegram API, and
// helpers to make groups, members and meetings through the Notices service.
#ifndef SUARADESA_TESTS_GATEWAY_NOTICES_NOTICES_FIXTURE_H_
#define SUARADESA_TESTS_GATEWAY_NOTICES_NOTICES_FIXTURE_H_

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/format.h"
#include "tests/gateway/store_view.h"
#include "tests/gateway/test_gateway.h"

namespace suaradesa::testing {

constexpr int64_t kMinute = 60LL * 1000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// Desa in each zone: Gitik (WIB, from TestConfig), Uloe (WITA), Hamadi (WIT).
constexpr const char* kWibDesa = "3510070001";
constexpr const char* kWitaDesa = "7308010001";
constexpr const char* kWitDesa = "9471010001";

inline Config NoticesConfig(const std::string& db, const std::string& telegram_api) {
  // The http channel (SMS) sends to the same fake platform, under /sms/out.
  Config cfg = TestConfig(db, telegram_api, telegram_api + "/sms/out");
  AreaConfig bone;
  bone.code = "7308010";
  bone.name = "Dua Boccoe";
  bone.level = "kecamatan";
  bone.timezone = "Asia/Makassar";
  bone.desa = {{kWitaDesa, "Uloe"}};
  cfg.areas.push_back(bone);
  AreaConfig jayapura;
  jayapura.code = "9471010";
  jayapura.name = "Jayapura Selatan";
  jayapura.level = "kecamatan";
  jayapura.timezone = "Asia/Jayapura";
  jayapura.desa = {{kWitDesa, "Hamadi"}};
  cfg.areas.push_back(jayapura);
  return cfg;
}

// Unix ms of a local time in a zone (offset in minutes east of UTC).
inline int64_t LocalMs(int year, int month, int day, int hour, int minute, int offset_minutes) {
  dialogs::CivilTime t;
  t.year = year;
  t.month = month;
  t.day = day;
  t.hour = hour;
  t.minute = minute;
  return dialogs::UnixMsFromCivil(t, offset_minutes);
}

constexpr int kWib = 420;
constexpr int kWita = 480;
constexpr int kWit = 540;

struct NoticesFixture {
  explicit NoticesFixture(const std::string& db_name = "notices.db")
      : db(dir.File(db_name)),
        gw(std::make_unique<TestGateway>(NoticesConfig(db, telegram.base_url()))) {}

  TempDir dir;
  FakePlatform telegram;
  std::string db;
  std::unique_ptr<TestGateway> gw;
  desk::Actor admin{"Admin", "admin", {}, ""};

  App& app() { return gw->app(); }
  notices::Notices& notices() { return gw->app().notices(); }
  FakeClock& clock() { return gw->clock(); }

  void Group(const std::string& code, const std::string& area, const std::string& name = "") {
    auto r = notices().CreateGroup(
        admin, {{"code", code}, {"name", name.empty() ? "Kelompok " + code : name}, {"area", area}});
    INFO((r ? r->dump() : r.error().message));
    REQUIRE(r);
  }

  // Adds Telegram chat members `first`..`first+count-1` to a group.
  void TelegramMembers(const std::string& code, int64_t first, int count) {
    for (int64_t chat = first; chat < first + count; ++chat) {
      auto r = notices().AddMember(admin, code, {{"urn", "tg:" + std::to_string(chat)}});
      INFO((r ? r->dump() : r.error().message));
      REQUIRE(r);
    }
  }

  // Creates a meeting; returns its id.
  int64_t Meeting(const std::string& area, const std::string& starts_at,
                  const std::vector<std::string>& groups, const std::string& title = "Desa",
                  const std::string& agenda = "Usulan kegiatan perempuan") {
    nlohmann::json body = {{"title", title},       {"forum", "MKP"},
                           {"area", area},         {"starts_at", starts_at},
                           {"place", "Balai Desa"}, {"agenda", agenda},
                           {"bring", "KTP"},       {"groups", groups}};
    auto r = notices().CreateMeeting(admin, body);
    INFO((r ? r->dump() : r.error().message));
    REQUIRE(r);
    return (*r)["id"].get<int64_t>();
  }

  // Sends everything pending. Rate limits hold rows back into the (fake)
  // future, where TestGateway::DrainOutbox alone would stop.
  void DrainAll() {
    for (int i = 0; i < 30; ++i) {
      gw->DrainOutbox();
      if (view().OutboxInState("pending") == 0) return;
      clock().Advance(10 * 1000);
    }
    FAIL("the outbox did not drain");
  }

  int RunScheduler() {
    auto r = app().scheduler().RunOnce();
    INFO((r ? "" : r.error().message));
    REQUIRE(r);
    return *r;
  }

  // Outbox rows of notices of one kind prefix ("invite", "reminder:m120").
  int64_t Sends(int64_t meeting_id, const std::string& kind_prefix, bool queued_only = true) {
    int64_t n = 0;
    for (const auto& s : view().SendsOf(meeting_id)) {
      if (s.kind.starts_with(kind_prefix) && (!queued_only || s.outbox_id != 0)) ++n;
    }
    return n;
  }
  // The store, read through its interface.
  StoreView view() { return StoreView(app().store()); }
};

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_GATEWAY_NOTICES_NOTICES_FIXTURE_H_
