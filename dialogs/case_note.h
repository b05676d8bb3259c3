// Case notes: whether a message that nothing else understood, from a
// resident with an open or recently closed case, belongs in that case's
// history ("pak ada tambahan, yg mengerjakan CV Maju Jaya").
//
// The word lists are data: dialogs/flows/catatan.json "word_lists"
// ("thanks"; "courtesy": greetings, particles, "ok"; "wishes": blessings
// that go with thanks, "semoga sehat selalu"; "spam": premium services,
// loans, prizes). A message is
//   - nothing (kNone) when it looks like a broadcast (a link or a phone
//     number), contains a spam entry, or says too little (fewer than
//     kMinNoteWords content words: "ya", "OKE, pinjaman 5 jt");
//   - courtesy (kCourtesy) when every word is a thanks, courtesy or wish word
//     and there is a thanks word or more than one word ("terima kasih
//     pak", "ok siap pak", not a bare "ya"): answered politely, never
//     attached;
//   - a note (kNote) otherwise.
// A content word has at least three letters and is neither.
#ifndef SUARADESA_DIALOGS_CASE_NOTE_H_
#define SUARADESA_DIALOGS_CASE_NOTE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "dialogs/parsers/keywords.h"

namespace suaradesa::dialogs {

enum class NoteKind { kNone, kCourtesy, kNote };

inline constexpr size_t kMinNoteWords = 3;

// The lists are KeywordWords() entries; a thanks or courtesy entry of
// several words counts word by word, a spam entry only as a whole phrase.
NoteKind ClassifyNote(const KeywordText& text,
                      const KeywordList& thanks,
                      const KeywordList& courtesy,
                      const KeywordList& wishes,
                      const KeywordList& spam);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_CASE_NOTE_H_
