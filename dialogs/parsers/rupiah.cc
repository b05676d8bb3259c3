// The parser tokenises into numbers, number words and scale words, then
// evaluates them left to right like spoken numbers: `current` collects a
// value below a thousand (or a digit-written number), a scale word moves it
// into `total`. Scales must descend ("1 juta 500 ribu"); a second amount
// makes the text ambiguous.
#include "dialogs/parsers/rupiah.h"

#include <cmath>
#include <optional>
#include <vector>

#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

struct Token {
  enum Kind { kNumber, kWord, kDash } kind;
  std::string text;
};

std::vector<Token> Tokenize(std::string_view input) {
  std::string s = Lowercase(input);
  // "2Ojt": a letter o right after a digit is a zero.
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == 'o' && s[i - 1] >= '0' && s[i - 1] <= '9') s[i] = '0';
  }
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      size_t j = i;
      while (j < s.size() &&
             ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == ',')) {
        ++j;
      }
      // "kira2", "ibu2": a 2 glued to a word is reduplication, not a number.
      bool reduplication = j == i + 1 && c == '2' && i > 0 && s[i - 1] >= 'a' &&
                           s[i - 1] <= 'z' &&
                           (j == s.size() || !(s[j] >= 'a' && s[j] <= 'z')) &&
                           !(i >= 2 && s.compare(i - 2, 2, "rp") == 0);
      if (!reduplication) tokens.push_back({Token::kNumber, s.substr(i, j - i)});
      i = j;
    } else if (c >= 'a' && c <= 'z') {
      size_t j = i;
      while (j < s.size() && s[j] >= 'a' && s[j] <= 'z') ++j;
      tokens.push_back({Token::kWord, s.substr(i, j - i)});
      i = j;
    } else {
      // A dash between two numbers is a range; ",-" after an amount and
      // everything else are separators.
      if ((c == '-' || c == '/') && !tokens.empty() &&
          tokens.back().kind == Token::kNumber) {
        tokens.push_back({Token::kDash, "-"});
      }
      ++i;
    }
  }
  return tokens;
}

// Splits on `sep` and checks the "1.234.567" shape.
bool IsGrouped(std::string_view s, char sep) {
  size_t first = s.find(sep);
  if (first == std::string_view::npos) return false;
  if (first == 0 || first > 3 || !AllDigits(s.substr(0, first))) return false;
  size_t pos = first;
  while (pos != std::string_view::npos) {
    size_t next = s.find(sep, pos + 1);
    std::string_view group =
        s.substr(pos + 1, next == std::string_view::npos ? std::string_view::npos
                                                         : next - pos - 1);
    if (group.size() != 3 || !AllDigits(group)) return false;
    pos = next;
  }
  return true;
}

std::string Remove(std::string_view s, char c) {
  std::string out;
  for (char x : s) {
    if (x != c) out.push_back(x);
  }
  return out;
}

std::optional<double> ToDouble(const std::string& integer,
                               const std::string& fraction) {
  if (!AllDigits(integer) || (!fraction.empty() && !AllDigits(fraction))) {
    return std::nullopt;
  }
  if (integer.size() > 15) return std::nullopt;
  double value = std::stod(integer);
  if (!fraction.empty()) {
    value += std::stod("0." + fraction);
  }
  return value;
}

// "5.000.000,00" -> 5e6; "3,5" -> 3.5; "1.5" -> 1.5; "1." -> 1.
std::optional<double> ParseNumber(std::string s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ',')) s.pop_back();
  if (s.empty()) return std::nullopt;
  size_t dot = s.find('.');
  size_t comma = s.find(',');
  if (dot != std::string::npos && comma != std::string::npos) {
    // The separator that comes last is the decimal one.
    size_t last_dot = s.rfind('.');
    size_t last_comma = s.rfind(',');
    char decimal = last_comma > last_dot ? ',' : '.';
    char group = decimal == ',' ? '.' : ',';
    size_t at = s.rfind(decimal);
    std::string integer = s.substr(0, at);
    std::string fraction = s.substr(at + 1);
    if (integer.find(decimal) != std::string::npos) return std::nullopt;
    if (!IsGrouped(integer, group) && !AllDigits(integer)) return std::nullopt;
    return ToDouble(Remove(integer, group), fraction);
  }
  for (char sep : {'.', ','}) {
    if (s.find(sep) == std::string::npos) continue;
    if (IsGrouped(s, sep)) return ToDouble(Remove(s, sep), "");
    size_t at = s.find(sep);
    if (s.find(sep, at + 1) == std::string::npos && s.size() - at - 1 <= 2) {
      return ToDouble(s.substr(0, at), s.substr(at + 1));
    }
    return std::nullopt;
  }
  return ToDouble(s, "");
}

std::optional<double> ScaleOf(std::string_view w) {
  if (w == "rb" || w == "ribu" || w == "rebu" || w == "k" || w == "ribuan" ||
      w == "rban") {
    return 1e3;
  }
  if (w == "jt" || w == "juta" || w == "jta" || w == "jutaan" ||
      w == "jtan") {
    return 1e6;
  }
  if (w == "m" || w == "miliar" || w == "milyar" || w == "milyard" ||
      w == "miliaran" || w == "milyaran" || w == "myr") {
    return 1e9;
  }
  if (w == "t" || w == "triliun" || w == "trilyun") return 1e12;
  return std::nullopt;
}

std::optional<int> DigitWord(std::string_view w) {
  constexpr std::string_view kDigits[] = {"nol",   "satu",  "dua",
                                          "tiga",  "empat", "lima",
                                          "enam",  "tujuh", "delapan",
                                          "sembilan"};
  for (int d = 0; d < 10; ++d) {
    if (w == kDigits[d]) return d;
  }
  return std::nullopt;
}

// A span of time: "Rp 6.000.000 satu tahun", "500rb per 3 bulan".
bool IsPeriodWord(std::string_view w) {
  return w == "tahun" || w == "thn" || w == "th" || w == "bulan" || w == "bln" ||
         w == "minggu" || w == "mgg" || w == "hari" || w == "hr";
}

bool IsCurrencyWord(std::string_view w) {
  return w == "rp" || w == "idr" || w == "rupiah";
}

}  // namespace

std::expected<int64_t, RupiahError> ParseRupiah(std::string_view text) {
  std::vector<Token> tokens = Tokenize(text);
  double total = 0;
  double current = 0;
  bool have_current = false;    // something sits in `current`
  bool current_digits = false;  // it was written with digits
  bool any_number = false;
  bool any_scale = false;
  bool currency = false;
  bool digits_group_closed = false;  // a digit number was followed by a word
  double last_scale = 1e18;

  auto apply_scale = [&](double scale) -> bool {
    if (scale >= last_scale) return false;
    total += (have_current ? current : 1) * scale;
    current = 0;
    have_current = false;
    current_digits = false;
    last_scale = scale;
    any_scale = true;
    return true;
  };

  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    // A count of years, months, weeks or days is no part of the amount.
    if (i + 1 < tokens.size() && tokens[i + 1].kind != Token::kNumber &&
        IsPeriodWord(tokens[i + 1].text) &&
        (t.kind == Token::kNumber || DigitWord(t.text) || t.text == "sepuluh" ||
         t.text == "sebelas")) {
      continue;
    }
    if (t.kind == Token::kDash) {
      if (i + 1 < tokens.size() && tokens[i + 1].kind == Token::kNumber) {
        return std::unexpected(RupiahError::kAmbiguous);
      }
      continue;
    }
    if (t.kind == Token::kNumber) {
      std::optional<double> n = ParseNumber(t.text);
      if (!n) return std::unexpected(RupiahError::kInvalid);
      // A second written number after a complete one: two amounts, unless
      // it continues a descending composite ("1 juta 500 ribu").
      if (have_current) return std::unexpected(RupiahError::kAmbiguous);
      if (any_scale && last_scale <= 1e3) {
        return std::unexpected(RupiahError::kAmbiguous);
      }
      current = *n;
      have_current = true;
      current_digits = true;
      any_number = true;
      digits_group_closed = false;
      continue;
    }
    const std::string& w = t.text;
    if (IsCurrencyWord(w)) {
      currency = true;
      continue;
    }
    if (std::optional<double> scale = ScaleOf(w)) {
      if (!have_current) {
        // "m" or "t" without a number is not an amount ("5 m" is); skip it
        // as filler. A bare "juta" is not an amount either.
        if (w.size() <= 1) continue;
        return std::unexpected(RupiahError::kInvalid);
      }
      if (!apply_scale(*scale)) return std::unexpected(RupiahError::kAmbiguous);
      continue;
    }
    if (current_digits && have_current) digits_group_closed = true;
    // Number words. Prefix "se" means one: seratus, seribu, sejuta.
    // Right after a scale, half of it: "2 juta setengah", "sejuta
    // setengah" (1.5 million). Before one, a half: "setengah juta".
    if (w == "setengah" && !have_current && any_scale && i > 0 &&
        (ScaleOf(tokens[i - 1].text) || tokens[i - 1].text == "sejuta" ||
         tokens[i - 1].text == "seribu")) {
      total += 0.5 * last_scale;
      any_number = true;
      continue;
    }
    if (w == "setengah") {
      current += 0.5;
      have_current = true;
      any_number = true;
      continue;
    }
    if (w == "sepuluh" || w == "sebelas" || w == "seratus") {
      if (digits_group_closed) return std::unexpected(RupiahError::kAmbiguous);
      current += w == "sepuluh" ? 10 : w == "sebelas" ? 11 : 100;
      have_current = true;
      any_number = true;
      continue;
    }
    if (w == "seribu" || w == "sejuta" || w == "semiliar" ||
        w == "semilyar") {
      double scale = w == "seribu" ? 1e3 : w == "sejuta" ? 1e6 : 1e9;
      if (have_current) return std::unexpected(RupiahError::kAmbiguous);
      if (!apply_scale(scale)) return std::unexpected(RupiahError::kAmbiguous);
      any_number = true;
      continue;
    }
    if (std::optional<int> d = DigitWord(w)) {
      if (digits_group_closed) return std::unexpected(RupiahError::kAmbiguous);
      current += *d;
      have_current = true;
      any_number = true;
      continue;
    }
    if (w == "belas" || w == "puluh" || w == "ratus") {
      if (!have_current || current_digits) {
        return std::unexpected(RupiahError::kInvalid);
      }
      double last = std::fmod(current, 10.0);
      double rest = current - last;
      current = w == "belas"   ? rest + last + 10
                : w == "puluh" ? rest + last * 10
                               : rest + last * 100;
      continue;
    }
    // Anything else is filler ("sekitar", "kira kira", "biaya").
  }
  if (!any_number) return std::unexpected(RupiahError::kInvalid);
  double value = total + (have_current ? current : 0);
  if (value <= 0) return std::unexpected(RupiahError::kInvalid);
  // At most 15 digits, the most ToDouble reads: every amount accepted here
  // then reads back from FormatRupiah's output.
  if (value >= 1e15) return std::unexpected(RupiahError::kInvalid);
  double rounded = std::round(value);
  if (std::fabs(rounded - value) > 1e-6) {
    return std::unexpected(RupiahError::kAmbiguous);
  }
  if (!any_scale && !currency && rounded < 1000) {
    return std::unexpected(RupiahError::kAmbiguous);
  }
  return static_cast<int64_t>(rounded);
}

std::string FormatRupiah(int64_t amount) {
  bool negative = amount < 0;
  std::string digits = std::to_string(negative ? -amount : amount);
  std::string out;
  int count = 0;
  for (size_t i = digits.size(); i > 0; --i) {
    if (count > 0 && count % 3 == 0) out.insert(out.begin(), '.');
    out.insert(out.begin(), digits[i - 1]);
    ++count;
  }
  return (negative ? "-Rp" : "Rp") + out;
}

}  // namespace suaradesa::dialogs
