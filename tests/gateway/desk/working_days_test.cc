#include "gateway/desk/working_days.h"

#include <catch2/catch.hpp>

namespace suaradesa::desk {
namespace {

constexpr int64_t kHour = 3600LL * 1000;
// Monday 23 November 2026 at 09.00 in each zone.
constexpr int64_t kMonday9Wib = 1795399200000;
constexpr int64_t kMonday9Wita = kMonday9Wib - kHour;

int64_t Day(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d) * 24 * kHour; }

TEST_CASE("WorkingDays: weekends and holidays are skipped", "[desk]") {
  struct Case {
    const char* label;
    int64_t start;
    int n;
    std::vector<std::string> holidays;
    int offset_minutes;
    int64_t expected;
  } cases[] = {
      {"Mon + 3 = Thu", kMonday9Wib, 3, {}, 420, kMonday9Wib + 72 * kHour},
      {"Mon + 5 = next Mon", kMonday9Wib, 5, {}, 420, kMonday9Wib + 7 * 24 * kHour},
      {"Mon + 0 = Mon", kMonday9Wib, 0, {}, 420, kMonday9Wib},
      {"a holiday on Tue adds a day", kMonday9Wib, 3, {"2026-11-24"}, 420,
       kMonday9Wib + 4 * 24 * kHour},
      {"Fri + 1 = Mon", kMonday9Wib + 4 * 24 * kHour, 1, {}, 420, kMonday9Wib + 7 * 24 * kHour},
      {"Sat + 1 = Mon", kMonday9Wib + 5 * 24 * kHour, 1, {}, 420, kMonday9Wib + 7 * 24 * kHour},
      {"WITA Mon 09.00 + 1 = Tue 09.00 WITA", kMonday9Wita, 1, {}, 480, kMonday9Wita + 24 * kHour},
      // 23.30 WIB Friday is still Friday locally, though Friday 16.30 UTC.
      {"late Friday local + 1 = Monday", Day(2026, 11, 27) + 16 * kHour + 30 * 60000, 1, {}, 420,
       Day(2026, 11, 30) + 16 * kHour + 30 * 60000},
      {"malformed holiday ignored", kMonday9Wib, 1, {"2026-13-45", "x"}, 420,
       kMonday9Wib + 24 * kHour},
  };
  for (const auto& c : cases) {
    INFO(c.label);
    WorkingDays wd(c.holidays, c.offset_minutes);
    CHECK(wd.Add(c.start, c.n) == c.expected);
    if (c.n > 0 && wd.IsWorkingDay(c.start)) CHECK(wd.Subtract(c.expected, c.n) == c.start);
  }
}

TEST_CASE("WorkingDays: the day is the local day of the area", "[desk]") {
  // Sunday 22 Nov 2026 at 16.30 UTC is Monday 01.30 WIT but Sunday 23.30 WIB.
  const int64_t t = Day(2026, 11, 22) + 16 * kHour + 30 * 60000;
  CHECK_FALSE(WorkingDays({}, 420).IsWorkingDay(t));
  CHECK(WorkingDays({}, 540).IsWorkingDay(t));
}

}  // namespace
}  // namespace suaradesa::desk
