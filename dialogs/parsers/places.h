// Place names (desa, dusun) as people type them: any case, with or without
// spaces ("lemahbang kulon", "LemahbangKulon"), with one typo ("Kaotn"),
// a word shortened to its consonants ("lemahbang kln"),
// after filler words ("di desa Gitik", "ds. Kaotan"), or inside a sentence
// ("dusun krajan rt 02"). A partial name ("lemahbang") matches every place
// it could mean, so the caller can offer a numbered choice.
//
// Thread safety: pure.
#ifndef SUARADESA_DIALOGS_PARSERS_PLACES_H_
#define SUARADESA_DIALOGS_PARSERS_PLACES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suaradesa::dialogs {

// A word of a place's name as typed: the word itself, the word with some
// vowels left out ("lmhbang" for "lemahbang"), or three or more of its
// consonants in order with its first and last ("kln" for "kulon", "lmhbg"
// for "lemahbang").
bool PlaceWordMatches(std::string_view name_word, std::string_view typed);

// Indices into `names` of the places the text names, from the best tier of
// evidence that found any: exact, one typo, contained, partial. Empty if
// none; more than one means the text is ambiguous.
std::vector<size_t> MatchPlaces(std::string_view text,
                                const std::vector<std::string>& names);

// The index into `names` of the one place the text names and nothing else:
// the place's whole name (words as PlaceWordMatches reads them) with only
// words that go with a place around it: "di desa Kaotan", "ds kaotan, dusun
// krajan rt 3", "Kaotan pak". nullopt when the text says anything more
// ("jalan rusak di Kaotan"), names no place, or names two. A name inside a
// longer one that also matches ("Lemahbang" in "Lemahbang Kulon") gives way
// to the longer.
std::optional<size_t> OnlyPlaceNamed(std::string_view text,
                                     const std::vector<std::string>& names);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_PLACES_H_
