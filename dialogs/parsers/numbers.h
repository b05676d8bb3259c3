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

#include "dialogs/parsers/keyword_list.h"

namespace suaradesa::dialogs {

// Reads a number written in words (or one digit group) from `words` (already
// normalised) starting at `*pos`. On success advances `*pos` past it.
std::optional<int64_t> ReadNumber(const std::vector<std::string>& words,
                                  size_t* pos);

// The first count in the text: "40 KK" -> 40, "empat puluh orang" -> 40,
// "1.200 jiwa" -> 1200. nullopt if the text holds no number, or holds two
// different numbers ("40 atau 50") so that a question is better than a guess.
// A number with a unit that makes it no count of people ("300 meter",
// "Rp 5.000.000", "5 jt", "2 ha") is passed over: "40 KK, jalan 300 meter"
// is 40, "jalan rusak 300 meter" is nullopt.
std::optional<int64_t> ParseCount(std::string_view text);

// Several labelled counts in one answer: "40 KK, 12 miskin, 20 perempuan",
// "kk 40, miskin 12", "40 kk 12 rtm 20 ibu2". Each field has its labels
// (words as KeywordWords gives them: {"kk"}, {"kk", "miskin"}). A number takes
// the longest label right after it ("30 kk miskin" is the poor households),
// else one right before it that no earlier number took ("jumlah KK 80",
// "yg miskin 15"); "orang", "yg", ":" and the like may stand between. A
// number with a unit that makes it no count ("300 meter", "Rp 5 juta") is
// never taken. A field named twice with two values is left out.
struct FigureLabels {
  std::string field;
  KeywordList labels;
};
struct Figures {
  std::vector<std::pair<std::string, int64_t>> values;  // field -> count
  std::vector<int64_t> unlabelled;  // counts with no label, in order
};
Figures ParseFigures(std::string_view text,
                     const std::vector<FigureLabels>& fields);

// The sizes a proposal's story gives, as written there: a number ("300",
// "1,5", "6x10") and a unit of length, area, volume or pieces ("300 m",
// "1 km", "6x10 m", "2 unit", "10 titik", "300m"), with a word of
// estimate right before it kept ("kurleb 300 m", "sekitar 2 unit"). Several
// are joined with ", " ("300 m, 3 m"); nullopt when there is none. Times
// ("2 bulan"), money ("5 jt") and counts of people ("40 KK") are no size.
std::optional<std::string> ParseMeasure(std::string_view text);

// A pick from a numbered list: the whole text is one number, in digits or
// words, maybe ordinal, maybe with "no"/"nomor"/"yang" before it and filler
// words around it: "2", "dua", "yang kedua", "no. 3 pak", "pertama" -> 2, 2,
// 2, 3, 1. nullopt for anything else ("2 jembatan", "dua ratus kk").
std::optional<int64_t> ParseChoiceNumber(std::string_view text);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_NUMBERS_H_
