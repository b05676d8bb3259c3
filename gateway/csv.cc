#include "gateway/csv.h"

#include <ctime>

namespace suaradesa {

namespace {

bool FormulaStart(char c) { return c == '=' || c == '+' || c == '-' || c == '@'; }

// Whether a spreadsheet could take s for a formula.
bool NeedsFormulaGuard(const std::string& s) {
  if (s.empty()) return false;
  const char first = s[0];
  if (first == '\t' || first == '\r' || first == '\n' || first == '\0') return true;
  const size_t p = s.find_first_not_of(' ');
  return p != std::string::npos && FormulaStart(s[p]);
}

}  // namespace

std::string CsvField(const std::string& s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string::npos;
  std::string out = NeedsFormulaGuard(s) ? "'" + s : s;
  if (!quote) return out;
  std::string q = "\"";
  for (char c : out) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string IsoUtc(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace suaradesa
