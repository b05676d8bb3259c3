// Date and money formatting, and local time conversions.
#include "dialogs/format.h"

#include <catch2/catch.hpp>

#include "dialogs/engine.h"

namespace suaradesa::dialogs {
namespace {

std::unique_ptr<Dialogs> Load() {
  auto dialogs = LoadDialogs(EmbeddedSources(), Options{});
  REQUIRE(dialogs.has_value());
  return std::move(*dialogs);
}

TEST_CASE("Format: dates in the area's zone and the contact's language",
          "[dialogs][format]") {
  auto dialogs = Load();
  // 2026-11-23 01:00 UTC is 09.00 WITA on a Monday (DOMAIN.md section 5).
  constexpr int64_t kMs = 1795395600000;
  static const struct {
    int offset;
    const char* zone;
    const char* language;
    const char* want;
  } cases[] = {
      {480, "", "id", "Senin, 23 November 2026 pukul 09.00 WITA"},
      {420, "", "id", "Senin, 23 November 2026 pukul 08.00 WIB"},
      {540, "", "id", "Senin, 23 November 2026 pukul 10.00 WIT"},
      {480, "", "en", "Monday, 23 November 2026 at 09.00 WITA"},
      {480, "", "jv", "Senin, 23 November 2026 jam 09.00 WITA"},
      {-60, "", "id", "Senin, 23 November 2026 pukul 00.00 UTC-01:00"},
      {-120, "XYZ", "id", "Minggu, 22 November 2026 pukul 23.00 XYZ"},
  };
  for (const auto& c : cases) {
    INFO(c.offset << " " << c.language);
    CHECK(FormatDateTime(*dialogs, kMs, c.offset, c.zone, c.language) ==
          c.want);
  }
  CHECK(FormatDate(*dialogs, kMs, 480, "id") == "Senin, 23 November 2026");
}

TEST_CASE("Format: civil time round trips", "[dialogs][format]") {
  for (int64_t days : {-1000LL, 0LL, 59LL, 10957LL, 20415LL, 50000LL}) {
    CivilTime t = CivilFromDays(days);
    INFO(days);
    CHECK(DaysFromCivil(t.year, t.month, t.day) == days);
  }
  CivilTime t = CivilFromUnixMs(1795395600000, 480);
  CHECK(t.year == 2026);
  CHECK(t.month == 11);
  CHECK(t.day == 23);
  CHECK(t.hour == 9);
  CHECK(t.weekday == 1);
  CHECK(UnixMsFromCivil(t, 480) == 1795395600000);
  CHECK(DaysInMonth(2028, 2) == 29);
  CHECK(DaysInMonth(2026, 2) == 28);
  CHECK(ZoneAbbrev(420) == "WIB");
}

TEST_CASE("Format: rupiah", "[dialogs][format]") {
  CHECK(FormatRupiah(5000000) == "Rp5.000.000");
  CHECK(FormatRupiah(1200000000) == "Rp1.200.000.000");
  CHECK(FormatRupiah(999) == "Rp999");
}

}  // namespace
}  // namespace suaradesa::dialogs
