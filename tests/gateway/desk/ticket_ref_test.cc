// desk::ParseTicketRef: the desk reads tickets as the dialogs do.
#include <catch2/catch.hpp>

#include "gateway/desk/desk.h"

namespace suaradesa::desk {
namespace {

using storage::CaseType;

TEST_CASE("ParseTicketRef: the forms residents and staff write", "[desk]") {
  struct Want {
    const char* text;
    CaseType type;
    int64_t number;
  };
  for (const Want& w : {Want{"ADU-12", CaseType::kPengaduan, 12},
                        Want{"adu12", CaseType::kPengaduan, 12},
                        Want{"ADU 12", CaseType::kPengaduan, 12},
                        Want{"#usl-3", CaseType::kUsulan, 3},
                        Want{"USL-0007", CaseType::kUsulan, 7},
                        Want{"ADU-12?", CaseType::kPengaduan, 12}}) {
    INFO(w.text);
    CaseType type = CaseType::kUsulan;
    int64_t number = 0;
    REQUIRE(ParseTicketRef(w.text, &type, &number));
    CHECK(type == w.type);
    CHECK(number == w.number);
  }
}

TEST_CASE("ParseTicketRef: refuses what is not one whole ticket", "[desk]") {
  for (const char* text : {"", "ADU", "ADU-", "ADU-0", "XYZ-12", "ADU-12abc", "ADU-12 dan ADU-13",
                           "ADU-1234567890"}) {
    INFO(text);
    CaseType type = CaseType::kUsulan;
    int64_t number = 0;
    CHECK_FALSE(ParseTicketRef(text, &type, &number));
  }
}

}  // namespace
}  // namespace suaradesa::desk
