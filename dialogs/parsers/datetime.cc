// Word tables are recognition data (how people write), never shown.
#include "dialogs/parsers/datetime.h"

#include <cstdio>
#include <optional>
#include <vector>

#include "dialogs/format.h"
#include "dialogs/parsers/numbers.h"
#include "dialogs/text.h"

namespace suaradesa::dialogs {
namespace {

using Status = ParsedDateTime::Status;

constexpr std::string_view kWeekdays[][3] = {
    {"senin", "snin", "monday"},   {"selasa", "slasa", "tuesday"},
    {"rabu", "rebo", "wednesday"}, {"kamis", "kemis", "thursday"},
    {"jumat", "jemuah", "friday"}, {"sabtu", "setu", "saturday"},
    {"minggu", "ahad", "sunday"},
};

constexpr std::string_view kMonths[][3] = {
    {"januari", "jan", "january"},    {"februari", "feb", "pebruari"},
    {"maret", "mar", "march"},        {"april", "apr", "apr"},
    {"mei", "may", "mei"},            {"juni", "jun", "june"},
    {"juli", "jul", "july"},          {"agustus", "agu", "agt"},
    {"september", "sep", "sept"},     {"oktober", "okt", "october"},
    {"november", "nov", "nop"},       {"desember", "des", "december"},
};

constexpr std::string_view kPrayers[] = {
    "subuh", "dzuhur", "zuhur", "dhuhur", "lohor", "duhur", "ashar", "asar",
    "maghrib", "magrib", "mahgrib", "isya", "isa", "isyak", "sholat", "shalat",
};

std::optional<int> Weekday(std::string_view w) {
  for (int i = 0; i < 7; ++i) {
    for (std::string_view n : kWeekdays[i]) {
      if (w == n) return i + 1;
    }
  }
  return std::nullopt;
}

std::optional<int> Month(std::string_view w) {
  for (int i = 0; i < 12; ++i) {
    for (std::string_view n : kMonths[i]) {
      if (w == n) return i + 1;
    }
  }
  return std::nullopt;
}

bool IsPrayer(std::string_view w) {
  for (std::string_view p : kPrayers) {
    if (w == p) return true;
  }
  return false;
}

struct State {
  int64_t today = 0;  // days since epoch, local
  CivilTime now;
  std::optional<int64_t> date;  // days since epoch
  std::optional<int> hour;
  int minute = 0;
  bool unclear = false;
};

bool SetDate(State& s, int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    s.unclear = true;
    return false;
  }
  s.date = DaysFromCivil(year, month, day);
  return true;
}

// "4/12", "4-12-2026", "04/12/26" anywhere in the raw text.
void NumericDates(const std::string& s, State& st) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (!(s[i] >= '0' && s[i] <= '9') || (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')) {
      continue;
    }
    std::vector<std::string> parts;
    size_t j = i;
    char sep = 0;
    while (j < s.size()) {
      size_t k = j;
      while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
      if (k == j) break;
      parts.push_back(s.substr(j, k - j));
      if (k < s.size() && (s[k] == '/' || s[k] == '-') && parts.size() < 3 &&
          (sep == 0 || sep == s[k]) && k + 1 < s.size() && s[k + 1] >= '0' &&
          s[k + 1] <= '9') {
        sep = s[k];
        j = k + 1;
      } else {
        j = k;
        break;
      }
    }
    if (parts.size() >= 2 && parts[0].size() <= 2 && parts[1].size() <= 2) {
      int day = std::stoi(parts[0]);
      int month = std::stoi(parts[1]);
      int year = st.now.year;
      if (parts.size() == 3) {
        if (parts[2].size() == 4) {
          year = std::stoi(parts[2]);
        } else if (parts[2].size() == 2) {
          year = 2000 + std::stoi(parts[2]);
        } else {
          continue;
        }
      }
      SetDate(st, year, month, day);
      return;
    }
    i = j;
  }
}

// "jam 9", "jam 09.30", "pukul 9:30", "jam 21".
bool ClockAfter(const std::string& s, size_t at, State& st) {
  size_t i = at;
  while (i < s.size() && (s[i] == ' ' || s[i] == ':')) ++i;
  size_t h0 = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == h0 || i - h0 > 2) return false;
  int hour = std::stoi(s.substr(h0, i - h0));
  int minute = 0;
  if (i + 1 < s.size() && (s[i] == '.' || s[i] == ':') && s[i + 1] >= '0' &&
      s[i + 1] <= '9') {
    size_t m0 = i + 1;
    size_t k = m0;
    while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
    if (k - m0 != 2) return false;
    minute = std::stoi(s.substr(m0, 2));
  }
  if (hour > 24 || minute > 59) {
    st.unclear = true;
    return true;
  }
  st.hour = hour % 24;
  st.minute = minute;
  return true;
}

}  // namespace

std::string ParsedDateTime::IsoDate() const {
  if (!has_date) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year % 10000, month % 100,
                day % 100);
  return buf;
}

std::string ParsedDateTime::IsoTime() const {
  if (!has_time) return "";
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", hour % 100, minute % 100);
  return buf;
}

ParsedDateTime ParseDateTime(std::string_view text, int64_t now_ms,
                             int utc_offset_minutes) {
  State st;
  st.now = CivilFromUnixMs(now_ms, utc_offset_minutes);
  st.today = DaysFromCivil(st.now.year, st.now.month, st.now.day);

  // Apostrophes join words: "ba'da" -> "bada", "jum'at" -> "jumat".
  std::string raw;
  for (char c : Lowercase(text)) {
    if (c != '\'' && c != '`') raw.push_back(c);
  }
  NumericDates(raw, st);

  std::vector<std::string> w = Words(ExpandAbbreviations(NormalizeText(raw)));
  // Clock times written with digits need the raw text ("9.30").
  for (std::string_view marker : {"jam", "pukul", "pkl", "jm"}) {
    size_t at = 0;
    while ((at = raw.find(marker, at)) != std::string::npos) {
      bool word_start = at == 0 || !(raw[at - 1] >= 'a' && raw[at - 1] <= 'z');
      size_t end = at + marker.size();
      if (word_start && (end >= raw.size() || !(raw[end] >= 'a' && raw[end] <= 'z'))) {
        if (ClockAfter(raw, end, st)) break;
      }
      at = end;
    }
  }

  bool pm = false;
  bool am = false;
  bool night = false;
  for (size_t i = 0; i < w.size(); ++i) {
    const std::string& x = w[i];
    std::string next = i + 1 < w.size() ? w[i + 1] : "";
    std::string prev = i > 0 ? w[i - 1] : "";
    if (x == "hari" && next == "ini") {
      st.date = st.today;
    } else if (x == "sekarang") {
      st.date = st.today;
    } else if (x == "besok" || x == "esok" || x == "sesuk") {
      st.date = st.today + (prev == "lusa" ? 2 : 1);
    } else if (x == "lusa") {
      st.date = st.today + (prev == "kemarin" ? -2 : 2);
    } else if (x == "kemarin" || x == "kemaren" || x == "wingi") {
      if (next == "lusa") continue;
      if (!st.date) st.date = st.today - 1;
    } else if ((x == "minggu" || x == "pekan") && prev != "hari" &&
               (next == "depan" || next == "lalu" || next == "kemarin" ||
                next == "ini" || next == "ngarep")) {
      int64_t delta = next == "depan" || next == "ngarep" ? 7
                      : next == "ini"                    ? 0
                                                         : -7;
      st.date = st.today + delta;
      ++i;
    } else if (x == "bulan" && (next == "depan" || next == "lalu" ||
                                next == "kemarin")) {
      int month = st.now.month + (next == "depan" ? 1 : -1);
      int year = st.now.year;
      if (month == 0) { month = 12; --year; }
      if (month == 13) { month = 1; ++year; }
      int day = std::min(st.now.day, DaysInMonth(year, month));
      st.date = DaysFromCivil(year, month, day);
      ++i;
    } else if (std::optional<int> wd = Weekday(x)) {
      int today_wd = st.now.weekday;
      int64_t delta;
      if (next == "lalu" || next == "kemarin" || next == "kemaren") {
        delta = -(((today_wd - *wd) + 7) % 7);
        if (delta == 0) delta = -7;
      } else {
        delta = ((*wd - today_wd) + 7) % 7;
        if (next == "depan" && delta == 0) delta = 7;
      }
      st.date = st.today + delta;
    } else if ((x == "tanggal" || x == "tg") && i + 1 < w.size() &&
               AllDigits(next) && next.size() <= 2) {
      int day = std::stoi(next);
      int month = st.now.month;
      int year = st.now.year;
      if (i + 2 < w.size()) {
        if (std::optional<int> m = Month(w[i + 2])) month = *m;
        if (i + 3 < w.size() && AllDigits(w[i + 3]) && w[i + 3].size() == 4) {
          year = std::stoi(w[i + 3]);
        }
      }
      if (!st.date) SetDate(st, year, month, day);
      ++i;
    } else if (AllDigits(x) && x.size() <= 2 && i + 1 < w.size() &&
               Month(next) && prev != "jam" && prev != "pukul") {
      int year = st.now.year;
      if (i + 2 < w.size() && AllDigits(w[i + 2]) && w[i + 2].size() == 4) {
        year = std::stoi(w[i + 2]);
      }
      if (!st.date) SetDate(st, year, *Month(next), std::stoi(x));
    } else if ((x == "jam" || x == "pukul") && i + 1 < w.size() &&
               !AllDigits(next)) {
      // Number words: "jam sembilan", "jam sembilan setengah",
      // "jam setengah sepuluh".
      size_t pos = i + 1;
      bool half_before = false;
      if (w[pos] == "setengah") {
        half_before = true;
        ++pos;
      }
      if (std::optional<int64_t> h = ReadNumber(w, &pos); h && *h <= 24) {
        int hour = static_cast<int>(*h);
        int minute = 0;
        if (half_before) {
          hour = (hour + 23) % 24;
          minute = 30;
        } else if (pos < w.size() && w[pos] == "setengah") {
          minute = 30;
        } else if (pos < w.size() && w[pos] == "seperempat") {
          minute = 15;
        }
        st.hour = hour % 24;
        st.minute = minute;
      }
    } else if (x == "pagi" || x == "esuk") {
      am = true;
    } else if (x == "siang" || x == "sore") {
      pm = true;
    } else if (x == "malam" || x == "bengi") {
      night = true;
    } else if ((x == "bada" || x == "habis" || x == "abis" || x == "setelah" ||
                x == "sesudah" || x == "sebelum" || x == "ba" || x == "bakda" ||
                x == "bubar") &&
               i + 1 < w.size() &&
               (IsPrayer(next) || (x == "ba" && next == "da"))) {
      if (!st.hour) st.unclear = true;
    } else if (IsPrayer(x) && !st.hour) {
      st.unclear = true;
    } else if (x == "nanti" && (next == "sore" || next == "malam" ||
                                next == "siang" || next == "pagi")) {
      if (!st.hour) st.unclear = true;
    }
  }
  if (st.hour) {
    int h = *st.hour;
    if ((pm || night) && h < 12 && !(night && h == 12)) {
      // "jam 1 siang" = 13, "jam 4 sore" = 16, "jam 7 malam" = 19; but
      // "jam 11 siang" stays 11.
      if (!(pm && h >= 11)) h += 12;
    }
    if ((night || am) && h == 12 && !pm) h = night ? 0 : 12;
    (void)am;
    st.hour = h % 24;
  }

  ParsedDateTime out;
  if (st.unclear) {
    out.status = Status::kUnclear;
    return out;
  }
  if (!st.date && !st.hour) return out;
  out.status = Status::kOk;
  out.has_date = st.date.has_value();
  out.has_time = st.hour.has_value();
  CivilTime c = CivilFromDays(st.date.value_or(st.today));
  c.hour = st.hour.value_or(0);
  c.minute = st.hour ? st.minute : 0;
  out.year = c.year;
  out.month = c.month;
  out.day = c.day;
  out.hour = c.hour;
  out.minute = c.minute;
  out.unix_ms = UnixMsFromCivil(c, utc_offset_minutes);
  return out;
}

}  // namespace suaradesa::dialogs
