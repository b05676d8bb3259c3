// Yes/no answers as people type them, in Indonesian, Javanese, Sasak and
// English: "ya", "y", "iya", "ok", "oke", "betul", "benar", "inggih", "nggih"
// "sudah", "sdh", "sampun", "insyaallah" / "tidak", "tdk", "gak", "ga", "gk",
// "nggak", "ndak", "mboten", "salah", "belum", "blm". "belum tahu" is
// unknown.
//
// The first word decides ("ya betul", "iya sy setuju" are yes; "tidak usah"
// is no). A message whose first word is yes but which also contains a no word
// ("ya tidak") is unknown. Everything else is unknown: the caller decides
// what unknown means (re-ask, or a default).
//
// Thread safety: pure.
#ifndef SUARADESA_DIALOGS_PARSERS_YES_NO_H_
#define SUARADESA_DIALOGS_PARSERS_YES_NO_H_

#include <string_view>

namespace suaradesa::dialogs {

enum class YesNo { kYes, kNo, kUnknown };

YesNo ParseYesNo(std::string_view text);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_YES_NO_H_
