#include "gateway/channels/utf8.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace suaradesa::channels {
namespace {

TEST_CASE("Utf8: ill-formed sequences are replaced by U+FFFD, valid text is kept",
          "[channels]") {
  const std::string kFffd = "\xEF\xBF\xBD";
  struct Row {
    const char* label;
    std::string in;
    std::string out;
  };
  const std::vector<Row> rows = {
      {"ASCII", "USUL jalan", "USUL jalan"},
      {"two, three and four bytes", "é€🙏", "é€🙏"},
      {"empty", "", ""},
      {"stray continuation byte", "a\x80" "b", "a" + kFffd + "b"},
      {"Latin-1 byte", "caf\xE9!", "caf" + kFffd + "!"},
      {"truncated three-byte sequence at the end", "x\xE2\x82", "x" + kFffd},
      {"truncated sequence before ASCII", "\xE2\x82z", kFffd + "z"},
      {"overlong slash", "\xC0\xAF", kFffd + kFffd},
      {"UTF-16 surrogate", "\xED\xA0\x80", kFffd + kFffd + kFffd},
      {"above U+10FFFF", "\xF4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd},
      {"0xFF", "\xFF", kFffd},
      {"NUL is valid", std::string("a\0b", 3), std::string("a\0b", 3)},
  };
  for (const Row& row : rows) {
    INFO(row.label);
    const std::string repaired = RepairUtf8(row.in);
    CHECK(repaired == row.out);
    CHECK(IsValidUtf8(repaired));
    CHECK(IsValidUtf8(row.in) == (row.in == row.out));
  }
}

TEST_CASE("Utf8: characters are counted and cut whole", "[channels]") {
  CHECK(CountChars("Gitik") == 5);
  CHECK(CountChars("é€🙏") == 3);
  CHECK(TruncateChars("é€🙏x", 2) == "é€");
  CHECK(TruncateChars("abc", 5) == "abc");
  CHECK(TruncateChars("abc", 0).empty());
}

}  // namespace
}  // namespace suaradesa::channels
