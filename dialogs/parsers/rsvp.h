// Answers to a meeting invitation (issue 5): "HADIR", "insyaallah datang",
// "ya sy dtg", "inggih rawuh" are hadir; "TIDAK", "tidak bisa hadir, ada
// acara keluarga", "mboten saged", "berhalangan" are tidak, with the reason
// the person gave ("ada acara keluarga").
//
// Without a pending invitation only a message that talks about attending
// counts (a bare "ya" or "tidak" is not an RSVP); with one, a bare yes or no
// does too. Long messages, questions, and messages with phone numbers or
// links (spam) are never an RSVP.
//
// Thread safety: pure.
#ifndef SUARADESA_DIALOGS_PARSERS_RSVP_H_
#define SUARADESA_DIALOGS_PARSERS_RSVP_H_

#include <optional>
#include <string>
#include <string_view>

namespace suaradesa::dialogs {

struct RsvpAnswer {
  std::string answer;  // "hadir" or "tidak"
  std::string reason;  // the person's words after the answer; may be empty
};

std::optional<RsvpAnswer> ParseRsvp(std::string_view text, bool pending);

// True if the text looks like a broadcast rather than a person's answer: a
// phone number, a link, or more than `max_words` words.
bool LooksLikeBroadcast(std::string_view text, size_t max_words);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_RSVP_H_
