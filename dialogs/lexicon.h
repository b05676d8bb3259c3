// The word lists that keyword matching uses to read villagers as they write
// (dialogs/lexicon.json, compiled in): extra SMS abbreviations, courtesy
// words stripped from the start of a keyword line, real words that are
// never read as a typo of a keyword, spam words that keep free text out of
// the dialogs, regional words for the intents, and the stemmer's affixes and
// exceptions. Data about how people write, not user-visible text.
//
// Thread safety: DefaultLexicon() is built once on first use and never
// changed afterwards.
#ifndef SUARADESA_DIALOGS_LEXICON_H_
#define SUARADESA_DIALOGS_LEXICON_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace suaradesa::dialogs {

struct Lexicon {
  std::map<std::string, std::string, std::less<>> abbreviations;  // word -> words
  std::set<std::string, std::less<>> courtesy;
  std::set<std::string, std::less<>> protected_words;
  std::set<std::string, std::less<>> spam_words;
  // Words of the programme that keep a spam word from marking a message as
  // spam ("pinjaman SPP" is an SPP loan, not an advertisement).
  std::set<std::string, std::less<>> spam_exceptions;
  // Words that are no answer to a question on their own (parsers/fillers.h):
  // anywhere, and only when nothing else is written.
  std::set<std::string, std::less<>> answer_fillers;
  std::set<std::string, std::less<>> answer_fillers_alone;
  // Whole answers that skip a skippable question ("lewati", "gk tau" once
  // abbreviations are expanded), normalised.
  std::set<std::string, std::less<>> skip_answers;
  std::map<std::string, std::string, std::less<>> regional;  // word -> intent word
  // A regional word that means its intent word only right before one of
  // `before` (compared with the next word's forms): Lampung "mak" is "not"
  // in "mak usah", and a mother in "mak saya".
  struct RegionalBefore {
    std::string as;
    std::set<std::string, std::less<>> before;
  };
  std::map<std::string, RegionalBefore, std::less<>> regional_before;
  std::vector<std::pair<std::string, std::string>> prefixes;  // strip, put back
  std::vector<std::string> suffixes;
  std::set<std::string, std::less<>> stem_exceptions;
  size_t min_stem = 3;
};

// What `word` (as written) means right before a word whose forms are
// `next_forms`, by regional_before ("mak" before "usah": "tidak"); empty if
// nothing.
std::string_view MeaningBefore(const Lexicon& lex, std::string_view word,
                               const std::vector<std::string>& next_forms);

// Parses lexicon.json; nullopt (and `error` set) if it is malformed.
std::optional<Lexicon> ParseLexicon(std::string_view json_text,
                                    std::string* error);

// The compiled-in lexicon. A malformed lexicon.json fails the build's tests
// (lexicon_test), and yields an empty lexicon here rather than a crash.
const Lexicon& DefaultLexicon();

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_LEXICON_H_
