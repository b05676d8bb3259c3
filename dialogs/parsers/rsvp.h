// Answers to a meeting invitation (issue 5): "HADIR", "insyaallah datang",
// "ya sy dtg", "inggih rawuh" are hadir; "TIDAK", "tidak bisa hadir, ada
// acara keluarga", "mboten saged", "berhalangan" are tidak, with the reason
// the person gave ("ada acara keluarga").
//
// Without a pending invitation only a message that opens as an answer about
// attending counts: an attend or cannot word with nothing before it but
// courtesy, first person, negation, commitment or meeting words ("ya sy
// dtg", "maaf bu gk bisa dtg"); "tangki air cuma datang 2 kali seminggu" or
// "lampu tidak bisa nyala" is no answer to anything. A bare "ya" or "tidak"
// never counts then. With a pending invitation, an attend word anywhere and
// a bare yes or no do. Long messages, questions, and messages with phone
// numbers or links (spam) are never an RSVP. With a pending invitation, a
// message that opens saying it is not decided yet ("belum tahu", "belum
// pasti", "liat besok") is kRsvpUndecided.
//
// Thread safety: pure.
#ifndef SUARADESA_DIALOGS_PARSERS_RSVP_H_
#define SUARADESA_DIALOGS_PARSERS_RSVP_H_

#include <optional>
#include <string>
#include <string_view>

namespace suaradesa::dialogs {

// Not decided yet ("blm tau bisa kah ndik, liat besok"): no answer is
// recorded; the invitation stays open for a later HADIR or TIDAK.
inline constexpr char kRsvpUndecided[] = "belum";

struct RsvpAnswer {
  std::string answer;  // "hadir", "tidak" or kRsvpUndecided
  std::string reason;  // the person's words after the answer; may be empty
  // Read from a part of the message (one short sentence, or a reason for
  // staying away closed by an apology), not from the whole: the rest may
  // be about something else ("BLT saya belum cair, saya sakit, maaf").
  bool partial = false;
};

std::optional<RsvpAnswer> ParseRsvp(std::string_view text, bool pending);

// True if the text looks like a broadcast rather than a person's answer: a
// phone number, a link, or more than `max_words` words.
bool LooksLikeBroadcast(std::string_view text, size_t max_words);

// What LooksLikeBroadcast reads of a text, read once: the routing asks it
// with each flow's word limit.
struct BroadcastShape {
  bool marked = false;  // a phone number or a link
  size_t words = 0;     // Words(text).size()
  bool Exceeds(size_t max_words) const { return marked || words > max_words; }
};
BroadcastShape ShapeOf(std::string_view text);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_RSVP_H_
