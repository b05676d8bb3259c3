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
    // "sudah (benar)" answers "Sudah benar?"; Javanese "sampun", "mpun".
    "sudah", "sdh",   "udah",  "udh",  "dah",    "sampun", "mpun", "empun",
    "wis",   "uwis",  "bnr",   "btl",  "sesuai", "injih",
    // Madurese and Bugis-Makassar yes.
    "enggi", "engghi", "iyye",
    "insyaallah", "insyallah", "insyaalloh", "insaallah", "insyaalah",
    "inshaallah", "insallah", "isyaallah",
};

// "insya allah" written as two words counts as one yes word.
constexpr std::string_view kInsya[] = {"insya", "insha", "insa", "isya", "insyaa"};
constexpr std::string_view kAllah[] = {"allah", "alloh", "alah", "aloh"};

// "belum tahu", "blm pasti": not yet known, which is neither yes nor no.
constexpr std::string_view kNotYet[] = {"belum", "blm", "durung", "dereng"};
constexpr std::string_view kKnown[] = {"tahu",  "tau",    "pasti",  "tentu",
                                       "yakin", "ngerti", "ngertos"};

constexpr std::string_view kNo[] = {
    "tidak", "tdk",   "gak",  "ga",    "gk",     "g",     "nggak", "ngga",
    "enggak", "engga", "ndak", "nda",  "mboten", "salah", "no",    "bukan",
    "jangan", "jgn",  "batal", "tak",  "ora",    "endak",
    // "belum (benar)" answers "Sudah benar?" with no.
    "belum",  "blm",  "durung", "dereng", "nggk",  "engak",
    // Balinese and Madurese.
    "nenten", "bhunten",
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
  if (words.size() >= 2 && In(words[0], kInsya) && In(words[1], kAllah)) {
    words.erase(words.begin());
    words.front() = "insyaallah";
  }
  const std::string& first = words.front();
  if (words.size() >= 2 && In(first, kNotYet) && In(words[1], kKnown)) {
    return YesNo::kUnknown;
  }
  if (In(first, kNo)) return YesNo::kNo;
  if (!In(first, kYes)) return YesNo::kUnknown;
  for (size_t i = 1; i < words.size(); ++i) {
    if (In(words[i], kNo)) return YesNo::kUnknown;
  }
  return YesNo::kYes;
}

}  // namespace suaradesa::dialogs
