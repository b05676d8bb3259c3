// Tests of the activities' part of the store (issue 18; storage/sql/
// activities.cc) through the Store interface, on the backend
// tests/storage/open_store.h chooses; the migration of an older SQLite file
// is [sqlite].
#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/sqlite/connection.h"
#include "storage/sqlite/store.h"
#include "storage/store.h"
#include "tests/storage/open_store.h"
#include "tests/support/temp_dir.h"

namespace suaradesa::storage {

const std::map<std::string, std::string>& EmbeddedMigrations();

namespace {

using testing::Commit;

// 2026-11-23T02:00:00Z.
constexpr int64_t kT0 = 1795399200000;
constexpr int64_t kDay = 24 * 60 * 60 * 1000;

Case Usulan(Store& store, const std::string& desa, const std::string& summary,
            CaseType type = CaseType::kUsulan) {
  Case out;
  Commit(store, [&](Tx& tx) {
    Case c;
    c.type = type;
    c.status = type == CaseType::kUsulan ? "disetujui" : "diterima";
    c.area_code = "35.07.12";
    c.desa_code = desa;
    c.summary = summary;
    c.created_at = kT0;
    Result<Case> made = tx.CreateCase(c);
    INFO((made ? std::string() : made.error().message));
    REQUIRE(made.has_value());
    out = *made;
  });
  return out;
}

Activity NewActivity(Store& store, const Case& c, const std::string& title) {
  Activity out;
  Commit(store, [&](Tx& tx) {
    Activity a;
    a.case_id = c.id;
    a.desa_code = c.desa_code;
    a.title = title;
    a.location = "Dusun Krajan RT 02";
    a.budget_blm = 85000000;
    a.budget_swadaya = 12500000;
    a.tpk = "TPK Sukamaju";
    a.created_at = kT0 + kDay;
    Result<Activity> made = tx.CreateActivity(a);
    INFO((made ? std::string() : made.error().message));
    REQUIRE(made.has_value());
    out = *made;
  });
  return out;
}

TEST_CASE("Activities: an activity is created once per proposal and read back whole",
          "[storage][activities]") {
  auto store = testing::OpenStore();
  const Case first = Usulan(*store, "35.07.12.2001", "Rabat beton jalan dusun");
  const Case second = Usulan(*store, "35.07.12.2001", "Sumur bor");
  const Case elsewhere = Usulan(*store, "35.07.12.2002", "Drainase");
  // Created out of ticket order: lists still go by ticket number.
  const Activity b = NewActivity(*store, second, "Sumur bor RT 03");
  const Activity a = NewActivity(*store, first, "Rabat beton 300 m");
  NewActivity(*store, elsewhere, "Drainase");
  CHECK(a.id != 0);
  CHECK(a.case_number == first.number);
  CHECK(a.stage == "persiapan");
  CHECK(a.updated_at == kT0 + kDay);

  Commit(*store, [&](Tx& tx) {
    Result<std::optional<Activity>> got = tx.ActivityOfCase(first.id);
    REQUIRE(got.has_value());
    REQUIRE(got->has_value());
    const Activity& r = **got;
    CHECK(r.id == a.id);
    CHECK(r.case_id == first.id);
    CHECK(r.case_number == first.number);
    CHECK(r.desa_code == "35.07.12.2001");
    CHECK(r.title == "Rabat beton 300 m");
    CHECK(r.location == "Dusun Krajan RT 02");
    CHECK(r.budget_blm == 85000000);
    CHECK(r.budget_swadaya == 12500000);
    CHECK(r.tpk == "TPK Sukamaju");
    CHECK(r.stage == "persiapan");
    CHECK(r.progress == 0);
    CHECK(r.created_at == kT0 + kDay);

    Result<std::vector<Activity>> desa = tx.ActivitiesOf("35.07.12.2001");
    REQUIRE(desa.has_value());
    REQUIRE(desa->size() == 2);
    CHECK((*desa)[0].id == a.id);
    CHECK((*desa)[1].id == b.id);
    Result<std::vector<Activity>> all = tx.ListActivities();
    REQUIRE(all.has_value());
    CHECK(all->size() == 3);
    CHECK(all->back().desa_code == "35.07.12.2002");

    CHECK_FALSE(tx.ActivityOfCase(elsewhere.id + 100)->has_value());
    CHECK_FALSE(tx.GetActivity(a.id + 100)->has_value());
    CHECK(tx.GetActivity(b.id)->value().title == "Sumur bor RT 03");
  });

  // A second activity for the same proposal, or one for no case at all.
  Status again = store->Transact([&](Tx& tx) -> Status {
    Activity dup;
    dup.case_id = first.id;
    dup.desa_code = first.desa_code;
    dup.created_at = kT0;
    Result<Activity> r = tx.CreateActivity(dup);
    if (!r) return std::unexpected(r.error());
    return {};
  });
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().kind == Error::Kind::kConflict);
  Status orphan = store->Transact([&](Tx& tx) -> Status {
    Activity none;
    none.case_id = 999999;
    none.created_at = kT0;
    Result<Activity> r = tx.CreateActivity(none);
    if (!r) return std::unexpected(r.error());
    return {};
  });
  REQUIRE_FALSE(orphan.has_value());
  CHECK(orphan.error().kind == Error::Kind::kNotFound);
}

TEST_CASE("Activities: notes move progress, updates rewrite the fields, bad values are refused",
          "[storage][activities]") {
  auto store = testing::OpenStore();
  const Activity a = NewActivity(*store, Usulan(*store, "35.07.12.2001", "Jalan"), "Jalan");
  Commit(*store, [&](Tx& tx) {
    REQUIRE(tx.AddActivityNote({0, a.id, kT0 + 2 * kDay, 30, "galian selesai", "tpk:Pak Darto"})
                .has_value());
    REQUIRE(tx.AddActivityNote({0, a.id, kT0 + 5 * kDay, 60, "pengecoran", "Bu Sri"}).has_value());
  });
  Commit(*store, [&](Tx& tx) {
    Result<std::vector<ActivityNote>> notes = tx.NotesOf(a.id);
    REQUIRE(notes.has_value());
    REQUIRE(notes->size() == 2);
    CHECK((*notes)[0].progress == 30);
    CHECK((*notes)[0].note == "galian selesai");
    CHECK((*notes)[0].actor == "tpk:Pak Darto");
    CHECK((*notes)[0].at == kT0 + 2 * kDay);
    CHECK((*notes)[1].progress == 60);
    const Activity now = tx.GetActivity(a.id)->value();
    CHECK(now.progress == 60);
    CHECK(now.updated_at == kT0 + 5 * kDay);

    Activity changed = now;
    changed.stage = "pelaksanaan";
    changed.title = "Jalan rabat";
    changed.budget_swadaya = 20000000;
    changed.updated_at = kT0 + 6 * kDay;
    REQUIRE(tx.UpdateActivity(changed).has_value());
    const Activity read = tx.GetActivity(a.id)->value();
    CHECK(read.stage == "pelaksanaan");
    CHECK(read.title == "Jalan rabat");
    CHECK(read.budget_swadaya == 20000000);
    CHECK(read.budget_blm == 85000000);
    CHECK(read.updated_at == kT0 + 6 * kDay);
  });
  auto refused = [&](const std::function<Status(Tx&)>& fn) {
    Status s = store->Transact(fn);
    REQUIRE_FALSE(s.has_value());
    return s.error().kind;
  };
  CHECK(refused([&](Tx& tx) {
          Activity bad = tx.GetActivity(a.id)->value();
          bad.stage = "dibatalkan";
          return tx.UpdateActivity(bad);
        }) == Error::Kind::kConflict);
  CHECK(refused([&](Tx& tx) -> Status {
          auto r = tx.AddActivityNote({0, a.id, kT0, 101, "", "x"});
          if (!r) return std::unexpected(r.error());
          return {};
        }) == Error::Kind::kConflict);
  CHECK(refused([&](Tx& tx) -> Status {
          auto r = tx.AddActivityNote({0, a.id + 50, kT0, 10, "", "x"});
          if (!r) return std::unexpected(r.error());
          return {};
        }) == Error::Kind::kNotFound);
  CHECK(refused([&](Tx& tx) {
          Activity ghost = tx.GetActivity(a.id)->value();
          ghost.id += 50;
          return tx.UpdateActivity(ghost);
        }) == Error::Kind::kNotFound);
  // Nothing of the refused writes stayed.
  Commit(*store, [&](Tx& tx) {
    CHECK(tx.GetActivity(a.id)->value().stage == "pelaksanaan");
    CHECK(tx.NotesOf(a.id)->size() == 2);
  });
}

TEST_CASE("Activities: tranches are kept by tahap, each once", "[storage][activities]") {
  auto store = testing::OpenStore();
  const Activity a = NewActivity(*store, Usulan(*store, "35.07.12.2001", "Jalan"), "Jalan");
  Commit(*store, [&](Tx& tx) {
    REQUIRE(tx.AddTranche({a.id, 2, 34000000, kT0 + 20 * kDay}).has_value());
    REQUIRE(tx.AddTranche({a.id, 1, 34000000, kT0 + 2 * kDay}).has_value());
  });
  Status twice = store->Transact(
      [&](Tx& tx) { return tx.AddTranche({a.id, 1, 1, kT0 + 3 * kDay}); });
  REQUIRE_FALSE(twice.has_value());
  CHECK(twice.error().kind == Error::Kind::kConflict);
  Status fourth = store->Transact(
      [&](Tx& tx) { return tx.AddTranche({a.id, 4, 1, kT0 + 3 * kDay}); });
  REQUIRE_FALSE(fourth.has_value());
  Commit(*store, [&](Tx& tx) {
    Result<std::vector<Tranche>> t = tx.TranchesOf(a.id);
    REQUIRE(t.has_value());
    REQUIRE(t->size() == 2);
    CHECK((*t)[0].tahap == 1);
    CHECK((*t)[0].released_at == kT0 + 2 * kDay);
    CHECK((*t)[0].amount == 34000000);
    CHECK((*t)[1].tahap == 2);
  });
}

TEST_CASE("Activities: accountability meetings carry their activity and list by start",
          "[storage][activities]") {
  auto store = testing::OpenStore();
  const Activity a = NewActivity(*store, Usulan(*store, "35.07.12.2001", "Jalan"), "Jalan");
  auto meeting = [&](const std::string& forum, int64_t starts_at, int64_t activity_id) {
    int64_t id = 0;
    Commit(*store, [&](Tx& tx) {
      Meeting m;
      m.title = "Rapat";
      m.forum = forum;
      m.area = "35.07.12.2001";
      m.starts_at = starts_at;
      m.created_at = kT0;
      m.activity_id = activity_id;
      Result<int64_t> made = tx.CreateMeeting(m);
      INFO((made ? std::string() : made.error().message));
      REQUIRE(made.has_value());
      id = *made;
    });
    return id;
  };
  const int64_t handover = meeting("serah_terima", kT0 + 40 * kDay, a.id);
  const int64_t report = meeting("pertanggungjawaban", kT0 + 10 * kDay, a.id);
  const int64_t other = meeting("musdes", kT0 + 5 * kDay, 0);
  Commit(*store, [&](Tx& tx) {
    Result<std::vector<Meeting>> ms = tx.MeetingsOfActivity(a.id);
    REQUIRE(ms.has_value());
    REQUIRE(ms->size() == 2);
    CHECK((*ms)[0].id == report);
    CHECK((*ms)[0].forum == "pertanggungjawaban");
    CHECK((*ms)[0].activity_id == a.id);
    CHECK((*ms)[1].id == handover);
    CHECK(tx.GetMeeting(other)->value().activity_id == 0);
    CHECK(tx.MeetingsOfActivity(0)->empty());

    REQUIRE(tx.SetMeetingActivity(other, a.id).has_value());
    CHECK(tx.MeetingsOfActivity(a.id)->front().id == other);
    // UpdateMeeting keeps (and may change) the link.
    Meeting m = tx.GetMeeting(other)->value();
    m.place = "Balai desa";
    REQUIRE(tx.UpdateMeeting(m).has_value());
    CHECK(tx.GetMeeting(other)->value().activity_id == a.id);
  });
  Status ghost = store->Transact([&](Tx& tx) { return tx.SetMeetingActivity(other + 99, a.id); });
  REQUIRE_FALSE(ghost.has_value());
  CHECK(ghost.error().kind == Error::Kind::kNotFound);
}

TEST_CASE("Activities: complaints link once and are counted; followers and milestones",
          "[storage][activities]") {
  auto store = testing::OpenStore();
  const Activity a = NewActivity(*store, Usulan(*store, "35.07.12.2001", "Jalan"), "Jalan");
  const Activity b = NewActivity(*store, Usulan(*store, "35.07.12.2001", "Sumur"), "Sumur");
  const Case c1 = Usulan(*store, "35.07.12.2001", "retak", CaseType::kPengaduan);
  const Case c2 = Usulan(*store, "35.07.12.2001", "lambat", CaseType::kPengaduan);
  int64_t contact = 0;
  Commit(*store, [&](Tx& tx) {
    contact = tx.UpsertContact("sms", "+6281200000001", "", kT0)->id;
    CHECK(tx.LinkComplaint(a.id, c1.id).value());
    CHECK(tx.LinkComplaint(a.id, c2.id).value());
    CHECK_FALSE(tx.LinkComplaint(a.id, c1.id).value());
    CHECK_FALSE(tx.LinkComplaint(b.id, c2.id).value());  // a complaint names one activity
    CHECK(tx.ComplaintCountOf(a.id).value() == 2);
    CHECK(tx.ComplaintCountOf(b.id).value() == 0);

    REQUIRE(tx.SetFollowing({a.id, contact, true, kT0}).has_value());
    REQUIRE(tx.SetFollowing({b.id, contact, true, kT0}).has_value());
    REQUIRE(tx.SetFollowing({a.id, contact, false, kT0 + kDay}).has_value());
    Result<std::vector<ActivityFollower>> fa = tx.FollowersOf(a.id);
    REQUIRE(fa.has_value());
    REQUIRE(fa->size() == 1);
    CHECK_FALSE(fa->front().following);
    CHECK(fa->front().at == kT0 + kDay);
    CHECK(tx.FollowersOf(b.id)->front().following);

    CHECK(tx.ClaimMilestone(a.id, "progress:25", kT0).value());
    CHECK_FALSE(tx.ClaimMilestone(a.id, "progress:25", kT0 + 1).value());
    CHECK(tx.ClaimMilestone(b.id, "progress:25", kT0).value());
  });
  // Claimed in another transaction: still taken.
  Commit(*store, [&](Tx& tx) {
    CHECK_FALSE(tx.ClaimMilestone(a.id, "progress:25", kT0 + 2).value());
    CHECK(tx.ClaimMilestone(a.id, "stage:pelaksanaan", kT0 + 2).value());
  });
}

TEST_CASE("Activities: a contact's desa is the one they named, else their newest case's; a merge "
          "keeps it and what they follow",
          "[storage][activities][contacts]") {
  auto store = testing::OpenStore();
  const Activity a = NewActivity(*store, Usulan(*store, "35.07.12.2001", "Jalan"), "Jalan");
  const Activity b = NewActivity(*store, Usulan(*store, "35.07.12.2001", "Sumur"), "Sumur");
  int64_t by_number = 0, by_id = 0;
  Commit(*store, [&](Tx& tx) {
    by_number = tx.FindOrCreateContact({"wa", "6281234567009", "", {}, ""}, kT0)->id;
    by_id = tx.FindOrCreateContact({"wa", "ID.888", "", {}, ""}, kT0)->id;
    CHECK(tx.KnownDesaOf(by_number).value() == "");
    // A case naming a desa makes it known; a later one names the newer.
    for (const char* desa : {"35.07.12.2001", "35.07.12.2002"}) {
      Case c;
      c.type = CaseType::kPengaduan;
      c.contact_id = by_number;
      c.desa_code = desa;
      c.created_at = c.updated_at = kT0;
      REQUIRE(tx.CreateCase(c).has_value());
    }
    CHECK(tx.KnownDesaOf(by_number).value() == "35.07.12.2002");
    // What they named stands over their cases.
    REQUIRE(tx.RememberDesa(by_number, "35.07.12.2003", kT0).has_value());
    CHECK(tx.KnownDesaOf(by_number).value() == "35.07.12.2003");
    REQUIRE(tx.RememberDesa(by_id, "35.07.12.2004", kT0).has_value());
    CHECK_FALSE(tx.RememberDesa(by_id, "", kT0).has_value());
    // Both follow a; the BSUID's later choice is to stop. Only the BSUID follows b.
    REQUIRE(tx.SetFollowing({a.id, by_number, true, kT0}).has_value());
    REQUIRE(tx.SetFollowing({a.id, by_id, false, kT0 + kDay}).has_value());
    REQUIRE(tx.SetFollowing({b.id, by_id, true, kT0}).has_value());
  });
  // One message carries both: merged into the number's contact.
  Commit(*store, [&](Tx& tx) {
    const int64_t merged = tx.FindOrCreateContact({"wa", "6281234567009", "", {}, "ID.888"},
                                                  kT0 + 2 * kDay)->id;
    REQUIRE(merged == by_number);
    CHECK(tx.KnownDesaOf(merged).value() == "35.07.12.2003");  // the survivor's
    auto fa = tx.FollowersOf(a.id);
    REQUIRE(fa.has_value());
    REQUIRE(fa->size() == 1);
    CHECK(fa->front().contact_id == merged);
    CHECK_FALSE(fa->front().following);  // the later choice
    auto fb = tx.FollowersOf(b.id);
    REQUIRE(fb.has_value());
    REQUIRE(fb->size() == 1);
    CHECK(fb->front().contact_id == merged);
    CHECK(fb->front().following);
  });
}

TEST_CASE("Activities: an erased contact follows nothing and has no desa", "[storage][activities]") {
  auto store = testing::OpenStore();
  const Activity a = NewActivity(*store, Usulan(*store, "35.07.12.2001", "Jalan"), "Jalan");
  Commit(*store, [&](Tx& tx) {
    const int64_t who = tx.FindOrCreateContact({"sms", "+6281200000077", "", {}, ""}, kT0)->id;
    REQUIRE(tx.SetFollowing({a.id, who, true, kT0}).has_value());
    REQUIRE(tx.RememberDesa(who, "35.07.12.2001", kT0).has_value());
    REQUIRE(tx.EraseContact(who, kT0 + kDay).has_value());
    CHECK(tx.FollowersOf(a.id).value().empty());
    CHECK(tx.KnownDesaOf(who).value() == "");
  });
}

// --- Migration 0014 on a database made by the previous version ---

TEST_CASE("Activities: migration 0014 keeps meetings, their groups and invitations",
          "[storage][activities][migration][sqlite]") {
  testing::TempDir dir;
  const std::string path = dir.File("old.db");
  {
    Result<SqliteConnection> db = SqliteConnection::Open(path);
    REQUIRE(db.has_value());
    for (const auto& [name, sql] : EmbeddedMigrations()) {
      if (std::stoi(name.substr(0, 4)) > 13) continue;
      INFO(name);
      REQUIRE(db->Exec(sql).has_value());
    }
    REQUIRE(db->Exec(R"sql(
      INSERT INTO contacts (id, name, created_at) VALUES (1, 'Ani', 1);
      INSERT INTO notice_groups (id, code, name, area, created_at) VALUES (1, 'MELATI', 'Melati', '35.07.12.2001', 1);
      INSERT INTO meetings (id, title, forum, area, starts_at, utc_offset_minutes, place, status,
                            version, created_by, created_at, updated_at)
        VALUES (7, 'Musdes', 'musdes', '35.07.12.2001', 99, 420, 'Balai', 'scheduled', 2, 'Bu Sri', 1, 2);
      INSERT INTO meeting_groups (meeting_id, group_id) VALUES (7, 1);
      INSERT INTO invitations (meeting_id, contact_id, invited_at, answer, answered_at)
        VALUES (7, 1, 5, 'hadir', 6);
      PRAGMA user_version = 13;
    )sql").has_value());
  }
  Result<MigrationReport> report = MigrateSqlite(path);
  INFO((report ? std::string() : report.error().message));
  REQUIRE(report.has_value());
  CHECK(report->from_version == 13);
  REQUIRE(report->to_version >= 14);

  auto store = testing::OpenStore(path);
  Commit(*store, [&](Tx& tx) {
    const Meeting m = tx.GetMeeting(7)->value();
    CHECK(m.title == "Musdes");
    CHECK(m.place == "Balai");
    CHECK(m.version == 2);
    CHECK(m.created_by == "Bu Sri");
    CHECK(m.activity_id == 0);
    CHECK(m.groups == std::vector<std::string>{"MELATI"});
    Result<std::vector<Invitation>> inv = tx.InvitationsOfMeeting(7);
    REQUIRE(inv.has_value());
    REQUIRE(inv->size() == 1);
    CHECK(inv->front().answer == "hadir");
    // The new forums are accepted.
    Meeting report_meeting = m;
    report_meeting.forum = "pertanggungjawaban";
    CHECK(tx.CreateMeeting(report_meeting).has_value());
  });
}

}  // namespace
}  // namespace suaradesa::storage
