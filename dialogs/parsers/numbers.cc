// Number words are recognition data (how people write), never shown.
#include "dialogs/parsers/numbers.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <utility>

#include "dialogs/parsers/fillers.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

// The largest spelled-out number read: a million billion.
constexpr int64_t kMaxSpelled = 1000000000000000;

constexpr std::pair<std::string_view, int> kUnits[] = {
    {"nol", 0},      {"kosong", 0},  {"satu", 1},   {"siji", 1},
    {"dua", 2},      {"loro", 2},    {"tiga", 3},   {"telu", 3},
    {"empat", 4},    {"papat", 4},   {"lima", 5},   {"limo", 5},
    {"enam", 6},     {"enem", 6},    {"tujuh", 7},  {"pitu", 7},
    {"delapan", 8},  {"wolu", 8},    {"sembilan", 9}, {"songo", 9},
    {"sepuluh", 10}, {"sebelas", 11}, {"seratus", 100}, {"satus", 100},
    {"seket", 50},   {"selawe", 25},
};

// Units after a number that make it no count of people or households.
constexpr std::string_view kNotCountUnits[] = {
    "m",     "meter", "mtr",   "km",    "kilometer", "cm",  "ha",    "hektar",
    "hektare", "are", "liter", "ltr",   "kg",    "kilo",  "ton",   "rp",
    "rupiah", "rb",   "rebu",  "jt",    "juta",  "persen", "m2",   "m3",
    "meter2", "unit", "buah",  "titik", "bulan", "tahun", "hari",  "minggu"};
// Units after a number that make it a size (ParseMeasure).
constexpr std::string_view kSizeUnits[] = {
    "m",  "meter", "mtr", "km", "kilometer", "m2", "m3", "meter2", "ha", "hektar",
    "hektare", "unit", "buah", "bh", "titik", "paket", "set", "lokal", "ruang"};
// Words of estimate kept before a size: "kurleb 300 m", "kira2 6x10 m".
constexpr std::string_view kEstimates[] = {"kurleb", "sekitar", "sktr", "kira", "kira2",
                                           "kurang", "lebih", "kl", "krg", "lbh", "+-", "±",
                                           "perkiraan", "kisaran"};
// Words before a number in a pick from a list ("no 2", "yang ke 3").
constexpr std::string_view kPickWords[] = {"no",   "nomor", "nomer", "nmr",
                                           "pilihan", "pilih", "angka",
                                           "yang", "ke"};
// Words that may stand between a count and its label ("20 orang
// perempuan", "jumlah KK: 80", "yg miskin 15", "kk nya 45").
constexpr std::string_view kFigureJoiners[] = {
    "orang", "org", "jiwa", "yang", "ada", "sebanyak", "jumlah", "jumlahnya",
    "nya", "sekitar", "kurang", "lebih", "kira", "kurleb", "total", "totalnya"};
constexpr std::pair<std::string_view, int> kOrdinals[] = {
    {"pertama", 1}, {"kesatu", 1}, {"kapisan", 1}};

bool InTable(std::string_view w, const auto& table) {
  return std::ranges::find(table, w) != std::end(table);
}

std::optional<int64_t> Unit(std::string_view w) {
  for (const auto& [word, value] : kUnits) {
    if (w == word) return value;
  }
  return std::nullopt;
}

// Splits into lowercase words, keeping "1.200" together and separating
// digits from letters ("40kk" -> "40", "kk").
// Suffixes after a reduplicated word's 2 ("mbah2nya"); recognition data.
constexpr std::string_view kReduplicationSuffixes[] = {"nya", "an", "e", "ne", "na", "ku", "mu"};

std::vector<std::string> NumberTokens(std::string_view text) {
  std::string s = Lowercase(text);
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool digit = c >= '0' && c <= '9';
    bool letter = (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
    if (digit) {
      // "kira2", "ibu2": a 2 right after a word of two or more letters, and
      // ending it, repeats the word (reduplication), it is no number.
      const bool word_before = cur.size() >= 2 && std::all_of(cur.begin(), cur.end(), [](char l) {
        return (l >= 'a' && l <= 'z') || static_cast<unsigned char>(l) >= 0x80;
      });
      const bool ends_word = i + 1 == s.size() || !std::isalnum(static_cast<unsigned char>(s[i + 1]));
      // Or followed by a suffix: "mbah2nya", "anak2e", "kira2an".
      size_t end = i + 1;
      while (end < s.size() && s[end] >= 'a' && s[end] <= 'z') ++end;
      const bool suffix_ends = end == s.size() || !std::isalnum(static_cast<unsigned char>(s[end]));
      const std::string_view after = std::string_view(s).substr(i + 1, end - i - 1);
      const bool suffixed = suffix_ends && std::ranges::find(kReduplicationSuffixes, after) !=
                                               std::end(kReduplicationSuffixes);
      if (c == '2' && word_before && (ends_word || suffixed)) continue;
      if (!cur.empty() && cur.back() != '.' &&
          !AllDigits(cur.substr(cur.size() - 1))) {
        flush();
      }
      cur.push_back(c);
    } else if (letter) {
      if (!cur.empty() && AllDigits(cur.substr(cur.size() - 1))) flush();
      cur.push_back(c);
    } else if (c == '.' && !cur.empty() &&
               AllDigits(cur.substr(cur.size() - 1)) && i + 1 < s.size() &&
               s[i + 1] >= '0' && s[i + 1] <= '9') {
      cur.push_back(c);
    } else {
      flush();
    }
  }
  flush();
  return out;
}

std::optional<int64_t> DigitsValue(const std::string& token) {
  std::string digits;
  size_t group = 0;
  bool dotted = false;
  for (char c : token) {
    if (c == '.') {
      if (dotted && group != 3) return std::nullopt;
      if (!dotted && (group == 0 || group > 3)) return std::nullopt;
      dotted = true;
      group = 0;
      continue;
    }
    digits.push_back(c);
    ++group;
  }
  if (dotted && group != 3) return std::nullopt;
  if (digits.empty() || digits.size() > 15) return std::nullopt;
  return std::stoll(digits);
}

}  // namespace

std::optional<int64_t> ReadNumber(const std::vector<std::string>& words,
                                  size_t* pos) {
  size_t i = *pos;
  if (i >= words.size()) return std::nullopt;
  if (!words[i].empty() && words[i][0] >= '0' && words[i][0] <= '9') {
    std::optional<int64_t> v = DigitsValue(words[i]);
    if (v) *pos = i + 1;
    return v;
  }
  int64_t total = 0;    // completed thousands groups
  int64_t current = 0;  // below a thousand
  bool any = false;
  while (i < words.size()) {
    const std::string& w = words[i];
    if (std::optional<int64_t> u = Unit(w)) {
      // "dua tiga" is two numbers, not twenty-three.
      if (any && current % 10 != 0 && *u < 10) break;
      current += *u;
      any = true;
    } else if (w == "belas" && any) {
      current += 10;
    } else if (w == "puluh" && any) {
      int64_t last = current % 10;
      current = current - last + last * 10;
    } else if (w == "ratus" && any) {
      int64_t last = current % 10;
      current = current - last + last * 100;
    } else if (w == "ribu" || w == "seribu") {
      if (w == "seribu") {
        if (any && current != 0) break;
        current = 1;
      } else if (!any) {
        break;
      }
      total += current * 1000;
      current = 0;
      any = true;
    } else if (w == "juta" || w == "sejuta") {
      if (w == "sejuta") current = 1;
      else if (!any) break;
      // "juta juta juta" multiplies; stop before it overflows int64_t. No
      // amount a village handles comes near a million billion.
      if (total + current > kMaxSpelled / 1000000) break;
      total = (total + current) * 1000000;
      current = 0;
      any = true;
    } else {
      break;
    }
    ++i;
  }
  if (!any) return std::nullopt;
  *pos = i;
  return total + current;
}

namespace {

// NumberTokens with abbreviations expanded on letter words only.
std::vector<std::string> ExpandedTokens(std::string_view text) {
  std::vector<std::string> expanded;
  for (const std::string& w : NumberTokens(text)) {
    if (!w.empty() && w[0] >= '0' && w[0] <= '9') {
      expanded.push_back(w);
    } else {
      for (std::string& e : Words(ExpandAbbreviations(w))) {
        expanded.push_back(std::move(e));
      }
    }
  }
  return expanded;
}

}  // namespace

std::optional<int64_t> ParseCount(std::string_view text) {
  std::vector<std::string> expanded = ExpandedTokens(text);
  std::optional<int64_t> found;
  for (size_t i = 0; i < expanded.size();) {
    size_t pos = i;
    if (std::optional<int64_t> v = ReadNumber(expanded, &pos)) {
      // "Rp 5.000.000", "300 meter": an amount or a length, not a count.
      // A spelled number already read its own "juta" ("sejuta juta").
      bool digits = expanded[i][0] >= '0' && expanded[i][0] <= '9';
      bool unit_after = pos < expanded.size() &&
                        InTable(expanded[pos], kNotCountUnits) &&
                        (digits || expanded[pos] != "juta");
      if ((i > 0 && InTable(expanded[i - 1], kNotCountUnits)) || unit_after) {
        i = pos;
        continue;
      }
      if (found && *found != *v) return std::nullopt;
      found = v;
      i = pos;
    } else {
      ++i;
    }
  }
  return found;
}

namespace {

// ExpandedTokens over the text with a "," token where a comma, semicolon,
// full stop or line break separates parts: "40 KK, 12 miskin" ->
// {"40", "kk", ",", "12", "miskin"}. "ibu2" is "ibu ibu", not ibu and 2.
std::vector<std::string> FigureTokens(std::string_view text) {
  std::vector<std::string> out;
  std::string chunk;
  auto flush = [&] {
    if (chunk.empty()) return;
    std::string c = Lowercase(chunk);
    chunk.clear();
    bool redup = c.size() >= 3 && c.back() == '2';
    for (size_t i = 0; redup && i + 1 < c.size(); ++i) {
      redup = c[i] >= 'a' && c[i] <= 'z';
    }
    if (redup) c = c.substr(0, c.size() - 1) + " " + c.substr(0, c.size() - 1);
    for (std::string& t : ExpandedTokens(c)) out.push_back(std::move(t));
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    bool digit_around = i > 0 && i + 1 < text.size() && text[i - 1] >= '0' &&
                        text[i - 1] <= '9' && text[i + 1] >= '0' &&
                        text[i + 1] <= '9';
    if (ch == ',' || ch == ';' || ch == '\n' || (ch == '.' && !digit_around)) {
      flush();
      if (out.empty() || out.back() != ",") out.push_back(",");
    } else if (ch == ' ' || ch == '\t' || ch == '\r') {
      flush();
    } else {
      chunk.push_back(ch);
    }
  }
  flush();
  return out;
}

bool IsDigitToken(const std::string& t) { return !t.empty() && t[0] >= '0' && t[0] <= '9'; }

}  // namespace

Figures ParseFigures(std::string_view text,
                     const std::vector<FigureLabels>& fields) {
  const std::vector<std::string> tokens = FigureTokens(text);
  std::vector<bool> taken(tokens.size(), false);
  // The longest label of any field that starts (or ends) at token `at`.
  struct Label {
    const FigureLabels* field = nullptr;
    size_t begin = 0;
    size_t end = 0;  // one past
  };
  auto matches = [&](const std::vector<std::string>& label, size_t begin) {
    if (begin + label.size() > tokens.size()) return false;
    for (size_t k = 0; k < label.size(); ++k) {
      if (taken[begin + k] || tokens[begin + k] != label[k]) return false;
    }
    return true;
  };
  auto label_at = [&](size_t at, bool ending) {
    Label best;
    for (const FigureLabels& f : fields) {
      for (const std::vector<std::string>& l : f.labels) {
        if (l.empty()) continue;
        if (ending && at + 1 < l.size()) continue;
        size_t begin = ending ? at + 1 - l.size() : at;
        if (!matches(l, begin)) continue;
        if (best.field == nullptr || l.size() > best.end - best.begin) {
          best = {&f, begin, begin + l.size()};
        }
      }
    }
    return best;
  };
  // "kk 40, miskin 12": labels written before their numbers throughout.
  size_t first = 0;
  while (first < tokens.size() && InTable(tokens[first], kFigureJoiners)) ++first;
  const bool label_first = label_at(first, false).field != nullptr;
  std::map<std::string, std::optional<int64_t>> seen;  // nullopt: two values
  std::vector<std::string> order;
  Figures out;
  for (size_t i = 0; i < tokens.size();) {
    size_t pos = i;
    std::optional<int64_t> v = ReadNumber(tokens, &pos);
    if (!v) {
      ++i;
      continue;
    }
    bool unit_after = pos < tokens.size() &&
                      InTable(tokens[pos], kNotCountUnits) &&
                      (IsDigitToken(tokens[i]) || tokens[pos] != "juta");
    if ((i > 0 && InTable(tokens[i - 1], kNotCountUnits)) || unit_after) {
      i = pos;
      continue;
    }
    size_t after = pos;
    while (after < tokens.size() && InTable(tokens[after], kFigureJoiners)) ++after;
    Label label_after = after < tokens.size() ? label_at(after, false) : Label{};
    Label label_before;
    if (i > 0) {
      size_t before = i - 1;
      while (before > 0 && InTable(tokens[before], kFigureJoiners)) --before;
      label_before = label_at(before, true);
    }
    Label label = label_first ? label_before : label_after;
    if (label.field == nullptr) label = label_first ? label_after : label_before;
    if (label.field == nullptr) {
      out.unlabelled.push_back(*v);
    } else {
      for (size_t k = label.begin; k < label.end; ++k) taken[k] = true;
      auto [it, fresh] = seen.emplace(label.field->field, *v);
      if (fresh) {
        order.push_back(label.field->field);
      } else if (it->second != *v) {
        it->second.reset();
      }
    }
    i = std::max(pos, label.end);
  }
  for (const std::string& f : order) {
    if (seen[f]) out.values.emplace_back(f, *seen[f]);
  }
  return out;
}

std::optional<int64_t> ParseChoiceNumber(std::string_view text) {
  std::vector<std::string> words = ExpandedTokens(text);
  size_t begin = 0;
  size_t end = words.size();
  while (begin < end && (InTable(words[begin], kPickWords) ||
                         IsFillerWord(words[begin]))) {
    ++begin;
  }
  while (end > begin && IsFillerWord(words[end - 1])) --end;
  if (begin >= end) return std::nullopt;
  std::vector<std::string> core(words.begin() + static_cast<std::ptrdiff_t>(begin),
                                words.begin() + static_cast<std::ptrdiff_t>(end));
  // Ordinals: "pertama", "kedua", "ketiga".
  if (core.size() == 1) {
    for (const auto& [word, value] : kOrdinals) {
      if (core[0] == word) return value;
    }
    if (core[0].size() > 2 && core[0].starts_with("ke")) {
      if (std::optional<int64_t> u = Unit(std::string_view(core[0]).substr(2))) {
        if (*u > 0) return u;
      }
    }
  }
  size_t pos = 0;
  std::optional<int64_t> v = ReadNumber(core, &pos);
  if (!v || pos != core.size() || *v <= 0) return std::nullopt;
  return v;
}

namespace {

bool Digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// A character of a size's number: "300", "1,5", "6x10".
bool SizeChar(char c) { return Digit(c) || c == ',' || c == '.' || c == 'x'; }

// "300", "1,5", "6x10" ("6 x 10" is joined by the caller): a size's number.
bool SizeNumber(std::string_view w) {
  return !w.empty() && Digit(w.front()) && Digit(w.back()) && std::ranges::all_of(w, SizeChar);
}

bool SizeUnit(std::string_view w) {
  return std::ranges::find(kSizeUnits, w) != std::end(kSizeUnits);
}

bool Estimate(std::string_view w) {
  return std::ranges::find(kEstimates, w) != std::end(kEstimates);
}

}  // namespace

std::optional<std::string> ParseMeasure(std::string_view text) {
  // Words as typed, lower case, without the punctuation around them.
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    while (!word.empty() && std::strchr(",.;:!?()\"'", word.back()) != nullptr) word.pop_back();
    while (!word.empty() && std::strchr(",.;:!?()\"'", word.front()) != nullptr) word.erase(0, 1);
    if (!word.empty()) words.push_back(Lowercase(word));
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool digit_before = !word.empty() && Digit(word.back());
    const bool digit_after = i + 1 < text.size() && Digit(text[i + 1]);
    if (std::isspace(static_cast<unsigned char>(c)) || c == ';') {
      flush();
    } else if (c == ',' && !(digit_before && digit_after)) {
      flush();  // "rt 3,kurleb 300 m" parts; "1,5 km" is one number
    } else {
      word.push_back(c);
    }
  }
  flush();
  std::vector<std::string> sizes;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string number = words[i];
    size_t next = i + 1;
    // "6 x 10 m"
    if (SizeNumber(number) && next + 1 < words.size() && words[next] == "x" &&
        SizeNumber(words[next + 1])) {
      number += "x" + words[next + 1];
      next += 2;
    }
    std::string size;
    size_t spelled = i;
    if (SizeNumber(number) && next < words.size() && SizeUnit(words[next])) {
      size = number + " " + words[next];
    } else if (!Digit(number.front()) && ReadNumber(words, &spelled) && spelled > i &&
               spelled < words.size() && SizeUnit(words[spelled])) {
      // "sepuluh unit", "dua ratus meter": the number in words.
      for (size_t k = i; k <= spelled; ++k) size += (k > i ? " " : "") + words[k];
      next = spelled;
    } else {
      // "300m", "6x10m": the unit typed onto the number.
      size_t digits = 0;
      while (digits < number.size() && SizeChar(number[digits])) ++digits;
      if (digits == 0 || digits == number.size() || !SizeNumber(number.substr(0, digits)) ||
          !SizeUnit(std::string_view(number).substr(digits))) {
        continue;
      }
      size = number.substr(0, digits) + " " + number.substr(digits);
      next = i;
    }
    // The estimate words right before it, as written ("kurang lebih").
    size_t from = i;
    while (from > 0 && from + 2 > i && Estimate(words[from - 1])) --from;
    std::string estimate;
    for (size_t k = from; k < i; ++k) estimate += words[k] + " ";
    size = estimate + size;
    if (std::ranges::find(sizes, size) == sizes.end()) sizes.push_back(size);
    i = next;
  }
  if (sizes.empty()) return std::nullopt;
  std::string out;
  for (const std::string& s : sizes) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace suaradesa::dialogs
