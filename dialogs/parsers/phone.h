// Indonesian mobile numbers to E.164 (DOMAIN.md section 5).
//
// Accepts 08xx..., 628xx..., +62 8xx..., 8xx... with spaces, dashes, dots
// and parentheses: "0812-3456-7890", "+62 812 3456 7890", "(0812) 3456789".
// Rejects landlines (0333-...), other countries, letters and anything whose
// digits do not form +628 followed by 7 to 11 digits.
//
// Thread safety: pure.
#ifndef SUARADESA_DIALOGS_PARSERS_PHONE_H_
#define SUARADESA_DIALOGS_PARSERS_PHONE_H_

#include <optional>
#include <string>
#include <string_view>

namespace suaradesa::dialogs {

// Returns "+628..." or nullopt.
std::optional<std::string> NormalizePhone(std::string_view text);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_PHONE_H_
