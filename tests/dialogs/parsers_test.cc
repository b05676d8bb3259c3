// Table-driven tests for the pure parsers: rupiah, yes/no, phone, keywords,
// tickets and text normalisation.
#include <optional>
#include <set>

#include <catch2/catch.hpp>

#include "dialogs/format.h"
#include "dialogs/parsers/correction.h"
#include "dialogs/parsers/datetime.h"
#include "dialogs/parsers/fillers.h"
#include "dialogs/parsers/keywords.h"
#include "dialogs/parsers/numbers.h"
#include "dialogs/parsers/places.h"
#include "dialogs/parsers/rsvp.h"
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
      // Half of the scale just written (stop 41).
      {"kata bu kader sekitar 2 juta setengah semua", 2500000},
      {"sejuta setengah", 1500000},
      {"1 juta setengah", 1500000},
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
      {"1,2 M", 1200000000},
      {"Rp 1,2 M", 1200000000},
      {"2O jt", 20000000},
      {"limapuluh ribu", -1},
      // A span of time beside the amount is no part of it (stop 38).
      {"Kira-kira Rp 6.000.000 satu tahun, for alat tes gula", 6000000},
      {"500rb per 3 bulan", 500000},
      {"12 bulan 2 juta", 2000000},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto parsed = ParseRupiah(c.text);
    if (c.amount < 0) {
      CHECK_FALSE(parsed.has_value());  // glued number words: ask, not guess
      continue;
    }
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
      // Years are skipped, a second amount is not: "2 tahun" asks nothing.
      {"5 jt 2 tahun 3 jt", RupiahError::kAmbiguous},
      {"2 tahun", RupiahError::kInvalid},
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
      {"njih", YesNo::kYes},        {"enggak", YesNo::kNo},
      {"sip", YesNo::kYes},         {"oke", YesNo::kYes},
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

TEST_CASE("Text: SplitAt gives the trimmed pieces between breaks and the break that ended each",
          "[dialogs][parsers]") {
  const std::vector<TextPiece> pieces = SplitAt("ok beta hadir. tapi rapat dimana ?\n\n..  Mungkin", ".?");
  REQUIRE(pieces.size() == 3);
  CHECK(pieces[0].text == "ok beta hadir");
  CHECK(pieces[0].end == '.');
  CHECK(pieces[1].text == "tapi rapat dimana");
  CHECK(pieces[1].end == '?');
  // Empty pieces between breaks are left out; the last ends with the text.
  CHECK(pieces[2].text == "Mungkin");
  CHECK(pieces[2].end == '\0');
  CHECK(SplitAt("", ".").empty());
  CHECK(SplitAt(" . ? ", ".?").empty());
}

TEST_CASE("Parsers: keywords lead the message, any case and punctuation",
          "[dialogs][parsers]") {
  const KeywordList keywords = {
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
      {"usull jembatan", 0, "jembatan", false},   // one typo, 4+ letters
      {"USLU", 0, "", true},                      // transposition
      {"usall", -1, "", false},                   // two edits
      {"usulll", 0, "", true},                    // squeezed to "usul"
      {"ces", -1, "", false},                     // short words: exact only
      {"jgn krim", 1, "", true},
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

TEST_CASE("Parsers: keywords inside a sentence", "[dialogs][parsers]") {
  const KeywordList keywords = {
      KeywordWords("usul"), KeywordWords("jangan kirim"), KeywordWords("batal")};
  static const struct {
    const char* text;
    int index;
    const char* rest;
  } cases[] = {
      {"sy mau usul jembatan gantung", 0, "jembatan gantung"},
      {"Pak, saya mau USULL: sumur bor", 0, "sumur bor"},
      {"tolong jgn kirim sms lg", 1, "sms lg"},
      {"jangan kirim lalu usul", 1, "lalu usul"},  // earliest wins
      {"pasir dan bata", -1, ""},                 // "bata" is a real word
      {"tidak ada", -1, ""},
  };
  std::set<std::string> not_keywords = {"bata"};
  for (const auto& c : cases) {
    INFO(c.text);
    std::optional<KeywordMatch> m = FindKeyword(c.text, keywords, not_keywords);
    if (c.index < 0) {
      CHECK_FALSE(m.has_value());
      continue;
    }
    REQUIRE(m.has_value());
    CHECK(m->keyword_index == static_cast<size_t>(c.index));
    CHECK(m->rest == c.rest);
  }
  CHECK(EditDistance("lapor", "laopr") == 1);
  CHECK(EditDistance("lapor", "lapar") == 1);
  CHECK(EditDistance("usul", "usulan") == 2);
  CHECK(WordMatches("berhenti", "berhnti"));
  CHECK_FALSE(WordMatches("berhenti", "berhnti", {"berhnti"}));
  CHECK_FALSE(WordMatches("cek", "cel"));
}

TEST_CASE("Parsers: WithinOneEdit agrees with EditDistance on every short pair",
          "[dialogs][parsers]") {
  // Every string of up to 4 letters over {a, b, c}, paired with every other.
  std::vector<std::string> words = {""};
  for (size_t start = 0, len = 0; len < 4; ++len) {
    const size_t end = words.size();
    for (size_t i = start; i < end; ++i) {
      for (char c : {'a', 'b', 'c'}) words.push_back(words[i] + c);
    }
    start = end;
  }
  REQUIRE(words.size() == 121);
  int within = 0;
  for (const std::string& a : words) {
    for (const std::string& b : words) {
      INFO(a << " / " << b);
      const bool expected = EditDistance(a, b, 1) <= 1;
      REQUIRE(WithinOneEdit(a, b) == expected);
      within += expected;
    }
  }
  CHECK(within > 121);  // not only the equal pairs
}

TEST_CASE("Parsers: counts and numbers in words", "[dialogs][parsers]") {
  static const struct {
    const char* text;
    int64_t want;  // -1: none
  } cases[] = {
      {"40 KK", 40},
      {"40kk", 40},
      {"empat puluh orang", 40},
      {"seratus dua puluh lima jiwa", 125},
      {"sebelas", 11},
      {"tujuh belas KK", 17},
      {"seribu dua ratus", 1200},
      {"1.200 orang", 1200},
      {"kurang lebih 35 KK", 35},
      {"selawe", 25},
      {"sepuluh", 10},
      {"40 KK atau 50 KK", -1},
      {"banyak", -1},
      {"", -1},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    std::optional<int64_t> got = ParseCount(c.text);
    if (c.want < 0) {
      CHECK_FALSE(got.has_value());
    } else {
      REQUIRE(got.has_value());
      CHECK(*got == c.want);
    }
  }
}

TEST_CASE("Parsers: a spelled number stops before it overflows", "[dialogs][parsers]") {
  // Found by the numbers fuzz target: each "juta" multiplies by a million,
  // and the fifth one overflowed int64_t. Reading stops at a million billion.
  std::vector<std::string> words = {"sejuta", "juta", "juta", "juta", "juta"};
  size_t pos = 0;
  std::optional<int64_t> got = ReadNumber(words, &pos);
  REQUIRE(got.has_value());
  CHECK(*got == 1000000000000);
  CHECK(pos == 2);
  std::optional<int64_t> count = ParseCount("sejuta juta juta juta juta juta juta");
  REQUIRE(count.has_value());
  CHECK(*count == 1000000000000);
}

TEST_CASE("Parsers: dates and times relative to now in the area's zone",
          "[dialogs][parsers]") {
  // Now: Thursday 28 May 2026, 13.00 WIB.
  const int64_t now = UnixMsFromCivil({2026, 5, 28, 13, 0, 4}, 420);
  using Status = ParsedDateTime::Status;
  static const struct {
    const char* text;
    Status status;
    const char* date;  // "" if none
    const char* time;
  } cases[] = {
      {"besok jam 9", Status::kOk, "2026-05-29", "09:00"},
      {"bsk jam 9 pagi", Status::kOk, "2026-05-29", "09:00"},
      {"lusa", Status::kOk, "2026-05-30", ""},
      {"kemarin", Status::kOk, "2026-05-27", ""},
      {"Senin depan", Status::kOk, "2026-06-01", ""},
      {"hari kamis", Status::kOk, "2026-05-28", ""},
      {"kamis depan", Status::kOk, "2026-06-04", ""},
      {"senin lalu", Status::kOk, "2026-05-25", ""},
      {"tgl 4", Status::kOk, "2026-05-04", ""},
      {"tanggal 4 juni", Status::kOk, "2026-06-04", ""},
      {"4/12", Status::kOk, "2026-12-04", ""},
      {"04-12-2026 jam 19.30", Status::kOk, "2026-12-04", "19:30"},
      {"4 Desember 2026", Status::kOk, "2026-12-04", ""},
      {"jam sembilan setengah", Status::kOk, "", "09:30"},
      {"jam setengah sepuluh", Status::kOk, "", "09:30"},
      {"jam 7 malam", Status::kOk, "", "19:00"},
      {"jam 1 siang", Status::kOk, "", "13:00"},
      {"pukul 09.00", Status::kOk, "", "09:00"},
      {"minggu lalu", Status::kOk, "2026-05-21", ""},
      {"minggu depan", Status::kOk, "2026-06-04", ""},
      {"hari minggu", Status::kOk, "2026-05-31", ""},
      {"bulan lalu", Status::kOk, "2026-04-28", ""},
      {"ba'da Isya", Status::kUnclear, "", ""},
      {"habis maghrib", Status::kUnclear, "", ""},
      {"31/2", Status::kUnclear, "", ""},
      {"jam 25", Status::kUnclear, "", ""},
      {"nanti saja", Status::kNone, "", ""},
      {"", Status::kNone, "", ""},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    ParsedDateTime got = ParseDateTime(c.text, now, 420);
    CHECK(got.status == c.status);
    CHECK(got.IsoDate() == c.date);
    CHECK(got.IsoTime() == c.time);
  }
  SECTION("the zone decides what today is") {
    // 23.30 UTC on 28 May is already 29 May in WITA.
    const int64_t late = UnixMsFromCivil({2026, 5, 28, 23, 30, 4}, 0);
    CHECK(ParseDateTime("besok", late, 0).IsoDate() == "2026-05-29");
    CHECK(ParseDateTime("besok", late, 480).IsoDate() == "2026-05-30");
    ParsedDateTime nine = ParseDateTime("besok jam 9", late, 480);
    CHECK(nine.unix_ms == UnixMsFromCivil({2026, 5, 30, 9, 0, 6}, 480));
  }
}

TEST_CASE("Parsers: the sizes a proposal's story gives", "[dialogs][parsers]") {
  static const struct {
    const char* text;
    const char* want;  // nullptr: none
  } cases[] = {
      {"mau usul rabat beton jln dsn krajan kaotan rt 3,kurleb 300 m", "kurleb 300 m"},
      {"los pasar ning cedak balai desa.ukuran e kira2 6x10 m", "kira2 6x10 m"},
      {"jalan 1,5 km", "1,5 km"},
      {"lampu jalan 10 titik", "10 titik"},
      {"talud 300m tinggi 2 m", "300 m, 2 m"},
      {"6 x 10 meter", "6x10 meter"},
      {"lampu jalan tenaga surya sepuluh unit di rt 1", "sepuluh unit"},
      // No size: households, money, time, a neighbourhood.
      {"40 KK, 12 miskin", nullptr},
      {"biaya 5 jt", nullptr},
      {"sudah 3 bulan rusak", nullptr},
      {"dusun krajan rt 3", nullptr},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    std::optional<std::string> got = ParseMeasure(c.text);
    if (c.want == nullptr) {
      CHECK_FALSE(got.has_value());
    } else {
      REQUIRE(got.has_value());
      CHECK(*got == c.want);
    }
  }
}

TEST_CASE("Parsers: place names matched tolerantly", "[dialogs][parsers]") {
  std::vector<std::string> names = {"Gitik", "Kaotan", "Lemahbang Kulon",
                                    "Lemahbang Dewo", "Krajan"};
  static const struct {
    const char* text;
    std::vector<size_t> want;
  } cases[] = {
      {"gitik", {0}},
      {"GITIK", {0}},
      {"Kaotn", {1}},
      {"di ds. Kaotan", {1}},
      {"lemahbangkulon", {2}},
      {"Lemahbang  kulon", {2}},
      {"lemahbang kulonn", {2}},
      {"lemahbang", {2, 3}},
      // A word shortened to its consonants names the place; fewer than
      // three consonants do not.
      {"lemahbang kln dsn ngasem", {2}},
      {"lemahbang kl", {}},
      {"lmhbg dewo", {3}},
      {"lmhb dewo", {}},  // the last consonant left out: no name
      // Some vowels left out, every consonant kept; a word cut short is no
      // name.
      {"lmhbang kulon", {2}},
      {"lemah kulon", {}},
      {"Dusun Krajan RT 02", {4}},
      {"Jakarta", {}},
      {"", {}},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(MatchPlaces(c.text, names) == c.want);
  }
}

TEST_CASE("Parsers: an answer that is only a place", "[dialogs][parsers]") {
  std::vector<std::string> names = {"Gitik", "Kaotan", "Lemahbang Kulon", "Lemahbang"};
  static const struct {
    const char* text;
    std::optional<size_t> want;
  } cases[] = {
      {"Kaotan", 1},
      {"di desa kaotan pak", 1},
      {"ds. Kaotn", 1},
      {"kaotan, dusun krajan rt 3", 1},
      {"dari kaotan rt 02 rw 1", 1},
      {"lemahbang kulon", 2},  // the longer name, not "Lemahbang" inside it
      {"Lemahbang", 3},
      {"lmhbang kulon nggih", 2},
      // Anything more is the story, told with its place.
      {"jalan rusak di kaotan", std::nullopt},
      {"kaotan, dana blt dipotong", std::nullopt},
      {"di kaotan sudah sebulan", std::nullopt},
      // Two places, or none.
      {"gitik kaotan", std::nullopt},
      {"jakarta", std::nullopt},
      {"di desa", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(OnlyPlaceNamed(c.text, names) == c.want);
  }
}

TEST_CASE("Parsers: answers to an invitation", "[dialogs][parsers]") {
  static const struct {
    const char* text;
    bool pending;
    const char* answer;  // nullptr: not an RSVP
    const char* reason;
  } cases[] = {
      {"HADIR", false, "hadir", ""},
      {"insyaallah datang", false, "hadir", ""},
      // Madurese yes, the meeting named, then a question: still the answer.
      {"enggi bu, undangan rapat ibu2 tgl 23 sengko' dateng insyaallah. bawa KTP kan?", true,
       "hadir", ""},
      {"ya sy dtg", false, "hadir", ""},
      {"inggih rawuh", false, "hadir", ""},
      {"tidak bisa hadir, ada acara keluarga", false, "tidak",
       "ada acara keluarga"},
      {"mboten saged", false, "tidak", ""},
      {"maaf tdk bisa hadir krn sakit", false, "tidak", "sakit"},
      {"berhalangan", false, "tidak", ""},
      {"TIDAK", true, "tidak", ""},
      {"Tidak, ke sawah", true, "tidak", "ke sawah"},
      {"ya", true, "hadir", ""},
      {"ya", false, nullptr, ""},
      {"tidak", false, nullptr, ""},
      {"kapan harus datang?", false, nullptr, ""},
      {"bawa daftar hadir", false, nullptr, ""},
      {"Datang ke kantor kami, hubungi 081234567890", false, nullptr, ""},
      // Without a pending invitation, something else that comes or cannot
      // is no answer; the answer must open the message.
      {"tangki air cuma datang 2 kali seminggu", false, nullptr, ""},
      {"kontraktornya masih blm datang", false, nullptr, ""},
      {"lampu jalan tidak bisa nyala", false, nullptr, ""},
      {"kades tidak hadir di musdes kemarin", false, nullptr, ""},
      {"Mohon maaf tdk bisa datang, anak sakit", false, "tidak", "anak sakit"},
      {"maaf bu gk bisa dtg", false, "tidak", ""},
      // With one pending, a word of attending anywhere answers it.
      {"besok pagi sy usahakan datang", true, "hadir", ""},
      // "Not" as regions write it.
      {"kada bisa pak", true, "tidak", ""},
      {"ndek bisa hadir bu", true, "tidak", ""},
      {"hana jeut hadir", true, "tidak", ""},
      {"tra bisa datang", false, "tidak", ""},
      // Invited: a question after the answer, an excused absence, a longer
      // message that opens with the answer.
      {"iya dtg, boleh bawa temen gk?", true, "hadir", ""},
      {"kapan harus datang?", true, nullptr, ""},
      {"izin tanya, musdes nya jam berapa?", true, nullptr, ""},
      {"maaf bu saya izin, anak lg sakit", true, "tidak", "anak lg sakit"},
      {"Sy usahakan hadir bapa, tp mungkin agak terlambat krn oto dari kampung baru jalan jam 9",
       true, "hadir", ""},
      {"kades tidak hadir di musdes kemarin, dana desa dipotong, tolong diusut pak sampai tuntas ya pak",
       true, nullptr, ""},
      // Invited and not decided yet: undecided, whatever follows; not
      // invited, nothing. "Belum bisa datang" is not coming.
      {"blm tau bisa kah ndik, liat besok", true, kRsvpUndecided, ""},
      {"sy belum pasti pak", true, kRsvpUndecided, ""},
      {"belum bisa pastikan, suami masih di laut", true, kRsvpUndecided, ""},
      {"liat besok ya bu", true, kRsvpUndecided, ""},
      {"belum tau pak", false, nullptr, ""},
      {"belum bisa datang bu", true, "tidak", ""},
      {"datang, tapi belum tau jam berapa sampai", true, "hadir", ""},
      // A formal letter that opens with thanks and the meeting's date, then
      // answers; a report about someone else's attending answers nothing.
      {"Dengan hormat, terima kasih atas undangan MKP tanggal 23 November 2026. Insya Allah "
       "saya akan hadir tepat waktu.", true, "hadir", ""},
      // The month as older letters spell it ("Nopember").
      {"Dengan hormat, terima kasih atas undangan MKP tgl 23 Nopember 2026. Mohon maaf saya "
       "tidak dapat hadir karena ada jadwal kontrol di RSUD.", true, "tidak",
       "ada jadwal kontrol di RSUD."},
      {"Dengan hormat, kami laporkan kades tidak hadir di musdes kemarin, dana dipotong", true,
       nullptr, ""},
      {"kades tdk hadir musdes, tolong diusut", true, nullptr, ""},
      // Joining in, in a few words, answers a pending invitation, in
      // Osing too ("isun melu"); joining a group or an uninvited "ikut"
      // answers nothing.
      {"saya ikut pak", true, "hadir", ""},
      {"isun melu pak", true, "hadir", ""},
      {"sy tdk ikut bu", true, "tidak", ""},
      {"sepurane hing isa melu, lagi lara", true, "tidak", "lara"},
      {"saya ikut kelompok tani", true, nullptr, ""},
      {"saya ikut pak", false, nullptr, ""},
      // A long answer (29 words) that opens with it; a long message that
      // does not open with an answer answers nothing.
      {"nyuwun sewu bu, kulo mboten saged rawuh rapat tgl 23 teng balai desa gitik amargi "
       "wonten pesenan tempe katah, badhe kulo wakilaken anak kulo Rina nggih. matur nuwun",
       true, "tidak",
       "teng balai desa gitik amargi wonten pesenan tempe katah, badhe kulo wakilaken anak "
       "kulo Rina nggih. matur nuwun"},
      // Stop 38: a longer letter about the invitation itself answers it
      // wherever the answer stands, when the person says it of themselves
      // and asks nothing; a complaint that names the invitation does not.
      {"Selamat pagi Bapak/Ibu. Terima kasih so undang kita ke pertemuan MKP tanggal 23 "
       "November jam 8 pagi di Balai Desa Gitik. Puji Tuhan kita bisa datang, nanti kita bawa "
       "KTP. Makase banyak.",
       true, "hadir", ""},
      {"Pak, soal undangan rapat ibu2 MKP tgl 23 itu, inaq kanak tiang insyaallah datang jam 8 "
       "bawa KTP. Tiang sendiri ndek ikut, lagi ngoven tembakau. Tampiasih undangannya",
       true, "hadir", ""},
      {"Selamat pagi Bapak/Ibu. Terima kasih so undang kita ke pertemuan MKP tanggal 23 "
       "November jam 8 pagi di Balai Desa Gitik. Puji Tuhan kita bisa datang.",
       false, nullptr, ""},
      {"Selamat pagi. Terima kasih undangannya, tapi warga dusun kami tidak pernah diundang "
       "musdus, kades tidak datang juga",
       true, nullptr, ""},
      {"Pak, jalan di dusun krajan rusak parah sejak bulan lalu, banyak warga jatuh dari motor, "
       "pak kadus juga tidak datang melihat, mohon segera diperbaiki sebelum musim hujan tiba",
       true, nullptr, ""},
      // Stop 41: "no time" declines; so does an apology, its reason and
      // then "cannot" that ends its clause, in a longer message of someone
      // speaking of themselves. "Cannot" before another verb, or with
      // nobody speaking of themselves, or with no invitation, answers
      // nothing.
      {"iye nak, terima kasih undangannya. insya Allah nenek datang ke pertemuan ibu2 tgl 23, "
       "nanti cucu yang antar",
       true, "hadir", ""},
      {"maaf pak tidak sempat. titip usulan lewat bu Rahmah", true, "tidak",
       "titip usulan lewat bu Rahmah"},
      {"Mohon maaf bu, hari Kamis saya harus antar anak ke puskesmas di kecamatan, jadi tidak "
       "bisa ya",
       true, "tidak", "harus antar anak ke puskesmas di kecamatan, jadi tidak bisa ya"},
      {"Mohon maaf bu, hari Kamis saya harus antar anak ke puskesmas di kecamatan, jadi tidak "
       "bisa ya",
       false, nullptr, ""},
      {"maaf pak, lampu jalan di gang 3 sudah mati seminggu, kami tidak bisa lewat kalau malam",
       true, nullptr, ""},
      {"maaf pak, jembatan ke sekolah di dusun kulon putus sejak banjir kemarin sore, anak anak "
       "tidak bisa",
       true, nullptr, ""},
      // Stop 42: to a pending invitation, the answer in a short sentence of
      // its own, first or last, with a question or a reason beside it; and
      // a reason for staying away closed by an apology.
      {"ok sa hadir. tapi rapat di kantor desa ko di balai dusun?", true, "hadir", ""},
      {"Senin niku kulo tasih ten sawah ngantos sonten. Mboten saged.", true, "tidak",
       "niku kulo tasih ten sawah ngantos sonten. Mboten saged."},
      {"Mungkin. Tergantung hujan", true, kRsvpUndecided, ""},
      {"saya bisa. jam berapa mulai?", true, "hadir", ""},
      {"kulo saged", true, "hadir", ""},
      {"Bapak kulo sakit, ngapunten", true, "tidak", "sakit, ngapunten"},
      {"minggu ini saya kerja di kota, maaf ya bu", true, "tidak",
       "ini saya kerja di kota, maaf ya bu"},
      // The way around: no invitation; an official's absence; no reason;
      // a report of wrongdoing; a first sentence too long to be an answer.
      {"Bapak kulo sakit, ngapunten", false, nullptr, ""},
      {"kades pergi terus tidak pernah di kantor, maaf", true, nullptr, ""},
      {"jalan rusak parah tolong diperbaiki, maaf", true, nullptr, ""},
      {"ok saya hadir. tapi dana desa dipotong kades", true, nullptr, ""},
      {"saya bisa bantu angkat kursi dan meja di balai dusun nanti. jam berapa mulai?", true,
       nullptr, ""},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    std::optional<RsvpAnswer> got = ParseRsvp(c.text, c.pending);
    if (c.answer == nullptr) {
      CHECK_FALSE(got.has_value());
      continue;
    }
    REQUIRE(got.has_value());
    CHECK(got->answer == c.answer);
    CHECK(got->reason == c.reason);
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
  std::optional<LeadingTicket> lead = ParseLeadingTicket("ADU-12 sudah dicek");
  REQUIRE(lead.has_value());
  CHECK(lead->ticket == "ADU-12");
  CHECK(lead->rest == "sudah dicek");
  CHECK_FALSE(ParseLeadingTicket("adu12x").has_value());
  CHECK(ParseBareCaseNumber("12") == 12);
  CHECK(ParseBareCaseNumber("no 7") == 7);
  CHECK_FALSE(ParseBareCaseNumber("12 pak").has_value());
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

TEST_CASE("Parsers: natural answers to a yes/no question", "[dialogs][parsers]") {
  for (const char* yes : {"sudah benar", "sudah", "sdh bnr", "sampun leres",
                          "InsyaAllah", "insya allah hadir", "Insya Alloh pak",
                          "injih"}) {
    INFO(yes);
    CHECK(ParseYesNo(yes) == YesNo::kYes);
  }
  for (const char* no : {"belum", "blm benar", "belum, ada yang salah",
                         "gk jadi pak"}) {
    INFO(no);
    CHECK(ParseYesNo(no) == YesNo::kNo);
  }
  for (const char* unknown : {"blm tau", "belum tahu", "belum pasti"}) {
    INFO(unknown);
    CHECK(ParseYesNo(unknown) == YesNo::kUnknown);
  }
  // With an invitation waiting: "insyaallah" attends.
  std::optional<RsvpAnswer> rsvp = ParseRsvp("insyallah", true);
  REQUIRE(rsvp.has_value());
  CHECK(rsvp->answer == "hadir");
}

TEST_CASE("Parsers: a pick from a numbered list", "[dialogs][parsers]") {
  struct Case {
    const char* text;
    std::optional<int64_t> want;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"2", 2}, {"dua", 2}, {"yang kedua", 2}, {"no. 3 pak", 3},
           {"pertama", 1}, {"satu", 1}, {"sepuluh", 10}, {"nomor 12", 12},
           {"0", std::nullopt}, {"2 jembatan", std::nullopt},
           {"kepala desa", std::nullopt}, {"pak", std::nullopt},
           {"dua tiga", std::nullopt}}) {
    INFO(c.text);
    CHECK(ParseChoiceNumber(c.text) == c.want);
  }
}

TEST_CASE("Parsers: a count with another unit is no count", "[dialogs][parsers]") {
  CHECK(ParseCount("300 meter") == std::nullopt);
  CHECK(ParseCount("jalan rusak sepanjang 300 meter") == std::nullopt);
  CHECK(ParseCount("Rp 5.000.000,-") == std::nullopt);
  CHECK(ParseCount("5 jt") == std::nullopt);
  CHECK(ParseCount("40 KK, jalan 300 meter") == 40);
  CHECK(ParseCount("dua ratus kk") == 200);
  CHECK(ParseCount("lima puluh rumah") == 50);
}

TEST_CASE("Parsers: a 2 that repeats a word is no number", "[dialogs][parsers]") {
  CHECK(ParseCount("kira2 40 kk") == 40);
  CHECK(ParseCount("nggih kinten2 60") == 60);
  CHECK(ParseCount("ibu2 20 org") == 20);
  CHECK(ParseCount("kira2 90") == 90);
  // With a suffix after it: "mbah2nya" is "mbah-mbahnya".
  CHECK(ParseCount("30an KK yg ada mbah2nya") == 30);
  CHECK(ParseCount("anak2e 12") == 12);
  // A 2 of its own, or inside a number, stays a number.
  CHECK(ParseCount("2") == 2);
  CHECK(ParseCount("kk 2") == 2);
  CHECK(ParseCount("12 kk") == 12);
}

TEST_CASE("Parsers: filler words", "[dialogs][parsers]") {
  CHECK(OnlyFillers("pak"));
  CHECK(OnlyFillers("mohon pak, tolong"));
  CHECK(OnlyFillers("kulo badhe"));
  CHECK_FALSE(OnlyFillers("jembatan pak"));
  CHECK(WithoutTrailingFillers("jembatan gantung pak") == "jembatan gantung");
  CHECK(WithoutTrailingFillers("depan rumah saya") == "depan rumah saya");
  CHECK(WithoutTrailingFillers("tidak tahu nggih bu.") == "tidak tahu");
}

TEST_CASE("Parsers: several labelled counts in one answer", "[dialogs][parsers]") {
  const std::vector<FigureLabels> fields = {
      {"households", {{"kk"}, {"kepala", "keluarga"}}},
      {"rtm", {{"rtm"}, {"miskin"}, {"kk", "miskin"}}},
      {"women", {{"perempuan"}, {"ibu", "ibu"}}},
  };
  using Values = std::vector<std::pair<std::string, int64_t>>;
  struct {
    const char* text;
    Values values;
    std::vector<int64_t> unlabelled;
  } cases[] = {
      {"40 KK, 12 miskin, 20 perempuan", {{"households", 40}, {"rtm", 12}, {"women", 20}}, {}},
      {"kk 40 miskin 12 perempuan 20", {{"households", 40}, {"rtm", 12}, {"women", 20}}, {}},
      {"40kk 12rtm 20 ibu2", {{"households", 40}, {"rtm", 12}, {"women", 20}}, {}},
      {"100 kk, 30 kk miskin", {{"households", 100}, {"rtm", 30}}, {}},
      {"jalan 300 meter, Rp 5 juta, 40 kk", {{"households", 40}}, {}},
      {"jalan rusak sepanjang 300 meter", {}, {}},
      {"40, 12 miskin", {{"rtm", 12}}, {40}},
      {"40 kk atau 50 kk", {}, {}},  // two values for one field: neither
      {"dua puluh orang perempuan", {{"women", 20}}, {}},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    Figures f = ParseFigures(c.text, fields);
    CHECK(f.values == c.values);
    CHECK(f.unlabelled == c.unlabelled);
  }
}

TEST_CASE("Parsers: the new value in a correction", "[dialogs][parsers]") {
  struct {
    const char* rest;
    const char* value;
  } cases[] = {
      {"salah, harusnya Kaotan", "Kaotan"},
      {"nya 45", "45"},
      {"nya salah, yg benar 50 pak", "50"},
      {"diganti sumur bor", "sumur bor"},
      {"bukan Gitik, tp Kaotan", "Kaotan"},
      {"salah", ""},
      {"5 juta", "5 juta"},
  };
  for (const auto& c : cases) {
    INFO(c.rest);
    CHECK(CorrectedValue(c.rest) == c.value);
  }
  CHECK(HasCorrectionMarker("bukan gitik tp kaotan"));
  CHECK_FALSE(HasCorrectionMarker("sudah benar pak"));
}

}  // namespace
}  // namespace suaradesa::dialogs
