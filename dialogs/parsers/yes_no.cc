// Word tables for yes and no. They are recognition data, never shown.
#include "dialogs/parsers/yes_no.h"

#include <string>
#include <vector>

#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

constexpr std::string_view kYes[] = {
    "ya",    "y",     "iya",   "iyaa", "yaa",    "ok",   "oke",  "okay",
    "okey",  "okee",  "sip",   "betul", "benar", "bener", "inggih", "nggih",
    "njih",  "yes",   "yup",   "setuju", "siap", "lanjut", "boleh", "leres",
};

constexpr std::string_view kNo[] = {
    "tidak", "tdk",   "gak",  "ga",    "gk",     "g",     "nggak", "ngga",
    "enggak", "engga", "ndak", "nda",  "mboten", "salah", "no",    "bukan",
    "jangan", "jgn",  "batal", "tak",  "ora",    "endak",
};

bool In(std::string_view word, const auto& table) {
  for (std::string_view w : table) {
    if (word == w) return true;
  }
  return false;
}

}  // namespace

YesNo ParseYesNo(std::string_view text) {
  std::vector<std::string> words = Words(text);
  if (words.empty()) return YesNo::kUnknown;
  const std::string& first = words.front();
  if (In(first, kNo)) return YesNo::kNo;
  if (!In(first, kYes)) return YesNo::kUnknown;
  for (size_t i = 1; i < words.size(); ++i) {
    if (In(words[i], kNo)) return YesNo::kUnknown;
  }
  return YesNo::kYes;
}

}  // namespace suaradesa::dialogs
