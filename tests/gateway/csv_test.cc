// CsvField: quoting, and the guard against spreadsheet formulas (OWASP CSV
// injection: = + - @ TAB CR first, and LF, NUL, or spaces before = + - @).
#include "gateway/csv.h"

#include <catch2/catch.hpp>

#include <string>

namespace suaradesa {
namespace {

TEST_CASE("CsvField: plain text is written as it is", "[csv]") {
  CHECK(CsvField("") == "");
  CHECK(CsvField("ADU-12") == "ADU-12");
  CHECK(CsvField("jalan rusak") == "jalan rusak");
  CHECK(CsvField("Rp15.000.000") == "Rp15.000.000");
  CHECK(CsvField("a=b+c") == "a=b+c");
  CHECK(CsvField("2026-11-23T02:00:00Z") == "2026-11-23T02:00:00Z");
}

TEST_CASE("CsvField: commas, quotes and line breaks are quoted", "[csv]") {
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvField("line\nbreak") == "\"line\nbreak\"");
  CHECK(CsvField("cr\rhere") == "\"cr\rhere\"");
}

TEST_CASE("CsvField: every formula start is guarded with a quote mark", "[csv]") {
  CHECK(CsvField("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(CsvField("=1+1") == "'=1+1");
  CHECK(CsvField("+6281234") == "'+6281234");
  CHECK(CsvField("-2+3") == "'-2+3");
  CHECK(CsvField("@SUM(A1)") == "'@SUM(A1)");
  // TAB, CR, LF and NUL first: spreadsheets skip them and read what follows.
  CHECK(CsvField("\t=1+1") == "'\t=1+1");
  CHECK(CsvField("\tplain") == "'\tplain");
  CHECK(CsvField("\r=1+1") == "\"'\r=1+1\"");
  CHECK(CsvField("\n=1+1") == "\"'\n=1+1\"");
  CHECK(CsvField(std::string("\0=1", 3)) == std::string("'\0=1", 4));
  // Spaces before a formula start.
  CHECK(CsvField("  =1+1") == "'  =1+1");
  CHECK(CsvField(" -5") == "' -5");
  // Values our exports may hold that start like a formula: guarded alike.
  CHECK(CsvField("-") == "'-");
  CHECK(CsvField("-5") == "'-5");
  // Spaces before ordinary text are not.
  CHECK(CsvField("  jalan") == "  jalan");
  CHECK(CsvField("   ") == "   ");
}

}  // namespace
}  // namespace suaradesa
