#include "gateway/papan/board.h"

#include <algorithm>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialogs/format.h"
#include "gateway/desk/desk.h"
#include "gateway/markup.h"
#include "gateway/privacy.h"
#include "gateway/papan/small_counts.h"

namespace suaradesa::papan {

namespace {

using nlohmann::json;

// Small, printable, no external assets. Progress bars are <progress>
// elements, so no inline style attribute is needed.
constexpr const char* kCss = R"css(
*{box-sizing:border-box}
body{font-family:sans-serif;margin:0 auto;max-width:60em;padding:.5em;color:#111;background:#fff;line-height:1.35}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;border-bottom:2px solid #333;margin:1.2em 0 .4em}
h3{font-size:1em;margin:.2em 0}h4{font-size:.95em;margin:.5em 0 .2em}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.3em 0}
th,td{border:1px solid #999;padding:.2em .35em;text-align:left;vertical-align:top}
td.n,th.n{text-align:right}
.scroll{overflow-x:auto}
tfoot td,tfoot th{font-weight:bold}
.meta{color:#444;font-size:.9em}
.act{border:1px solid #999;padding:.4em;margin:.5em 0;break-inside:avoid}
progress{width:100%;height:1.1em}
ul{padding-left:1.2em}
footer{margin-top:1.5em;font-size:.85em;color:#333}
@media (max-width:30em){body{padding:.3em}table{font-size:.8em}}
@page{size:A4;margin:12mm}
@media print{body{max-width:none;font-size:10pt}.scroll{overflow:visible}a{color:#000;text-decoration:none}
nav{display:none}section{break-inside:avoid}h2{break-after:avoid}}
)css";

const std::vector<std::string> kForums = {"musdus", "mkp", "spp", "musdes", "mad"};
const std::vector<std::string> kCategories = {"pertanyaan", "prosedur", "dana", "intervensi",
                                              "bencana_lain"};

// The row a stored forum or category falls in: a known id, "none" for
// none, "other" for anything else (a value typed by hand may hold anything,
// so it is never shown as it is).
std::string RowOf(const std::string& value, const std::vector<std::string>& known) {
  if (value.empty() || value == "belum_tahu") return "none";
  if (std::find(known.begin(), known.end(), value) != known.end()) return value;
  return "other";
}

std::string Td(const std::string& text, bool number = false) {
  return std::string(number ? "<td class=\"n\">" : "<td>") + text + "</td>";
}

// What staff or residents typed, on a page anyone may read: phone numbers
// and NIKs masked (gateway/privacy.h), then shown as text.
std::string Public(const std::string& text) { return EscapeMarkup(MaskPhoneNumbers(text)); }

}  // namespace


Board::Board(storage::Store& store, const Config& config, const dialogs::Dialogs& dialogs,
             const Clock& clock)
    : store_(store), config_(config), dialogs_(dialogs), clock_(clock) {}

std::string Board::Label(const std::string& key, const json& params) const {
  return EscapeMarkup(dialogs_.Render(key, params, "id").text);
}

std::string Board::Page(const std::string& title, const std::string& body) const {
  return "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" + title + "</title><style>" + kCss + "</style></head><body>" + body +
         "</body></html>\n";
}

std::string Board::IndexPage() const {
  std::string body = "<header><h1>" + Label("papan.index_title") + "</h1><p class=\"meta\">" +
                     Label("papan.index_intro") + "</p></header><main>";
  for (const auto& area : config_.areas) {
    if (area.desa.empty()) continue;
    body += "<section><h2>" + EscapeMarkup(area.name) + "</h2><ul>";
    for (const auto& d : area.desa) {
      body += "<li><a href=\"/papan/" + EscapeMarkup(d.code) + "\">" + EscapeMarkup(d.name) +
              "</a></li>";
    }
    body += "</ul></section>";
  }
  body += "</main>";
  return Page(Label("papan.index_title"), body);
}

std::string Board::MessagePage(const std::string& which) const {
  return Page(Label("papan." + which + "_title"),
              "<h1>" + Label("papan." + which + "_title") + "</h1><p>" +
                  Label("papan." + which + "_text") + "</p><p><a href=\"/papan/\">" +
                  Label("papan.all_desa") + "</a></p>");
}

storage::Result<std::optional<std::string>> Board::DesaPage(const std::string& code) const {
  const AreaConfig* area = config_.AreaOfDesa(code);
  if (area == nullptr) return std::optional<std::string>();
  const int64_t now = clock_.NowMillis();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = built_.find(code);
    if (it != built_.end() && now >= it->second.at && now - it->second.at < kFreshMs) {
      return std::optional<std::string>(it->second.html);
    }
  }
  // Built outside the lock: two requests that miss together both build,
  // and the later one's page stays.
  storage::Result<std::string> page = BuildDesaPage(*area, code);
  if (!page) return std::unexpected(page.error());
  std::lock_guard<std::mutex> lock(mu_);
  built_[code] = Built{now, *page};
  return std::optional<std::string>(std::move(*page));
}

storage::Result<std::string> Board::BuildDesaPage(const AreaConfig& area,
                                                  const std::string& code) const {
  std::string desa_name;
  for (const auto& d : area.desa) {
    if (d.code == code) desa_name = d.name;
  }
  const int64_t now = clock_.NowMillis();
  const int offset = UtcOffsetMinutes(area.timezone);
  const std::string zone = ZoneAbbreviation(area.timezone);

  struct ActivityView {
    storage::Activity activity;
    std::vector<storage::Tranche> tranches;
    std::vector<storage::ActivityNote> notes;  // the newest kMaxNotes, oldest first
    int64_t complaints = 0;
  };
  std::vector<ActivityView> activities;
  std::vector<storage::Meeting> meetings;
  std::vector<storage::ProposalCount> proposals;
  std::vector<storage::ComplaintCount> complaints;
  storage::Status read = store_.Read([&](storage::Tx& tx) -> storage::Status {
    auto listed = tx.ActivitiesOf(code);
    if (!listed) return std::unexpected(listed.error());
    for (auto& a : *listed) {
      ActivityView view{std::move(a), {}, {}, 0};
      auto tranches = tx.TranchesOf(view.activity.id);
      if (!tranches) return std::unexpected(tranches.error());
      view.tranches = std::move(*tranches);
      auto notes = tx.NotesOf(view.activity.id);
      if (!notes) return std::unexpected(notes.error());
      const size_t skip = notes->size() > kMaxNotes ? notes->size() - kMaxNotes : 0;
      view.notes.assign(notes->begin() + static_cast<std::ptrdiff_t>(skip), notes->end());
      auto complaints = tx.ComplaintCountOf(view.activity.id);
      if (!complaints) return std::unexpected(complaints.error());
      view.complaints = *complaints;
      activities.push_back(std::move(view));
    }
    auto upcoming = tx.UpcomingMeetings(now);
    if (!upcoming) return std::unexpected(upcoming.error());
    for (auto& m : *upcoming) {
      // The desa's own meetings and those of its kecamatan.
      if (m.area != code && m.area != area.code) continue;
      if (meetings.size() >= kMaxMeetings) break;
      meetings.push_back(std::move(m));
    }
    const storage::ReportScope scope{{code}, 0, now + 1, now};
    auto p = tx.ProposalCounts(scope);
    if (!p) return std::unexpected(p.error());
    proposals = std::move(*p);
    auto c = tx.ComplaintCounts(scope);
    if (!c) return std::unexpected(c.error());
    complaints = std::move(*c);
    return {};
  });
  if (!read) return std::unexpected(read.error());

  const std::string title = Label("papan.title") + " " + EscapeMarkup(desa_name);
  std::string body = "<header><nav><a href=\"/papan/\">" + Label("papan.all_desa") +
                     "</a></nav><h1>" + title + "</h1><p class=\"meta\">" +
                     EscapeMarkup(area.name) + " &middot; " + Label("papan.updated") + " " +
                     EscapeMarkup(dialogs::FormatDateTime(dialogs_, now, offset, zone, "id")) +
                     "</p></header><main>";

  // Activities: what staff recorded for the public. The TPK is not shown
  // (a team's label may name its members), nor who wrote a note.
  body += "<section id=\"kegiatan\"><h2>" + Label("papan.activities") + "</h2>";
  if (activities.empty()) body += "<p>" + Label("papan.activities_none") + "</p>";
  for (const auto& view : activities) {
    const storage::Activity& a = view.activity;
    const int progress = std::clamp(a.progress, 0, 100);
    body += "<article class=\"act\" id=\"usl-" + std::to_string(a.case_number) + "\"><h3>" +
            Public(a.title) + " <span class=\"meta\">(USL-" + std::to_string(a.case_number) +
            ")</span></h3><table>";
    if (!a.location.empty()) {
      body += "<tr><th>" + Label("papan.activity_location") + "</th>" + Td(Public(a.location)) +
              "</tr>";
    }
    body += "<tr><th>" + Label("papan.activity_stage") + "</th>" +
            Td(Label("papan.stage." + a.stage)) + "</tr>";
    body += "<tr><th>" + Label("papan.budget_blm") + "</th>" +
            Td(EscapeMarkup(dialogs::FormatRupiah(a.budget_blm)), true) + "</tr>";
    body += "<tr><th>" + Label("papan.budget_swadaya") + "</th>" +
            Td(EscapeMarkup(dialogs::FormatRupiah(a.budget_swadaya)), true) + "</tr>";
    body += "<tr><th>" + Label("papan.budget_total") + "</th>" +
            Td(EscapeMarkup(dialogs::FormatRupiah(a.budget_blm + a.budget_swadaya)), true) + "</tr>";
    for (const auto& t : view.tranches) {
      body += "<tr><th>" +
              Label("papan.tranche", {{"tahap", t.tahap},
                                      {"date", dialogs::FormatDate(dialogs_, t.released_at, offset,
                                                                   "id")}}) +
              "</th>" + Td(EscapeMarkup(dialogs::FormatRupiah(t.amount)), true) + "</tr>";
    }
    if (view.complaints > 0) {
      body += "<tr><th>" + Label("papan.activity_complaints") + "</th>" +
              Td(EscapeMarkup(ShowCount(view.complaints)), true) + "</tr>";
    }
    body += "</table><p>" + Label("papan.activity_progress") + ": <strong>" +
            std::to_string(progress) + "%</strong><br><progress max=\"100\" value=\"" +
            std::to_string(progress) + "\">" + std::to_string(progress) + "%</progress></p>";
    if (!view.notes.empty()) {
      body += "<h4>" + Label("papan.notes") + "</h4><ul class=\"notes\">";
      for (const auto& n : view.notes) {
        body += "<li><span class=\"meta\">" +
                EscapeMarkup(dialogs::FormatDate(dialogs_, n.at, offset, "id")) + " &middot; " +
                std::to_string(std::clamp(n.progress, 0, 100)) + "%</span> " + Public(n.note) +
                "</li>";
      }
      body += "</ul>";
    }
    body += "</article>";
  }
  body += "</section>";

  // Meetings: what, which forum, when, where; never who is invited.
  body += "<section id=\"pertemuan\"><h2>" + Label("papan.meetings") + "</h2>";
  if (meetings.empty()) {
    body += "<p>" + Label("papan.meetings_none") + "</p>";
  } else {
    body += "<div class=\"scroll\"><table><thead><tr><th>" + Label("papan.meeting_title") +
            "</th><th>" +
            Label("papan.meeting_forum") + "</th><th>" + Label("papan.meeting_when") +
            "</th><th>" + Label("papan.meeting_place") + "</th></tr></thead><tbody>";
    for (const auto& m : meetings) {
      body += "<tr>" + Td(Public(m.title)) + Td(Label("papan.forum." + m.forum)) +
              Td(EscapeMarkup(dialogs::FormatDateTime(dialogs_, m.starts_at, m.utc_offset_minutes,
                                                    "", "id"))) +
              Td(Public(m.place)) + "</tr>";
    }
    body += "</tbody></table></div>";
  }
  body += "</section>";

  // A count table: rows by forum or category, columns by status.
  auto count_table = [&](const std::vector<std::string>& row_ids, const std::string& row_prefix,
                         const std::vector<std::string>& statuses,
                         const std::map<std::string, std::map<std::string, int64_t>>& counts,
                         const std::string& row_heading) {
    std::vector<std::string> rows;
    CountTable table;
    for (const auto& id : row_ids) {
      auto it = counts.find(id);
      if (it == counts.end()) continue;
      std::vector<int64_t> cells;
      for (const auto& s : statuses) {
        auto c = it->second.find(s);
        cells.push_back(c == it->second.end() ? 0 : c->second);
      }
      rows.push_back(id);
      table.cells.push_back(std::move(cells));
    }
    if (rows.empty()) return "<p>" + Label("papan.none_yet") + "</p>";
    const ShownTable shown = Show(table);
    std::string out = "<div class=\"scroll\"><table><thead><tr><th>" + row_heading + "</th>";
    for (const auto& s : statuses) out += "<th class=\"n\">" + Label("case_status." + s) + "</th>";
    out += "<th class=\"n\">" + Label("papan.total") + "</th></tr></thead><tbody>";
    for (size_t r = 0; r < rows.size(); ++r) {
      out += "<tr><th>" + Label(row_prefix + rows[r]) + "</th>";
      for (const auto& cell : shown.cells[r]) out += Td(EscapeMarkup(cell), true);
      out += Td(EscapeMarkup(shown.row_totals[r]), true) + "</tr>";
    }
    out += "</tbody><tfoot><tr><th>" + Label("papan.total") + "</th>";
    for (const auto& t : shown.column_totals) out += Td(EscapeMarkup(t), true);
    out += Td(EscapeMarkup(shown.total), true) + "</tr></tfoot></table></div>";
    return out;
  };
  // The statuses of a case type in workflow order, then any other seen.
  auto statuses_of = [](storage::CaseType type, const auto& rows) {
    std::vector<std::string> out = desk::StatusesOf(type);
    for (const auto& row : rows) {
      if (std::find(out.begin(), out.end(), row.status) == out.end()) out.push_back(row.status);
    }
    return out;
  };

  {
    std::map<std::string, std::map<std::string, int64_t>> counts;
    for (const auto& p : proposals) counts[RowOf(p.forum, kForums)][p.status] += p.count;
    std::vector<std::string> rows = kForums;
    rows.push_back("none");
    rows.push_back("other");
    body += "<section id=\"usulan\"><h2>" + Label("papan.proposals") + "</h2>" +
            count_table(rows, "papan.forum.", statuses_of(storage::CaseType::kUsulan, proposals),
                        counts, Label("papan.forum_heading")) +
            "</section>";
  }
  {
    std::map<std::string, std::map<std::string, int64_t>> counts;
    int64_t due = 0, on_time = 0;
    for (const auto& c : complaints) {
      counts[RowOf(c.category, kCategories)][c.status] += c.count;
      due += c.due;
      on_time += c.answered_on_time;
    }
    std::vector<std::string> rows = kCategories;
    rows.push_back("none");
    rows.push_back("other");
    body += "<section id=\"pengaduan\"><h2>" + Label("papan.complaints") + "</h2>" +
            count_table(rows, "papan.category.",
                        statuses_of(storage::CaseType::kPengaduan, complaints), counts,
                        Label("papan.category_heading"));
    if (due > 0) {
      const std::optional<int> share = ShowShare(on_time, due);
      body += "<p id=\"tepat-waktu\">" + Label("papan.on_time") + ": <strong>" +
              (share ? std::to_string(*share) + "%" : std::string(kWithheld)) +
              "</strong></p>";
    }
    body += "</section>";
  }

  body += "</main><footer><p>" + Label("papan.small_counts_note") + "</p></footer>";
  return Page(title, body);
}

}  // namespace suaradesa::papan
