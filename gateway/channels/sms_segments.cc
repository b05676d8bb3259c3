#include "gateway/channels/sms_segments.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace suaradesa::channels {

namespace {

// The GSM 03.38 default alphabet, as Unicode code points, sorted. ESC (0x1B)
// is not a character of its own and is left out.
constexpr std::array<char32_t, 127> kGsmBasic = [] {
  std::array<char32_t, 127> t{};
  size_t n = 0;
  for (char32_t c : {U'\n', U'\r', U' ', U'!', U'"', U'#', U'$', U'%', U'&',
                     U'\'', U'(', U')', U'*', U'+', U',', U'-', U'.', U'/',
                     U':', U';', U'<', U'=', U'>', U'?', U'@', U'_'}) {
    t[n++] = c;
  }
  for (char32_t c = U'0'; c <= U'9'; ++c) t[n++] = c;
  for (char32_t c = U'A'; c <= U'Z'; ++c) t[n++] = c;
  for (char32_t c = U'a'; c <= U'z'; ++c) t[n++] = c;
  for (char32_t c : {U'\u00A1', U'\u00A3', U'\u00A4', U'\u00A5', U'\u00A7',
                     U'\u00BF', U'\u00C4', U'\u00C5', U'\u00C6', U'\u00C7',
                     U'\u00C9', U'\u00D1', U'\u00D6', U'\u00D8', U'\u00DC',
                     U'\u00DF', U'\u00E0', U'\u00E4', U'\u00E5', U'\u00E6',
                     U'\u00E8', U'\u00E9', U'\u00EC', U'\u00F1', U'\u00F2',
                     U'\u00F6', U'\u00F8', U'\u00F9', U'\u00FC', U'\u0393',
                     U'\u0394', U'\u0398', U'\u039B', U'\u039E', U'\u03A0',
                     U'\u03A3', U'\u03A6', U'\u03A8', U'\u03A9'}) {
    t[n++] = c;
  }
  // Insertion sort: std::sort is constexpr only from C++20 on some
  // libraries, and this runs at compile time anyway.
  for (size_t i = 1; i < n; ++i) {
    for (size_t j = i; j > 0 && t[j - 1] > t[j]; --j) std::swap(t[j - 1], t[j]);
  }
  return t;
}();

// The extension table: each costs ESC + code.
constexpr std::array<char32_t, 10> kGsmExtension = {
    U'\f', U'[', U'\\', U']', U'^', U'{', U'|', U'}', U'~', U'\u20AC'};

// Every slot is filled (an unfilled one would sort first as U+0000).
static_assert(kGsmBasic[0] == U'\n' && kGsmBasic[126] == U'\u03A9');

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point from text at *pos and advances *pos. Malformed,
// overlong or surrogate sequences yield U+FFFD and consume one byte.
char32_t NextCodePoint(std::string_view text, size_t* pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  size_t i = *pos;
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    *pos = i + 1;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    *pos = i + 1;
    return kReplacement;
  }
  if (i + len > text.size()) {
    *pos = i + 1;
    return kReplacement;
  }
  for (int k = 1; k < len; ++k) {
    unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      *pos = i + 1;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return kReplacement;
  }
  *pos = i + len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Units one code point costs in the given encoding.
int UnitsOf(char32_t cp, SmsEncoding encoding) {
  if (encoding == SmsEncoding::kGsm7) return IsGsmExtension(cp) ? 2 : 1;
  return cp >= 0x10000 ? 2 : 1;
}

// Walks text once in the given encoding, calling on_part(begin, end) with
// byte ranges of each part. Returns the total units.
template <typename OnPart>
int Segment(std::string_view text, SmsEncoding encoding, OnPart on_part) {
  const int single =
      encoding == SmsEncoding::kGsm7 ? kGsm7SingleUnits : kUcs2SingleUnits;
  const int per_segment =
      encoding == SmsEncoding::kGsm7 ? kGsm7SegmentUnits : kUcs2SegmentUnits;
  int total = 0;
  for (size_t pos = 0; pos < text.size();) total += UnitsOf(NextCodePoint(text, &pos), encoding);
  if (total == 0) return 0;
  if (total <= single) {
    on_part(size_t{0}, text.size());
    return total;
  }
  size_t part_begin = 0;
  int part_units = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t start = pos;
    int units = UnitsOf(NextCodePoint(text, &pos), encoding);
    if (part_units + units > per_segment) {
      // The pair would straddle the boundary: it opens the next part.
      on_part(part_begin, start);
      part_begin = start;
      part_units = 0;
    }
    part_units += units;
  }
  on_part(part_begin, text.size());
  return total;
}

// Replaces invalid sequences with U+FFFD so every part is valid UTF-8.
std::string Sanitise(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) AppendUtf8(NextCodePoint(text, &pos), &out);
  return out;
}

struct Replacement {
  char32_t from;
  const char* to;  // UTF-8; empty to drop the character
};

// Sorted by `from`.
constexpr Replacement kGsmFriendly[] = {
    {U'\t', " "},
    {U'`', "'"},
    {U'\u00A0', " "},  // no-break space
    {U'\u00AB', "\""},  // left guillemet
    {U'\u00AD', ""},    // soft hyphen
    {U'\u00B4', "'"},   // acute accent
    {U'\u00BB', "\""},  // right guillemet
    {U'\u00C0', "A"},  {U'\u00C1', "A"},  {U'\u00C2', "A"},  {U'\u00C8', "E"},
    {U'\u00CA', "E"},  {U'\u00CC', "I"},  {U'\u00CD', "I"},  {U'\u00CE', "I"},
    {U'\u00D2', "O"},  {U'\u00D3', "O"},  {U'\u00D4', "O"},  {U'\u00D9', "U"},
    {U'\u00DA', "U"},  {U'\u00DB', "U"},  {U'\u00E1', "a"},  {U'\u00E2', "a"},
    {U'\u00E7', "\u00C7"},  // GSM-7 has only the capital C cedilla
    {U'\u00EA', "e"},  {U'\u00ED', "i"},  {U'\u00EE', "i"},  {U'\u00F3', "o"},
    {U'\u00F4', "o"},  {U'\u00FA', "u"},  {U'\u00FB', "u"},
    {U'\u2000', " "},  {U'\u2001', " "},  {U'\u2002', " "},  {U'\u2003', " "},
    {U'\u2004', " "},  {U'\u2005', " "},  {U'\u2006', " "},  {U'\u2007', " "},
    {U'\u2008', " "},  {U'\u2009', " "},  {U'\u200A', " "},
    {U'\u200B', ""},   {U'\u200C', ""},   {U'\u200D', ""},   {U'\u200E', ""},
    {U'\u200F', ""},
    {U'\u2010', "-"},  {U'\u2011', "-"},  {U'\u2012', "-"},  {U'\u2013', "-"},
    {U'\u2014', "-"},  {U'\u2015', "-"},
    {U'\u2018', "'"},  {U'\u2019', "'"},  {U'\u201A', "'"},  {U'\u201B', "'"},
    {U'\u201C', "\""}, {U'\u201D', "\""}, {U'\u201E', "\""}, {U'\u201F', "\""},
    {U'\u2022', "-"},   // bullet
    {U'\u2026', "..."},
    {U'\u202F', " "},   // narrow no-break space
    {U'\u2032', "'"},  {U'\u2033', "\""},
    {U'\u2039', "'"},  {U'\u203A', "'"},
    {U'\u205F', " "},  {U'\u2060', ""},
    {U'\u2212', "-"},   // minus sign
    {U'\u3000', " "},
    {U'\uFEFF', ""},    // byte order mark / zero-width no-break space
};

static_assert([] {
  for (size_t i = 1; i < std::size(kGsmFriendly); ++i) {
    if (kGsmFriendly[i - 1].from >= kGsmFriendly[i].from) return false;
  }
  return true;
}(), "kGsmFriendly must be sorted");

const Replacement* FindReplacement(char32_t cp) {
  auto it = std::lower_bound(std::begin(kGsmFriendly), std::end(kGsmFriendly), cp,
                             [](const Replacement& r, char32_t c) { return r.from < c; });
  if (it == std::end(kGsmFriendly) || it->from != cp) return nullptr;
  return it;
}

}  // namespace

bool IsGsmBasic(char32_t c) {
  return std::binary_search(kGsmBasic.begin(), kGsmBasic.end(), c);
}

bool IsGsmExtension(char32_t c) {
  return std::find(kGsmExtension.begin(), kGsmExtension.end(), c) != kGsmExtension.end();
}

SmsEncoding DetectSmsEncoding(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp = NextCodePoint(text, &pos);
    if (!IsGsmBasic(cp) && !IsGsmExtension(cp)) return SmsEncoding::kUcs2;
  }
  return SmsEncoding::kGsm7;
}

SmsCount CountSms(std::string_view text) {
  SmsCount count;
  count.encoding = DetectSmsEncoding(text);
  count.units = Segment(text, count.encoding,
                        [&](size_t, size_t) { ++count.segments; });
  return count;
}

int SmsSegments(std::string_view text) { return CountSms(text).segments; }

std::vector<std::string> SplitSms(std::string_view text) {
  // Work on valid UTF-8 so that byte ranges map to whole code points and
  // every part is valid on its own.
  const std::string clean = Sanitise(text);
  std::vector<std::string> parts;
  Segment(clean, DetectSmsEncoding(clean), [&](size_t begin, size_t end) {
    parts.emplace_back(clean.substr(begin, end - begin));
  });
  return parts;
}

std::string ToGsmFriendly(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp = NextCodePoint(text, &pos);
    if (const Replacement* r = FindReplacement(cp)) {
      out += r->to;
    } else {
      AppendUtf8(cp, &out);
    }
  }
  return out;
}

}  // namespace suaradesa::channels
