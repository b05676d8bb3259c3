// Word forms for keyword matching only (never for what is stored): the
// chat affixes of Indonesian and its neighbours ("ngusulin", "diusulin",
// "ngelaporin", "aduannya", "ngusulkeun") are stripped so that a keyword
// matches its forms, and regional words map to the intent word they mean
// ("wadul" -> "adu"). Affixes, exceptions and regional words are data in
// dialogs/lexicon.json.
//
// Thread safety: all functions are pure.
#ifndef SUARADESA_DIALOGS_STEMMER_H_
#define SUARADESA_DIALOGS_STEMMER_H_

#include <string>
#include <string_view>
#include <vector>

#include "dialogs/lexicon.h"

namespace suaradesa::dialogs {

// The word itself first, then its regional meaning, then every stem that one
// prefix and/or up to two suffixes leave (at least `min_stem` letters), e.g.
// "ngusulin" -> {"ngusulin", "ngusul", "usulin", "usul", "kusul", ...}.
// Words in the exceptions, protected words and words with digits are only
// themselves, and a protected word is never the stem of another word.
std::vector<std::string> WordForms(std::string_view word, const Lexicon& lexicon);

// True if some form of `a` is a form of `b`.
bool SameWordForm(const std::vector<std::string>& a,
                  const std::vector<std::string>& b);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_STEMMER_H_
