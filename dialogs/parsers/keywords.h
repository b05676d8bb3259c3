// Keyword and ticket recognition for inbound messages.
//
// A keyword is one or more words ("usul", "jangan kirim"). It matches a
// message when the message's normalised, abbreviation-expanded words start
// with the keyword's words: "USUL: jembatan gantung" matches "usul" with the
// rest "jembatan gantung". Matching is case-insensitive and ignores
// punctuation. This is a first version; fuzzy matching (typos) comes later.
//
// Tickets are USL-<n> (usulan) and ADU-<n> (pengaduan), read tolerantly:
// "adu 45", "ADU45", "adu-45", "#ADU-45".
//
// Thread safety: all functions are pure.
#ifndef SUARADESA_DIALOGS_PARSERS_KEYWORDS_H_
#define SUARADESA_DIALOGS_PARSERS_KEYWORDS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suaradesa::dialogs {

// The normalised words of a keyword as written in a flow file; empty if the
// keyword has no letters or digits.
std::vector<std::string> KeywordWords(std::string_view keyword);

struct KeywordMatch {
  size_t keyword_index = 0;  // into the `keywords` argument
  std::string rest;          // the original text after the keyword, trimmed
  bool alone = false;        // nothing but the keyword was written
};

// Returns the first keyword (in the order given) that the message starts
// with, or nullopt. `keywords` are KeywordWords() results.
std::optional<KeywordMatch> MatchLeadingKeyword(
    std::string_view text, const std::vector<std::vector<std::string>>& keywords);

// Returns the canonical ticket ("ADU-45", "USL-3") if the whole text is a
// ticket reference, else nullopt.
std::optional<std::string> ParseTicket(std::string_view text);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_KEYWORDS_H_
