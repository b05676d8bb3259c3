#include "gateway/channels/sms_segments.h"

#include <catch2/catch.hpp>

#include <string>

namespace suaradesa::channels {
namespace {

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kEuro = "\xE2\x82\xAC";        // U+20AC, GSM extension
const std::string kAacute = "\xC3\xA1";          // U+00E1, not in GSM-7
const std::string kGrin = "\xF0\x9F\x98\x80";    // U+1F600, a surrogate pair
const std::string kLeftQuote = "\xE2\x80\x9C";   // U+201C
const std::string kRightQuote = "\xE2\x80\x9D";  // U+201D

TEST_CASE("SmsSegments: encoding, units and segments per the case table", "[channels]") {
  struct Case {
    const char* label;
    std::string text;
    SmsEncoding encoding;
    int units;
    int segments;
  };
  const Case cases[] = {
      {"empty", "", SmsEncoding::kGsm7, 0, 0},
      {"plain", "Ticket USL-12 received. Reply 1 for yes", SmsEncoding::kGsm7, 39, 1},
      {"160 septets fit one SM", Repeat("a", 160), SmsEncoding::kGsm7, 160, 1},
      {"161 septets need two", Repeat("a", 161), SmsEncoding::kGsm7, 161, 2},
      {"306 septets in two", Repeat("a", 306), SmsEncoding::kGsm7, 306, 2},
      {"307 septets in three", Repeat("a", 307), SmsEncoding::kGsm7, 307, 3},
      {"5000 septets", Repeat("a", 5000), SmsEncoding::kGsm7, 5000, 33},
      {"dollar is GSM (0x02)", "$5", SmsEncoding::kGsm7, 2, 1},
      {"currency sign and inverted marks", "\xC2\xA4\xC2\xA1\xC2\xBF", SmsEncoding::kGsm7, 3, 1},
      {"Greek capitals", "\xCE\x94\xCE\xA9", SmsEncoding::kGsm7, 2, 1},
      {"newline and carriage return", "a\r\nb", SmsEncoding::kGsm7, 4, 1},
      {"euro costs two septets", kEuro, SmsEncoding::kGsm7, 2, 1},
      {"extension brackets", "{[|]}~^\\", SmsEncoding::kGsm7, 16, 1},
      {"80 euros fill one SM", Repeat(kEuro, 80), SmsEncoding::kGsm7, 160, 1},
      {"81 euros", Repeat(kEuro, 81), SmsEncoding::kGsm7, 162, 2},
      {"159 septets plus euro", Repeat("a", 159) + kEuro, SmsEncoding::kGsm7, 161, 2},
      {"escape pair is never split", Repeat("a", 152) + kEuro + Repeat("a", 152),
       SmsEncoding::kGsm7, 306, 3},
      {"backtick forces UCS-2", "`", SmsEncoding::kUcs2, 1, 1},
      {"a-acute forces UCS-2", "Jos" + kAacute, SmsEncoding::kUcs2, 4, 1},
      {"curly quotes force UCS-2", kLeftQuote + "hi" + kRightQuote, SmsEncoding::kUcs2, 4, 1},
      {"tab forces UCS-2", "a\tb", SmsEncoding::kUcs2, 3, 1},
      {"70 units fit one SM", Repeat(kAacute, 70), SmsEncoding::kUcs2, 70, 1},
      {"71 units need two", Repeat(kAacute, 71), SmsEncoding::kUcs2, 71, 2},
      {"134 units in two", Repeat(kAacute, 134), SmsEncoding::kUcs2, 134, 2},
      {"emoji is two units", kGrin, SmsEncoding::kUcs2, 2, 1},
      {"surrogate pair is never split", Repeat("a", 66) + kGrin + Repeat("a", 66),
       SmsEncoding::kUcs2, 134, 3},
      {"invalid UTF-8 forces UCS-2", "ok\xFF", SmsEncoding::kUcs2, 3, 1},
  };
  for (const Case& c : cases) {
    INFO("case: " << c.label);
    const SmsCount count = CountSms(c.text);
    CHECK(DetectSmsEncoding(c.text) == c.encoding);
    CHECK(count.encoding == c.encoding);
    CHECK(count.units == c.units);
    CHECK(count.segments == c.segments);
    CHECK(SmsSegments(c.text) == c.segments);

    const std::vector<std::string> parts = SplitSms(c.text);
    CHECK(static_cast<int>(parts.size()) == c.segments);
    if (c.encoding == SmsEncoding::kGsm7) {
      std::string joined;
      for (const std::string& part : parts) {
        joined += part;
        const int limit = parts.size() == 1 ? kGsm7SingleUnits : kGsm7SegmentUnits;
        CHECK(CountSms(part).units <= limit);
      }
      CHECK(joined == c.text);
    } else {
      for (const std::string& part : parts) {
        const int limit = parts.size() == 1 ? kUcs2SingleUnits : kUcs2SegmentUnits;
        // A part may be GSM-7 on its own; measure it in UTF-16 units.
        int units = 0;
        for (unsigned char b : part) {
          if ((b & 0xC0) != 0x80) units += b >= 0xF0 ? 2 : 1;
        }
        CHECK(units <= limit);
      }
    }
  }
}

TEST_CASE("SmsSegments: SplitSms keeps the escape pair whole", "[channels]") {
  const std::string text = Repeat("a", 152) + kEuro + Repeat("b", 152);
  const std::vector<std::string> parts = SplitSms(text);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0] == Repeat("a", 152));
  CHECK(parts[1] == kEuro + Repeat("b", 151));
  CHECK(parts[2] == "b");
}

TEST_CASE("SmsSegments: SplitSms keeps the surrogate pair whole", "[channels]") {
  const std::string text = Repeat("x", 66) + kGrin + Repeat("y", 66);
  const std::vector<std::string> parts = SplitSms(text);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0] == Repeat("x", 66));
  CHECK(parts[1] == kGrin + Repeat("y", 65));
  CHECK(parts[2] == "y");
}

TEST_CASE("SmsSegments: SplitSms replaces invalid bytes so parts are valid UTF-8",
          "[channels]") {
  const std::vector<std::string> parts = SplitSms("a\xC3");
  REQUIRE(parts.size() == 1);
  CHECK(parts[0] == "a\xEF\xBF\xBD");
}

TEST_CASE("SmsSegments: the GSM tables hold exactly the documented characters",
          "[channels]") {
  CHECK(IsGsmBasic(U'@'));
  CHECK(IsGsmBasic(U'$'));
  CHECK(IsGsmBasic(U'\u00E0'));  // a-grave
  CHECK(IsGsmBasic(U'\u00C7'));  // capital C cedilla
  CHECK_FALSE(IsGsmBasic(U'\u00E7'));  // small c cedilla is not
  CHECK_FALSE(IsGsmBasic(U'`'));
  CHECK_FALSE(IsGsmBasic(U'\u20AC'));
  CHECK_FALSE(IsGsmBasic(U'\0'));
  CHECK_FALSE(IsGsmBasic(U'\x1B'));
  CHECK(IsGsmExtension(U'\u20AC'));
  CHECK(IsGsmExtension(U'\f'));
  CHECK(IsGsmExtension(U'^'));
  CHECK_FALSE(IsGsmExtension(U'a'));
  int basic = 0;
  for (char32_t c = 0; c < 0x400; ++c) basic += IsGsmBasic(c) ? 1 : 0;
  CHECK(basic == 127);  // 128 positions less ESC
}

TEST_CASE("SmsSegments: ToGsmFriendly replaces typographic characters per the case table",
          "[channels]") {
  struct Case {
    const char* label;
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"double quotes", kLeftQuote + "ok" + kRightQuote, "\"ok\""},
      {"low double quote", "\xE2\x80\x9Eok" + kRightQuote, "\"ok\""},
      {"apostrophe", "it\xE2\x80\x99s", "it's"},
      {"single quotes", "\xE2\x80\x98x\xE2\x80\x99", "'x'"},
      {"en dash", "09.00\xE2\x80\x93" "10.00", "09.00-10.00"},
      {"em dash", "a\xE2\x80\x94" "b", "a-b"},
      {"minus sign", "\xE2\x88\x92" "5", "-5"},
      {"ellipsis", "wait\xE2\x80\xA6", "wait..."},
      {"no-break space", "Rp\xC2\xA0" "5.000", "Rp 5.000"},
      {"narrow no-break space", "a\xE2\x80\xAF" "b", "a b"},
      {"tab", "a\tb", "a b"},
      {"zero-width space removed", "a\xE2\x80\x8B" "b", "ab"},
      {"byte order mark removed", "\xEF\xBB\xBFhi", "hi"},
      {"backtick", "`x`", "'x'"},
      {"acute vowels", kAacute + "\xC3\xAD\xC3\xB3\xC3\xBA", "aiou"},
      {"small c cedilla", "\xC3\xA7", "\xC3\x87"},
      {"GSM accents kept", "caf\xC3\xA9 \xC3\xA0", "caf\xC3\xA9 \xC3\xA0"},
      {"euro kept", kEuro, kEuro},
      {"emoji kept", "ok " + kGrin, "ok " + kGrin},
      {"plain text unchanged", "Reply 1 for yes, 2 for no.", "Reply 1 for yes, 2 for no."},
      {"empty", "", ""},
  };
  for (const Case& c : cases) {
    INFO("case: " << c.label);
    CHECK(ToGsmFriendly(c.in) == c.out);
  }
  const std::string typographic =
      kLeftQuote + "Meeting\xE2\x80\x9D \xE2\x80\x93 Monday\xE2\x80\xA6 it\xE2\x80\x99s on";
  CHECK(DetectSmsEncoding(typographic) == SmsEncoding::kUcs2);
  CHECK(DetectSmsEncoding(ToGsmFriendly(typographic)) == SmsEncoding::kGsm7);
}

}  // namespace
}  // namespace suaradesa::channels
