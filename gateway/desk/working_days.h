// Working days: Monday to Friday, minus configured holidays, counted in the
// local time of the area a case belongs to (Indonesia has no daylight
// saving, so a fixed UTC offset is exact).
#ifndef SUARADESA_GATEWAY_DESK_WORKING_DAYS_H_
#define SUARADESA_GATEWAY_DESK_WORKING_DAYS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace suaradesa::desk {

class WorkingDays {
 public:
  // holidays: "YYYY-MM-DD"; malformed entries are ignored (config checks them).
  WorkingDays(const std::vector<std::string>& holidays, int utc_offset_minutes);

  // The same local time of day, `n` working days after `start_ms` (n >= 0).
  int64_t Add(int64_t start_ms, int n) const;
  // The same local time of day, `n` working days before `end_ms`.
  int64_t Subtract(int64_t end_ms, int n) const;
  bool IsWorkingDay(int64_t ms) const;

 private:
  bool IsWorkingLocalDay(int64_t day) const;

  std::vector<int64_t> holidays_;  // local day numbers since 1970-01-01, sorted
  const int64_t offset_ms_;
};

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
int64_t DaysFromCivil(int year, unsigned month, unsigned day);

}  // namespace suaradesa::desk

#endif  // SUARADESA_GATEWAY_DESK_WORKING_DAYS_H_
