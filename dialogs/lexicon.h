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

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace suaradesa::dialogs {

// Hash sets and maps of words, asked with a string_view: keyword matching
// looks every word of every message up in several of them.
struct WordHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using WordSet = std::unordered_set<std::string, WordHash, std::equal_to<>>;
template <typename V>
using WordMapOf = std::unordered_map<std::string, V, WordHash, std::equal_to<>>;
using WordMap = WordMapOf<std::string>;

struct Lexicon {
  WordMap abbreviations;  // word -> words
  // A word that voice typing writes in pieces ("mus des" -> "musdes"):
  // two or three consecutive words, joined by one space, -> the word.
  WordMap split_words;
  WordSet split_first_pieces;  // the first word of each of split_words
  WordSet courtesy;
  WordSet protected_words;
  WordSet spam_words;
  // Words of the programme that keep a spam word from marking a message as
  // spam ("pinjaman SPP" is an SPP loan, not an advertisement).
  WordSet spam_exceptions;
  // Words that are no answer to a question on their own (parsers/fillers.h):
  // anywhere, and only when nothing else is written.
  WordSet answer_fillers;
  WordSet answer_fillers_alone;
  // Whole answers that skip a skippable question ("lewati", "gk tau" once
  // abbreviations are expanded), normalised.
  WordSet skip_answers;
  WordMap regional;  // word -> intent word
  // A regional word that means its intent word only right before one of
  // `before` (compared with the next word's forms): Lampung "mak" is "not"
  // in "mak usah", and a mother in "mak saya".
  struct RegionalBefore {
    std::string as;
    WordSet before;
  };
  WordMapOf<RegionalBefore> regional_before;
  std::vector<std::pair<std::string, std::string>> prefixes;  // strip, put back
  std::vector<std::string> suffixes;
  WordSet stem_exceptions;
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
