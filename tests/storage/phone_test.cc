// The E.164 normaliser every phone number passes when it enters
// (storage/phone.h).
#include "storage/phone.h"

#include <catch2/catch.hpp>

namespace suaradesa::phone {
namespace {

TEST_CASE("Phone: Indonesian numbers in every written form become +62...", "[storage][phone]") {
  static const struct {
    const char* text;
    const char* want;  // nullptr: not a phone number
  } cases[] = {
      {"081234567001", "+6281234567001"},      // the Android gateway's sender
      {"+6281234567001", "+6281234567001"},    // Twilio's
      {"6281234567001", "+6281234567001"},     // a wa_id
      {"+62 812-3456-7001", "+6281234567001"},
      {"0812.3456.7001", "+6281234567001"},
      {"(0812) 3456 7001", "+6281234567001"},
      {"0062 812 3456 7001", "+6281234567001"},
      {"+62 (0)812 3456 7001", "+6281234567001"},
      {"812 3456 7001", "+6281234567001"},
      {"0333-123456", "+62333123456"},         // a landline is still a number
      {"+1 415 555 0100", "+14155550100"},     // other countries kept
      {"001 415 555 0100", "+14155550100"},
      {"+44 20 7946 0958", "+442079460958"},
      {"0812", nullptr},                       // too short
      {"+62 812 3456 7001 2345", nullptr},     // too long for +62
      {"+1234567890123456", nullptr},          // over 15 digits
      {"+123", nullptr},
      {"3636", nullptr},                       // a short code
      {"TELKOMSEL", nullptr},                  // an alphanumeric sender
      {"62+81234567001", nullptr},             // plus not in front
      {"++6281234567001", nullptr},
      {"+0812", nullptr},
      {"", nullptr},
      {"ID.1502576394655843", nullptr},        // a WhatsApp BSUID
  };
  for (const auto& c : cases) {
    INFO(c.text);
    std::optional<std::string> got = ToE164(c.text);
    if (c.want == nullptr) {
      CHECK_FALSE(got.has_value());
    } else {
      REQUIRE(got.has_value());
      CHECK(*got == c.want);
      CHECK(ToE164(*got) == got);  // idempotent
    }
  }
}

TEST_CASE("Phone: only +628 with 7 to 11 more digits is an Indonesian mobile", "[storage][phone]") {
  CHECK(IsIndonesianMobile("+6281234567001"));
  CHECK(IsIndonesianMobile("+6281234567"));
  CHECK_FALSE(IsIndonesianMobile("+628123456"));
  CHECK_FALSE(IsIndonesianMobile("+62333123456"));
  CHECK_FALSE(IsIndonesianMobile("+14155550100"));
  CHECK_FALSE(IsIndonesianMobile("6281234567001"));
}

}  // namespace
}  // namespace suaradesa::phone
