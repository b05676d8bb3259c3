#include "gateway/reports/participation.h"

#include <algorithm>
#include <ctime>

#include "gateway/csv.h"

namespace suaradesa::reports {

namespace {

using nlohmann::json;

constexpr int64_t kMinuteMs = 60 * 1000;

// Unix ms of 00:00 UTC on the day.
int64_t UtcMidnight(int year, int month, int day) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

bool Digits(const std::string& s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// The median of sorted values (the lower middle one of an even count, so
// that it is always a wait that happened).
std::optional<int64_t> Median(const std::vector<int64_t>& sorted) {
  if (sorted.empty()) return std::nullopt;
  return sorted[(sorted.size() - 1) / 2];
}

storage::Result<Figures> Count(storage::ReportTx& tx, const storage::ReportScope& scope) {
  Figures f;
  auto residents = tx.ResidentCounts(scope);
  if (!residents) return std::unexpected(residents.error());
  for (const auto& r : *residents) {
    if (r.place.empty() && r.channel_id.empty()) {
      f.residents = r.contacts;
    } else if (r.place.empty()) {
      f.residents_by_channel.push_back({r.channel_id, r.contacts});
    } else {
      if (f.residents_by_place.empty() || f.residents_by_place.back().place != r.place) {
        f.residents_by_place.push_back({r.place, 0, {}});
      }
      if (r.channel_id.empty()) {
        f.residents_by_place.back().contacts = r.contacts;
      } else {
        f.residents_by_place.back().by_channel.push_back({r.channel_id, r.contacts});
      }
    }
  }

  auto proposals = tx.ProposalCounts(scope);
  if (!proposals) return std::unexpected(proposals.error());
  std::map<std::string, ForumFigure> forums;
  for (const auto& p : *proposals) {
    f.proposals += p.count;
    f.women_beneficiaries += p.women;
    if (IsWomensForum(p.forum)) f.womens_forum_proposals += p.count;
    f.proposals_by_status[p.status] += p.count;
    ForumFigure& forum = forums[p.forum];
    forum.forum = p.forum;
    forum.proposals += p.count;
    forum.women += p.women;
  }
  for (auto& [name, forum] : forums) f.proposals_by_forum.push_back(forum);

  auto invitations = tx.InvitationCounts(scope);
  if (!invitations) return std::unexpected(invitations.error());
  for (const auto& i : *invitations) {
    f.meetings_by_group.push_back({i.group_code, i.place, i.meetings, i.invited, i.hadir, i.tidak});
    f.meetings_invited += i.invited;
    f.rsvp_hadir += i.hadir;
    f.rsvp_tidak += i.tidak;
  }

  auto complaints = tx.ComplaintCounts(scope);
  if (!complaints) return std::unexpected(complaints.error());
  std::map<std::string, CategoryFigure> categories;
  for (const auto& c : *complaints) {
    f.complaints += c.count;
    f.complaints_answered += c.answered;
    f.complaints_due += c.due;
    f.complaints_on_time += c.answered_on_time;
    f.complaints_by_status[c.status] += c.count;
    CategoryFigure& cat = categories[c.category];
    cat.category = c.category;
    cat.complaints += c.count;
    cat.answered += c.answered;
    cat.due += c.due;
    cat.on_time += c.answered_on_time;
  }
  auto waits = tx.AnswerTimes(scope);
  if (!waits) return std::unexpected(waits.error());
  std::vector<int64_t> all;
  std::map<std::string, std::vector<int64_t>> by_category;
  for (const auto& w : *waits) {  // shortest first
    all.push_back(w.wait_ms);
    by_category[w.category].push_back(w.wait_ms);
  }
  f.median_wait_ms = Median(all);
  for (auto& [name, cat] : categories) {
    cat.median_wait_ms = Median(by_category[name]);
    f.complaints_by_category.push_back(cat);
  }
  return f;
}

// A share as a fraction 0..1 rounded to 3 places, or null without a base.
json Share(int64_t part, int64_t whole) {
  if (whole <= 0) return nullptr;
  return static_cast<double>(part * 1000 / whole) / 1000.0;
}

json Hours(const std::optional<int64_t>& ms) {
  if (!ms) return nullptr;
  return static_cast<double>(*ms / (6 * kMinuteMs)) / 10.0;  // one decimal
}

json FiguresJson(const Figures& f, const std::function<std::string(const std::string&)>& name) {
  json residents_by_place = json::array();
  for (const auto& p : f.residents_by_place) {
    json channels = json::object();
    for (const auto& c : p.by_channel) channels[c.channel] = c.contacts;
    residents_by_place.push_back(
        {{"place", p.place}, {"name", name(p.place)}, {"residents", p.contacts},
         {"by_channel", channels}});
  }
  json residents_by_channel = json::object();
  for (const auto& c : f.residents_by_channel) residents_by_channel[c.channel] = c.contacts;

  json forums = json::array();
  for (const auto& p : f.proposals_by_forum) {
    forums.push_back({{"forum", p.forum},
                      {"womens_forum", IsWomensForum(p.forum)},
                      {"proposals", p.proposals},
                      {"women_beneficiaries", p.women}});
  }
  json groups = json::array();
  for (const auto& g : f.meetings_by_group) {
    groups.push_back({{"group", g.group},
                      {"place", g.place},
                      {"name", name(g.place)},
                      {"meetings", g.meetings},
                      {"invited", g.invited},
                      {"hadir", g.hadir},
                      {"tidak", g.tidak},
                      {"no_answer", g.invited - g.hadir - g.tidak}});
  }
  json categories = json::array();
  for (const auto& c : f.complaints_by_category) {
    categories.push_back({{"category", c.category},
                          {"complaints", c.complaints},
                          {"answered", c.answered},
                          {"due", c.due},
                          {"on_time", c.on_time},
                          {"on_time_rate", Share(c.on_time, c.due)},
                          {"median_hours_to_answer", Hours(c.median_wait_ms)}});
  }
  return {
      {"residents",
       {{"total", f.residents},
        {"by_channel", residents_by_channel},
        {"by_place", residents_by_place}}},
      {"proposals",
       {{"total", f.proposals},
        {"womens_forums", f.womens_forum_proposals},
        {"womens_forum_share", Share(f.womens_forum_proposals, f.proposals)},
        {"women_beneficiaries", f.women_beneficiaries},
        {"by_forum", forums},
        {"by_status", f.proposals_by_status}}},
      {"meetings",
       {{"invited", f.meetings_invited},
        {"hadir", f.rsvp_hadir},
        {"tidak", f.rsvp_tidak},
        {"no_answer", f.meetings_invited - f.rsvp_hadir - f.rsvp_tidak},
        // Only RSVPs are recorded; who actually came is not (null, not 0).
        {"attended", nullptr},
        {"by_group", groups}}},
      {"complaints",
       {{"total", f.complaints},
        {"answered", f.complaints_answered},
        {"due", f.complaints_due},
        {"on_time", f.complaints_on_time},
        {"on_time_rate", Share(f.complaints_on_time, f.complaints_due)},
        {"median_hours_to_answer", Hours(f.median_wait_ms)},
        {"by_category", categories},
        {"by_status", f.complaints_by_status}}},
  };
}

void CsvRows(std::string& out, const std::string& month, const Figures& f) {
  auto row = [&](const std::string& section, const std::string& key, const std::string& detail,
                 const std::string& value) {
    out += CsvField(month) + "," + CsvField(section) + "," + CsvField(key) + "," +
           CsvField(detail) + "," + value + "\r\n";
  };
  auto n = [](int64_t v) { return std::to_string(v); };
  auto hours = [](const std::optional<int64_t>& ms) {
    return ms ? std::to_string(*ms / (6 * kMinuteMs) / 10) + "." +
                    std::to_string(*ms / (6 * kMinuteMs) % 10)
              : std::string();
  };
  row("residents", "total", "", n(f.residents));
  for (const auto& c : f.residents_by_channel) row("residents", "channel", c.channel, n(c.contacts));
  for (const auto& p : f.residents_by_place) {
    row("residents", "desa", p.place, n(p.contacts));
    for (const auto& c : p.by_channel) {
      row("residents", "desa_channel", p.place + "/" + c.channel, n(c.contacts));
    }
  }
  row("proposals", "total", "", n(f.proposals));
  row("proposals", "womens_forums", "", n(f.womens_forum_proposals));
  row("proposals", "women_beneficiaries", "", n(f.women_beneficiaries));
  for (const auto& p : f.proposals_by_forum) {
    row("proposals", "forum", p.forum, n(p.proposals));
    row("proposals", "forum_women_beneficiaries", p.forum, n(p.women));
  }
  for (const auto& [status, count] : f.proposals_by_status) {
    row("proposals", "status", status, n(count));
  }
  row("meetings", "invited", "", n(f.meetings_invited));
  row("meetings", "hadir", "", n(f.rsvp_hadir));
  row("meetings", "tidak", "", n(f.rsvp_tidak));
  for (const auto& g : f.meetings_by_group) {
    row("meetings", "group_meetings", g.group, n(g.meetings));
    row("meetings", "group_invited", g.group, n(g.invited));
    row("meetings", "group_hadir", g.group, n(g.hadir));
    row("meetings", "group_tidak", g.group, n(g.tidak));
  }
  row("complaints", "total", "", n(f.complaints));
  row("complaints", "answered", "", n(f.complaints_answered));
  row("complaints", "due", "", n(f.complaints_due));
  row("complaints", "on_time", "", n(f.complaints_on_time));
  row("complaints", "median_hours_to_answer", "", hours(f.median_wait_ms));
  for (const auto& c : f.complaints_by_category) {
    row("complaints", "category", c.category, n(c.complaints));
    row("complaints", "category_due", c.category, n(c.due));
    row("complaints", "category_on_time", c.category, n(c.on_time));
    row("complaints", "category_median_hours_to_answer", c.category, hours(c.median_wait_ms));
  }
  for (const auto& [status, count] : f.complaints_by_status) {
    row("complaints", "status", status, n(count));
  }
}

}  // namespace

bool IsWomensForum(const std::string& forum) { return forum == "mkp" || forum == "spp"; }

std::optional<int64_t> LocalBoundary(const std::string& text, int utc_offset_minutes, bool end) {
  const bool month_only = text.size() == 7;
  if (!(month_only || text.size() == 10) || !Digits(text, 0, 4) || text[4] != '-' ||
      !Digits(text, 5, 2)) {
    return std::nullopt;
  }
  if (!month_only && (text[7] != '-' || !Digits(text, 8, 2))) return std::nullopt;
  const int year = std::stoi(text.substr(0, 4));
  const int month = std::stoi(text.substr(5, 2));
  const int day = month_only ? 1 : std::stoi(text.substr(8, 2));
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  // timegm normalises: day 31 of a 30-day month would become the 1st of
  // the next; refuse it instead.
  const int64_t start = UtcMidnight(year, month, day);
  std::time_t t = static_cast<std::time_t>(start / 1000);
  std::tm check{};
  gmtime_r(&t, &check);
  if (check.tm_mday != day) return std::nullopt;
  int64_t at = start;
  if (end) {
    at = month_only ? (month == 12 ? UtcMidnight(year + 1, 1, 1) : UtcMidnight(year, month + 1, 1))
                    : start + 24LL * 3600 * 1000;
  }
  return at - static_cast<int64_t>(utc_offset_minutes) * kMinuteMs;
}

std::string LocalMonth(int64_t ms, int utc_offset_minutes) {
  std::time_t t = static_cast<std::time_t>(
      (ms + static_cast<int64_t>(utc_offset_minutes) * kMinuteMs) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const int month = tm.tm_mon + 1;
  return std::to_string(tm.tm_year + 1900) + (month < 10 ? "-0" : "-") + std::to_string(month);
}

storage::Result<Report> BuildReport(storage::Store& store, const ReportRequest& request) {
  const int offset = request.utc_offset_minutes;
  auto from = LocalBoundary(request.from, offset, false);
  auto to = LocalBoundary(request.to, offset, true);
  if (!from || !to) {
    return std::unexpected(
        storage::Error::Invalid("from and to must be months (2026-11) or days (2026-11-23)"));
  }
  if (*to <= *from) return std::unexpected(storage::Error::Invalid("to is before from"));
  Report report;
  report.area = request.area;
  report.from = request.from;
  report.to = request.to;
  report.utc_offset_minutes = offset;
  // The months the span touches, each clipped to the span.
  for (int64_t at = *from; at < *to;) {
    const std::string month = LocalMonth(at, offset);
    const int64_t month_end = *LocalBoundary(month, offset, true);
    report.months.push_back({month, at, std::min(month_end, *to), {}});
    at = month_end;
    if (static_cast<int>(report.months.size()) > kMaxMonths) {
      return std::unexpected(storage::Error::Invalid(
          "a report covers at most " + std::to_string(kMaxMonths) + " months"));
    }
  }
  storage::Status read = store.Read([&](storage::Tx& tx) -> storage::Status {
    storage::ReportScope scope{request.area_prefixes, *from, *to, request.now};
    auto total = Count(tx, scope);
    if (!total) return std::unexpected(total.error());
    report.total = std::move(*total);
    for (auto& m : report.months) {
      scope.from = m.from;
      scope.to = m.to;
      auto figures = Count(tx, scope);
      if (!figures) return std::unexpected(figures.error());
      m.figures = std::move(*figures);
    }
    return {};
  });
  if (!read) return std::unexpected(read.error());
  return report;
}

json ToJson(const Report& report, const std::function<std::string(const std::string&)>& name) {
  json months = json::array();
  for (const auto& m : report.months) {
    json f = FiguresJson(m.figures, name);
    f["month"] = m.month;
    months.push_back(std::move(f));
  }
  return {{"area", report.area},
          {"from", report.from},
          {"to", report.to},
          {"utc_offset_minutes", report.utc_offset_minutes},
          {"total", FiguresJson(report.total, name)},
          {"months", months}};
}

std::string ToCsv(const Report& report) {
  std::string out = "month,section,key,detail,value\r\n";
  CsvRows(out, "", report.total);
  for (const auto& m : report.months) CsvRows(out, m.month, m.figures);
  return out;
}

}  // namespace suaradesa::reports
