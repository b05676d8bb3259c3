// The public board's rule for small counts: a count between 1 and 4 could
// point at a person (the one woman who complained in a small desa), so it
// is shown as "<5". A total beside hidden parts would give them away by
// subtraction (a total of 9 beside 6 and "<5" is a 3), so:
//
//   - a cell is shown exactly when it is 0 or at least 5, else as "<5";
//   - a row total is shown only when every cell of its row is shown
//     exactly, a column total only when every cell of its column is, and
//     the grand total only when every cell is; otherwise "*".
//
// Every number shown is then a sum of cells shown exactly, so no
// combination of shown numbers recovers a hidden cell. A share (a
// percentage) is shown only when both its part and the rest are shown
// exactly for the same reason (7 complaints, 29% on time: 2).
//
// Thread safety: pure functions.
#ifndef SUARADESA_GATEWAY_PAPAN_SMALL_COUNTS_H_
#define SUARADESA_GATEWAY_PAPAN_SMALL_COUNTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace suaradesa::papan {

inline constexpr char kSmall[] = "<5";
inline constexpr char kWithheld[] = "*";

// 1..4.
bool IsSmall(int64_t count);
// "0", "<5", "12".
std::string ShowCount(int64_t count);

// A table of counts, cells[row][column].
struct CountTable {
  std::vector<std::vector<int64_t>> cells;
};

// What the table shows: every cell and total as text.
struct ShownTable {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> row_totals;
  std::vector<std::string> column_totals;
  std::string total;
  bool any_withheld = false;   // some total is "*"
};

ShownTable Show(const CountTable& table);

// The share part/whole as a whole percentage, when whole > 0 and neither
// part nor whole - part is small; nullopt otherwise.
std::optional<int> ShowShare(int64_t part, int64_t whole);

}  // namespace suaradesa::papan

#endif  // SUARADESA_GATEWAY_PAPAN_SMALL_COUNTS_H_
