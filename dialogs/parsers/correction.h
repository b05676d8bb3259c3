// A correction at a read-back, as people write it: "tempatnya salah,
// harusnya Kaotan", "bukan Gitik tp Kaotan", "kk nya 45". Which field is
// meant is the flow's business (the words on its `fix` choices); this finds
// the new value in the words after the field's name.
//
// Thread safety: all functions are pure.
#ifndef SUARADESA_DIALOGS_PARSERS_CORRECTION_H_
#define SUARADESA_DIALOGS_PARSERS_CORRECTION_H_

#include <string>
#include <string_view>

namespace suaradesa::dialogs {

// True if the text has a word that introduces the right value ("tapi",
// "harusnya", "yang benar", "ganti").
bool HasCorrectionMarker(std::string_view text);

// The new value in `rest`: the text after its last marker word, without
// the words that only say something was wrong ("salah", "nya") before it.
// "salah, harusnya Kaotan" -> "Kaotan", "nya 45" -> "45", "salah" -> "".
std::string CorrectedValue(std::string_view rest);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_CORRECTION_H_
