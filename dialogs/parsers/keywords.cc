// Keyword matching works on expanded words, and maps each expanded word
// back to the raw word it came from, so that the rest keeps the person's own
// spelling and capitals (it may become a case field).
#include "dialogs/parsers/keywords.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>
#include <utility>

#include "dialogs/lexicon.h"
#include "dialogs/normalize.h"
#include "dialogs/stemmer.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

bool IsWordByte(unsigned char c) {
  return c >= 0x80 || std::isalnum(c) != 0;
}

bool AllLetters(std::string_view w) {
  for (char c : w) {
    if (c < 'a' || c > 'z') return false;
  }
  return !w.empty();
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
        c == '-' || c == '#' || c == ',' || c == '.' || c == ';' || c == '=' ||
        c == '!' || c == '?') {
      ++i;
    } else {
      break;
    }
  }
  return Trim(rest.substr(i));
}

using Token = KeywordText::Token;

// Word `j` of entry `k` is the typed word or one of its forms.
bool SameForm(const KeywordList& list, size_t k, size_t j, const Token& token) {
  // Each side's first form is its word itself.
  const std::vector<size_t>& hashes = list.form_hashes(k, j);
  for (size_t a = 0; a < token.form_hashes.size(); ++a) {
    for (size_t b = 0; b < hashes.size(); ++b) {
      if (token.form_hashes[a] == hashes[b] && token.forms[a] == list.forms(k, j)[b]) return true;
    }
  }
  return false;
}

bool MatchesAt(const std::vector<Token>& tokens, size_t at, const KeywordList& list, size_t k,
               const std::set<std::string>& not_keywords) {
  const std::vector<std::string>& kw = list[k];
  if (kw.empty() || at + kw.size() > tokens.size()) return false;
  for (size_t j = 0; j < kw.size(); ++j) {
    const Token& token = tokens[at + j];
    // A word the list says is not its keyword matches only itself
    // ("dihentikan" shares "henti" with "berhenti", yet stops no SMS).
    if (not_keywords.contains(token.word) && token.word != kw[j]) return false;
    if (!SameForm(list, k, j, token) && !WordMatches(kw[j], token.word, not_keywords)) {
      return false;
    }
  }
  return true;
}

int Typos(const std::vector<Token>& tokens, size_t at, const KeywordList& list, size_t k) {
  int typos = 0;
  for (size_t j = 0; j < list[k].size(); ++j) typos += !SameForm(list, k, j, tokens[at + j]);
  return typos;
}

// The entries that may start at token `at`, in list order: all of a short
// list, the index's candidates of a long one.
void EntriesAt(const std::vector<Token>& tokens, size_t at, const KeywordList& list,
               std::vector<uint32_t>* out) {
  out->clear();
  // Below this many entries, comparing each costs less than the index.
  constexpr size_t kIndexFrom = 8;
  if (list.size() < kIndexFrom) {
    for (size_t k = 0; k < list.size(); ++k) out->push_back(static_cast<uint32_t>(k));
    return;
  }
  list.Candidates(tokens[at].word, tokens[at].form_hashes, out);
}

// True if every token in [from, to) is a courtesy word.
bool AllCourtesy(const std::vector<Token>& tokens, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    if (!tokens[i].courtesy) return false;
  }
  return true;
}

KeywordMatch MakeMatch(std::string_view text, const std::vector<Token>& tokens,
                       size_t raw_count, size_t k, size_t at, size_t len,
                       int typos) {
  KeywordMatch match;
  match.typos = typos;
  match.keyword_index = k;
  match.position = tokens[at].raw;
  match.length = len;
  size_t last_raw = tokens[at + len - 1].raw;
  const std::string_view following = text.substr(OffsetAfterWords(text, last_raw + 1));
  const size_t mark = following.find_first_not_of(" \t");
  match.colon = mark != std::string_view::npos && following[mark] == ':';
  match.rest = TrimRest(following);
  // "lapor!" and "usul pak" have no content after the keyword.
  size_t after = at + len;
  while (after < tokens.size() && tokens[after].raw == last_raw) ++after;
  bool courtesy_after = AllCourtesy(tokens, after, tokens.size());
  if (NormalizeText(match.rest).empty() || courtesy_after) match.rest.clear();
  match.alone = (match.position == 0 || AllCourtesy(tokens, 0, at)) &&
                (last_raw + 1 == raw_count || courtesy_after);
  return match;
}

}  // namespace

namespace {

// The sentence each raw word of `folded` stands in, counting a "?" or "!"
// as its end; all 0 where the counts would not line up with Words().
std::vector<size_t> SentenceOfRawWords(std::string_view folded, size_t raw_count) {
  std::vector<size_t> out(raw_count, 0);
  if (folded.find_first_of("?!") == std::string_view::npos) return out;
  out.clear();
  size_t sentence = 0;
  size_t start = 0;
  for (size_t i = 0; i <= folded.size(); ++i) {
    if (i < folded.size() && folded[i] != '?' && folded[i] != '!') continue;
    const size_t n = Words(folded.substr(start, i - start)).size();
    out.insert(out.end(), n, sentence);
    if (n > 0) ++sentence;
    start = i + 1;
  }
  if (out.size() != raw_count) out.assign(raw_count, 0);
  return out;
}

}  // namespace

// The most words a split word is written in ("m k p").
constexpr size_t kMostPieces = 3;

KeywordText::KeywordText(std::string_view text)
    : text_(text), folded_(FoldCompatibility(text)) {
  const Lexicon& lex = DefaultLexicon();
  std::vector<std::string> raw = Words(folded_);
  raw_count_ = raw.size();
  const std::vector<size_t> sentences = SentenceOfRawWords(folded_, raw_count_);
  bool programme = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    const size_t at = i;
    std::string written = raw[i];
    std::string squeezed = SqueezeRepeats(raw[i], 1);
    // "mus des", "m k p": a word voice typing wrote in pieces is that word,
    // from its first piece (within one sentence).
    for (size_t n = kMostPieces; n >= 2 && lex.split_first_pieces.contains(squeezed); --n) {
      if (i + n > raw.size() || sentences[i + n - 1] != sentences[i]) continue;
      std::string pieces = squeezed;
      for (size_t k = 1; k < n; ++k) pieces += " " + SqueezeRepeats(raw[i + k], 1);
      if (auto joined = lex.split_words.find(pieces); joined != lex.split_words.end()) {
        squeezed = joined->second;
        written = joined->second;
        i += n - 1;
        break;
      }
    }
    auto abbr = lex.abbreviations.find(squeezed);
    std::string expanded =
        ExpandAbbreviations(abbr != lex.abbreviations.end() ? abbr->second : squeezed);
    for (std::string& w : Words(expanded)) {
      Token token{std::move(w), at, written, {}, false, {}, sentences[at], {}};
      token.forms = WordForms(token.word, lex);
      // "maaaaf" may be "maaf": a run squeezed to two letters is a form too.
      std::string two = SqueezeRepeats(written, 2);
      if (two != squeezed && two != token.word) token.forms.push_back(two);
      token.courtesy = lex.courtesy.contains(token.word);
      spam_ = spam_ || lex.spam_words.contains(token.word);
      programme = programme || lex.spam_exceptions.contains(token.word);
      tokens_.push_back(std::move(token));
    }
  }
  spam_ = spam_ && !programme;
  for (size_t i = 0; i + 1 < tokens_.size(); ++i) {
    // As written: "no" is "nomor" once abbreviations are expanded.
    const std::string_view as = MeaningBefore(lex, tokens_[i].written, tokens_[i + 1].forms);
    if (!as.empty()) {
      tokens_[i].forms.emplace_back(as);
      tokens_[i].meaning = as;
    }
  }
  for (Token& token : tokens_) {
    for (const std::string& form : token.forms) token.form_hashes.push_back(FormHash(form));
  }
  while (lead_ < tokens_.size() && tokens_[lead_].courtesy) ++lead_;
}

std::vector<std::string> KeywordWords(std::string_view keyword) {
  return Words(ExpandAbbreviations(NormalizeText(keyword)));
}

int EditDistance(std::string_view a, std::string_view b, int cap) {
  int n = static_cast<int>(a.size());
  int m = static_cast<int>(b.size());
  if (std::abs(n - m) > cap) return cap + 1;
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int row_min = d[i][0];  // the empty prefix of b counts too (b may be empty)
    for (int j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, d[i - 2][j - 2] + 1);
      }
      d[i][j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > cap) return cap + 1;
  }
  return std::min(d[n][m], cap + 1);
}

bool WithinOneEdit(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);  // a is the longer one
  if (a.size() - b.size() > 1) return false;
  size_t i = 0;
  while (i < b.size() && a[i] == b[i]) ++i;
  if (i == b.size()) return true;  // equal, or a has one letter more at the end
  if (a.size() != b.size()) return a.substr(i + 1) == b.substr(i);  // one inserted
  if (a.substr(i + 1) == b.substr(i + 1)) return true;              // one replaced
  // Two neighbours swapped.
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
         a.substr(i + 2) == b.substr(i + 2);
}

// `typed` is `word` with one of its letters written twice ("usull") or two
// neighbours swapped ("uslu"): slips of the thumb that do not make a name.
bool ShortWordSlip(std::string_view word, std::string_view typed) {
  if (typed.size() == word.size()) {
    for (size_t i = 0; i + 1 < word.size(); ++i) {
      if (word[i] != typed[i]) {
        return word[i] == typed[i + 1] && word[i + 1] == typed[i] &&
               word.substr(i + 2) == typed.substr(i + 2);
      }
    }
    return false;
  }
  if (typed.size() != word.size() + 1) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (typed[i + 1] == word[i] && typed[i] == word[i] &&
        typed.substr(0, i) == word.substr(0, i) && typed.substr(i + 1) == word.substr(i)) {
      return true;
    }
  }
  return false;
}

bool WordMatches(std::string_view keyword_word, std::string_view typed,
                 const std::set<std::string>& not_keywords) {
  if (keyword_word == typed) return true;
  // One edit turns many short words into others ("john" is one letter
  // from "join", "stok" from "stop"): only longer keywords forgive a typo.
  if (keyword_word.size() < kMinTypoLength) return ShortWordSlip(keyword_word, typed);
  if (typed.size() + 1 < kMinTypoLength) return false;  // "krim" for "kirim"
  // A typo never changes the first letter ("yang" is not "uang"). The cheap
  // tests come first: most words are far from most keywords.
  if (keyword_word[0] != typed[0]) return false;
  if (!WithinOneEdit(keyword_word, typed)) return false;
  if (!AllLetters(keyword_word) || !AllLetters(typed)) return false;
  // A real word is never a typo ("rabat" is not "rapat").
  if (not_keywords.contains(std::string(typed))) return false;
  return !DefaultLexicon().protected_words.contains(typed);
}

std::optional<KeywordMatch> MatchLeadingKeyword(
    const KeywordText& message,
    const KeywordList& keywords,
    const std::set<std::string>& not_keywords) {
  const std::vector<Token>& tokens = message.tokens();
  const size_t at = message.lead();
  if (at >= tokens.size()) return std::nullopt;
  std::vector<uint32_t> entries;
  EntriesAt(tokens, at, keywords, &entries);
  for (const uint32_t k : entries) {
    if (MatchesAt(tokens, at, keywords, k, not_keywords)) {
      return MakeMatch(message.folded(), tokens, message.raw_count(), k, at,
                       keywords[k].size(), Typos(tokens, at, keywords, k));
    }
  }
  return std::nullopt;
}

std::optional<KeywordMatch> MatchLeadingKeyword(
    std::string_view text,
    const KeywordList& keywords,
    const std::set<std::string>& not_keywords) {
  return MatchLeadingKeyword(KeywordText(text), keywords, not_keywords);
}

std::optional<KeywordMatch> FindKeyword(
    std::string_view text,
    const KeywordList& keywords,
    const std::set<std::string>& not_keywords) {
  return FindKeyword(KeywordText(text), keywords, not_keywords);
}

std::optional<KeywordMatch> FindKeyword(
    const KeywordText& message,
    const KeywordList& keywords,
    const std::set<std::string>& not_keywords, size_t from) {
  const std::string& text = message.folded();
  const std::vector<Token>& tokens = message.tokens();
  const size_t raw_count = message.raw_count();
  std::vector<uint32_t> entries;
  for (size_t at = from; at < tokens.size(); ++at) {
    std::optional<size_t> best;
    int best_typos = 0;
    EntriesAt(tokens, at, keywords, &entries);
    for (const uint32_t k : entries) {
      if (!MatchesAt(tokens, at, keywords, k, not_keywords)) continue;
      int typos = Typos(tokens, at, keywords, k);
      if (!best || keywords[k].size() > keywords[*best].size() ||
          (keywords[k].size() == keywords[*best].size() && typos < best_typos)) {
        best = k;
        best_typos = typos;
      }
    }
    if (best) {
      return MakeMatch(text, tokens, raw_count, *best, at,
                       keywords[*best].size(), best_typos);
    }
  }
  return std::nullopt;
}

std::vector<KeywordMatch> FindEach(const KeywordText& message, const KeywordList& keywords,
                                   const std::set<std::string>& not_keywords) {
  const std::vector<Token>& tokens = message.tokens();
  constexpr size_t kNowhere = static_cast<size_t>(-1);
  std::vector<size_t> first_at(keywords.size(), kNowhere);
  std::vector<uint32_t> entries;
  for (size_t at = 0; at < tokens.size(); ++at) {
    EntriesAt(tokens, at, keywords, &entries);
    for (const uint32_t k : entries) {
      if (first_at[k] == kNowhere && MatchesAt(tokens, at, keywords, k, not_keywords)) {
        first_at[k] = at;
      }
    }
  }
  std::vector<KeywordMatch> out;
  for (size_t k = 0; k < keywords.size(); ++k) {
    if (first_at[k] == kNowhere) continue;
    out.push_back(MakeMatch(message.folded(), tokens, message.raw_count(), k, first_at[k],
                            keywords[k].size(), Typos(tokens, first_at[k], keywords, k)));
  }
  return out;
}

namespace {

// Reads "adu 12", "ADU-12", "#usl3" at the start of `s` (lowercase); sets
// `end` to just after the digits.
std::optional<std::string> TicketAt(const std::string& s, size_t* end) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
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
  // "adu 12pak" is not a ticket; "ADU-12?" is.
  if (i < s.size() && IsWordByte(static_cast<unsigned char>(s[i]))) {
    return std::nullopt;
  }
  std::string digits = s.substr(digits_begin, i - digits_begin);
  size_t nz = digits.find_first_not_of('0');
  if (nz == std::string::npos) return std::nullopt;  // "ADU-0"
  *end = i;
  return prefix + "-" + digits.substr(nz);
}

}  // namespace

std::optional<std::string> ParseTicket(std::string_view text) {
  std::string s = Lowercase(Trim(text));
  size_t end = 0;
  std::optional<std::string> ticket = TicketAt(s, &end);
  if (!ticket) return std::nullopt;
  // Allow trailing punctuation ("ADU-12?"), nothing else.
  for (size_t i = end; i < s.size(); ++i) {
    if (IsWordByte(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  return ticket;
}

std::optional<LeadingTicket> ParseLeadingTicket(std::string_view text) {
  std::string trimmed = Trim(text);
  std::string s = Lowercase(trimmed);
  size_t end = 0;
  std::optional<std::string> ticket = TicketAt(s, &end);
  if (!ticket) return std::nullopt;
  return LeadingTicket{*ticket, TrimRest(std::string_view(trimmed).substr(end))};
}

std::optional<long long> ParseBareCaseNumber(std::string_view text) {
  std::vector<std::string> words = Words(text);
  if (!words.empty() && (words[0] == "no" || words[0] == "nomor" ||
                         words[0] == "nomer" || words[0] == "nmr")) {
    words.erase(words.begin());
  }
  if (words.size() != 1 || words[0].size() > 9) return std::nullopt;
  for (char c : words[0]) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  long long n = std::stoll(words[0]);
  if (n <= 0) return std::nullopt;
  return n;
}

bool ContainsPhrase(const std::vector<KeywordText::Token>& tokens,
                    const std::vector<std::string>& phrase) {
  if (phrase.empty() || phrase.size() > tokens.size()) return false;
  for (size_t i = 0; i + phrase.size() <= tokens.size(); ++i) {
    bool all = true;
    for (size_t j = 0; j < phrase.size() && all; ++j) all = tokens[i + j].word == phrase[j];
    if (all) return true;
  }
  return false;
}

}  // namespace suaradesa::dialogs
