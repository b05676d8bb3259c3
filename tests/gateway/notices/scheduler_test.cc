// Reminders at local time, quiet hours, restarts and clock jumps, all on a
// FakeClock: nothing here sleeps or waits for a thread.
#include <catch2/catch.hpp>

#include <chrono>

#include <nlohmann/json.hpp>

#include "gateway/channels/sms_segments.h"
#include "tests/gateway/notices/notices_fixture.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;

// Meetings on Wednesday 25 November 2026 at 09.00 local time; the fake
// clock starts on Monday 23 November at 09.00 WIB.
constexpr const char* kWednesday9 = "2026-11-25T09:00";

TEST_CASE("Scheduler: reminders fall due at local time in WIB, WITA and WIT", "[notices]") {
  NoticesFixture f;
  f.Group("JAWA", kWibDesa);
  f.Group("BONE", kWitaDesa);
  f.Group("PAPUA", kWitDesa);
  f.TelegramMembers("JAWA", 100, 2);
  f.TelegramMembers("BONE", 200, 2);
  f.TelegramMembers("PAPUA", 300, 2);
  const int64_t wib = f.Meeting(kWibDesa, kWednesday9, {"JAWA"});
  const int64_t wita = f.Meeting(kWitaDesa, kWednesday9, {"BONE"});
  const int64_t wit = f.Meeting(kWitDesa, kWednesday9, {"PAPUA"});
  for (int64_t m : {wib, wita, wit}) CHECK(f.Sends(m, "invite") == 2);

  // The meeting's start is stored in UTC from its area's local time.
  auto stored = f.view().MeetingById(wita);
  REQUIRE(stored);
  CHECK(stored->starts_at == LocalMs(2026, 11, 25, 9, 0, kWita));

  // Tuesday 16.00 comes first in Jayapura, then Makassar, then Jakarta.
  f.clock().Set(LocalMs(2026, 11, 24, 15, 59, kWit));
  CHECK(f.RunScheduler() == 0);
  f.clock().Set(LocalMs(2026, 11, 24, 16, 0, kWit));
  CHECK(f.RunScheduler() == 2);
  CHECK(f.Sends(wit, "reminder:d1@16:00") == 2);
  CHECK(f.Sends(wita, "reminder") == 0);
  f.clock().Set(LocalMs(2026, 11, 24, 16, 0, kWita));
  CHECK(f.RunScheduler() == 2);
  CHECK(f.Sends(wita, "reminder:d1@16:00") == 2);
  CHECK(f.Sends(wib, "reminder") == 0);
  f.clock().Set(LocalMs(2026, 11, 24, 16, 0, kWib));
  CHECK(f.RunScheduler() == 2);
  CHECK(f.Sends(wib, "reminder:d1@16:00") == 2);

  // Two hours before: 07.00 local on Wednesday, in each zone in turn.
  f.clock().Set(LocalMs(2026, 11, 25, 6, 59, kWit));
  CHECK(f.RunScheduler() == 0);
  f.clock().Set(LocalMs(2026, 11, 25, 7, 0, kWit));
  CHECK(f.RunScheduler() == 2);
  CHECK(f.Sends(wit, "reminder:m120") == 2);
  f.clock().Set(LocalMs(2026, 11, 25, 7, 0, kWita));
  CHECK(f.RunScheduler() == 2);
  f.clock().Set(LocalMs(2026, 11, 25, 7, 0, kWib));
  CHECK(f.RunScheduler() == 2);
  for (int64_t m : {wib, wita, wit}) CHECK(f.Sends(m, "reminder:m120") == 2);
  CHECK(f.RunScheduler() == 0);

  // The day-before text says the time with the right zone.
  std::string text;
  for (const auto& send : f.view().SendsOf(wit)) {
    if (!send.kind.starts_with("reminder:d1") || send.outbox_id == 0) continue;
    auto message = f.view().MessageOfOutbox(send.outbox_id);
    REQUIRE(message);
    text = message->text;
    break;
  }
  INFO(text);
  CHECK(text.find("pukul 09.00 WIT") != std::string::npos);
  CHECK(text.find("WITA") == std::string::npos);
}

TEST_CASE("Scheduler: a clock jump sends each reminder at most once", "[notices]") {
  NoticesFixture f;
  f.Group("BONE", kWitaDesa);
  f.TelegramMembers("BONE", 200, 3);
  const int64_t m = f.Meeting(kWitaDesa, kWednesday9, {"BONE"});

  SECTION("forward past both reminders: only the latest goes out, once") {
    f.clock().Set(LocalMs(2026, 11, 25, 8, 0, kWita));
    CHECK(f.RunScheduler() == 3);
    CHECK(f.Sends(m, "reminder:m120") == 3);
    CHECK(f.Sends(m, "reminder:d1") == 0);
    // The overtaken one is recorded as skipped, so it can never go later.
    CHECK(f.Sends(m, "reminder:d1", /*queued_only=*/false) == 3);
    CHECK(f.RunScheduler() == 0);
    // Backward, then forward again: nothing is sent a second time.
    f.clock().Set(LocalMs(2026, 11, 24, 16, 30, kWita));
    CHECK(f.RunScheduler() == 0);
    f.clock().Set(LocalMs(2026, 11, 25, 8, 30, kWita));
    CHECK(f.RunScheduler() == 0);
  }
  SECTION("step by step, then back before both: nothing resent") {
    f.clock().Set(LocalMs(2026, 11, 24, 16, 5, kWita));
    CHECK(f.RunScheduler() == 3);
    f.clock().Set(LocalMs(2026, 11, 25, 7, 1, kWita));
    CHECK(f.RunScheduler() == 3);
    f.clock().Set(LocalMs(2026, 11, 24, 10, 0, kWita));
    CHECK(f.RunScheduler() == 0);
    f.clock().Set(LocalMs(2026, 11, 24, 16, 1, kWita));
    CHECK(f.RunScheduler() == 0);
    f.clock().Set(LocalMs(2026, 11, 25, 7, 30, kWita));
    CHECK(f.RunScheduler() == 0);
    CHECK(f.Sends(m, "reminder:d1") == 3);
    CHECK(f.Sends(m, "reminder:m120") == 3);
  }
  // Never more than one outbox row per (meeting, member, kind).
  CHECK(f.view().OutboxCount() == f.Sends(m, ""));
}

TEST_CASE("Scheduler: a restart in the middle of a fan-out continues without duplicates",
          "[notices]") {
  TempDir dir;
  FakePlatform telegram;
  const std::string db = dir.File("restart.db");
  const desk::Actor admin{"Admin", "admin", {}, ""};
  int64_t first = 0, second = 0;
  // Notices of one meeting whose kind starts with "reminder".
  auto reminders = [](StoreView view, int64_t meeting) {
    int64_t n = 0;
    for (const auto& send : view.SendsOf(meeting)) n += send.kind.starts_with("reminder");
    return n;
  };
  {
    TestGateway gw(NoticesConfig(db, telegram.base_url()));
    StoreView view(gw.app().store());
    auto& n = gw.app().notices();
    for (const char* code : {"SATU", "DUA"}) {
      REQUIRE(n.CreateGroup(admin, {{"code", code}, {"name", code}, {"area", kWitaDesa}}));
    }
    for (int i = 0; i < 20; ++i) {
      REQUIRE(n.AddMember(admin, "SATU", {{"urn", "tg:" + std::to_string(1000 + i)}}));
      REQUIRE(n.AddMember(admin, "DUA", {{"urn", "tg:" + std::to_string(2000 + i)}}));
    }
    json body = {{"title", "Desa Uloe"}, {"forum", "MKP"},          {"area", kWitaDesa},
                 {"starts_at", kWednesday9}, {"place", "Balai Desa"}, {"groups", {"SATU"}}};
    auto a = n.CreateMeeting(admin, body);
    REQUIRE(a);
    first = (*a)["id"];
    body["groups"] = {"DUA"};
    auto b = n.CreateMeeting(admin, body);
    REQUIRE(b);
    second = (*b)["id"];
    CHECK(view.OutboxCount() == 40);

    // The day-before reminders are due; the disk "fills up" half-way through
    // the second meeting's fan-out.
    gw.clock().Set(LocalMs(2026, 11, 24, 16, 0, kWita));
    FailInserts(db, "outbox", "(SELECT count(*) FROM outbox) >= 70");
    auto run = gw.app().scheduler().RunOnce();
    CHECK_FALSE(run);
    // The first meeting's transaction committed; the second rolled back whole.
    CHECK(reminders(view, first) == 20);
    CHECK(reminders(view, second) == 0);
    CHECK(view.OutboxCount() == 60);
    // Some notices go out before the crash.
    CHECK(gw.app().outbox().RunOnce() > 0);
    AllowInserts(db, "outbox");
  }
  // A new process over the same file picks up where the old one stopped.
  TestGateway gw(NoticesConfig(db, telegram.base_url()));
  gw.clock().Set(LocalMs(2026, 11, 24, 16, 1, kWita));
  REQUIRE(gw.app().store().RecoverClaims(gw.clock().NowMillis()));
  auto again = gw.app().scheduler().RunOnce();
  REQUIRE(again);
  CHECK(*again == 20);
  StoreView view(gw.app().store());
  CHECK(view.OutboxCount() == 80);
  // A second scheduler over the same database finds nothing left to do.
  TestGateway other(NoticesConfig(db, telegram.base_url()));
  other.clock().Set(LocalMs(2026, 11, 24, 16, 2, kWita));
  auto none = other.app().scheduler().RunOnce();
  REQUIRE(none);
  CHECK(*none == 0);
  // Rate limits hold rows back into the (fake) future: let it pass.
  for (int i = 0; i < 30 && view.OutboxInState("pending") > 0; ++i) {
    gw.DrainOutbox();
    gw.clock().Advance(60 * 1000);
  }
  REQUIRE(view.OutboxInState("pending") == 0);
  // Every chat got exactly one invitation and one reminder.
  std::map<std::string, int> per_chat;
  for (const auto& r : telegram.requests_to("/sendMessage")) {
    per_chat[json::parse(r.body)["chat_id"].dump()]++;
  }
  CHECK(per_chat.size() == 40);
  for (const auto& [chat, count] : per_chat) {
    INFO(chat);
    CHECK(count == 2);
  }
  CHECK(first != second);
}

TEST_CASE("Scheduler: quiet hours hold notices until 06.00 in the area's zone", "[notices]") {
  NoticesFixture f;
  f.Group("BONE", kWitaDesa);
  f.Group("JAWA", kWibDesa);
  f.TelegramMembers("BONE", 200, 2);
  f.TelegramMembers("JAWA", 100, 1);
  // Monday 22.00 WITA is 21.00 WIB: both quiet.
  const int64_t created = LocalMs(2026, 11, 23, 22, 0, kWita);
  f.clock().Set(created);
  const int64_t m = f.Meeting(kWitaDesa, kWednesday9, {"BONE"});
  const int64_t six = LocalMs(2026, 11, 24, 6, 0, kWita);
  CHECK(f.view().OutboxCount([&](const auto& o) { return o.next_attempt_at == six; }) == 2);
  CHECK(f.view().OutboxCount([&](const auto& o) { return o.next_attempt_at < six; }) == 0);

  // The outbox sends nothing at 05.59, and the notices at 06.00.
  f.clock().Set(LocalMs(2026, 11, 24, 5, 59, kWita));
  CHECK(f.app().outbox().RunOnce() == 0);
  f.clock().Set(LocalMs(2026, 11, 24, 6, 0, kWita));
  CHECK(f.app().outbox().RunOnce() == 1);  // then one every 33 ms (Telegram's 30/s)
  f.clock().Advance(33);
  CHECK(f.app().outbox().RunOnce() == 1);

  // A broadcast at 21.30 WIB to the Java group waits for 06.00 WIB.
  f.clock().Set(LocalMs(2026, 11, 24, 21, 30, kWib));
  auto b = f.notices().Broadcast(f.admin, {{"groups", {"JAWA"}}, {"text", "Kerja bakti besok"}});
  REQUIRE(b);
  CHECK((*b)["recipients"] == 1);
  const int64_t six_wib = LocalMs(2026, 11, 25, 6, 0, kWib);
  CHECK(f.view().OutboxCount([&](const auto& o) { return o.next_attempt_at == six_wib; }) == 1);
  // The 2-hours-before reminder of a 07.30 meeting falls at 05.30: 06.00.
  CHECK(f.notices().NotBefore(LocalMs(2026, 11, 25, 5, 30, kWit), kWit) ==
        LocalMs(2026, 11, 25, 6, 0, kWit));
  CHECK(f.notices().NotBefore(LocalMs(2026, 11, 25, 6, 0, kWit), kWit) ==
        LocalMs(2026, 11, 25, 6, 0, kWit));
  CHECK(f.notices().NotBefore(LocalMs(2026, 11, 25, 20, 59, kWit), kWit) ==
        LocalMs(2026, 11, 25, 20, 59, kWit));
  CHECK(m > 0);
}

TEST_CASE("Scheduler: quiet hours can be turned off", "[notices]") {
  TempDir dir;
  FakePlatform telegram;
  Config cfg = NoticesConfig(dir.File("q.db"), telegram.base_url());
  cfg.notices.quiet_hours = false;
  TestGateway gw(cfg);
  const int64_t late = LocalMs(2026, 11, 23, 23, 0, kWita);
  gw.clock().Set(late);
  CHECK(gw.app().notices().NotBefore(late, kWita) == late);
}

TEST_CASE("Scheduler: no reminders to the opted out, to those who left, or when cancelled",
          "[notices]") {
  NoticesFixture f;
  f.Group("BONE", kWitaDesa);
  f.TelegramMembers("BONE", 200, 4);
  const int64_t m = f.Meeting(kWitaDesa, kWednesday9, {"BONE"});
  const int64_t cancelled = f.Meeting(kWitaDesa, kWednesday9, {"BONE"}, "Kedua");
  REQUIRE(f.Sends(m, "invite") == 4);
  // Chat 200 opts out, chat 201 leaves the group.
  auto contact_of = [&](int chat) {
    return f.view().ContactIdAt("tg", std::to_string(chat));
  };
  const int64_t opted_out = contact_of(200), left = contact_of(201);
  REQUIRE(f.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
    if (auto r = tx.SetOptOut(opted_out, true, f.clock().NowMillis()); !r) return r;
    auto c = tx.GetContact(left);
    if (!c) return std::unexpected(c.error());
    auto gone = f.notices().Leave(tx, *c, "bone", f.clock().NowMillis());
    if (!gone) return std::unexpected(gone.error());
    CHECK(gone->reply.first == "group.left");
    CHECK(gone->was_member);
    return {};
  }));
  auto r = f.notices().CancelMeeting(f.admin, cancelled);
  REQUIRE(r);
  CHECK((*r)["status"] == "cancelled");
  // Its invitations were still waiting in the outbox: withdrawn, not sent.
  // Chat 201's were cancelled already when it left the group (issue 13).
  CHECK(f.view().OutboxCount([](const auto& o) {
    return o.state == "failed" && o.last_error.starts_with("withdrawn");
  }) == 3);
  CHECK(f.view().OutboxCount([](const auto& o) {
    return o.state == "failed" && o.last_error == "left_group";
  }) == 2);
  CHECK(f.Sends(cancelled, "cancelled") == 0);

  f.clock().Set(LocalMs(2026, 11, 24, 16, 0, kWita));
  CHECK(f.RunScheduler() == 2);
  CHECK(f.Sends(m, "reminder") == 2);
  CHECK(f.Sends(cancelled, "reminder") == 0);
  for (int64_t meeting : {m, cancelled}) {
    for (const auto& send : f.view().SendsOf(meeting)) {
      INFO(send.kind);
      CHECK_FALSE((send.kind.starts_with("reminder") &&
                   (send.contact_id == opted_out || send.contact_id == left)));
    }
  }
}

TEST_CASE("Scheduler: rescheduling tells the notified and reminds at the new time",
          "[notices]") {
  NoticesFixture f;
  f.Group("BONE", kWitaDesa);
  f.TelegramMembers("BONE", 200, 2);
  const int64_t m = f.Meeting(kWitaDesa, kWednesday9, {"BONE"});
  f.DrainAll();
  REQUIRE(f.telegram.requests_to("/sendMessage").size() == 2);
  f.clock().Set(LocalMs(2026, 11, 24, 16, 0, kWita));
  CHECK(f.RunScheduler() == 2);
  f.DrainAll();

  // Moved to Thursday 10.00: everyone notified hears of it.
  f.clock().Set(LocalMs(2026, 11, 24, 17, 0, kWita));
  auto r = f.notices().PatchMeeting(f.admin, m, {{"starts_at", "2026-11-26T10:00"}});
  REQUIRE(r);
  CHECK((*r)["starts_at"] == "2026-11-26T10:00");
  CHECK((*r)["queued"] == 2);
  CHECK(f.Sends(m, "changed:v2") == 2);
  f.DrainAll();
  auto sent = f.telegram.requests_to("/sendMessage");
  const std::string changed = json::parse(sent.back().body).value("text", "");
  INFO(changed);
  CHECK(changed.find("pukul 10.00 WITA") != std::string::npos);

  // The reminders follow the new start.
  f.clock().Set(LocalMs(2026, 11, 25, 16, 0, kWita));
  CHECK(f.RunScheduler() == 2);
  f.clock().Set(LocalMs(2026, 11, 26, 8, 0, kWita));
  CHECK(f.RunScheduler() == 2);
  CHECK(f.RunScheduler() == 0);

  // Cancelling tells everyone notified.
  auto c = f.notices().CancelMeeting(f.admin, m);
  REQUIRE(c);
  CHECK((*c)["queued"] == 2);
  CHECK(f.Sends(m, "cancelled") == 2);
  auto again = f.notices().CancelMeeting(f.admin, m);
  REQUIRE_FALSE(again);
  CHECK(again.error().status == 409);
}

TEST_CASE("Notices: one notice per member, on the channel they used last", "[notices]") {
  NoticesFixture f;
  f.Group("BONE", kWitaDesa);
  // A phone-only member who never wrote: the SMS-capable channel (http "web").
  auto phone = f.notices().AddMember(f.admin, "BONE", {{"phone", "0812-3456-7890"}});
  REQUIRE(phone);
  CHECK((*phone)["added"] == true);
  auto twice = f.notices().AddMember(f.admin, "BONE", {{"phone", "+62 812 3456 7890"}});
  REQUIRE(twice);
  CHECK((*twice)["added"] == false);
  // A member on Telegram who also has an SMS address seen earlier.
  f.TelegramMembers("BONE", 555, 1);
  const std::string contact = std::to_string(f.view().ContactIdAt("tg", "555"));
  ExecSql(f.db, "UPDATE addresses SET last_seen_at = 2000 WHERE address = '555';"
                "INSERT INTO addresses (contact_id, channel_id, address, last_seen_at) VALUES (" +
                    contact + ", 'web', '+6281299990000', 1000)");
  auto bad = f.notices().AddMember(f.admin, "BONE", {{"phone", "0333-123456"}});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().status == 422);
  auto unknown = f.notices().AddMember(f.admin, "BONE", {{"urn", "signal:1"}});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().status == 422);

  const int64_t m = f.Meeting(kWitaDesa, kWednesday9, {"BONE"});
  CHECK(f.view().OutboxCount() == 2);
  CHECK(f.view().OutboxCount([](const auto& o) {
    return o.channel_id == "web" && o.address == "+6281234567890";
  }) == 1);
  CHECK(f.view().OutboxCount([](const auto& o) {
    return o.channel_id == "tg" && o.address == "555";
  }) == 1);
  // Every notice is a broadcast marked as a notice for the outbox worker.
  CHECK(f.view().OutboxCount([](const auto& o) {
    const json payload = json::parse(o.payload_json, nullptr, false);
    return o.kind == storage::OutboxKind::kBroadcast && payload.is_object() &&
           payload.value("notice", json()) == json(true);
  }) == 2);
  CHECK(m > 0);
}

TEST_CASE("Notices: a notice fits in two SMS segments and keeps date, time and place",
          "[notices]") {
  NoticesFixture f;
  f.Group("BONE", kWitaDesa);
  f.TelegramMembers("BONE", 200, 1);
  std::string agenda;
  for (int i = 0; i < 15; ++i) agenda += "pembahasan usulan kegiatan " + std::to_string(i) + ", ";
  f.Meeting(kWitaDesa, "2026-11-23T13:30", {"BONE"}, "Desa Uloe", agenda);
  const auto out = f.view().Messages(storage::Direction::kOut);
  REQUIRE(out.size() == 1);
  const std::string text = out[0].text;
  INFO(text);
  CHECK(channels::SmsSegments(text) <= 2);
  CHECK(text.find("Senin, 23 November 2026 pukul 13.30 WITA") != std::string::npos);
  CHECK(text.find("Balai Desa") != std::string::npos);
  CHECK(text.find("MKP Desa Uloe") != std::string::npos);
  CHECK(text.find("...") != std::string::npos);
  CHECK(text.find("HADIR") != std::string::npos);
}

TEST_CASE("Notices: the notices config section", "[notices]") {
  const std::string base =
      R"({"areas": [{"code": "3510070", "name": "R", "timezone": "Asia/Jakarta",
          "desa": [{"code": "3510070001", "name": "Gitik"}]}], )";
  auto none = ParseConfig(base + R"("notices": {"quiet_hours": null, "reminders": []}})",
                          [](const std::string&) { return std::nullopt; });
  REQUIRE(none);
  CHECK_FALSE(none->notices.quiet_hours);
  CHECK(none->notices.reminders.empty());
  auto set = ParseConfig(
      base + R"("notices": {"quiet_hours": ["22:00", "05:30"],
                 "reminders": [{"days_before": 2, "at": "08:00"}, {"minutes_before": 30}]}})",
      [](const std::string&) { return std::nullopt; });
  REQUIRE(set);
  CHECK(set->notices.quiet_start_minutes == 22 * 60);
  CHECK(set->notices.quiet_end_minutes == 5 * 60 + 30);
  REQUIRE(set->notices.reminders.size() == 2);
  CHECK(set->notices.reminders[0].Id() == "d2@08:00");
  CHECK(set->notices.reminders[1].Id() == "m30");
  auto defaults = ParseConfig(base + R"("channels": []})",
                              [](const std::string&) { return std::nullopt; });
  REQUIRE(defaults);
  CHECK(defaults->notices.quiet_hours);
  REQUIRE(defaults->notices.reminders.size() == 2);
  CHECK(defaults->notices.reminders[0].Id() == "d1@16:00");
  CHECK(defaults->notices.reminders[1].Id() == "m120");
  auto bad = ParseConfig(base + R"("notices": {"quiet_hours": ["25:00", "06:00"],
                                    "reminders": [{"at": "16:00"}], "templates": 1}})",
                         [](const std::string&) { return std::nullopt; });
  REQUIRE_FALSE(bad);
  std::string all;
  for (const auto& p : bad.error()) all += p + "\n";
  INFO(all);
  CHECK(all.find("notices.quiet_hours") != std::string::npos);
  CHECK(all.find("notices.reminders[0]") != std::string::npos);
  CHECK(all.find("notices.templates: unknown key") != std::string::npos);
}

}  // namespace
}  // namespace suaradesa::testing

namespace suaradesa::testing {
namespace {

// Not run by default (hidden tag): how long queuing one notice to 10,000
// members takes, for issue 7's benchmark. Run with "[.notices-bench]".
TEST_CASE("Notices: a meeting's fan-out to 10,000 members", "[.notices-bench]") {
  NoticesFixture f("bench.db");
  f.Group("BESAR", kWitaDesa);
  REQUIRE(f.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
    auto group = tx.FindGroup("BESAR");
    if (!group) return std::unexpected(group.error());
    if (!*group) return std::unexpected(storage::Error::NotFound("BESAR"));
    for (int i = 1; i <= 10000; ++i) {
      auto contact = tx.EnsureContact("tg", std::to_string(100000 + i), "", 0);
      if (!contact) return std::unexpected(contact.error());
      auto added = tx.AddMember((*group)->id, *contact, "import", 0);
      if (!added) return std::unexpected(added.error());
    }
    return {};
  }));
  const auto start = std::chrono::steady_clock::now();
  const int64_t m = f.Meeting(kWitaDesa, "2026-11-25T09:00", {"BESAR"});
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  CHECK(f.Sends(m, "invite") == 10000);
  WARN("queued 10000 notices in " << ms << " ms");
}

}  // namespace
}  // namespace suaradesa::testing

namespace suaradesa::testing {
namespace {

TEST_CASE("Scheduler: no reminders to members who answered TIDAK", "[notices]") {
  NoticesFixture f;
  f.Group("BONE", kWitaDesa);
  f.TelegramMembers("BONE", 200, 3);
  const int64_t m = f.Meeting(kWitaDesa, kWednesday9, {"BONE"});
  f.DrainAll();
  // Member 201 declines by replying to the invitation.
  auto res = f.gw->Post("/webhook/tg", TelegramTextUpdate(1, 201, "tidak bisa, ada acara"),
                        {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}});
  REQUIRE(res);
  REQUIRE(res->status == 200);
  int64_t declined = 0, declines = 0;
  for (const auto& invitation : f.view().InvitationsOf(m)) {
    if (invitation.answer != "tidak") continue;
    declined = invitation.contact_id;
    ++declines;
  }
  REQUIRE(declines == 1);
  CHECK(declined == f.view().ContactIdAt("tg", "201"));
  f.clock().Set(LocalMs(2026, 11, 24, 16, 0, kWita));
  CHECK(f.RunScheduler() == 2);
  f.clock().Set(LocalMs(2026, 11, 25, 7, 0, kWita));
  CHECK(f.RunScheduler() == 2);
  int64_t reminders_to_declined = 0;
  for (const auto& send : f.view().SendsOf(m)) {
    reminders_to_declined += send.kind.starts_with("reminder") && send.contact_id == declined;
  }
  CHECK(reminders_to_declined == 0);
}

TEST_CASE("Scheduler: after quiet hours the invitation and a reminder due soon after are one",
          "[notices]") {
  NoticesFixture f;
  f.Group("BONE", kWitaDesa);
  f.TelegramMembers("BONE", 200, 2);
  // Created Tuesday 22.00 WITA for Wednesday 08.00: the invitation waits
  // for 06.00, when the 2-hours reminder falls due too.
  f.clock().Set(LocalMs(2026, 11, 24, 22, 0, kWita));
  const int64_t m = f.Meeting(kWitaDesa, "2026-11-25T08:00", {"BONE"});
  CHECK(f.Sends(m, "invite") == 2);
  f.clock().Set(LocalMs(2026, 11, 25, 6, 0, kWita));
  CHECK(f.RunScheduler() == 0);
  CHECK(f.Sends(m, "reminder") == 0);
  // Recorded as skipped: it never goes later either.
  CHECK(f.Sends(m, "reminder:m120", /*queued_only=*/false) == 2);
  f.clock().Set(LocalMs(2026, 11, 25, 7, 30, kWita));
  CHECK(f.RunScheduler() == 0);

  // A meeting announced well before still gets its 2-hours reminder.
  f.clock().Set(LocalMs(2026, 11, 25, 9, 0, kWita));
  const int64_t later = f.Meeting(kWitaDesa, "2026-11-25T18:00", {"BONE"});
  f.clock().Set(LocalMs(2026, 11, 25, 16, 0, kWita));
  CHECK(f.RunScheduler() == 2);
  CHECK(f.Sends(later, "reminder:m120") == 2);
}

}  // namespace
}  // namespace suaradesa::testing

namespace suaradesa::testing {
namespace {

TEST_CASE("Notices: a broadcast says which group and desa send it, not who typed it",
          "[notices]") {
  NoticesFixture f;
  f.Group("BONE", kWitaDesa);
  f.TelegramMembers("BONE", 200, 1);
  desk::Actor staff{"Andi Fasilitator", "admin", {}, ""};
  auto b = f.notices().Broadcast(staff, {{"groups", {"BONE"}}, {"text", "Kerja bakti besok"}});
  REQUIRE(b);
  f.DrainAll();
  const auto sent = f.telegram.requests_to("/sendMessage");
  REQUIRE(sent.size() == 1);
  const std::string text = json::parse(sent[0].body).value("text", "");
  CHECK(text == "Dari Kelompok BONE, Desa Uloe: Kerja bakti besok");
  CHECK(text.find("Andi") == std::string::npos);
}

}  // namespace
}  // namespace suaradesa::testing
