// Chatter: what a first message that nothing else understood is, so that it
// costs as few SMS as possible (issue 14). The word lists are data:
// dialogs/flows/salam.json "word_lists" ("salam", "greeting", "polite",
// "spam", "greeting_phrases") and catatan.json "thanks" and "wishes"
// (blessings and wishes that go with thanks: "semoga sehat selalu",
// "barakallah"; they count as polite words). A message is
//   - spam (kSpam) when it looks like a broadcast (a link or a phone
//     number), holds a spam word of the lexicon (lexicon.json spam_words) or
//     a spam entry of salam.json: it gets no reply at all;
//   - thanks (kThanks) when every word is a thanks, greeting or polite word
//     and one is a thanks word ("makasih pak"); a word no list knows is
//     allowed beside it, here and for a greeting ("makasih bro"), and two
//     beside two such words ("tarima kasih banyak dang, Allah balas");
//   - a greeting (kSalam for "assalamualaikum", else kGreeting) when every
//     word is a greeting or polite word and one is a greeting ("selamat
//     pagi pak", "halo min", "permisi"); the words of a greeting phrase
//     greet even where one alone would thank ("kulo nuwun");
//   - anything else (kOther).
#ifndef SUARADESA_DIALOGS_CHATTER_H_
#define SUARADESA_DIALOGS_CHATTER_H_

#include <map>
#include <string>
#include <vector>

#include "dialogs/parsers/keywords.h"

namespace suaradesa::dialogs {

enum class ChatterKind { kSpam, kThanks, kSalam, kGreeting, kOther };

using WordLists = std::map<std::string, KeywordList>;

// `lists` holds salam.json's word lists plus "thanks" and "wishes". List entries are
// KeywordWords() results; a spam entry counts only as a whole phrase,
// other entries word by word.
ChatterKind ClassifyChatter(const KeywordText& text, const WordLists& lists);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_CHATTER_H_
