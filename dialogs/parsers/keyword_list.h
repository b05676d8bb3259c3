// A list of keyword entries (each entry the KeywordWords() of one phrase:
// "ikut info" is one entry of two words), as a flow file gives them, with
// what matching a message against it needs worked out once, when the list
// is built: each word's forms (stemmer.h), and an index from the forms of
// each entry's first word to the entry. Flows are matched against every
// message, and most entries of most lists start with a word that is
// nowhere in it; the index finds the few that may match without comparing
// the others.
//
// Thread safety: const methods may be called from many threads at once.
#ifndef SUARADESA_DIALOGS_PARSERS_KEYWORD_LIST_H_
#define SUARADESA_DIALOGS_PARSERS_KEYWORD_LIST_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace suaradesa::dialogs {

// Only keyword words this long forgive a typo (WordMatches); shorter ones
// forgive a doubled letter or two neighbours swapped (ShortWordSlip).
inline constexpr size_t kMinTypoLength = 5;

// The hash of a word form that KeywordList and KeywordText keep beside each
// form, so that most forms are told apart without comparing their letters.
size_t FormHash(std::string_view form);

class KeywordList {
 public:
  using Entry = std::vector<std::string>;

  KeywordList() = default;
  // Works out every word's forms and the index: explicit, so that no list
  // is built by accident on a message's path.
  explicit KeywordList(std::vector<Entry> entries);
  KeywordList(std::initializer_list<Entry> entries);

  void push_back(Entry entry);

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const Entry& operator[](size_t k) const { return entries_[k]; }
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }
  const std::vector<Entry>& entries() const { return entries_; }

  // The forms of word `j` of entry `k` (WordForms), and their FormHash.
  const std::vector<std::string>& forms(size_t k, size_t j) const { return forms_[k][j]; }
  const std::vector<size_t>& form_hashes(size_t k, size_t j) const { return hashes_[k][j]; }

  // Appends to `out`, sorted and without repeats, the entries whose first
  // word may match a typed word `word` whose forms (the word itself first)
  // have the FormHash `form_hashes`: a form of it is a form of the entry's
  // first word, or a slip of the thumb could make them one (WordMatches
  // keeps the first letter of a long word, and ShortWordSlip may swap a
  // short word's first two letters). A candidate may still not match (two
  // forms may share a hash); an entry that matches is always a candidate.
  // Entries with no words never match and are never candidates.
  void Candidates(const std::string& word, const std::vector<size_t>& form_hashes,
                  std::vector<uint32_t>* out) const;

  // True if one of `forms` (with their FormHash `form_hashes`) is an entry
  // of one word, as written.
  bool HasSingleWord(const std::vector<std::string>& forms,
                     const std::vector<size_t>& form_hashes) const;

 private:
  void Index(uint32_t k);

  std::vector<Entry> entries_;
  std::vector<std::vector<std::vector<std::string>>> forms_;  // [entry][word]
  std::vector<std::vector<std::vector<size_t>>> hashes_;      // [entry][word]
  // The FormHash of a form of an entry's first word -> the entries.
  std::unordered_map<size_t, std::vector<uint32_t>> by_form_;
  // (first letter, length) of an entry's first word -> the entries; and,
  // for first words shorter than kMinTypoLength, (second letter, length).
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_first_letter_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> short_by_second_letter_;
  // The FormHash of the word of an entry of one word -> the entries.
  std::unordered_map<size_t, std::vector<uint32_t>> single_words_;
};

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_KEYWORD_LIST_H_
