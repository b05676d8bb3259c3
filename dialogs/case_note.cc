#include "dialogs/case_note.h"

#include <cctype>
#include <set>

#include "dialogs/parsers/rsvp.h"

namespace suaradesa::dialogs {

namespace {

bool IsContentWord(const std::string& w, const std::set<std::string>& courtesy) {
  size_t letters = 0;
  for (unsigned char c : w) {
    if (std::isalpha(c)) ++letters;
  }
  return letters >= 3 && !courtesy.contains(w);
}

}  // namespace

NoteKind ClassifyNote(const KeywordText& text,
                      const KeywordList& thanks,
                      const KeywordList& courtesy,
                      const KeywordList& wishes,
                      const KeywordList& spam) {
  const auto& tokens = text.tokens();
  if (tokens.empty()) return NoteKind::kNone;
  // Any length counts: only links and phone numbers matter here.
  if (LooksLikeBroadcast(text.text(), static_cast<size_t>(-1))) return NoteKind::kNone;
  for (const auto& phrase : spam) {
    if (ContainsPhrase(tokens, phrase)) return NoteKind::kNone;
  }
  std::set<std::string> grateful, polite;
  for (const auto& entry : thanks) grateful.insert(entry.begin(), entry.end());
  for (const auto& entry : courtesy) polite.insert(entry.begin(), entry.end());
  for (const auto& entry : wishes) polite.insert(entry.begin(), entry.end());
  polite.insert(grateful.begin(), grateful.end());
  size_t content = 0;
  bool all_polite = true, thanked = false;
  for (const auto& t : tokens) {
    if (IsContentWord(t.word, polite)) ++content;
    if (!polite.contains(t.word)) all_polite = false;
    if (grateful.contains(t.word)) thanked = true;
  }
  if (all_polite) {
    return thanked || tokens.size() > 1 ? NoteKind::kCourtesy : NoteKind::kNone;
  }
  return content >= kMinNoteWords ? NoteKind::kNote : NoteKind::kNone;
}

}  // namespace suaradesa::dialogs
