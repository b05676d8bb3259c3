// Whole numbers as people write them: digits ("40", "1.200"), Indonesian
// number words ("empat puluh", "seratus dua puluh lima", "seribu") and a few
// Javanese ones ("loro", "telu", "seket", "satus"), and counts with a unit
// ("40 KK", "empat puluh orang", "kurang lebih 120 jiwa").
//
// Thread safety: all functions are pure.
#ifndef SUARADESA_DIALOGS_PARSERS_NUMBERS_H_
#define SUARADESA_DIALOGS_PARSERS_NUMBERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suaradesa::dialogs {

// Reads a number written in words (or one digit group) from `words` (already
// normalised) starting at `*pos`. On success advances `*pos` past it.
std::optional<int64_t> ReadNumber(const std::vector<std::string>& words,
                                  size_t* pos);

// The first count in the text: "40 KK" -> 40, "empat puluh orang" -> 40,
// "1.200 jiwa" -> 1200. nullopt if the text holds no number, or holds two
// different numbers ("40 atau 50") so that a question is better than a guess.
std::optional<int64_t> ParseCount(std::string_view text);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_NUMBERS_H_
