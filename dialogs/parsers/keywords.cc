// Keyword matching works on expanded words, and maps the number of matched
// words back to a position in the original text so that the rest keeps the
// person's own spelling and capitals (it may become a case field).
#include "dialogs/parsers/keywords.h"

#include <cctype>

#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

bool IsWordByte(unsigned char c) {
  return c >= 0x80 || std::isalnum(c) != 0;
}

// Byte offset in `text` just after the first `n` raw words.
size_t OffsetAfterWords(std::string_view text, size_t n) {
  size_t i = 0;
  for (size_t w = 0; w < n; ++w) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i])))
      ++i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i])))
      ++i;
  }
  return i;
}

// Strips separators people put between a keyword and its content
// ("USUL: ...", "USUL - ...", "USUL#...").
std::string TrimRest(std::string_view rest) {
  size_t i = 0;
  while (i < rest.size()) {
    char c = rest[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' ||
        c == '-' || c == '#' || c == ',' || c == '.' || c == ';' || c == '=') {
      ++i;
    } else {
      break;
    }
  }
  return Trim(rest.substr(i));
}

}  // namespace

std::vector<std::string> KeywordWords(std::string_view keyword) {
  return Words(keyword);
}

std::optional<KeywordMatch> MatchLeadingKeyword(
    std::string_view text,
    const std::vector<std::vector<std::string>>& keywords) {
  std::vector<std::string> raw = Words(text);
  if (raw.empty()) return std::nullopt;
  for (size_t k = 0; k < keywords.size(); ++k) {
    const std::vector<std::string>& kw = keywords[k];
    if (kw.empty()) continue;
    // Compare raw words first, then their expansions, so that both "tdk" as
    // a keyword and "jgn kirim" for "jangan kirim" work. Expansion is per
    // raw word; an expansion may be several words ("mksh").
    size_t raw_used = 0;
    size_t kw_pos = 0;
    bool ok = true;
    while (kw_pos < kw.size()) {
      if (raw_used >= raw.size()) {
        ok = false;
        break;
      }
      const std::string& word = raw[raw_used];
      if (word == kw[kw_pos]) {
        ++raw_used;
        ++kw_pos;
        continue;
      }
      std::vector<std::string> expanded = Words(ExpandAbbreviations(word));
      if (expanded.size() > kw.size() - kw_pos) {
        ok = false;
        break;
      }
      for (const std::string& e : expanded) {
        if (e != kw[kw_pos]) {
          ok = false;
          break;
        }
        ++kw_pos;
      }
      if (!ok) break;
      ++raw_used;
    }
    if (!ok) continue;
    KeywordMatch match;
    match.keyword_index = k;
    match.rest = TrimRest(text.substr(OffsetAfterWords(text, raw_used)));
    // "lapor!" has no content after the keyword.
    if (NormalizeText(match.rest).empty()) match.rest.clear();
    match.alone = raw_used == raw.size();
    return match;
  }
  return std::nullopt;
}

std::optional<std::string> ParseTicket(std::string_view text) {
  std::string s = Lowercase(Trim(text));
  size_t i = 0;
  if (i < s.size() && s[i] == '#') ++i;
  std::string prefix;
  if (s.compare(i, 3, "adu") == 0) {
    prefix = "ADU";
  } else if (s.compare(i, 3, "usl") == 0) {
    prefix = "USL";
  } else {
    return std::nullopt;
  }
  i += 3;
  while (i < s.size() && (s[i] == ' ' || s[i] == '-' || s[i] == '.' ||
                          s[i] == '#' || s[i] == ':')) {
    ++i;
  }
  size_t digits_begin = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == digits_begin || i - digits_begin > 9) return std::nullopt;
  std::string digits = s.substr(digits_begin, i - digits_begin);
  // Allow trailing punctuation ("ADU-12?"), nothing else.
  for (; i < s.size(); ++i) {
    if (IsWordByte(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  size_t nz = digits.find_first_not_of('0');
  if (nz == std::string::npos) return std::nullopt;  // "ADU-0"
  return prefix + "-" + digits.substr(nz);
}

}  // namespace suaradesa::dialogs
