// Keyword and ticket recognition for inbound messages.
//
// A keyword is one or more words ("usul", "jangan kirim"). The message is
// normalised first (dialogs/normalize.h: look-alike characters folded,
// "tolooong" squeezed), then both the keyword and the message are lowercased,
// punctuation dropped and SMS abbreviations expanded ("jgn" -> "jangan",
// "sy" -> "saya", and those of dialogs/lexicon.json) before they are
// compared. A typed word matches a keyword word when they are equal, when
// they share a word form (dialogs/stemmer.h: "ngusulin" and "usul",
// "aduannya" and "aduan", "wadul" and "adu"), or with one typo: a word of
// four or more letters at Damerau-Levenshtein distance <= 1 ("usull",
// "laopr", "berhnti") with the same first letter, unless the typed word is a
// real word: listed in `not_keywords` (such as "bata" for "batal") or in the
// lexicon's protected words ("rabat" is not "rapat", "proses" not "protes").
//
// MatchLeadingKeyword finds a keyword at the start of the message, after any
// courtesy words (the lexicon's "courtesy" list, dialogs/lexicon.json); the
// words after the keyword are its rest. Courtesy words alone after a keyword
// are no rest: the keyword counts as alone.
// FindKeyword finds the earliest keyword anywhere in the message, with the
// words after it as its rest.
//
// Tickets are USL-<n> (usulan) and ADU-<n> (pengaduan), read tolerantly:
// "adu 45", "ADU45", "adu-45", "#ADU-45".
//
// Thread safety: all functions are pure.
#ifndef SUARADESA_DIALOGS_PARSERS_KEYWORDS_H_
#define SUARADESA_DIALOGS_PARSERS_KEYWORDS_H_

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/parsers/keyword_list.h"

namespace suaradesa::dialogs {

// The normalised, abbreviation-expanded words of a keyword as written in a
// flow file; empty if the keyword has no letters or digits.
std::vector<std::string> KeywordWords(std::string_view keyword);

// Optimal string alignment distance (Damerau-Levenshtein with adjacent
// transpositions), capped: returns at most `cap + 1`.
int EditDistance(std::string_view a, std::string_view b, int cap = 2);
// EditDistance(a, b, 1) <= 1 without allocating: WordMatches asks it of
// every keyword word for every message.
bool WithinOneEdit(std::string_view a, std::string_view b);

// True if the typed (normalised) word counts as the keyword word: equal, or
// one edit away when both have at least four letters and the typed word is
// not in `not_keywords` nor a protected word of the lexicon, and the first
// letters agree ("yang" is not "uang").
bool WordMatches(std::string_view keyword_word, std::string_view typed,
                 const std::set<std::string>& not_keywords = {});

struct KeywordMatch {
  size_t keyword_index = 0;  // into the `keywords` argument
  size_t position = 0;       // the raw word the keyword starts at
  size_t length = 0;         // how many expanded words it covers
  int typos = 0;             // words matched with one edit
  std::string rest;          // the original text after the keyword, trimmed
  bool alone = false;        // nothing but the keyword (and courtesy words)
  bool colon = false;        // a colon follows the keyword ("ADUAN: ..."), as taught
};

// A message split once into its expanded words, each with the raw word it
// came from, so that it can be matched against many keyword lists (the
// dialog engine asks every flow) without splitting it again each time.
class KeywordText {
 public:
  explicit KeywordText(std::string_view text);

  const std::string& text() const { return text_; }
  // How many raw words the message has ("sy2" is one raw word).
  size_t raw_count() const { return raw_count_; }

  // The message after FoldCompatibility: the raw words and the rest of a
  // match are read from it.
  const std::string& folded() const { return folded_; }

  struct Token {
    std::string word;                // expanded, normalised
    size_t raw = 0;                  // index of the raw word it came from
    std::string written;             // that raw word, before abbreviations
    std::vector<std::string> forms;  // WordForms(word), squeezed variants
    bool courtesy = false;           // a courtesy word of the lexicon
    std::vector<size_t> form_hashes; // FormHash of each of forms
    size_t sentence = 0;             // sentences ("?" or "!") before it
    std::string meaning;             // a regional word's meaning before the
                                     // next word ("seng ada": "tidak"), or ""
  };
  const std::vector<Token>& tokens() const { return tokens_; }
  // The first token that is not a courtesy word (tokens().size() if none).
  size_t lead() const { return lead_; }
  // A spam word of the lexicon ("pinjaman", "undian") is in the message.
  bool spam() const { return spam_; }

 private:
  std::string text_;
  std::string folded_;
  size_t lead_ = 0;
  bool spam_ = false;
  std::vector<Token> tokens_;
  size_t raw_count_ = 0;
};

// True when `phrase` (words as KeywordWords gives them) appears in `tokens`
// as consecutive words, compared exactly (no word forms, no typos).
bool ContainsPhrase(const std::vector<KeywordText::Token>& tokens,
                    const std::vector<std::string>& phrase);

// Returns the first keyword (in the order given) that the message starts
// with, or nullopt. `keywords` are KeywordWords() results.
std::optional<KeywordMatch> MatchLeadingKeyword(
    const KeywordText& text, const KeywordList& keywords,
    const std::set<std::string>& not_keywords = {});
std::optional<KeywordMatch> MatchLeadingKeyword(
    std::string_view text, const KeywordList& keywords,
    const std::set<std::string>& not_keywords = {});

// Returns the keyword that starts earliest in the message (the longest one
// when several start at the same word, then the one with fewer typos), or
// nullopt. `from`: the first token where a keyword may start.
std::optional<KeywordMatch> FindKeyword(
    const KeywordText& text, const KeywordList& keywords,
    const std::set<std::string>& not_keywords = {}, size_t from = 0);
std::optional<KeywordMatch> FindKeyword(
    std::string_view text, const KeywordList& keywords,
    const std::set<std::string>& not_keywords = {});

// Every entry of `keywords` that stands in the message, in list order, each
// where it first stands (as FindKeyword would find it were it the only
// entry).
std::vector<KeywordMatch> FindEach(const KeywordText& text, const KeywordList& keywords,
                                   const std::set<std::string>& not_keywords = {});

// Returns the canonical ticket ("ADU-45", "USL-3") if the whole text is a
// ticket reference, else nullopt.
std::optional<std::string> ParseTicket(std::string_view text);

// A ticket at the start of the text, and what follows it:
// "ADU-12 sudah kami cek" -> {"ADU-12", "sudah kami cek"}.
struct LeadingTicket {
  std::string ticket;
  std::string rest;
};
std::optional<LeadingTicket> ParseLeadingTicket(std::string_view text);

// A bare case number without prefix ("12", "#12", "no 12"), as in "CEK 12".
std::optional<long long> ParseBareCaseNumber(std::string_view text);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_KEYWORDS_H_
