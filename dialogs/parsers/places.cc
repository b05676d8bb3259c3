#include "dialogs/parsers/places.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "dialogs/parsers/fillers.h"
#include "dialogs/parsers/keywords.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

// Words people put before or around a place name; recognition data.
constexpr std::string_view kFillers[] = {
    "desa", "ds", "di", "kel", "kelurahan", "dusun", "dsn", "dari", "lokasi",
    "dukuh", "kampung", "kp", "lingkungan", "ling", "tempat", "daerah",
    "wilayah", "yang", "ya", "saya", "kami", "warga", "dekat", "sekitar",
    "kecamatan", "kec", "kab", "kabupaten"};

bool IsFiller(std::string_view w) {
  return std::ranges::find(kFillers, w) != std::end(kFillers);
}

// Words before the name or number of a part of a desa: "dusun krajan",
// "rt 3", "kp. sawah"; recognition data.
constexpr std::string_view kPartOfDesa[] = {
    "dusun", "dsn", "dukuh", "dk", "kampung", "kp", "lingkungan", "ling",
    "rt", "rw", "blok", "banjar", "jorong", "lorong"};

bool NamesPartOfDesa(std::string_view w) {
  return std::ranges::find(kPartOfDesa, w) != std::end(kPartOfDesa);
}

// Where the words of `name` stand in `words`, as [begin, end); nullopt if
// they do not.
std::optional<std::pair<size_t, size_t>> NameSpan(const std::vector<std::string>& words,
                                                  const std::vector<std::string>& name) {
  if (name.empty() || name.size() > words.size()) return std::nullopt;
  for (size_t i = 0; i + name.size() <= words.size(); ++i) {
    bool ok = true;
    for (size_t j = 0; j < name.size() && ok; ++j) ok = PlaceWordMatches(name[j], words[i + j]);
    if (ok) return std::pair{i, i + name.size()};
  }
  return std::nullopt;
}

std::string Squash(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += w;
  return out;
}

bool ContainsSequence(const std::vector<std::string>& text,
                      const std::vector<std::string>& name) {
  if (name.empty() || name.size() > text.size()) return false;
  for (size_t i = 0; i + name.size() <= text.size(); ++i) {
    bool ok = true;
    for (size_t j = 0; j < name.size() && ok; ++j) {
      ok = WordMatches(name[j], text[i + j]) || PlaceWordMatches(name[j], text[i + j]);
    }
    if (ok) return true;
  }
  return false;
}

}  // namespace

bool PlaceWordMatches(std::string_view name_word, std::string_view typed) {
  if (name_word == typed) return true;
  constexpr size_t kMinConsonants = 3;
  if (typed.size() < kMinConsonants || typed.size() >= name_word.size()) return false;
  // The word with some vowels left out, the first letter kept: "lmhbang"
  // for "lemahbang".
  if (typed.front() == name_word.front()) {
    size_t t = 0;
    bool only_vowels = true;
    for (char c : name_word) {
      if (t < typed.size() && typed[t] == c) {
        ++t;
      } else if (std::string_view("aeiou").find(c) == std::string_view::npos) {
        only_vowels = false;
        break;
      }
    }
    if (only_vowels && t == typed.size()) return true;
  }
  std::string consonants;
  for (char c : name_word) {
    if (std::string_view("aeiou").find(c) == std::string_view::npos) consonants.push_back(c);
  }
  // Its consonants, some left out but the first and last kept: "lmhbg" for
  // "lemahbang" (lmhbng).
  if (consonants.empty() || typed.front() != consonants.front() ||
      typed.back() != consonants.back()) {
    return false;
  }
  size_t k = 0;
  for (char c : consonants) {
    if (k < typed.size() && typed[k] == c) ++k;
  }
  return k == typed.size();
}

std::vector<size_t> MatchPlaces(std::string_view text,
                                const std::vector<std::string>& names) {
  std::vector<std::string> words = Words(text);
  std::vector<std::string> core;
  for (const std::string& w : words) {
    if (!IsFiller(w)) core.push_back(w);
  }
  std::string joined = Squash(core);
  if (joined.empty()) return {};
  std::vector<std::vector<size_t>> tiers(4);
  for (size_t i = 0; i < names.size(); ++i) {
    std::vector<std::string> name_words = Words(names[i]);
    std::string name = Squash(name_words);
    if (name.empty()) continue;
    if (name == joined) {
      tiers[0].push_back(i);
    } else if (name.size() >= 4 && joined.size() >= 4 &&
               EditDistance(name, joined, 1) <= 1) {
      tiers[1].push_back(i);
    } else if (ContainsSequence(words, name_words)) {
      tiers[2].push_back(i);
    } else if (core.size() <= 3 && joined.size() >= 4 &&
               name.starts_with(joined)) {
      tiers[3].push_back(i);
    }
  }
  for (const std::vector<size_t>& tier : tiers) {
    if (!tier.empty()) return tier;
  }
  return {};
}

std::optional<size_t> OnlyPlaceNamed(std::string_view text,
                                     const std::vector<std::string>& names) {
  const std::vector<std::string> words = Words(text);
  std::optional<size_t> best;
  std::pair<size_t, size_t> best_span;
  std::vector<std::pair<size_t, size_t>> spans;
  for (size_t i = 0; i < names.size(); ++i) {
    std::optional<std::pair<size_t, size_t>> span = NameSpan(words, Words(names[i]));
    if (!span) continue;
    spans.push_back(*span);
    if (!best || span->second - span->first > best_span.second - best_span.first) {
      best = i;
      best_span = *span;
    }
  }
  if (!best) return std::nullopt;
  // Every other name found lies inside the chosen one's words.
  for (const auto& [b, e] : spans) {
    if (b < best_span.first || e > best_span.second) return std::nullopt;
  }
  for (size_t i = 0; i < words.size(); ++i) {
    if (i >= best_span.first && i < best_span.second) continue;
    if (NamesPartOfDesa(words[i])) {
      ++i;  // and the part's name or number
      continue;
    }
    if (IsFiller(words[i]) || IsFillerWord(words[i]) || AllDigits(words[i])) continue;
    return std::nullopt;
  }
  return best;
}

}  // namespace suaradesa::dialogs
