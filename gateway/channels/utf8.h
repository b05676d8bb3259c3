// UTF-8 validation and repair for text that arrives from outside.
//
// Platforms, SMS bridges and phones occasionally deliver bytes that are not
// valid UTF-8 (a truncated multi-byte sequence, Latin-1 from an old modem).
// The gateway repairs such text instead of failing: every ill-formed
// sequence becomes U+FFFD, so the message is still stored and answered.
//
// Thread safety: every function is pure and may be called from any thread.
#ifndef SUARADESA_GATEWAY_CHANNELS_UTF8_H_
#define SUARADESA_GATEWAY_CHANNELS_UTF8_H_

#include <string>
#include <string_view>

namespace suaradesa::channels {

// True when text is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// text with each maximal ill-formed subpart replaced by U+FFFD (the
// "substitution of maximal subparts" practice of Unicode chapter 3). Valid
// text comes back unchanged.
std::string RepairUtf8(std::string_view text);

// Cuts text to at most max_chars code points (not bytes). REQUIRES: valid
// UTF-8.
std::string TruncateChars(std::string_view text, size_t max_chars);

// The number of code points in valid UTF-8 text.
size_t CountChars(std::string_view text);

}  // namespace suaradesa::channels

#endif  // SUARADESA_GATEWAY_CHANNELS_UTF8_H_
