// Word tables are recognition data (how people write), never shown.
#include "dialogs/parsers/correction.h"

#include <algorithm>
#include <vector>

#include "dialogs/parsers/fillers.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

// Words after which the right value follows (normalised, abbreviations
// expanded: "tp" is "tapi", "yg" is "yang").
constexpr std::string_view kMarkers[] = {
    "tapi", "tp", "tpi", "harusnya", "seharusnya", "mestinya", "semestinya",
    "melainkan", "ganti", "diganti", "gantinya", "ubah", "diubah", "menjadi",
    "jadi", "dadi", "kudune", "benarnya", "betulnya", "sebenarnya", "koreksi",
    "ralat"};
// Two-word markers: "yang benar", "yang betul".
constexpr std::pair<std::string_view, std::string_view> kMarkerPairs[] = {
    {"yang", "benar"}, {"yang", "betul"}, {"yg", "bener"}, {"yang", "bener"}};
// Words before the value that only say something was wrong.
constexpr std::string_view kWrongWords[] = {
    "salah", "keliru", "nya", "itu", "adalah", "yaitu", "bukan", "sih", "kok",
    "kurang", "tepat", "tidak", "sesuai", "belum", "benar", "betul"};

struct Word {
  std::string normalized;
  size_t begin = 0;  // raw offsets
  size_t end = 0;
};

bool IsWordByte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

std::vector<Word> RawWords(std::string_view text) {
  std::vector<Word> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    size_t begin = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    if (begin == i) break;
    for (std::string& w :
         Words(ExpandAbbreviations(NormalizeText(text.substr(begin, i - begin))))) {
      out.push_back({std::move(w), begin, i});
    }
  }
  return out;
}

bool In(std::string_view w, const auto& table) {
  return std::ranges::find(table, w) != std::end(table);
}

// The raw offset just after the last marker, or npos.
size_t AfterLastMarker(const std::vector<Word>& words) {
  size_t after = std::string_view::npos;
  for (size_t i = 0; i < words.size(); ++i) {
    if (In(words[i].normalized, kMarkers)) after = words[i].end;
    if (i + 1 < words.size()) {
      for (const auto& [a, b] : kMarkerPairs) {
        if (words[i].normalized == a && words[i + 1].normalized == b) {
          after = words[i + 1].end;
        }
      }
    }
  }
  return after;
}

}  // namespace

bool HasCorrectionMarker(std::string_view text) {
  return AfterLastMarker(RawWords(text)) != std::string_view::npos;
}

std::string CorrectedValue(std::string_view rest) {
  std::vector<Word> words = RawWords(rest);
  size_t from = AfterLastMarker(words);
  std::string_view value = from == std::string_view::npos ? rest : rest.substr(from);
  std::vector<Word> after = RawWords(value);
  size_t skip = 0;
  while (skip < after.size() && In(after[skip].normalized, kWrongWords)) ++skip;
  if (skip == after.size()) return "";
  return WithoutTrailingFillers(Trim(value.substr(after[skip].begin)));
}

}  // namespace suaradesa::dialogs
