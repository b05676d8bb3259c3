// Participation figures for facilitators: who took part and how, month by
// month, over a set of areas (the programme's own measures: participation,
// women's participation, transparency).
//
//   residents   distinct contacts with an inbound message, by desa and channel
//   proposals   by forum; those from the women's forums (MKP, SPP) and the
//               women beneficiaries the proposals name
//   meetings    invitations and RSVPs (hadir / tidak) by invited group
//   complaints  by category; median wait for the first answer and the share
//               answered within the desk's deadline
//
// Months are calendar months in the area's own zone (WIB, WITA, WIT). The
// figures of the whole span are counted over the span, not summed from the
// months: a resident who wrote in two months is one resident of the span.
// Counts are exact: the report is for staff (the public board,
// gateway/papan/, hides small counts).
//
// Built from ReportTx's read-only counts (storage/tx.h); no figure names or
// points at a person. Thread safety: free functions, safe from any thread.
#ifndef SUARADESA_GATEWAY_REPORTS_PARTICIPATION_H_
#define SUARADESA_GATEWAY_REPORTS_PARTICIPATION_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/config.h"
#include "storage/store.h"

namespace suaradesa::reports {

// The forums whose proposals count as women's: MKP (Musyawarah Khusus
// Perempuan) and SPP (Simpan Pinjam kelompok Perempuan) groups.
bool IsWomensForum(const std::string& forum);

struct ChannelCount {
  std::string channel;
  int64_t contacts = 0;
};

struct PlaceResidents {
  std::string place;                  // desa code (an area code for cases not placed yet)
  int64_t contacts = 0;
  std::vector<ChannelCount> by_channel;
};

struct ForumFigure {
  std::string forum;                  // "" when the proposal named none
  int64_t proposals = 0;
  int64_t women = 0;                  // women beneficiaries named
};

struct GroupFigure {
  std::string group;
  std::string place;
  int64_t meetings = 0;
  int64_t invited = 0;
  int64_t hadir = 0;
  int64_t tidak = 0;
};

struct CategoryFigure {
  std::string category;               // "" when the complaint has none
  int64_t complaints = 0;
  int64_t answered = 0;
  int64_t due = 0;                    // deadlines settled (answered, or passed)
  int64_t on_time = 0;
  std::optional<int64_t> median_wait_ms;  // none when nothing was answered
};

struct Figures {
  int64_t residents = 0;
  std::vector<ChannelCount> residents_by_channel;
  std::vector<PlaceResidents> residents_by_place;

  int64_t proposals = 0;
  int64_t womens_forum_proposals = 0;
  int64_t women_beneficiaries = 0;
  std::vector<ForumFigure> proposals_by_forum;
  std::map<std::string, int64_t> proposals_by_status;

  int64_t meetings_invited = 0;       // invitations, every group together
  int64_t rsvp_hadir = 0;
  int64_t rsvp_tidak = 0;
  std::vector<GroupFigure> meetings_by_group;

  int64_t complaints = 0;
  int64_t complaints_answered = 0;
  int64_t complaints_due = 0;
  int64_t complaints_on_time = 0;
  std::optional<int64_t> median_wait_ms;
  std::vector<CategoryFigure> complaints_by_category;
  std::map<std::string, int64_t> complaints_by_status;
};

struct MonthFigures {
  std::string month;                  // "2026-11"
  int64_t from = 0;                   // [from, to) in unix ms
  int64_t to = 0;
  Figures figures;
};

// What to report on. `from` and `to` are local calendar months ("2026-09")
// or days ("2026-09-15"), both inclusive.
struct ReportRequest {
  std::vector<std::string> area_prefixes;  // empty: every area
  std::string area;                   // the area asked for, shown as is ("" = all)
  std::string from;
  std::string to;
  int utc_offset_minutes = 420;
  int64_t now = 0;
};

struct Report {
  std::string area;
  std::string from;                   // as asked
  std::string to;
  int utc_offset_minutes = 420;
  std::vector<MonthFigures> months;
  Figures total;
};

// "2026-11" or "2026-11-23" in a zone -> the unix ms where it starts (or,
// with `end`, where the month or day after it starts); nullopt when
// malformed.
std::optional<int64_t> LocalBoundary(const std::string& text, int utc_offset_minutes, bool end);
// The local calendar month ("2026-11") of a unix ms time.
std::string LocalMonth(int64_t ms, int utc_offset_minutes);

// Reads the figures. Error::Invalid when from/to are malformed, reversed,
// or span more than kMaxMonths months.
storage::Result<Report> BuildReport(storage::Store& store, const ReportRequest& request);
inline constexpr int kMaxMonths = 36;

// The report as typed JSON (gateway/desk/API.md, Reports). `place_name`
// names a desa or area code ("" when unknown).
nlohmann::json ToJson(const Report& report,
                      const std::function<std::string(const std::string&)>& place_name);

// The report as CSV (UTF-8, CRLF): one row per figure,
// "month,section,key,detail,value" where month is "" for the whole span.
std::string ToCsv(const Report& report);

}  // namespace suaradesa::reports

#endif  // SUARADESA_GATEWAY_REPORTS_PARTICIPATION_H_
