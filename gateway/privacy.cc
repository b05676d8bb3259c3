#include "gateway/privacy.h"

#include <cctype>
#include <vector>

namespace suaradesa {

namespace {

constexpr char kPhone[] = "[phone]";
constexpr char kNik[] = "[nik]";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// One group of digits inside a written number, e.g. "3456" in
// "0812-3456-7890". sep is the character before it ('\0' for the first).
struct Group {
  size_t begin = 0;
  size_t end = 0;
  char sep = '\0';
  std::string digits;
};

// A written number: an optional "(" and "+", then groups of digits joined
// by single spaces, dots or dashes (and ") " after a bracketed area code).
struct Run {
  size_t begin = 0;  // first character, "(" or "+" included
  bool plus = false;
  std::vector<Group> groups;
};

size_t ReadDigits(const std::string& text, size_t p, Group& g) {
  g.begin = p;
  while (p < text.size() && IsDigit(text[p])) g.digits += text[p++];
  g.end = p;
  return p;
}

// Reads the run that starts at i: text[i] is a digit, or "+" or "(" before
// one. Returns false when text[i] does not start a number.
bool ReadRun(const std::string& text, size_t i, Run& run) {
  const size_t n = text.size();
  size_t p = i;
  bool paren = false;
  if (text[p] == '(') {
    paren = true;
    ++p;
  }
  if (p < n && text[p] == '+') {
    run.plus = true;
    ++p;
  }
  if (p >= n || !IsDigit(text[p])) return false;
  run.begin = i;
  Group first;
  p = ReadDigits(text, p, first);
  if (paren) {
    // "(0333) 421234": the bracket closes right after the area code.
    if (p >= n || text[p] != ')') return false;
    ++p;
    first.end = p;
  }
  run.groups.push_back(first);
  while (p + 1 < n) {
    char sep = text[p];
    size_t next = p + 1;
    if (paren && run.groups.size() == 1 && IsDigit(sep)) {
      sep = ')';
      next = p;
    } else if (!(sep == ' ' || sep == '-' || sep == '.') || !IsDigit(text[next])) {
      break;
    }
    Group g;
    g.sep = sep;
    p = ReadDigits(text, next, g);
    run.groups.push_back(g);
  }
  return true;
}

// True when the text before `at` ends with a currency word: "Rp", "Rp.",
// "Rp ", "IDR " (any case).
bool AfterCurrency(const std::string& text, size_t at) {
  size_t p = at;
  if (p > 0 && text[p - 1] == ' ') --p;
  if (p > 0 && text[p - 1] == '.') --p;
  auto ends_with = [&](const char* word, size_t len) {
    if (p < len) return false;
    for (size_t k = 0; k < len; ++k) {
      if (std::tolower(static_cast<unsigned char>(text[p - len + k])) != word[k]) return false;
    }
    return p == len || !std::isalpha(static_cast<unsigned char>(text[p - len - 1]));
  };
  return ends_with("rp", 2) || ends_with("idr", 3);
}

// "15.000.000", "1.500.000": thousands grouped with dots, never a phone.
bool DottedAmount(const Run& run) {
  const auto& g = run.groups;
  if (run.plus || g.size() < 2 || g[0].digits.size() > 3 || g[0].digits[0] == '0') return false;
  for (size_t k = 1; k < g.size(); ++k) {
    if (g[k].sep != '.' || g[k].digits.size() != 3) return false;
  }
  return true;
}

// Whether these digits (a leading "+" seen or not) are an Indonesian phone
// number, mobile or landline.
bool IsPhone(const std::string& d, bool plus) {
  std::string national;
  if (plus) {
    if (d.rfind("62", 0) != 0 || d.size() < 3) return false;
    national = d[2] == '0' ? d.substr(2) : "0" + d.substr(2);
  } else if (d.rfind("628", 0) == 0) {
    national = "0" + d.substr(2);
  } else if (d.size() >= 2 && d[0] == '0') {
    national = d;
  } else {
    return false;
  }
  if (national.size() < 2) return false;
  const char kind = national[1];
  if (kind == '8') return national.size() >= 10 && national.size() <= 13;
  // Area codes are 02x-07x and 09x.
  if ((kind >= '2' && kind <= '7') || kind == '9') {
    return national.size() >= 9 && national.size() <= 12;
  }
  return false;
}

// The last group index of the longest phone number starting at group s, or
// -1. Groups after the first need at least 3 digits (2 right after the
// country code), and nothing follows a group of 7 or more digits: "15" in
// "0812 3456 7890 15" or "123" in "08123456789 123" is not part of it.
int PhoneEnd(const Run& run, size_t s) {
  const bool plus = s == 0 && run.plus;
  std::string digits;
  int best = -1;
  for (size_t e = s; e < run.groups.size(); ++e) {
    const Group& g = run.groups[e];
    if (e > s) {
      const size_t min = (digits == "62") ? 2 : 3;
      if (g.digits.size() < min || run.groups[e - 1].digits.size() >= 7) break;
    }
    digits += g.digits;
    if (digits.size() > 15) break;
    if (IsPhone(digits, plus)) best = static_cast<int>(e);
  }
  return best;
}

// The last group index of a NIK (or KK number) starting at group s, or -1:
// 16 digits, written whole ("3510071204850001") or in groups joined by one
// and the same separator ("3510 0712 0485 0001", "35.10.07.120485.0001").
int NikEnd(const Run& run, size_t s) {
  const auto& g = run.groups;
  size_t digits = 0;
  for (size_t e = s; e < g.size(); ++e) {
    if (e > s + 1 && g[e].sep != g[s + 1].sep) return -1;
    digits += g[e].digits.size();
    if (digits == 16) return static_cast<int>(e);
    if (digits > 16) return -1;
  }
  return -1;
}

}  // namespace

std::string MaskPhoneNumbers(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    Run run;
    const bool starts = IsDigit(c) || c == '+' || c == '(';
    if (!starts || !ReadRun(text, i, run)) {
      out += c;
      ++i;
      continue;
    }
    const size_t run_end = run.groups.back().end;
    if (AfterCurrency(text, run.begin) || DottedAmount(run)) {
      out.append(text, run.begin, run_end - run.begin);
      i = run_end;
      continue;
    }
    size_t copied = run.begin;  // text before this is already in out
    for (size_t s = 0; s < run.groups.size();) {
      const char* mask = kPhone;
      int e = PhoneEnd(run, s);
      if (e < 0) {
        e = NikEnd(run, s);
        mask = kNik;
      }
      if (e < 0) {
        ++s;
        continue;
      }
      const size_t from = s == 0 ? run.begin : run.groups[s].begin;
      out.append(text, copied, from - copied);
      out += mask;
      copied = run.groups[static_cast<size_t>(e)].end;
      s = static_cast<size_t>(e) + 1;
    }
    out.append(text, copied, run_end - copied);
    i = run_end;
  }
  return out;
}

}  // namespace suaradesa
