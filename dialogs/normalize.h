// Normalisation before keyword matching: what a phone or a keyboard app
// makes of a word should not decide which dialog it reaches.
//
// FoldCompatibility folds look-alike characters to ASCII, as Unicode's
// compatibility normalisation would for these blocks: fullwidth forms
// (U+FF01-FF5E, "ＵＳＵＬ"), the ideographic and no-break spaces, circled
// letters (U+24B6-24E9, "ⓤⓢⓤⓛ"), mathematical alphanumerics (U+1D400-1D7FF,
// "𝐔𝐒𝐔𝐋") and accented Latin-1 letters ("é" -> "e"); zero-width characters
// are dropped. Case is kept; everything else passes through unchanged.
//
// SqueezeRepeats shortens runs of three or more equal letters ("tolooong",
// "LAPOOOR") to `keep` letters; runs of two are kept ("maaf", "saat").
//
// Thread safety: all functions are pure.
#ifndef SUARADESA_DIALOGS_NORMALIZE_H_
#define SUARADESA_DIALOGS_NORMALIZE_H_

#include <string>
#include <string_view>

namespace suaradesa::dialogs {

std::string FoldCompatibility(std::string_view text);

std::string SqueezeRepeats(std::string_view word, size_t keep = 1);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_NORMALIZE_H_
