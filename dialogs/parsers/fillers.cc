// The filler table is recognition data (how people write), never shown.
#include "dialogs/parsers/fillers.h"

#include <algorithm>
#include <vector>

#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

constexpr std::string_view kFillers[] = {
    // forms of address
    "pak", "bu", "bapak", "ibu", "bpk", "bapa", "mas", "mbak", "mba", "kak",
    "min", "admin", "gan", "om", "dik", "dek",
    // politeness and particles
    "nggih", "njih", "inggih", "ya", "yah", "dong", "sih", "deh", "nih", "lho",
    "tolong", "mohon", "minta", "permisi", "maaf", "punten", "nuwun", "sewu",
    "ngapunten", "terima", "kasih", "makasih", "matur", "suwun", "pls",
    "saja", "aja"};
// Words that carry no answer on their own but do at the end of one ("depan
// rumah saya"): fillers only when nothing else is written.
constexpr std::string_view kAloneFillers[] = {
    "mau", "ingin", "pengen", "pingin", "kepingin", "badhe", "ajeng", "arep",
    "kulo", "kula", "saya", "aku", "kami", "sy"};

bool IsWordByte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

bool FillerToken(std::string_view raw, bool alone) {
  std::vector<std::string> words = Words(ExpandAbbreviations(NormalizeText(raw)));
  for (const std::string& w : words) {
    bool filler = IsFillerWord(w) ||
                  (alone && std::ranges::find(kAloneFillers, w) !=
                                std::end(kAloneFillers));
    if (!filler) return false;
  }
  return true;
}

}  // namespace

bool IsFillerWord(std::string_view word) {
  return std::ranges::find(kFillers, word) != std::end(kFillers);
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
