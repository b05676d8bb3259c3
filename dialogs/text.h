// Text helpers shared by the dialog parsers and the engine.
//
// Messages arrive as typed on feature phones and chat apps: any case, stray
// punctuation, SMS abbreviations ("sy", "yg", "tdk"). NormalizeText turns a
// message into lowercase words separated by single spaces so that parsers
// and keyword matching compare like with like. Bytes >= 0x80 (UTF-8) are kept
// as part of words; only ASCII is case-folded.
//
// Also here: a JSON parse that reports the parser's message instead of
// throwing, used for flows and catalogues.
//
// Thread safety: all functions are pure.
#ifndef SUARADESA_DIALOGS_TEXT_H_
#define SUARADESA_DIALOGS_TEXT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace suaradesa::dialogs {

// ASCII lowercase; other bytes unchanged.
std::string Lowercase(std::string_view text);

// Strips leading and trailing ASCII whitespace.
std::string Trim(std::string_view text);

// Lowercases, turns every ASCII character that is not a letter or digit into
// a space, and collapses runs of spaces. "USUL: Jembatan!!" -> "usul jembatan".
std::string NormalizeText(std::string_view text);

// NormalizeText, then split on spaces. Never returns empty words.
std::vector<std::string> Words(std::string_view text);
// Words(text).size(), without building the words.
size_t WordCount(std::string_view text);

// A piece of a message between two breaks, trimmed, and the break that
// ended it ('\0' for the end of the text).
struct TextPiece {
  std::string text;
  char end = '\0';
};
// The pieces of `text` between any of the characters of `breaks` or a line
// break; empty pieces are left out. SplitAt("ok. tapi?", ".?") is
// {"ok", '.'}, {"tapi", '?'}.
std::vector<TextPiece> SplitAt(std::string_view text, std::string_view breaks);

// Whether `word` (lowercased, as tokens are) holds a letter a-z.
bool HasLetter(std::string_view word);

// Whether `s` is one or more ASCII digits and nothing else.
bool AllDigits(std::string_view s);

// Replaces common SMS abbreviations word by word in already normalised text
// ("sy" -> "saya", "yg" -> "yang", "tdk" -> "tidak") and expands the
// reduplication digit ("ibu2" -> "ibu ibu").
std::string ExpandAbbreviations(std::string_view normalized);

// True if every character of the UTF-8 `text` is in the GSM 03.38 default
// alphabet (basic set plus the extension table), so an SMS stays in 7-bit.
bool IsGsm7(std::string_view text);

// Truncates UTF-8 text to at most `max_bytes`, never splitting a character.
std::string TruncateUtf8(std::string_view text, size_t max_bytes);

// Parses JSON without throwing. On failure returns nullopt and, if `error`
// is not null, sets it to the parser's message (with line and column).
std::optional<nlohmann::json> ParseJson(std::string_view text,
                                        std::string* error);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_TEXT_H_
