// Normalisation, word forms and the lexicon, as keyword matching uses them:
// look-alike characters, repeated letters, courtesy openers, chat affixes,
// regional words, and the real words that must never be read as a typo.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "dialogs/lexicon.h"
#include "dialogs/normalize.h"
#include "dialogs/parsers/keywords.h"
#include "dialogs/stemmer.h"

namespace suaradesa::dialogs {
namespace {

TEST_CASE("Normalize: look-alike characters fold to ASCII", "[dialogs][normalize]") {
  CHECK(FoldCompatibility("\xEF\xBC\xB5\xEF\xBC\xB3\xEF\xBC\xB5\xEF\xBC\xAC\xE3\x80\x80"
                          "\xEF\xBD\x8A\xEF\xBD\x81") == "USUL ja");  // ＵＳＵＬ　ｊａ
  CHECK(FoldCompatibility("\xE2\x93\xA4\xE2\x93\xA2\xE2\x93\xA4\xE2\x93\x9B") ==
        "usul");  // ⓤⓢⓤⓛ
  CHECK(FoldCompatibility("\xE2\x92\xB6") == "A");  // Ⓐ
  CHECK(FoldCompatibility("\xF0\x9D\x90\x94\xF0\x9D\x90\x92\xF0\x9D\x90\x94"
                          "\xF0\x9D\x90\x8B") == "USUL");  // 𝐔𝐒𝐔𝐋
  CHECK(FoldCompatibility("\xF0\x9D\x97\xB9") == "l");     // 𝗹 (sans-serif bold)
  CHECK(FoldCompatibility("\xF0\x9D\x9F\x8F") == "1");     // 𝟏
  CHECK(FoldCompatibility("caf\xC3\xA9 \xC3\x80") == "cafe A");
  CHECK(FoldCompatibility("us\xE2\x80\x8Bul") == "usul");  // zero-width space
  // Everything else passes through, invalid bytes included.
  CHECK(FoldCompatibility("jalan \xF0\x9F\x99\x8F") == "jalan \xF0\x9F\x99\x8F");
  CHECK(FoldCompatibility("a\xFF" "b") == "a\xFF" "b");
  CHECK(FoldCompatibility("\xE2\x93") == "\xE2\x93");
}

TEST_CASE("Normalize: runs of three letters are squeezed, pairs kept",
          "[dialogs][normalize]") {
  CHECK(SqueezeRepeats("tolooong") == "tolong");
  CHECK(SqueezeRepeats("LAPOOOR") == "LAPOR");
  CHECK(SqueezeRepeats("maaf") == "maaf");
  CHECK(SqueezeRepeats("maaaaf", 2) == "maaf");
  CHECK(SqueezeRepeats("1000") == "1000");  // digits are not letters
}

TEST_CASE("Lexicon: the compiled-in word lists load", "[dialogs][normalize]") {
  const Lexicon& lex = DefaultLexicon();
  CHECK(lex.courtesy.contains("pak"));
  CHECK(lex.courtesy.contains("assalamualaikum"));
  CHECK(lex.protected_words.contains("rabat"));
  CHECK(lex.spam_words.contains("pinjaman"));
  CHECK(lex.abbreviations.contains("pingin"));
  CHECK_FALSE(lex.prefixes.empty());
  CHECK_FALSE(lex.suffixes.empty());
  std::string error;
  CHECK_FALSE(ParseLexicon("{\"courtesy\": \"pak\"}", &error));
  CHECK_FALSE(error.empty());
  CHECK_FALSE(ParseLexicon("[1", &error));
  CHECK(ParseLexicon("{}", &error));
  // A word read as another only before some words: both parts required.
  CHECK(lex.regional_before.at("mak").before.contains("usah"));
  CHECK_FALSE(ParseLexicon(R"({"regional_before": {"mak": {"as": "tidak"}}})", &error));
  CHECK_FALSE(ParseLexicon(R"({"regional_before": {"mak": {"before": ["usah"]}}})", &error));
  auto parsed = ParseLexicon(R"({"regional_before": {"no": {"as": "tidak", "before": ["usah"]}}})",
                             &error);
  REQUIRE(parsed);
  CHECK(parsed->regional_before.at("no").as == "tidak");
}

bool Same(std::string_view typed, std::string_view keyword) {
  const Lexicon& lex = DefaultLexicon();
  return SameWordForm(WordForms(typed, lex), WordForms(keyword, lex));
}

TEST_CASE("Stemmer: chat affixes and regional words reach the keyword",
          "[dialogs][normalize]") {
  CHECK(Same("ngusulin", "usul"));
  CHECK(Same("diusulin", "usul"));
  CHECK(Same("ngusulkeun", "usul"));
  CHECK(Same("usulannya", "usulan"));
  CHECK(Same("aduannya", "aduan"));
  CHECK(Same("ngadu", "adu"));
  CHECK(Same("ngelaporin", "lapor"));
  CHECK(Same("laporanku", "laporan"));
  CHECK(Same("rapatnya", "rapat"));
  CHECK(Same("wadul", "adu"));
  CHECK(Same("mad", "musyawarah"));
  CHECK(Same("batalin", "batal"));
  // Exceptions and protected words stay themselves.
  CHECK_FALSE(Same("menu", "nu"));
  CHECK_FALSE(Same("simpang", "menyimpang"));
  CHECK_FALSE(Same("rabat", "rapat"));
  CHECK(WordForms("rt02", DefaultLexicon()) == std::vector<std::string>{"rt02"});
}

TEST_CASE("Keywords: a typo never turns a real word into another intent",
          "[dialogs][normalize]") {
  CHECK_FALSE(WordMatches("rapat", "rabat"));
  CHECK_FALSE(WordMatches("protes", "proses"));
  CHECK_FALSE(WordMatches("uang", "yang"));   // the first letter differs
  CHECK(WordMatches("lapor", "laopr"));       // still a typo
  CHECK(WordMatches("rapat", "rapar"));
  const KeywordList protes = {KeywordWords("protes")};
  CHECK_FALSE(FindKeyword("Proses cepat", protes));
  const KeywordList uang = {KeywordWords("minta uang")};
  CHECK_FALSE(FindKeyword("minta yang banyak", uang));
  CHECK(FindKeyword("minta uang banyak", uang));
}

TEST_CASE("Keywords: courtesy openers, look-alikes and word forms",
          "[dialogs][normalize]") {
  const KeywordList kws = {KeywordWords("usul"),
                                               KeywordWords("adu")};
  struct Case {
    const char* text;
    int index;  // -1: no match
    const char* rest;
    bool alone;
  };
  const Case cases[] = {
      {"pak usul jembatan gantung", 0, "jembatan gantung", false},
      {"Assalamualaikum pak, mohon maaf, usul: sumur", 0, "sumur", false},
      {"Usul pak", 0, "", true},
      {"mohon maaf usul ya pak", 0, "", true},
      {"\xEF\xBC\xB5\xEF\xBC\xB3\xEF\xBC\xB5\xEF\xBC\xAC\xE3\x80\x80"
       "\xEF\xBD\x8A\xEF\xBD\x81\xEF\xBD\x8C\xEF\xBD\x81\xEF\xBD\x8E",
       0, "jalan", false},
      {"usuuul drainase", 0, "drainase", false},
      {"ngusulin beasiswa", 0, "beasiswa", false},
      {"ngadu pak", 1, "", true},
      {"pak saya usul", -1, "", false},  // "saya" is not a courtesy word
      {"pak", -1, "", false},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    std::optional<KeywordMatch> m = MatchLeadingKeyword(c.text, kws);
    if (c.index < 0) {
      CHECK_FALSE(m.has_value());
      continue;
    }
    REQUIRE(m.has_value());
    CHECK(m->keyword_index == static_cast<size_t>(c.index));
    CHECK(m->rest == c.rest);
    CHECK(m->alone == c.alone);
  }
  CHECK(KeywordText("pengajuan pinjaman cepat").spam());
  CHECK_FALSE(KeywordText("pengajuan proposal").spam());
}

TEST_CASE("KeywordText: a word voice typing wrote in pieces is one word", "[dialogs]") {
  // "mus des" is "musdes" (lexicon split_words), from its first piece.
  KeywordText t("besok ada mus des kah");
  REQUIRE(t.tokens().size() == 4);
  CHECK(t.tokens()[2].word == "musdes");
  CHECK(t.tokens()[2].raw == 2);
  CHECK(t.tokens()[3].word == "kah");
  CHECK(t.tokens()[3].raw == 4);
  CHECK(t.raw_count() == 5);
  // Three pieces.
  KeywordText mkp("rapat m k p kapan");
  REQUIRE(mkp.tokens().size() == 3);
  CHECK(mkp.tokens()[1].word == "mkp");
  // Not across a sentence's end, and a first piece alone stays itself.
  KeywordText apart("siapa yang ikut mus? des sudah");
  CHECK(std::none_of(apart.tokens().begin(), apart.tokens().end(),
                     [](const KeywordText::Token& k) { return k.word == "musdes"; }));
  CHECK(KeywordText("mus").tokens().front().word == "mus");
}

}  // namespace
}  // namespace suaradesa::dialogs
