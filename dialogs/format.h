// Pure formatting helpers for what the dialogs and the gateway show people:
// dates as "Senin, 23 November 2026 pukul 09.00 WITA" and money as
// "Rp5.000.000" (DOMAIN.md section 5). Day and month names come from the
// locale catalogue (keys date.weekday.1..7, date.month.1..12,
// date.datetime, date.date), so no language lives in code.
//
// Thread safety: all functions are pure.
#ifndef SUARADESA_DIALOGS_FORMAT_H_
#define SUARADESA_DIALOGS_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "dialogs/parsers/rupiah.h"  // FormatRupiah(int64_t) -> "Rp5.000.000"

namespace suaradesa::dialogs {

class Dialogs;

// A local calendar date and time.
struct CivilTime {
  int year = 1970;
  int month = 1;    // 1..12
  int day = 1;      // 1..31
  int hour = 0;
  int minute = 0;
  int weekday = 4;  // 1 = Monday .. 7 = Sunday
};

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int year, int month, int day);
CivilTime CivilFromDays(int64_t days);

// Unix milliseconds to local time at `utc_offset_minutes` (420 = WIB).
CivilTime CivilFromUnixMs(int64_t unix_ms, int utc_offset_minutes);
// Local time at `utc_offset_minutes` to unix milliseconds.
int64_t UnixMsFromCivil(const CivilTime& local, int utc_offset_minutes);

// Number of days in a month.
int DaysInMonth(int year, int month);

// "WIB" for +07:00, "WITA" for +08:00, "WIT" for +09:00, else "UTC+hh:mm".
std::string ZoneAbbrev(int utc_offset_minutes);

// "Senin, 23 November 2026 pukul 09.00 WITA" in `language` (falls back to
// id). An empty `zone_abbrev` uses ZoneAbbrev(utc_offset_minutes).
std::string FormatDateTime(const Dialogs& dialogs, int64_t unix_ms,
                           int utc_offset_minutes, std::string_view zone_abbrev,
                           const std::string& language);

// "Senin, 23 November 2026".
std::string FormatDate(const Dialogs& dialogs, int64_t unix_ms,
                       int utc_offset_minutes, const std::string& language);

// "09.00".
std::string FormatClock(int hour, int minute);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_FORMAT_H_
