#include "storage/phone.h"

namespace suaradesa::phone {

namespace {

constexpr size_t kMinNational = 7;    // digits after +62
constexpr size_t kMaxNational = 12;
constexpr size_t kMinForeign = 8;     // all digits, country code included
constexpr size_t kMaxE164 = 15;

}  // namespace

std::optional<std::string> ToE164(std::string_view text) {
  std::string digits;
  bool plus = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+') {
      // Only one plus, in front of every digit.
      if (plus || !digits.empty()) return std::nullopt;
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '\t') {
      return std::nullopt;
    }
  }
  if (digits.empty()) return std::nullopt;
  std::string international;  // country code first, no '+'
  if (plus) {
    international = digits;
  } else if (digits.starts_with("00")) {
    international = digits.substr(2);
  } else if (digits.starts_with("0")) {
    international = "62" + digits.substr(1);
  } else if (digits.starts_with("62")) {
    international = digits;
  } else if (digits.starts_with("8") && digits.size() >= 9 && digits.size() <= 12) {
    international = "62" + digits;  // a mobile number written without its 0
  } else {
    return std::nullopt;  // a short code, or a number without its country
  }
  if (international.empty() || international[0] == '0') return std::nullopt;
  if (international.starts_with("62")) {
    std::string national = international.substr(2);
    // "+62 (0)812...": the trunk 0 written after the country code.
    if (national.starts_with("0")) national.erase(0, 1);
    if (national.size() < kMinNational || national.size() > kMaxNational) return std::nullopt;
    return "+62" + national;
  }
  if (international.size() < kMinForeign || international.size() > kMaxE164) return std::nullopt;
  return "+" + international;
}

bool IsIndonesianMobile(std::string_view e164) {
  if (!e164.starts_with("+628")) return false;
  const size_t tail = e164.size() - 4;
  return tail >= 7 && tail <= 11;
}

}  // namespace suaradesa::phone
