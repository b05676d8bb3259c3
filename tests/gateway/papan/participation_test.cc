// The participation figures (GET /api/v1/reports/participation, its CSV and
// SVG charts, `suaradesa export report`, the inbox's report view in
// headless Chromium), read through the real gateway from a
// fixture written through the real store, and checked against counts made
// by hand below.
//
// The fixture, area Rogojampi (3510070, WIB): desa Gitik (...001, "G") and
// Kaotan (...002, "K"); a second area, Dua Boccoe (7308010, WITA), desa
// Uloe. "Now" is 2026-11-23 12:00 WIB.
//
//   who  channel  place (why)          wrote (WIB)              filed
//   A    tg       G (case, MAWAR)      Oct 5                    usulan mkp, 12 women, Oct 5
//   B    tg       G (case, MAWAR)      Nov 3                    usulan musdus, 4 women, Nov 3
//   C    web      K (MELATI)           Nov 10, Nov 11           -
//   D    tg       K (case)             Nov 1 00:30              pengaduan dana, answered in 1 day, on time
//   E    tg       K (case)             Oct 31 23:30             pengaduan dana, answered in 7 days, late
//   F    tg       G (case)             Nov 20                   pengaduan prosedur, unanswered, due Nov 27
//   I    -        K (case)             never                    usulan spp, 20 women, Nov 8, disetujui
//   M    web      K (MELATI)           never                    -
//   U    tg       Uloe (case)          Nov 4                    usulan spp, 7 women (other area)
//   H    tg       none                 Nov 5                    -
//
// D wrote on Nov 1 00:30 WIB, which is Oct 31 in UTC: months are local.
//
// Meetings: Oct 15 in G inviting MAWAR (A, B) and MELATI (C, M): A hadir,
// B tidak. Nov 20 in K inviting MELATI (C, M): C hadir. Nov 21 inviting
// MAWAR, cancelled (never counts).
#include <catch2/catch.hpp>

#include <fstream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gateway/cli/cli.h"
#include "tests/gateway/papan/fixture.h"
#include "tests/gateway/test_gateway.h"
#include "tests/support/web_must.h"
#include "tests/support/webdriver.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;
using namespace papan_fixture;
using storage::CaseType;

constexpr const char* kG = "3510070001";
constexpr const char* kK = "3510070002";
constexpr const char* kUloe = "7308010001";

struct Fixture {
  TempDir dir;
  FakePlatform telegram;
  std::string db = dir.File("gw.db");
  TestGateway gw{TwoAreaConfig(db, telegram.base_url())};
  std::string admin = gw.CreateToken("Admin Kabupaten", "admin", {});
  std::string pd = gw.CreateToken("PD Rogojampi", "fasilitator", {"3510070"});

  Fixture() {
    gw.clock().Set(Wib(2026, 11, 23, 12, 0));
    auto s = gw.app().store().Transact([](storage::Tx& tx) -> storage::Status {
      const int64_t a = Resident(tx, "tg", "1001", "Aminah", {Wib(2026, 10, 5, 9, 0)});
      const int64_t b = Resident(tx, "tg", "1002", "Badriyah", {Wib(2026, 11, 3, 9, 0)});
      const int64_t c = Resident(tx, "web", "+628111000003", "Cahyani",
                                 {Wib(2026, 11, 10, 9, 0), Wib(2026, 11, 11, 9, 0)});
      const int64_t d = Resident(tx, "tg", "1004", "Dewi", {Wib(2026, 11, 1, 0, 30)});
      const int64_t e = Resident(tx, "tg", "1005", "Endang", {Wib(2026, 10, 31, 23, 30)});
      const int64_t f = Resident(tx, "tg", "1006", "Fitri", {Wib(2026, 11, 20, 9, 0)});
      const int64_t i = Resident(tx, "web", "+628111000008", "Indah", {});
      const int64_t m = Resident(tx, "web", "+628111000009", "Mulyani", {});
      const int64_t u = Resident(tx, "tg", "1010", "Usman", {Wib(2026, 11, 4, 9, 0)});
      Resident(tx, "tg", "1011", "Hasan", {Wib(2026, 11, 5, 9, 0)});

      File(tx, CaseType::kUsulan, a, kG, R"({"forum":"mkp","women":12})",
           Wib(2026, 10, 5, 9, 0), "talud");
      File(tx, CaseType::kUsulan, b, kG, R"({"forum":"musdus","women":4})",
           Wib(2026, 11, 3, 9, 0), "jalan");
      File(tx, CaseType::kUsulan, i, kK, R"({"forum":"spp","women":20})",
           Wib(2026, 11, 8, 9, 0), "modal", "disetujui");
      File(tx, CaseType::kUsulan, u, kUloe, R"({"forum":"spp","women":7})",
           Wib(2026, 11, 4, 9, 0), "sumur");
      const int64_t d_at = Wib(2026, 11, 1, 0, 30);
      File(tx, CaseType::kPengaduan, d, kK, R"({"category":"dana"})", d_at, "potongan",
           "ditindaklanjuti", d_at + 5 * kDayMs, d_at + kDayMs);
      const int64_t e_at = Wib(2026, 10, 31, 23, 30);
      File(tx, CaseType::kPengaduan, e, kK, R"({"category":"dana"})", e_at, "pungli",
           "ditindaklanjuti", e_at + 5 * kDayMs, e_at + 7 * kDayMs);
      const int64_t f_at = Wib(2026, 11, 20, 9, 0);
      File(tx, CaseType::kPengaduan, f, kG, R"({"category":"prosedur"})", f_at, "prosedur",
           "diterima", f_at + 7 * kDayMs, 0);

      Group(tx, "MAWAR", kG, {a, b}, Wib(2026, 9, 1, 9, 0));
      Group(tx, "MELATI", kK, {c, m}, Wib(2026, 9, 1, 9, 0));
      const int64_t oct = Meeting(tx, "Musdes", "musdes", kG, Wib(2026, 10, 15, 9, 0),
                                  {"MAWAR", "MELATI"}, {a, b, c, m});
      Must(tx.SetRsvp(oct, a, "hadir", "", Wib(2026, 10, 10, 9, 0)), "rsvp");
      Must(tx.SetRsvp(oct, b, "tidak", "sakit", Wib(2026, 10, 10, 9, 0)), "rsvp");
      const int64_t nov = Meeting(tx, "MKP", "mkp", kK, Wib(2026, 11, 20, 9, 0), {"MELATI"},
                                  {c, m});
      Must(tx.SetRsvp(nov, c, "hadir", "", Wib(2026, 11, 18, 9, 0)), "rsvp");
      const int64_t gone = Meeting(tx, "Batal", "musdus", kG, Wib(2026, 11, 21, 9, 0),
                                   {"MAWAR"}, {a, b});
      auto cancelled = Must(tx.GetMeeting(gone), "get meeting");
      cancelled->status = "cancelled";
      Must(tx.UpdateMeeting(*cancelled), "cancel");
      Must(tx.SetRsvp(gone, a, "hadir", "", Wib(2026, 11, 19, 9, 0)), "rsvp");
      return {};
    });
    if (!s) FAIL("fixture: " << s.error().message);
  }

  json Get(const std::string& query, const std::string& token) {
    auto res = gw.GetAuthed("/api/v1/reports/participation" + query, token);
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  }
};

const json& Month(const json& report, const std::string& month) {
  for (const auto& m : report["months"]) {
    if (m["month"] == month) return m;
  }
  FAIL("no month " << month);
  throw std::logic_error("unreachable");
}

const json& Row(const json& rows, const std::string& key, const std::string& value) {
  for (const auto& r : rows) {
    if (r[key] == value) return r;
  }
  FAIL("no row " << key << "=" << value << " in " << rows.dump());
  throw std::logic_error("unreachable");
}

TEST_CASE("Participation: the figures of an area match the hand count, month by month in WIB",
          "[papan][reports]") {
  Fixture f;
  const json r = f.Get("?area=3510070&from=2026-10&to=2026-11", f.pd);
  REQUIRE(r["months"].size() == 2);

  SECTION("residents: distinct contacts who wrote, by desa and channel") {
    const json& total = r["total"]["residents"];
    CHECK(total["total"] == 6);  // A B C D E F; not U (other area), H (no place), I, M (silent)
    CHECK(total["by_channel"]["tg"] == 5);
    CHECK(total["by_channel"]["web"] == 1);
    const json& g = Row(total["by_place"], "place", kG);
    CHECK(g["residents"] == 3);  // A B F
    CHECK(g["name"] == "Gitik");
    const json& k = Row(total["by_place"], "place", kK);
    CHECK(k["residents"] == 3);  // C D E
    CHECK(k["by_channel"]["web"] == 1);
    CHECK(k["by_channel"]["tg"] == 2);
    // D wrote at 00:30 WIB on Nov 1 (still Oct 31 in UTC): a November resident.
    CHECK(Month(r, "2026-10")["residents"]["total"] == 2);  // A E
    CHECK(Month(r, "2026-11")["residents"]["total"] == 4);  // B C D F
    CHECK(Row(Month(r, "2026-11")["residents"]["by_place"], "place", kK)["residents"] == 2);
  }

  SECTION("proposals: by forum, the women's forums and the women they name") {
    const json& p = r["total"]["proposals"];
    CHECK(p["total"] == 3);          // A B I
    CHECK(p["womens_forums"] == 2);  // A (mkp), I (spp)
    CHECK(p["womens_forum_share"].get<double>() == Approx(0.666).margin(0.001));
    CHECK(p["women_beneficiaries"] == 36);  // 12 + 4 + 20
    CHECK(Row(p["by_forum"], "forum", "spp")["women_beneficiaries"] == 20);
    CHECK(Row(p["by_forum"], "forum", "spp")["womens_forum"] == true);
    CHECK(Row(p["by_forum"], "forum", "musdus")["womens_forum"] == false);
    CHECK(p["by_status"]["diterima"] == 2);
    CHECK(p["by_status"]["disetujui"] == 1);
    CHECK(Month(r, "2026-10")["proposals"]["total"] == 1);
    CHECK(Month(r, "2026-11")["proposals"]["total"] == 2);
    CHECK(Month(r, "2026-11")["proposals"]["women_beneficiaries"] == 24);
  }

  SECTION("meetings: invitations and RSVPs by group; a cancelled meeting never counts") {
    const json& m = r["total"]["meetings"];
    CHECK(m["invited"] == 6);
    CHECK(m["hadir"] == 2);
    CHECK(m["tidak"] == 1);
    CHECK(m["no_answer"] == 3);
    CHECK(m["attended"].is_null());
    const json& mawar = Row(m["by_group"], "group", "MAWAR");
    CHECK(mawar["meetings"] == 1);
    CHECK(mawar["invited"] == 2);
    CHECK(mawar["hadir"] == 1);
    CHECK(mawar["tidak"] == 1);
    const json& melati = Row(m["by_group"], "group", "MELATI");
    CHECK(melati["meetings"] == 2);
    CHECK(melati["invited"] == 4);
    CHECK(melati["hadir"] == 1);
    const json& nov = Month(r, "2026-11")["meetings"];
    CHECK(nov["invited"] == 2);  // the cancelled one's invitations are not counted
    CHECK(nov["hadir"] == 1);
  }

  SECTION("complaints: by category, median wait and the on-time rate") {
    const json& c = r["total"]["complaints"];
    CHECK(c["total"] == 3);
    CHECK(c["answered"] == 2);
    CHECK(c["due"] == 2);  // F's deadline has not come yet
    CHECK(c["on_time"] == 1);
    CHECK(c["on_time_rate"].get<double>() == Approx(0.5));
    CHECK(c["median_hours_to_answer"].get<double>() == Approx(24.0));  // of 24 h and 168 h
    const json& dana = Row(c["by_category"], "category", "dana");
    CHECK(dana["complaints"] == 2);
    CHECK(dana["on_time"] == 1);
    const json& prosedur = Row(c["by_category"], "category", "prosedur");
    CHECK(prosedur["median_hours_to_answer"].is_null());
    CHECK(prosedur["on_time_rate"].is_null());
    const json& oct = Month(r, "2026-10")["complaints"];
    CHECK(oct["total"] == 1);  // E, at 23:30 WIB on Oct 31
    CHECK(oct["median_hours_to_answer"].get<double>() == Approx(168.0));
    CHECK(oct["on_time_rate"].get<double>() == Approx(0.0));
  }
}

TEST_CASE("Participation: a fasilitator sees only their areas; an admin sees all",
          "[papan][reports]") {
  Fixture f;
  SECTION("another area is refused") {
    auto res = f.gw.GetAuthed("/api/v1/reports/participation?area=7308010&from=2026-10&to=2026-11",
                              f.pd);
    REQUIRE(res);
    CHECK(res->status == 403);
  }
  SECTION("a desa inside their area narrows the figures") {
    const json r = f.Get("?area=3510070001&from=2026-10&to=2026-11", f.pd);
    CHECK(r["total"]["residents"]["total"] == 3);  // A B F
    CHECK(r["total"]["proposals"]["total"] == 2);
  }
  SECTION("no area: their own areas") {
    const json r = f.Get("?from=2026-10&to=2026-11", f.pd);
    CHECK(r["total"]["residents"]["total"] == 6);
  }
  SECTION("an admin without an area sees every area") {
    const json r = f.Get("?from=2026-10&to=2026-11", f.admin);
    CHECK(r["total"]["residents"]["total"] == 7);  // and U
    CHECK(r["total"]["proposals"]["womens_forums"] == 3);
  }
  SECTION("no token: 401; a malformed month: 400") {
    auto res = f.gw.Get("/api/v1/reports/participation");
    REQUIRE(res);
    CHECK(res->status == 401);
    res = f.gw.GetAuthed("/api/v1/reports/participation?from=2026-13", f.pd);
    REQUIRE(res);
    CHECK(res->status == 400);
  }
}

TEST_CASE("Participation: the charts are SVG with one bar per month and series, text escaped",
          "[papan][reports]") {
  Fixture f;
  auto res = f.gw.GetAuthed(
      "/api/v1/reports/participation.svg?area=3510070&from=2026-10&to=2026-11&chart=complaints",
      f.pd);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "image/svg+xml");
  const std::string& svg = res->body;
  CHECK(svg.rfind("<svg", 0) == 0);
  size_t bars = 0;
  for (size_t at = svg.find("class=\"bar\""); at != std::string::npos;
       at = svg.find("class=\"bar\"", at + 1)) {
    ++bars;
  }
  CHECK(bars == 6);  // 2 months x (complaints, answered, on time)
  CHECK(svg.find("2026-10") != std::string::npos);
  CHECK(svg.find("<script") == std::string::npos);
  res = f.gw.GetAuthed("/api/v1/reports/participation.svg?chart=pie", f.pd);
  REQUIRE(res);
  CHECK(res->status == 400);
}

TEST_CASE("Participation: export report writes the month's figures as CSV", "[papan][reports]") {
  Fixture f;
  // The CLI reads the same database through a config file.
  const std::string config_path = f.dir.File("config.json");
  {
    std::ofstream file(config_path);
    file << R"({"database": )" << DatabaseJsonText(f.db) << R"(,
      "areas": [{"code": "3510070", "name": "Rogojampi", "timezone": "Asia/Jakarta",
                 "desa": [{"code": "3510070001", "name": "Gitik"},
                          {"code": "3510070002", "name": "Kaotan"}]}],
      "channels": []})";
  }
  std::istringstream in;
  std::ostringstream out, err;
  cli::Context ctx{in, out, err, f.gw.clock(), [](const std::string&) { return std::optional<std::string>(); }};
  const int code = cli::RunCli(
      {"export", "report", "--config", config_path, "--area", "3510070", "--month", "2026-11"},
      ctx);
  INFO(err.str());
  REQUIRE(code == 0);
  const std::string csv = out.str();
  CHECK(csv.rfind("month,section,key,detail,value\r\n", 0) == 0);
  CHECK(csv.find(",residents,total,,4\r\n") != std::string::npos);  // the whole span: November
  CHECK(csv.find("2026-11,residents,total,,4\r\n") != std::string::npos);
  CHECK(csv.find("2026-11,proposals,womens_forums,,1\r\n") != std::string::npos);  // I
  CHECK(csv.find("2026-11,complaints,on_time,,1\r\n") != std::string::npos);       // D
  CHECK(csv.find("2026-11,meetings,group_hadir,MELATI,1\r\n") != std::string::npos);
  CHECK(csv.find("Cahyani") == std::string::npos);
  CHECK(csv.find("628111000003") == std::string::npos);

  std::ostringstream out2, err2;
  cli::Context bad{in, out2, err2, f.gw.clock(), [](const std::string&) { return std::optional<std::string>(); }};
  CHECK(cli::RunCli({"export", "report", "--config", config_path, "--area", "3510070", "--month",
                     "November"},
                    bad) == 2);
}

}  // namespace
}  // namespace suaradesa::testing

namespace suaradesa::testing {
namespace {

TEST_CASE("Participation: the inbox's report view shows the figures and four SVG charts",
          "[papan][reports][browser]") {
  Fixture f;
  auto started = WebDriver::Start();
  if (!started) FAIL("cannot start Chromium: " << started.error());
  WebDriver& web = **started;
  MustWeb(web.Navigate(f.gw.base_url() + "/inbox/"), "open the inbox");
  MustWeb(web.WaitFor("document.body.getAttribute('data-ready') === '1'"), "the page starts");
  MustWeb(web.SendKeys(MustWeb(web.Find("#token"), "token field"), f.pd), "type the token");
  MustWeb(web.Click(MustWeb(web.Find("#signin-submit"), "sign-in button")), "sign in");
  MustWeb(web.WaitFor("!document.getElementById('desk').hidden"), "signed in");
  MustWeb(web.Click(MustWeb(web.Find("#report-link"), "report link")), "open the report");
  MustWeb(web.WaitFor("!document.getElementById('report-view').hidden"), "the report shows");
  // <input type=month> is a picker in Chromium; set its value as picking would.
  MustWeb(web.Execute("document.getElementById('r-from').value = '2026-10';"
                      "document.getElementById('r-to').value = '2026-11';"),
          "months");
  MustWeb(web.Click(MustWeb(web.Find("#r-show"), "show button")), "show");
  // The view names the query it shows: wait for ours, not the default months' report
  // that opening the view started.
  MustWeb(web.WaitFor("(document.getElementById('report-view').getAttribute('data-query') || '')"
                      ".indexOf('from=2026-10&to=2026-11') >= 0 && "
                      "document.querySelectorAll('#report-charts img').length === 4 && "
                      "Array.from(document.querySelectorAll('#report-charts img'))"
                      ".every(function (i) { return i.complete && i.naturalWidth > 0; })"),
          "four charts load");
  const std::string totals =
      MustWeb(web.Text(MustWeb(web.Find("#report-totals"), "totals")), "totals text");
  CHECK(totals.find("36") != std::string::npos);   // women beneficiaries
  CHECK(totals.find("50%") != std::string::npos);  // on time
  CHECK(MustWeb(web.Execute("return document.querySelector('#report-charts img').src.indexOf("
                            "'data:image/svg+xml') === 0;"),
                "data url") == true);
  // Leaving the report brings the case list back.
  MustWeb(web.Execute("location.hash = '';"), "leave");
  MustWeb(web.WaitFor("!document.getElementById('desk').hidden && "
                      "document.getElementById('report-view').hidden"),
          "the desk is back");
}

}  // namespace
}  // namespace suaradesa::testing
