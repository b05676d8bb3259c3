#include "dialogs/parsers/keyword_list.h"

#include <algorithm>
#include <utility>

#include "dialogs/lexicon.h"
#include "dialogs/stemmer.h"

namespace suaradesa::dialogs {
namespace {

// The key of a (letter, word length) bucket.
uint32_t LetterAndLength(char letter, size_t length) {
  return static_cast<uint32_t>(static_cast<unsigned char>(letter)) << 16 |
         static_cast<uint32_t>(std::min<size_t>(length, 0xffff));
}

}  // namespace

size_t FormHash(std::string_view form) { return std::hash<std::string_view>{}(form); }

KeywordList::KeywordList(std::vector<Entry> entries) {
  for (Entry& e : entries) push_back(std::move(e));
}

KeywordList::KeywordList(std::initializer_list<Entry> entries) {
  for (const Entry& e : entries) push_back(e);
}

void KeywordList::push_back(Entry entry) {
  entries_.push_back(std::move(entry));
  Index(static_cast<uint32_t>(entries_.size() - 1));
}

void KeywordList::Index(uint32_t k) {
  const Entry& entry = entries_[k];
  std::vector<std::vector<std::string>>& forms = forms_.emplace_back();
  std::vector<std::vector<size_t>>& hashes = hashes_.emplace_back();
  for (const std::string& word : entry) {
    forms.push_back(WordForms(word, DefaultLexicon()));
    std::vector<size_t>& h = hashes.emplace_back();
    for (const std::string& form : forms.back()) h.push_back(FormHash(form));
  }
  if (entry.empty()) return;
  const std::string& first = entry[0];
  for (const size_t hash : hashes[0]) {
    std::vector<uint32_t>& at = by_form_[hash];
    if (at.empty() || at.back() != k) at.push_back(k);
  }
  if (!first.empty()) {
    by_first_letter_[LetterAndLength(first[0], first.size())].push_back(k);
    if (first.size() < kMinTypoLength && first.size() > 1) {
      short_by_second_letter_[LetterAndLength(first[1], first.size())].push_back(k);
    }
  }
  if (entry.size() == 1) single_words_[hashes[0][0]].push_back(k);
}

void KeywordList::Candidates(const std::string& word, const std::vector<size_t>& form_hashes,
                             std::vector<uint32_t>* out) const {
  const size_t start = out->size();
  const auto add = [&](const std::vector<uint32_t>& ks) { out->insert(out->end(), ks.begin(), ks.end()); };
  for (const size_t hash : form_hashes) {
    auto it = by_form_.find(hash);
    if (it != by_form_.end()) add(it->second);
  }
  // A slip of the thumb keeps the first letter and changes the length by
  // one at most; a short word's first two letters swapped keep its length.
  const auto bucket = [&](const std::unordered_map<uint32_t, std::vector<uint32_t>>& map,
                          uint32_t key) {
    auto it = map.find(key);
    if (it != map.end()) add(it->second);
  };
  if (!word.empty()) {
    for (size_t length = word.size() > 1 ? word.size() - 1 : 1; length <= word.size() + 1;
         ++length) {
      bucket(by_first_letter_, LetterAndLength(word[0], length));
    }
    bucket(short_by_second_letter_, LetterAndLength(word[0], word.size()));
  }
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(start), out->end());
  out->erase(std::unique(out->begin() + static_cast<std::ptrdiff_t>(start), out->end()),
             out->end());
}

bool KeywordList::HasSingleWord(const std::vector<std::string>& forms,
                                const std::vector<size_t>& form_hashes) const {
  for (size_t i = 0; i < form_hashes.size(); ++i) {
    auto it = single_words_.find(form_hashes[i]);
    if (it == single_words_.end()) continue;
    for (const uint32_t k : it->second) {
      if (entries_[k][0] == forms[i]) return true;
    }
  }
  return false;
}

}  // namespace suaradesa::dialogs
