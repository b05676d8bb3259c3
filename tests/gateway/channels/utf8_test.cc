#include "gateway/channels/utf8.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gateway/channels/json_fields.h"

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


TEST_CASE("JsonFields: lone surrogate escapes become U+FFFD, pairs and other escapes stay",
          "[channels]") {
  using json_fields::ReplaceLoneSurrogateEscapes;
  // Nothing to do: the text comes back byte for byte.
  for (const char* same : {R"({"t":"\ud83d\ude4f"})", R"({"t":"\u00e9 \n \" \\"})",
                           R"({"t":"\\ud83d"})", R"(["\uD83D\uDE4F", 1])", "not json \\ud83d"}) {
    INFO(same);
    CHECK(ReplaceLoneSurrogateEscapes(same) == same);
  }
  CHECK(ReplaceLoneSurrogateEscapes(R"({"t":"a\ud83d"})") == R"({"t":"a\ufffd"})");
  CHECK(ReplaceLoneSurrogateEscapes(R"({"t":"\ude4f"})") == R"({"t":"\ufffd"})");
  CHECK(ReplaceLoneSurrogateEscapes(R"({"t":"\ud83d\ud83d\ude4f"})") ==
        R"({"t":"\ufffd\ud83d\ude4f"})");
  CHECK(ReplaceLoneSurrogateEscapes(R"({"t":"\ud83d\ude4f\ude4f"})") ==
        R"({"t":"\ud83d\ude4f\ufffd"})");
  CHECK(ReplaceLoneSurrogateEscapes(R"({"\ud83d":"\\\ud83d"})") == R"({"\ufffd":"\\\ufffd"})");
  // A high half at the very end of a (truncated) document.
  CHECK(ReplaceLoneSurrogateEscapes(R"(["\ud83d)") == R"(["\ufffd)");

  // Parse stores U+FFFD where nlohmann alone refuses the document.
  const auto doc = json_fields::Parse(R"({"t":"ok \ud83d","u":"\ud83d\ude4f"})");
  REQUIRE_FALSE(doc.is_discarded());
  CHECK(doc["t"] == "ok \xEF\xBF\xBD");
  CHECK(doc["u"] == "🙏");
  CHECK(json_fields::Parse(R"({"t":"\ud83d")").is_discarded());  // still not JSON
}

}  // namespace
}  // namespace suaradesa::channels
