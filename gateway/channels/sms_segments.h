// SMS encoding and segmentation (GSM 03.38 / 3GPP TS 23.038).
//
// A text goes out as GSM-7 when every character is in the default alphabet
// or its extension table (extension characters cost two septets: ESC plus a
// code); otherwise the whole text goes out as UCS-2 (UTF-16 code units;
// characters outside the BMP take two). One SM carries 160 septets or 70
// units; a concatenated SM carries 153 septets or 67 units per segment.
// Splitting never cuts an escape pair or a surrogate pair, so a segment may
// hold one unit less than its capacity.
//
// Texts are UTF-8. Invalid bytes count as U+FFFD (which forces UCS-2).
//
// Thread safety: every function is pure and may be called from any thread.
#ifndef SUARADESA_GATEWAY_CHANNELS_SMS_SEGMENTS_H_
#define SUARADESA_GATEWAY_CHANNELS_SMS_SEGMENTS_H_

#include <string>
#include <string_view>
#include <vector>

namespace suaradesa::channels {

enum class SmsEncoding { kGsm7, kUcs2 };

// Capacities in septets (GSM-7) or UTF-16 units (UCS-2).
inline constexpr int kGsm7SingleUnits = 160;
inline constexpr int kGsm7SegmentUnits = 153;
inline constexpr int kUcs2SingleUnits = 70;
inline constexpr int kUcs2SegmentUnits = 67;

struct SmsCount {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  int units = 0;     // septets (GSM-7) or UTF-16 code units (UCS-2)
  int segments = 0;  // 0 only for the empty text
};

// True when c is in the GSM-7 default alphabet (one septet).
bool IsGsmBasic(char32_t c);
// True when c is in the GSM-7 extension table (two septets).
bool IsGsmExtension(char32_t c);

// GSM-7 when every character of text is in either table, else UCS-2.
SmsEncoding DetectSmsEncoding(std::string_view text);

// The encoding, size and number of segments of text. The segment count is
// the number of parts SplitSms produces (never split pairs), which can be
// one more than units / capacity rounded up.
SmsCount CountSms(std::string_view text);

// Shorthand for CountSms(text).segments.
int SmsSegments(std::string_view text);

// The parts a concatenated SMS would carry, in order, as UTF-8. One part
// when the text fits in a single SM; empty for the empty text.
std::vector<std::string> SplitSms(std::string_view text);

// Replaces typographic characters that would force UCS-2 with their plain
// GSM-7 equivalents: curly quotes -> ' and ", dashes -> -, ellipsis -> ...,
// non-breaking and other special spaces and tabs -> space, a few accented
// vowels absent from GSM-7 (á í ó ú ...) -> plain vowels; zero-width
// characters are removed. Everything else (emoji included) is kept.
std::string ToGsmFriendly(std::string_view text);

}  // namespace suaradesa::channels

#endif  // SUARADESA_GATEWAY_CHANNELS_SMS_SEGMENTS_H_
