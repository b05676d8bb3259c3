// The public Papan Informasi (/papan/, /papan/{desa}): read without a token
// over real HTTP from the real gateway, and loaded in headless Chromium.
//
// The fixture, desa Gitik (3510070001), written through the real store:
//   proposals  6 from MKP (diterima), 2 from Musdus (diterima),
//              1 from Musdes (disetujui)
//   complaints 5 about funds (selesai, each answered within its deadline),
//              1 about procedure (diterima, its deadline still ahead)
//   a meeting in a week whose title is markup, inviting a group of people
//   with distinctive names and phone numbers; a meeting of Kaotan.
// Hand count of what the page must show, by the rule of small_counts.h:
//   proposals: MKP row 6 | 6; Musdus row <5 | *; Musdes row <5 | *;
//              column diterima 6 + <5: *; grand total *
//   complaints: funds 5 | 5; procedure <5 | *; on time 5 of 5: 100%
// Nothing of the people may appear: names, phone numbers, complaint texts,
// reporter pseudonyms.
//
// Needs /usr/bin/chromium and /usr/bin/chromedriver, like the inbox's
// browser test; without them the browser test fails and says so.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/papan/board.h"
#include "tests/gateway/papan/fixture.h"
#include "tests/gateway/test_gateway.h"
#include "tests/support/web_must.h"
#include "tests/support/webdriver.h"

namespace suaradesa::testing {
namespace {

using nlohmann::json;
using namespace papan_fixture;
using storage::CaseType;

constexpr const char* kGitik = "3510070001";
constexpr const char* kKaotan = "3510070002";
constexpr const char* kMarkupTitle = "<script>alert('papan')</script>Musdes <b>RKP</b> & \"APBDes\"";
constexpr const char* kMarkupNote = "<img src=x onerror=alert(1)> pengecoran 40 m";
constexpr const char* kActivityTitle = "Talud <i>Krajan</i>";

// What must never be on the page.
const std::vector<std::string> kPersonal = {
    "Zulaikha Purnamawati", "Rukmini Sastrowardoyo", "6281299887766", "81299887766",
    "Bendahara Sutarjo menilap dana talud", "Sutarjo", "Pelapor-", "tg-7788", "MAWAR",
    "Wiryo", "Sari Fasilitator", "tpk:"};

struct Fixture : GatewayFixture {
  std::string pseudonym;

  Fixture() {
    const int64_t now = gw.clock().NowMillis();
    auto s = gw.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
      const int64_t zulaikha = Resident(tx, "web", "+6281299887766", "Zulaikha Purnamawati",
                                        {now - 20 * kDayMs}, "Bendahara Sutarjo menilap dana talud");
      const int64_t rukmini =
          Resident(tx, "tg", "tg-7788", "Rukmini Sastrowardoyo", {now - 19 * kDayMs});
      for (int i = 0; i < 6; ++i) {
        File(tx, CaseType::kUsulan, rukmini, kGitik, R"({"forum":"mkp","women":9})",
             now - 15 * kDayMs + i, "Pelatihan menjahit Rukmini Sastrowardoyo");
      }
      for (int i = 0; i < 2; ++i) {
        File(tx, CaseType::kUsulan, zulaikha, kGitik, R"({"forum":"musdus"})",
             now - 14 * kDayMs + i, "Jalan dusun");
      }
      const storage::Case talud = File(tx, CaseType::kUsulan, zulaikha, kGitik,
                                       R"({"forum":"musdes"})", now - 13 * kDayMs, "Talud",
                                       "disetujui");
      storage::Case last;
      for (int i = 0; i < 5; ++i) {
        const int64_t at = now - 12 * kDayMs + i;
        last = File(tx, CaseType::kPengaduan, zulaikha, kGitik,
                    R"({"category":"dana","what":"Bendahara Sutarjo menilap dana talud"})", at,
                    "Bendahara Sutarjo menilap dana talud", "selesai", at + 5 * kDayMs,
                    at + kDayMs);
      }
      File(tx, CaseType::kPengaduan, rukmini, kGitik, R"({"category":"prosedur"})",
           now - kDayMs, "Musdes tanpa undangan", "diterima", now + 4 * kDayMs, 0);
      pseudonym = gw.app().desk().Pseudonym(tx, last);

      storage::Activity act;
      act.case_id = talud.id;
      act.desa_code = kGitik;
      act.title = kActivityTitle;
      act.location = "Dusun Krajan RT 02";
      act.budget_blm = 150000000;
      act.budget_swadaya = 12500000;
      act.tpk = "TPK Pak Wiryo Sudarmo";
      act.stage = "pelaksanaan";
      act.created_at = now - 10 * kDayMs;
      act.updated_at = act.created_at;
      auto made = tx.CreateActivity(act);
      if (!made) return std::unexpected(made.error());
      for (const auto& [days, progress, text, actor] :
           std::vector<std::tuple<int, int, std::string, std::string>>{
               {6, 20, "Galian selesai", "tpk:Wiryo Sudarmo"},
               {5, 40, kMarkupNote, "tpk:Wiryo Sudarmo"},
               {4, 50, "Pemasangan batu", "Sari Fasilitator"},
               {2, 60, "Pemasangan batu selesai, mandor 0812-3344-5566", "Sari Fasilitator"}}) {
        storage::ActivityNote note{0, made->id, now - days * kDayMs, progress, text, actor};
        if (auto r = tx.AddActivityNote(note); !r) return std::unexpected(r.error());
      }
      if (auto r = tx.AddTranche({made->id, 1, 60000000, now - 9 * kDayMs}); !r) return r;
      if (auto r = tx.LinkComplaint(made->id, last.id); !r) return std::unexpected(r.error());
      Group(tx, "MAWAR", kGitik, {zulaikha, rukmini}, now - 30 * kDayMs);
      Meeting(tx, kMarkupTitle, "musdes", kGitik, now + 7 * kDayMs, {"MAWAR"},
              {zulaikha, rukmini}, "Balai Desa Gitik");
      Meeting(tx, "Musdus Kaotan", "musdus", kKaotan, now + 8 * kDayMs, {"MAWAR"}, {},
              "Balai Dusun Krajan");
      return {};
    });
    if (!s) FAIL("fixture: " << s.error().message);
  }
};

TEST_CASE("Papan: a desa's page is public HTML, cacheable, without script or personal data",
          "[papan]") {
  Fixture f;
  auto res = f.gw.Get("/papan/3510070001");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(res->get_header_value("Cache-Control") == "public, max-age=300");
  const std::string csp = res->get_header_value("Content-Security-Policy");
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(csp.find("script-src") == std::string::npos);  // none allowed, by default-src
  const std::string& html = res->body;
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;papan&#39;)&lt;/script&gt;Musdes &lt;b&gt;RKP&lt;/b&gt;"
                  " &amp; &quot;APBDes&quot;") != std::string::npos);
  CHECK(html.find("Gitik") != std::string::npos);
  CHECK(html.find("Balai Desa Gitik") != std::string::npos);
  CHECK(html.find("Balai Dusun Krajan") == std::string::npos);  // Kaotan's meeting
  // The activity: budget, tranche, progress, the three newest notes, escaped.
  CHECK(html.find("Talud &lt;i&gt;Krajan&lt;/i&gt;") != std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt; pengecoran 40 m") != std::string::npos);
  CHECK(html.find("Rp150.000.000") != std::string::npos);
  CHECK(html.find("Rp12.500.000") != std::string::npos);
  CHECK(html.find("Rp162.500.000") != std::string::npos);
  CHECK(html.find("Rp60.000.000") != std::string::npos);
  CHECK(html.find("Galian selesai") == std::string::npos);  // the oldest of four notes
  // A phone number typed into a note is masked, every digit of it.
  CHECK(html.find("Pemasangan batu selesai, mandor [phone]") != std::string::npos);
  CHECK(html.find("3344") == std::string::npos);
  CHECK(html.find("<progress max=\"100\" value=\"60\">") != std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
  CHECK(html.find("size:A4") != std::string::npos);
  CHECK(html.find("http://") == std::string::npos);  // nothing loaded from elsewhere
  CHECK(html.find("https://") == std::string::npos);
  REQUIRE_FALSE(f.pseudonym.empty());
  CHECK(html.find(f.pseudonym) == std::string::npos);
  for (const auto& personal : kPersonal) {
    INFO(personal);
    CHECK(html.find(personal) == std::string::npos);
  }
}

TEST_CASE("Papan: an unknown desa is a 404 page; /papan/ lists every desa", "[papan]") {
  Fixture f;
  auto missing = f.gw.Get("/papan/9999999999");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(missing->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(missing->body.find("<h1>") != std::string::npos);
  auto index = f.gw.Get("/papan/");
  REQUIRE(index);
  CHECK(index->status == 200);
  for (const char* desa : {"Gitik", "Kaotan", "Lemahbang Kulon", "Gladag"}) {
    CHECK(index->body.find(desa) != std::string::npos);
  }
  CHECK(index->body.find("href=\"/papan/3510070002\"") != std::string::npos);
  CHECK(index->body.find("<script") == std::string::npos);
}

TEST_CASE("Papan: a page asked for in a loop is built once a minute, then shows what changed",
          "[papan]") {
  // No login guards the page, so a client that asks for it again and again
  // must not make the store read it again and again.
  Fixture f;
  auto first = f.gw.Get("/papan/" + std::string(kGitik));
  REQUIRE(first);
  REQUIRE(first->status == 200);
  CHECK(first->body.find("Pengecoran tahap dua") == std::string::npos);
  // A new progress note, written straight to the store.
  auto s = f.gw.app().store().Transact([&](storage::Tx& tx) -> storage::Status {
    auto list = tx.ActivitiesOf(kGitik);
    if (!list) return std::unexpected(list.error());
    REQUIRE(list->size() == 1);
    storage::ActivityNote note{0, list->front().id, f.gw.clock().NowMillis(), 70,
                               "Pengecoran tahap dua", "tpk:Wiryo Sudarmo"};
    if (auto r = tx.AddActivityNote(note); !r) return std::unexpected(r.error());
    return {};
  });
  REQUIRE(s.has_value());
  for (int i = 0; i < 20; ++i) {
    auto again = f.gw.Get("/papan/" + std::string(kGitik));
    REQUIRE(again);
    CHECK(again->body == first->body);  // served as built
  }
  f.gw.clock().Advance(papan::Board::kFreshMs - 1);
  CHECK(f.gw.Get("/papan/" + std::string(kGitik))->body == first->body);
  f.gw.clock().Advance(1);
  auto fresh = f.gw.Get("/papan/" + std::string(kGitik));
  REQUIRE(fresh);
  CHECK(fresh->body.find("Pengecoran tahap dua") != std::string::npos);
  // Each desa has its own page: Kaotan's is not Gitik's.
  auto kaotan = f.gw.Get("/papan/" + std::string(kKaotan));
  REQUIRE(kaotan);
  CHECK(kaotan->body.find("Pengecoran tahap dua") == std::string::npos);
  CHECK(kaotan->body != fresh->body);
}

// The text of every cell of the table in `section`, row by row.
std::vector<std::vector<std::string>> Table(WebDriver& browser, const std::string& section) {
  json rows = MustWeb(browser.Execute(
                       "return Array.from(document.querySelectorAll('#' + arguments[0] + "
                       "' tr')).map(function (tr) { return Array.from(tr.children).map("
                       "function (c) { return c.textContent; }); });",
                       json::array({section})),
                   "read table");
  return rows.get<std::vector<std::vector<std::string>>>();
}

TEST_CASE("Papan: in Chromium the page renders with no script, small counts hidden",
          "[papan][browser]") {
  Fixture f;
  // A label as the page shows it (locales/id.json).
  auto L = [&f](const std::string& key) {
    return f.gw.app().dialogs().Render(key, json::object(), "id").text;
  };
  auto started = WebDriver::Start();
  if (!started) FAIL("cannot start Chromium: " << started.error());
  WebDriver& browser = **started;
  MustWeb(browser.Navigate(f.gw.base_url() + "/papan/" + kGitik), "navigate");

  CHECK(MustWeb(browser.Execute("return document.scripts.length;"), "scripts") == 0);
  const std::string title = MustWeb(browser.Text(MustWeb(browser.Find("#pertemuan td"), "meeting")),
                                 "meeting title");
  CHECK(title == kMarkupTitle);
  CHECK(MustWeb(browser.FindAll("#pertemuan b"), "bold").empty());

  // The activity note's markup is text: no element made from it.
  CHECK(MustWeb(browser.FindAll("#kegiatan img"), "img").empty());
  CHECK(MustWeb(browser.FindAll("#kegiatan h3 i"), "italic").empty());
  const std::string notes = MustWeb(browser.Text(MustWeb(browser.Find("#kegiatan ul.notes"), "notes")),
                                 "notes text");
  CHECK(notes.find(kMarkupNote) != std::string::npos);
  CHECK(MustWeb(browser.Execute("return document.querySelector('#kegiatan progress').value;"),
             "progress") == 60);
  CHECK(MustWeb(browser.Execute("return document.querySelector('#kegiatan h3').textContent;"),
             "activity title")
            .get<std::string>()
            .find(kActivityTitle) == 0);

  // Proposals: forum rows by status columns (diterima, dibahas, disetujui,
  // ditolak, digabung), then the total.
  auto proposals = Table(browser, "usulan");
  REQUIRE(proposals.size() == 5);  // head, Musdus, MKP, Musdes, totals
  CHECK(proposals[1] == std::vector<std::string>{L("papan.forum.musdus"), "<5", "0", "0", "0", "0", "*"});
  CHECK(proposals[2] ==
        std::vector<std::string>{L("papan.forum.mkp"), "6", "0", "0", "0", "0", "6"});
  CHECK(proposals[3] == std::vector<std::string>{L("papan.forum.musdes"), "0", "0", "<5", "0", "0", "*"});
  CHECK(proposals[4] == std::vector<std::string>{L("papan.total"), "*", "0", "*", "0", "0", "*"});

  auto complaints = Table(browser, "pengaduan");
  REQUIRE(complaints.size() == 4);  // head, procedure, funds, totals
  CHECK(complaints[1].front() == L("papan.category.prosedur"));
  CHECK(complaints[1][1] == "<5");
  CHECK(complaints[1].back() == "*");
  CHECK(complaints[2].front() == L("papan.category.dana"));
  CHECK(complaints[2][5] == "5");  // selesai
  CHECK(complaints[2].back() == "5");
  CHECK(complaints[3].back() == "*");
  CHECK(MustWeb(browser.Text(MustWeb(browser.Find("#tepat-waktu strong"), "share")), "share") == "100%");

  // Printable: an A4 print rule in the page's own style sheet.
  CHECK(MustWeb(browser.Execute(
                 "return Array.from(document.styleSheets[0].cssRules).some(function (r) {"
                 " return r.media && r.media.mediaText === 'print'; });"),
             "print rule") == true);

  // A cheap phone: nothing wider than the screen.
  MustWeb(browser.EmulateViewport(360, 640, true), "phone");
  MustWeb(browser.Navigate(f.gw.base_url() + "/papan/" + kGitik), "navigate on phone");
  CHECK(MustWeb(browser.Execute("return document.documentElement.scrollWidth;"), "width")
            .get<int>() <= 360);

  const std::string text =
      MustWeb(browser.Execute("return document.documentElement.outerHTML;"), "html").get<std::string>();
  for (const auto& personal : kPersonal) {
    INFO(personal);
    CHECK(text.find(personal) == std::string::npos);
  }
  MustWeb(browser.EmulateViewport(0, 0, false), "clear phone");
}

}  // namespace
}  // namespace suaradesa::testing
