#include "gateway/desk/working_days.h"

#include <algorithm>
#include <cstdlib>

namespace suaradesa::desk {

namespace {
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

int64_t DaysFromCivil(int year, unsigned month, unsigned day) {
  // Howard Hinnant's days_from_civil.
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

WorkingDays::WorkingDays(const std::vector<std::string>& holidays, int utc_offset_minutes)
    : offset_ms_(static_cast<int64_t>(utc_offset_minutes) * 60 * 1000) {
  for (const auto& h : holidays) {
    if (h.size() != 10) continue;
    int y = std::atoi(h.substr(0, 4).c_str());
    int m = std::atoi(h.substr(5, 2).c_str());
    int d = std::atoi(h.substr(8, 2).c_str());
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31) continue;
    holidays_.push_back(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
  }
  std::sort(holidays_.begin(), holidays_.end());
}

bool WorkingDays::IsWorkingLocalDay(int64_t day) const {
  // 1970-01-01 was a Thursday: weekday 0 = Monday.
  const int64_t weekday = ((day % 7) + 7 + 3) % 7;
  if (weekday >= 5) return false;
  return !std::binary_search(holidays_.begin(), holidays_.end(), day);
}

bool WorkingDays::IsWorkingDay(int64_t ms) const {
  return IsWorkingLocalDay(FloorDiv(ms + offset_ms_, kDayMs));
}

int64_t WorkingDays::Add(int64_t start_ms, int n) const {
  const int64_t local = start_ms + offset_ms_;
  int64_t day = FloorDiv(local, kDayMs);
  const int64_t time_of_day = local - day * kDayMs;
  while (n > 0) {
    ++day;
    if (IsWorkingLocalDay(day)) --n;
  }
  return day * kDayMs + time_of_day - offset_ms_;
}

int64_t WorkingDays::Subtract(int64_t end_ms, int n) const {
  const int64_t local = end_ms + offset_ms_;
  int64_t day = FloorDiv(local, kDayMs);
  const int64_t time_of_day = local - day * kDayMs;
  while (n > 0) {
    --day;
    if (IsWorkingLocalDay(day)) --n;
  }
  return day * kDayMs + time_of_day - offset_ms_;
}

}  // namespace suaradesa::desk
