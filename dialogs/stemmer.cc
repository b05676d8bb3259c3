#include "dialogs/stemmer.h"

#include <algorithm>

namespace suaradesa::dialogs {
namespace {

void Add(std::vector<std::string>* forms, std::string form) {
  if (std::find(forms->begin(), forms->end(), form) == forms->end()) {
    forms->push_back(std::move(form));
  }
}

// The word, and the word without one or two of the suffixes.
std::vector<std::string> WithoutSuffixes(std::string_view word,
                                         const Lexicon& lex) {
  std::vector<std::string> out{std::string(word)};
  for (size_t round = 0; round < 2; ++round) {
    size_t n = out.size();
    for (size_t k = 0; k < n; ++k) {
      std::string w = out[k];
      for (const std::string& s : lex.suffixes) {
        if (w.size() >= s.size() + lex.min_stem && w.ends_with(s)) {
          Add(&out, w.substr(0, w.size() - s.size()));
        }
      }
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> WordForms(std::string_view word, const Lexicon& lex) {
  std::vector<std::string> forms{std::string(word)};
  auto regional = lex.regional.find(word);
  if (regional != lex.regional.end()) Add(&forms, regional->second);
  if (lex.stem_exceptions.contains(word) || lex.protected_words.contains(word)) {
    return forms;
  }
  for (char c : word) {
    if (c < 'a' || c > 'z') return forms;
  }
  for (const std::string& bare : WithoutSuffixes(word, lex)) {
    if (bare != word && !lex.protected_words.contains(bare)) {
      Add(&forms, bare);
      auto r = lex.regional.find(bare);
      if (r != lex.regional.end()) Add(&forms, r->second);
    }
    for (const auto& [strip, put_back] : lex.prefixes) {
      if (!bare.starts_with(strip)) continue;
      std::string stem = put_back + bare.substr(strip.size());
      // "menyimpang" is not "simpang": a protected word is no stem.
      if (stem.size() < lex.min_stem || lex.protected_words.contains(stem)) {
        continue;
      }
      Add(&forms, stem);
      auto r = lex.regional.find(stem);
      if (r != lex.regional.end()) Add(&forms, r->second);
    }
  }
  return forms;
}

bool SameWordForm(const std::vector<std::string>& a,
                  const std::vector<std::string>& b) {
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  }
  return false;
}

}  // namespace suaradesa::dialogs
