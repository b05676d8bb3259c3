// Phone numbers as the store keeps them: E.164 ("+6281234567001").
//
// Every phone number is normalised once, where it enters: SMS addresses in
// Inbound, the desk and notices API, CSV import, staff numbers, and the
// migration that merged the contacts earlier forms had split (0009). The
// store lives beside this file because the migration needs it; nothing here
// depends on SQLite.
//
// Thread safety: pure.
#ifndef SUARADESA_STORAGE_PHONE_H_
#define SUARADESA_STORAGE_PHONE_H_

#include <optional>
#include <string>
#include <string_view>

namespace suaradesa::phone {

// The E.164 form of a phone number written in one of the ways Indonesian
// numbers reach us:
//   national      "0812-3456-7001", "0812 3456 7001", "(0812) 3456.7001",
//                 "812 3456 7001" (a mobile number without its 0)
//   country code  "6281234567001", "+62 812 3456 7001", "+62 (0)812..."
//   international "0062 812 3456 7001", "+1 415 555 0100", "001 415 555 0100"
// Spaces, dashes, dots and parentheses are ignored. An Indonesian number
// (+62) has 7 to 12 digits after the country code; any other country's has
// 8 to 15 digits in all (E.164's limit) and is kept as given.
// nullopt for everything else: letters (an alphanumeric sender "TELKOMSEL"),
// short codes ("3636"), too short or too long, a '+' not in front.
std::optional<std::string> ToE164(std::string_view text);

// True when `e164` (an output of ToE164) is an Indonesian mobile number:
// +628 followed by 7 to 11 digits.
bool IsIndonesianMobile(std::string_view e164);

}  // namespace suaradesa::phone

#endif  // SUARADESA_STORAGE_PHONE_H_
