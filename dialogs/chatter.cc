#include "dialogs/chatter.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "dialogs/parsers/rsvp.h"

namespace suaradesa::dialogs {

namespace {

constexpr size_t kMaxUnknownWords = 2;

std::set<std::string> WordsOf(const WordLists& lists, const char* name) {
  std::set<std::string> out;
  auto it = lists.find(name);
  if (it == lists.end()) return out;
  for (const auto& entry : it->second) out.insert(entry.begin(), entry.end());
  return out;
}

// The token's word or one of its forms ("hallo" squeezed to "halo").
bool In(const KeywordText::Token& t, const std::set<std::string>& words) {
  if (words.contains(t.word)) return true;
  for (const std::string& f : t.forms) {
    if (words.contains(f)) return true;
  }
  return false;
}

bool Is(const KeywordText::Token& t, const std::string& word) {
  return t.word == word || std::ranges::find(t.forms, word) != t.forms.end();
}

// Thanks as people spell it, beyond the list: a word near "makasih" that
// starts as it does ("makaseh", "mksih", "makasii"), near "terimakasih"
// ("tarimakasih"), or near "terima" before a word near "kasih" ("tarima
// kasih", "trimo kasi"): those tokens are marked. Not "masih" or "makan":
// they do not start so.
std::vector<bool> SpelledThanks(const std::vector<KeywordText::Token>& tokens) {
  constexpr int kNear = 2;
  constexpr size_t kMinLength = 4;
  auto near_kasih = [](const std::string& k) {
    return k == "ksh" || (k.starts_with("kas") && EditDistance(k, "kasih", 1) <= 1);
  };
  std::vector<bool> out(tokens.size(), false);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& w = tokens[i].word;
    if (w.size() < kMinLength) continue;
    if ((w.starts_with("mak") || w.starts_with("mks")) &&
        EditDistance(w, "makasih", kNear) <= kNear) {
      out[i] = true;
    } else if (w.front() == 't' && EditDistance(w, "terimakasih", kNear) <= kNear) {
      out[i] = true;
    } else if (w.front() == 't' && EditDistance(w, "terima", kNear) <= kNear &&
               i + 1 < tokens.size() && near_kasih(tokens[i + 1].word)) {
      out[i] = out[i + 1] = true;
    }
  }
  return out;
}

bool HasLetterOrDigit(const std::string& word) {
  return std::ranges::any_of(word, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

ChatterKind ClassifyChatter(const KeywordText& text, const WordLists& lists) {
  const auto& tokens = text.tokens();
  // Any length counts: only links and phone numbers matter here.
  if (text.spam() || LooksLikeBroadcast(text.text(), static_cast<size_t>(-1))) {
    return ChatterKind::kSpam;
  }
  if (auto it = lists.find("spam"); it != lists.end()) {
    for (const auto& phrase : it->second) {
      if (ContainsPhrase(tokens, phrase)) return ChatterKind::kSpam;
    }
  }
  if (tokens.empty()) return ChatterKind::kOther;
  const std::set<std::string> thanks = WordsOf(lists, "thanks");
  const std::set<std::string> salam = WordsOf(lists, "salam");
  const std::set<std::string> greeting = WordsOf(lists, "greeting");
  std::set<std::string> polite = WordsOf(lists, "polite");
  polite.merge(WordsOf(lists, "wishes"));
  // Words that greet together though one alone thanks ("kulo nuwun",
  // "nuwun sewu": "nuwun" is also "matur nuwun").
  std::vector<bool> in_greeting(tokens.size(), false);
  if (auto it = lists.find("greeting_phrases"); it != lists.end()) {
    for (const auto& phrase : it->second) {
      for (size_t i = 0; i + phrase.size() <= tokens.size(); ++i) {
        bool all = !phrase.empty();
        for (size_t j = 0; j < phrase.size() && all; ++j) all = Is(tokens[i + j], phrase[j]);
        if (!all) continue;
        for (size_t j = 0; j < phrase.size(); ++j) in_greeting[i + j] = true;
      }
    }
  }
  const std::vector<bool> spelled_thanks = SpelledThanks(tokens);
  bool thanked = false, salamed = false, greeted = false;
  // Counted by the words as written: "makasih" expands to two tokens.
  std::set<size_t> said, unknown;  // greeting, salam and thanks words; the others
  for (size_t i = 0; i < tokens.size(); ++i) {
    const KeywordText::Token& t = tokens[i];
    if (in_greeting[i]) {
      greeted = true;
      said.insert(t.raw);
    } else if (In(t, thanks) || spelled_thanks[i]) {
      thanked = true;
      said.insert(t.raw);
    } else if (In(t, salam)) {
      salamed = true;
      said.insert(t.raw);
    } else if (In(t, greeting)) {
      greeted = true;
      said.insert(t.raw);
    } else if (!t.courtesy && !In(t, polite) && HasLetterOrDigit(t.word)) {
      unknown.insert(t.raw);  // an emoji ("halo 👋") is no word at all
    }
  }
  // A word no list knows beside a greeting or thanks ("makasih bro", "horas
  // lae") leaves it one, and two beside two ("iyo tarima kasih banyak dang,
  // Allah balas"); more say something else ("halo mas, lg dmn?").
  if (unknown.size() > std::min(kMaxUnknownWords, std::max<size_t>(1, said.size()))) {
    return ChatterKind::kOther;
  }
  if (thanked) return ChatterKind::kThanks;
  if (salamed) return ChatterKind::kSalam;
  if (greeted) return ChatterKind::kGreeting;
  return ChatterKind::kOther;
}

}  // namespace suaradesa::dialogs
