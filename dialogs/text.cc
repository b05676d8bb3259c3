// Text normalisation. The abbreviation table is data about how people write
// (DOMAIN.md section 5), not user-visible text.
#include "dialogs/text.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

namespace suaradesa::dialogs {
namespace {

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

constexpr std::pair<std::string_view, std::string_view> kAbbreviations[] = {
    {"sy", "saya"},     {"aq", "saya"},       {"aku", "saya"},
    {"yg", "yang"},     {"tdk", "tidak"},     {"gak", "tidak"},
    {"ga", "tidak"},    {"gk", "tidak"},      {"nggak", "tidak"},
    {"ndak", "tidak"},  {"g", "tidak"},       {"dgn", "dengan"},
    {"utk", "untuk"},   {"u", "untuk"},       {"sdh", "sudah"},
    {"udh", "sudah"},   {"udah", "sudah"},    {"blm", "belum"},
    {"mksh", "terima kasih"}, {"makasih", "terima kasih"},
    {"trims", "terima kasih"}, {"tks", "terima kasih"},
    {"thx", "terima kasih"},  {"krn", "karena"}, {"karna", "karena"},
    {"bs", "bisa"},     {"dtg", "datang"},    {"bsk", "besok"},
    {"skrg", "sekarang"}, {"tgl", "tanggal"}, {"jg", "juga"},
    {"lg", "lagi"},     {"kpn", "kapan"},     {"brp", "berapa"},
    {"gmn", "bagaimana"}, {"gimana", "bagaimana"}, {"dr", "dari"},
    {"sm", "sama"},     {"tp", "tapi"},       {"kl", "kalau"},
    {"klo", "kalau"},   {"kalo", "kalau"},    {"bgt", "banget"},
    {"org", "orang"},   {"jgn", "jangan"},    {"dll", "dan lain lain"},
};

// UTF-8 encodings of the non-ASCII characters in the GSM 03.38 basic set.
constexpr std::string_view kGsmNonAscii[] = {
    "\u00A3", "\u00A5", "\u00E8", "\u00E9", "\u00F9", "\u00EC", "\u00F2",
    "\u00C7", "\u00D8", "\u00F8", "\u00C5", "\u00E5", "\u0394", "\u03A6",
    "\u0393", "\u039B", "\u03A9", "\u03A0", "\u03A8", "\u03A3", "\u0398",
    "\u039E", "\u00C6", "\u00E6", "\u00DF", "\u00C9", "\u00A4", "\u00A1",
    "\u00C4", "\u00D6", "\u00D1", "\u00DC", "\u00A7", "\u00BF", "\u00E4",
    "\u00F6", "\u00F1", "\u00FC", "\u00E0", "\u20AC",
};

// ASCII characters missing from the GSM basic set are `, and control chars
// other than LF and CR. The extension table adds ^{}\[~]| which are ASCII.
bool IsGsmAscii(unsigned char c) {
  if (c == '\n' || c == '\r') return true;
  if (c < 0x20 || c == 0x7F) return false;
  return c != '`';
}

}  // namespace

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
  };
  while (begin < end && space(text[begin])) ++begin;
  while (end > begin && space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

std::vector<TextPiece> SplitAt(std::string_view text, std::string_view breaks) {
  std::vector<TextPiece> pieces;
  size_t begin = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    const bool at_end = i == text.size();
    if (!at_end && text[i] != '\n' && breaks.find(text[i]) == std::string_view::npos) continue;
    std::string piece = Trim(text.substr(begin, i - begin));
    if (!piece.empty()) pieces.push_back({std::move(piece), at_end ? '\0' : text[i]});
    begin = i + 1;
  }
  return pieces;
}

std::string NormalizeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char raw : text) {
    unsigned char c = static_cast<unsigned char>(raw);
    if (c >= 0x80 || IsAsciiAlnum(c)) {
      if (pending_space && !out.empty()) out.push_back(' ');
      pending_space = false;
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a')
                                         : raw);
    } else {
      pending_space = true;
    }
  }
  return out;
}

bool HasLetter(std::string_view word) {
  return std::ranges::any_of(word, [](char c) { return c >= 'a' && c <= 'z'; });
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string normalized = NormalizeText(text);
  size_t pos = 0;
  while (pos < normalized.size()) {
    size_t space = normalized.find(' ', pos);
    if (space == std::string::npos) space = normalized.size();
    if (space > pos) words.push_back(normalized.substr(pos, space - pos));
    pos = space + 1;
  }
  return words;
}

size_t WordCount(std::string_view text) {
  const std::string normalized = NormalizeText(text);
  size_t count = 0;
  bool in_word = false;
  for (char c : normalized) {
    if (c != ' ' && !in_word) ++count;
    in_word = c != ' ';
  }
  return count;
}

std::string ExpandAbbreviations(std::string_view normalized) {
  std::string out;
  for (const std::string& word : Words(normalized)) {
    std::string expanded = word;
    for (const auto& [abbr, full] : kAbbreviations) {
      if (word == abbr) {
        expanded = std::string(full);
        break;
      }
    }
    // "ibu2" -> "ibu ibu", "kira2" -> "kira kira"; but not "2" or "rt02".
    if (expanded == word && word.size() >= 3 && word.back() == '2') {
      std::string stem = word.substr(0, word.size() - 1);
      bool letters = true;
      for (char c : stem) letters = letters && c >= 'a' && c <= 'z';
      if (letters) expanded = stem + " " + stem;
    }
    if (!out.empty()) out.push_back(' ');
    out += expanded;
  }
  return out;
}

bool IsGsm7(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (!IsGsmAscii(c)) return false;
      ++i;
      continue;
    }
    bool found = false;
    for (std::string_view g : kGsmNonAscii) {
      if (text.substr(i, g.size()) == g) {
        i += g.size();
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

std::string TruncateUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  // Back up over continuation bytes (10xxxxxx) to a character boundary.
  while (end > 0 &&
         (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return std::string(text.substr(0, end));
}

namespace {

// A SAX consumer that accepts everything and remembers the first error, so
// the message can be reported without exceptions.
class ErrorCatcher : public nlohmann::json_sax<nlohmann::json> {
 public:
  using json = nlohmann::json;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    message_ = ex.what();
    return false;
  }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

}  // namespace

std::optional<nlohmann::json> ParseJson(std::string_view text,
                                        std::string* error) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_discarded()) return doc;
  if (error != nullptr) {
    ErrorCatcher catcher;
    nlohmann::json::sax_parse(text, &catcher);
    *error = catcher.message().empty() ? "not valid JSON" : catcher.message();
  }
  return std::nullopt;
}

}  // namespace suaradesa::dialogs
