// The filler words are data: dialogs/lexicon.json, answer_fillers and
// answer_fillers_alone.
#include "dialogs/parsers/fillers.h"

#include <algorithm>
#include <vector>

#include "dialogs/lexicon.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

bool IsWordByte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

bool FillerToken(std::string_view raw, bool alone) {
  std::vector<std::string> words = Words(ExpandAbbreviations(NormalizeText(raw)));
  for (const std::string& w : words) {
    bool filler = IsFillerWord(w) ||
                  (alone && DefaultLexicon().answer_fillers_alone.contains(w));
    if (!filler) return false;
  }
  return true;
}

}  // namespace

bool IsFillerWord(std::string_view word) {
  return DefaultLexicon().answer_fillers.contains(word);
}

bool OnlyFillers(std::string_view text) { return FillerToken(text, true); }

std::string WithoutTrailingFillers(std::string_view text) {
  std::string out = Trim(text);
  while (true) {
    size_t end = out.size();
    while (end > 0 && !IsWordByte(static_cast<unsigned char>(out[end - 1]))) --end;
    size_t begin = end;
    while (begin > 0 && IsWordByte(static_cast<unsigned char>(out[begin - 1]))) {
      --begin;
    }
    if (begin == 0 || begin == end ||
        !FillerToken(std::string_view(out).substr(begin, end - begin), false)) {
      break;
    }
    out = Trim(out.substr(0, begin));
    while (!out.empty() && (out.back() == ',' || out.back() == '.')) out.pop_back();
  }
  return out;
}

}  // namespace suaradesa::dialogs
