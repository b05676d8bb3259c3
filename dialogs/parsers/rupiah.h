// Rupiah amounts as written in Indonesia (DOMAIN.md section 5).
//
// Formal "Rp5.000.000" / "Rp5.000.000,00" and the informal variants:
// "Rp 5.000.000", "Rp. 5.000.000,-", "Rp5jt", "5 jt", "5jt", "500rb",
// "Rp.175jt", "3,5 jt" (decimal comma), "2Ojt" (letter O for zero),
// "1.milyar", "1 juta 500 ribu", and number words: "lima juta",
// "setengah juta", "seratus lima puluh ribu", "satu setengah juta".
// A period between digit groups of three is a thousands separator
// ("5.000" is five thousand); a comma before one or two digits is a decimal.
//
// Results:
//   an amount in whole rupiah;
//   kAmbiguous when the text has a number but its meaning is unclear: a bare
//     small number with no scale word and no "Rp" ("5": five rupiah or five
//     million?), a fraction of a rupiah, or two amounts ("5-10 jt");
//   kInvalid when there is no amount at all.
//
// Thread safety: pure.
#ifndef SUARADESA_DIALOGS_PARSERS_RUPIAH_H_
#define SUARADESA_DIALOGS_PARSERS_RUPIAH_H_

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace suaradesa::dialogs {

enum class RupiahError { kInvalid, kAmbiguous };

[[nodiscard]] std::expected<int64_t, RupiahError> ParseRupiah(
    std::string_view text);

// "Rp5.000.000" (formal EYD style).
std::string FormatRupiah(int64_t amount);

}  // namespace suaradesa::dialogs

#endif  // SUARADESA_DIALOGS_PARSERS_RUPIAH_H_
