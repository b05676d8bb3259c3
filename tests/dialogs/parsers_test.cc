// Table-driven tests for the pure parsers: rupiah, yes/no, phone, keywords,
// tickets and text normalisation.
#include <catch2/catch.hpp>

#include "dialogs/parsers/keywords.h"
#include "dialogs/parsers/phone.h"
#include "dialogs/parsers/rupiah.h"
#include "dialogs/parsers/yes_no.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

TEST_CASE("Parsers: rupiah amounts in formal and informal spellings",
          "[dialogs][parsers]") {
  static const struct {
    const char* text;
    int64_t amount;
  } cases[] = {
      {"Rp5.000.000", 5000000},
      {"Rp5.000.000,00", 5000000},
      {"Rp 5.000.000", 5000000},
      {"Rp 5.000.000,-", 5000000},
      {"Rp. 5.000.000,-", 5000000},
      {"5 jt", 5000000},
      {"5jt", 5000000},
      {"Rp5jt", 5000000},
      {"3,5 jt", 3500000},
      {"3.5jt", 3500000},
      {"500rb", 500000},
      {"Rp 35rb", 35000},
      {"Rp.175jt", 175000000},
      {"2Ojt", 20000000},
      {"1.milyar", 1000000000},
      {"2,5 M", 2500000000},
      {"1 triliun", 1000000000000},
      {"lima juta", 5000000},
      {"setengah juta", 500000},
      {"satu setengah juta", 1500000},
      {"seratus lima puluh ribu", 150000},
      {"dua ratus dua belas ribu", 212000},
      {"sejuta", 1000000},
      {"seribu", 1000},
      {"1 juta 500 ribu", 1500000},
      {"kira2 5 jt", 5000000},
      {"sekitar 10 juta rupiah", 10000000},
      {"5.000", 5000},
      {"5000000", 5000000},
      {"Rp 500", 500},
      {"IDR 1,500,000", 1500000},
      {"5 jutaan", 5000000},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto parsed = ParseRupiah(c.text);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == c.amount);
  }
}

TEST_CASE("Parsers: rupiah reports ambiguous and missing amounts",
          "[dialogs][parsers]") {
  static const struct {
    const char* text;
    RupiahError error;
  } cases[] = {
      {"5", RupiahError::kAmbiguous},
      {"lima", RupiahError::kAmbiguous},
      {"5-10 jt", RupiahError::kAmbiguous},
      {"5 jt 3 jt", RupiahError::kAmbiguous},
      {"3,5", RupiahError::kAmbiguous},
      {"", RupiahError::kInvalid},
      {"mahal", RupiahError::kInvalid},
      {"juta", RupiahError::kInvalid},
      {"1.23.4", RupiahError::kInvalid},
      {"tidak tahu", RupiahError::kInvalid},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto parsed = ParseRupiah(c.text);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error() == c.error);
  }
}

TEST_CASE("Parsers: rupiah formats with thousands dots", "[dialogs][parsers]") {
  CHECK(FormatRupiah(0) == "Rp0");
  CHECK(FormatRupiah(500) == "Rp500");
  CHECK(FormatRupiah(5000) == "Rp5.000");
  CHECK(FormatRupiah(75000000) == "Rp75.000.000");
}

TEST_CASE("Parsers: yes and no in Indonesian, Javanese and SMS spelling",
          "[dialogs][parsers]") {
  static const struct {
    const char* text;
    YesNo want;
  } cases[] = {
      {"ya", YesNo::kYes},          {"Y", YesNo::kYes},
      {"iya", YesNo::kYes},         {"OK", YesNo::kYes},
      {"oke!", YesNo::kYes},        {"betul", YesNo::kYes},
      {"Benar", YesNo::kYes},       {"inggih", YesNo::kYes},
      {"nggih", YesNo::kYes},       {"ya betul pak", YesNo::kYes},
      {"tidak", YesNo::kNo},        {"tdk", YesNo::kNo},
      {"gak", YesNo::kNo},          {"ga", YesNo::kNo},
      {"gk", YesNo::kNo},           {"nggak", YesNo::kNo},
      {"ndak", YesNo::kNo},         {"mboten", YesNo::kNo},
      {"salah", YesNo::kNo},        {"Tidak usah.", YesNo::kNo},
      {"ya tidak", YesNo::kUnknown}, {"mungkin", YesNo::kUnknown},
      {"", YesNo::kUnknown},        {"yayasan", YesNo::kUnknown},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(ParseYesNo(c.text) == c.want);
  }
}

TEST_CASE("Parsers: Indonesian mobile numbers normalise to E.164",
          "[dialogs][parsers]") {
  static const struct {
    const char* text;
    const char* want;  // nullptr: rejected
  } cases[] = {
      {"081234567890", "+6281234567890"},
      {"0812-3456-7890", "+6281234567890"},
      {"0812 3456 7890", "+6281234567890"},
      {"(0812) 3456-7890", "+6281234567890"},
      {"6281234567890", "+6281234567890"},
      {"+62 812 3456 7890", "+6281234567890"},
      {"62-812-3456-7890", "+6281234567890"},
      {"87844302111", "+6287844302111"},
      {"087844302111", "+6287844302111"},
      {"0333-123456", nullptr},      // landline
      {"+1 415 555 0100", nullptr},  // other country
      {"0812", nullptr},             // too short
      {"08123456789012345", nullptr},
      {"0812-3456-789O", nullptr},   // letter
      {"", nullptr},
      {"62+81234567890", nullptr},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    std::optional<std::string> got = NormalizePhone(c.text);
    if (c.want == nullptr) {
      CHECK_FALSE(got.has_value());
    } else {
      REQUIRE(got.has_value());
      CHECK(*got == c.want);
    }
  }
}

TEST_CASE("Parsers: text normalisation and SMS abbreviations",
          "[dialogs][parsers]") {
  CHECK(NormalizeText("  USUL: Jembatan!!  gantung ") == "usul jembatan gantung");
  CHECK(NormalizeText("ADU-12") == "adu 12");
  CHECK(NormalizeText("...") == "");
  CHECK(ExpandAbbreviations("sy tdk bs dtg bsk") ==
        "saya tidak bisa datang besok");
  CHECK(ExpandAbbreviations("yg ibu2 kira2 rt02") ==
        "yang ibu ibu kira kira rt02");
  CHECK(TruncateUtf8("ab\u00e9", 3) == "ab");
}

TEST_CASE("Parsers: keywords lead the message, any case and punctuation",
          "[dialogs][parsers]") {
  std::vector<std::vector<std::string>> keywords = {
      KeywordWords("usul"), KeywordWords("jangan kirim"),
      KeywordWords("cek status"), KeywordWords("cek")};
  static const struct {
    const char* text;
    int index;  // -1: no match
    const char* rest;
    bool alone;
  } cases[] = {
      {"USUL", 0, "", true},
      {"usul.", 0, "", true},
      {"lapor!!", -1, "", false},
      {"Usul ?!", 0, "", true},
      {"Usul: jembatan gantung", 0, "jembatan gantung", false},
      {"#usul - Jembatan", 0, "Jembatan", false},
      {"usulan", -1, "", false},
      {"saya usul", -1, "", false},
      {"jgn kirim sms lg", 1, "sms lg", false},
      {"JANGAN KIRIM", 1, "", true},
      {"cek status ADU-12", 2, "ADU-12", false},
      {"cek ADU-12", 3, "ADU-12", false},
      {"", -1, "", false},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    std::optional<KeywordMatch> m = MatchLeadingKeyword(c.text, keywords);
    if (c.index < 0) {
      CHECK_FALSE(m.has_value());
      continue;
    }
    REQUIRE(m.has_value());
    CHECK(m->keyword_index == static_cast<size_t>(c.index));
    CHECK(m->rest == c.rest);
    CHECK(m->alone == c.alone);
  }
}

TEST_CASE("Parsers: tickets are read tolerantly", "[dialogs][parsers]") {
  static const struct {
    const char* text;
    const char* want;
  } cases[] = {
      {"ADU-12", "ADU-12"}, {"adu 12", "ADU-12"},  {"ADU12", "ADU-12"},
      {"#adu-012", "ADU-12"}, {"usl-3", "USL-3"},  {" USL 45? ", "USL-45"},
      {"adu", nullptr},     {"ADU-0", nullptr},    {"adu 12 pak", nullptr},
      {"12", nullptr},      {"aduan 12", nullptr},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    std::optional<std::string> got = ParseTicket(c.text);
    if (c.want == nullptr) {
      CHECK_FALSE(got.has_value());
    } else {
      REQUIRE(got.has_value());
      CHECK(*got == c.want);
    }
  }
}

}  // namespace
}  // namespace suaradesa::dialogs
