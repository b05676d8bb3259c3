#include "dialogs/format.h"

#include <cstdio>

#include "dialogs/engine.h"

namespace suaradesa::dialogs {
namespace {

constexpr int64_t kMsPerDay = 24LL * 3600 * 1000;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

nlohmann::json DateParams(const Dialogs& dialogs, const CivilTime& t,
                          const std::string& language) {
  nlohmann::json params = nlohmann::json::object();
  params["weekday"] =
      dialogs.Render("date.weekday." + std::to_string(t.weekday),
                     nlohmann::json::object(), language)
          .text;
  params["day"] = std::to_string(t.day);
  params["month"] = dialogs.Render("date.month." + std::to_string(t.month),
                                   nlohmann::json::object(), language)
                        .text;
  params["year"] = std::to_string(t.year);
  params["time"] = FormatClock(t.hour, t.minute);
  return params;
}

}  // namespace

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(int year, int month, int day) {
  int64_t y = year - (month <= 2 ? 1 : 0);
  int64_t era = FloorDiv(y, 400);
  int64_t yoe = y - era * 400;
  int64_t mp = (month + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilTime CivilFromDays(int64_t days) {
  int64_t z = days + 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  CivilTime t;
  t.year = static_cast<int>(y + (m <= 2 ? 1 : 0));
  t.month = static_cast<int>(m);
  t.day = static_cast<int>(d);
  // 1970-01-01 was a Thursday (4).
  t.weekday = static_cast<int>(((days % 7) + 7 + 3) % 7) + 1;
  return t;
}

CivilTime CivilFromUnixMs(int64_t unix_ms, int utc_offset_minutes) {
  int64_t local = unix_ms + static_cast<int64_t>(utc_offset_minutes) * 60000;
  int64_t days = FloorDiv(local, kMsPerDay);
  int64_t ms_of_day = local - days * kMsPerDay;
  CivilTime t = CivilFromDays(days);
  t.hour = static_cast<int>(ms_of_day / 3600000);
  t.minute = static_cast<int>((ms_of_day / 60000) % 60);
  return t;
}

int64_t UnixMsFromCivil(const CivilTime& local, int utc_offset_minutes) {
  int64_t days = DaysFromCivil(local.year, local.month, local.day);
  return days * kMsPerDay + (local.hour * 60LL + local.minute) * 60000 -
         static_cast<int64_t>(utc_offset_minutes) * 60000;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::string ZoneAbbrev(int utc_offset_minutes) {
  if (utc_offset_minutes == 420) return "WIB";
  if (utc_offset_minutes == 480) return "WITA";
  if (utc_offset_minutes == 540) return "WIT";
  char buf[16];
  int a = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d",
                utc_offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

std::string FormatClock(int hour, int minute) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d.%02d", hour % 100, minute % 100);
  return buf;
}

std::string FormatDateTime(const Dialogs& dialogs, int64_t unix_ms,
                           int utc_offset_minutes, std::string_view zone_abbrev,
                           const std::string& language) {
  CivilTime t = CivilFromUnixMs(unix_ms, utc_offset_minutes);
  nlohmann::json params = DateParams(dialogs, t, language);
  params["zone"] = zone_abbrev.empty() ? ZoneAbbrev(utc_offset_minutes)
                                       : std::string(zone_abbrev);
  return dialogs.Render("date.datetime", params, language).text;
}

std::string FormatDate(const Dialogs& dialogs, int64_t unix_ms,
                       int utc_offset_minutes, const std::string& language) {
  CivilTime t = CivilFromUnixMs(unix_ms, utc_offset_minutes);
  return dialogs.Render("date.date", DateParams(dialogs, t, language), language)
      .text;
}

}  // namespace suaradesa::dialogs
