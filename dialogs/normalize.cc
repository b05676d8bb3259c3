// A small table of code point ranges stands in for a Unicode library (house
// rule: no new dependencies); it covers the look-alikes seen in chat.
#include "dialogs/normalize.h"

#include <cstdint>

namespace suaradesa::dialogs {
namespace {

// Decodes one UTF-8 character at `i`; sets `len` to its byte length (1 for
// an invalid byte, which is then passed through as is).
char32_t Decode(std::string_view s, size_t i, size_t* len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3
                         : (c >> 3) == 0x1E ? 4 : 0;
  if (n <= 1 || i + n > s.size()) {
    *len = 1;
    return n == 1 ? c : 0xFFFFFFFF;
  }
  char32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      *len = 1;
      return 0xFFFFFFFF;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *len = n;
  return cp;
}

// Latin-1 letters U+00C0-00FF to their base letter; 0 where there is none.
constexpr char kLatin1Base[] =
    "AAAAAAACEEEEIIII"   // C0-CF
    "DNOOOOO\0OUUUUYTs"  // D0-DF (D7 is the multiplication sign)
    "aaaaaaaceeeeiiii"   // E0-EF
    "dnooooo\0ouuuuyty"; // F0-FF (F7 is the division sign)

// The ASCII character `cp` folds to, 0 to drop it, or -1 to keep it.
int FoldOne(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) return static_cast<int>(cp - 0xFEE0);
  if (cp == 0x3000 || cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200A)) return ' ';
  if (cp >= 0x200B && cp <= 0x200D) return 0;
  if (cp == 0xFEFF || cp == 0x2060) return 0;
  if (cp >= 0x24B6 && cp <= 0x24CF) return static_cast<int>('A' + (cp - 0x24B6));
  if (cp >= 0x24D0 && cp <= 0x24E9) return static_cast<int>('a' + (cp - 0x24D0));
  // Mathematical bold, italic, script, fraktur, double-struck, sans-serif
  // and monospace letters come in blocks of 52: A-Z then a-z.
  if (cp >= 0x1D400 && cp <= 0x1D6A3) {
    uint32_t k = (cp - 0x1D400) % 52;
    return k < 26 ? static_cast<int>('A' + k) : static_cast<int>('a' + k - 26);
  }
  if (cp >= 0x1D7CE && cp <= 0x1D7FF) {
    return static_cast<int>('0' + (cp - 0x1D7CE) % 10);
  }
  if (cp >= 0xC0 && cp <= 0xFF) {
    char c = kLatin1Base[cp - 0xC0];
    return c == 0 ? -1 : c;
  }
  return -1;
}

}  // namespace

std::string FoldCompatibility(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t len = 1;
    char32_t cp = Decode(text, i, &len);
    int folded = cp < 0x80 ? -1 : FoldOne(cp);
    if (folded < 0) {
      out.append(text.substr(i, len));
    } else if (folded > 0) {
      out.push_back(static_cast<char>(folded));
    }
    i += len;
  }
  return out;
}

std::string SqueezeRepeats(std::string_view word, size_t keep) {
  std::string out;
  out.reserve(word.size());
  size_t i = 0;
  while (i < word.size()) {
    size_t j = i;
    while (j < word.size() && word[j] == word[i]) ++j;
    bool letter = (word[i] >= 'a' && word[i] <= 'z') ||
                  (word[i] >= 'A' && word[i] <= 'Z');
    size_t run = j - i;
    out.append(letter && run >= 3 ? keep : run, word[i]);
    i = j;
  }
  return out;
}

}  // namespace suaradesa::dialogs
