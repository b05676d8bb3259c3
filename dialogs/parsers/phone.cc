#include "dialogs/parsers/phone.h"

#include "dialogs/text.h"

namespace suaradesa::dialogs {

std::optional<std::string> NormalizePhone(std::string_view text) {
  std::string s = Trim(text);
  std::string digits;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+') {
      // Only a leading plus, and only before the country code.
      if (!digits.empty() || i != s.find_first_not_of(" (")) return std::nullopt;
      if (s.compare(i + 1, 2, "62") != 0) return std::nullopt;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  if (digits.starts_with("0")) {
    digits = "62" + digits.substr(1);
  } else if (digits.starts_with("8")) {
    digits = "62" + digits;
  }
  if (!digits.starts_with("628")) return std::nullopt;
  size_t tail = digits.size() - 3;
  if (tail < 7 || tail > 11) return std::nullopt;
  return "+" + digits;
}

}  // namespace suaradesa::dialogs
