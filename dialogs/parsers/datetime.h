// Dates and times as people write them, relative to "now" in the area's
// time zone (DOMAIN.md section 5): "besok jam 9", "lusa", "Senin depan",
// "tgl 4", "4/12", "4/12/2026", "4 Desember", "kemarin", "minggu lalu",
// "jam 9.30", "jam 7 malam", "jam sembilan setengah" (09.30),
// "jam setengah sepuluh" (also 09.30).
//
// "Minggu" is Sunday, except in "minggu depan/lalu/ini" (a week) unless
// written "hari minggu". A weekday alone means its next occurrence (today
// included); with "depan" the next one after today; with "lalu"/"kemarin"
// the last one before today. "tgl 4" is the 4th of this month.
//
// Results: kOk with what was found; kUnclear when the text names a time
// that cannot be placed on the clock ("ba'da Isya", "habis maghrib",
// "nanti sore") or a date that does not exist ("31/2"); kNone when there is
// no date or time at all.
//
// Thread safety: pure.
#ifndef SUARADESA_DIALOGS_PARSERS_DATETIME_H_
#define SUARADESA_DIALOGS_PARSERS_DATETIME_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace suaradesa::dialogs {

struct ParsedDateTime {
  enum class Status { kNone, kOk, kUnclear };
  Status status = Status::kNone;
  bool has_date = false;
  bool has_time = false;
  int year = 0, month = 0, day = 0;  // local date (today if only a time)
  int hour = 0, minute = 0;          // local time (00.00 if only a date)
  int64_t unix_ms = 0;               // the local date and time as unix ms

  // "2026-12-04" and "09:30" (empty if not found).
  std::string IsoDate() const;
  std::string IsoTime() const;
};

ParsedDateTime ParseDateTime(std::string_view text, int64_t now_ms,
                             int utc_offset_minutes);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_DATETIME_H_
