// Filler words: forms of address, politeness and wishes that carry no answer
// ("pak", "nggih", "tolong", "mau", "kulo"). After a keyword ("sy mau usulan
// pak") or around a number ("no 2 pak") they are not an answer.
//
// Thread safety: pure.
#ifndef SUARADESA_DIALOGS_PARSERS_FILLERS_H_
#define SUARADESA_DIALOGS_PARSERS_FILLERS_H_

#include <string>
#include <string_view>

namespace suaradesa::dialogs {

// True if `word` (normalised, abbreviations expanded) is a filler anywhere:
// a form of address, a particle, thanks ("pak", "nggih", "tolong").
bool IsFillerWord(std::string_view word);

// True if the text has no word, or only fillers, counting wishes and
// pronouns too ("pak, tolong", "mau pak", "kulo badhe").
bool OnlyFillers(std::string_view text);

// The text without IsFillerWord words at its end ("jembatan gantung pak" ->
// "jembatan gantung"; "depan rumah saya" stays); the rest is kept as typed.
std::string WithoutTrailingFillers(std::string_view text);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_FILLERS_H_
