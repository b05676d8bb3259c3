#include "dialogs/lexicon.h"

#include <nlohmann/json.hpp>

#include "dialogs/text.h"

namespace suaradesa::dialogs {

const std::map<std::string, std::string>& EmbeddedLexiconFiles();

namespace {

using nlohmann::json;

bool ReadSet(const json& doc, const char* key,
             WordSet* out) {
  if (!doc.contains(key)) return true;
  if (!doc[key].is_array()) return false;
  for (const json& w : doc[key]) {
    if (!w.is_string()) return false;
    out->insert(w.get<std::string>());
  }
  return true;
}

bool ReadMap(const json& doc, const char* key,
             WordMap* out) {
  if (!doc.contains(key)) return true;
  if (!doc[key].is_object()) return false;
  for (const auto& [word, value] : doc[key].items()) {
    if (!value.is_string()) return false;
    (*out)[word] = value.get<std::string>();
  }
  return true;
}

// {"word": {"as": "tidak", "before": ["usah", ...]}, ...}
bool ReadRegionalBefore(const json& doc,
                        WordMapOf<Lexicon::RegionalBefore>* out) {
  if (!doc.contains("regional_before")) return true;
  const json& all = doc["regional_before"];
  if (!all.is_object()) return false;
  for (const auto& [word, entry] : all.items()) {
    if (!entry.is_object() || !entry.contains("as") || !entry["as"].is_string()) return false;
    Lexicon::RegionalBefore r;
    r.as = entry["as"].get<std::string>();
    if (!ReadSet(entry, "before", &r.before) || r.before.empty()) return false;
    (*out)[word] = std::move(r);
  }
  return true;
}

}  // namespace

std::optional<Lexicon> ParseLexicon(std::string_view json_text,
                                    std::string* error) {
  std::optional<json> doc = ParseJson(json_text, error);
  if (!doc) return std::nullopt;
  auto fail = [&](const char* what) -> std::optional<Lexicon> {
    if (error != nullptr) *error = what;
    return std::nullopt;
  };
  if (!doc->is_object()) return fail("lexicon: not an object");
  Lexicon lex;
  if (!ReadMap(*doc, "abbreviations", &lex.abbreviations) ||
      !ReadMap(*doc, "split_words", &lex.split_words) ||
      !ReadMap(*doc, "regional", &lex.regional) ||
      !ReadRegionalBefore(*doc, &lex.regional_before) ||
      !ReadSet(*doc, "courtesy", &lex.courtesy) ||
      !ReadSet(*doc, "protected_words", &lex.protected_words) ||
      !ReadSet(*doc, "spam_words", &lex.spam_words) ||
      !ReadSet(*doc, "spam_exceptions", &lex.spam_exceptions) ||
      !ReadSet(*doc, "answer_fillers", &lex.answer_fillers) ||
      !ReadSet(*doc, "answer_fillers_alone", &lex.answer_fillers_alone) ||
      !ReadSet(*doc, "skip_answers", &lex.skip_answers)) {
    return fail("lexicon: a word list has the wrong shape");
  }
  for (const auto& [pieces, word] : lex.split_words) {
    lex.split_first_pieces.insert(pieces.substr(0, pieces.find(' ')));
  }
  if (doc->contains("stemmer")) {
    const json& st = (*doc)["stemmer"];
    if (!st.is_object()) return fail("lexicon: stemmer is not an object");
    if (!ReadSet(st, "exceptions", &lex.stem_exceptions)) {
      return fail("lexicon: stemmer.exceptions has the wrong shape");
    }
    for (const json& p : st.value("prefixes", json::array())) {
      if (!p.is_array() || p.size() != 2 || !p[0].is_string() ||
          !p[1].is_string()) {
        return fail("lexicon: a stemmer prefix is not [strip, put back]");
      }
      lex.prefixes.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
    }
    for (const json& s : st.value("suffixes", json::array())) {
      if (!s.is_string()) return fail("lexicon: a stemmer suffix is not text");
      lex.suffixes.push_back(s.get<std::string>());
    }
    const json& min = st.value("min_stem", json(3));
    if (!min.is_number_unsigned()) return fail("lexicon: bad min_stem");
    lex.min_stem = min.get<size_t>();
  }
  return lex;
}

std::string_view MeaningBefore(const Lexicon& lex, std::string_view word,
                               const std::vector<std::string>& next_forms) {
  auto it = lex.regional_before.find(word);
  if (it == lex.regional_before.end()) return {};
  for (const std::string& f : next_forms) {
    if (it->second.before.contains(f)) return it->second.as;
  }
  return {};
}

const Lexicon& DefaultLexicon() {
  static const Lexicon lexicon = [] {
    const auto& files = EmbeddedLexiconFiles();
    auto it = files.find("lexicon.json");
    if (it == files.end()) return Lexicon{};
    std::optional<Lexicon> lex = ParseLexicon(it->second, nullptr);
    return lex ? std::move(*lex) : Lexicon{};
  }();
  return lexicon;
}

}  // namespace suaradesa::dialogs
