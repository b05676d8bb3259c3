#include "gateway/papan/small_counts.h"

#include <algorithm>

namespace suaradesa::papan {

bool IsSmall(int64_t count) { return count >= 1 && count <= 4; }

std::string ShowCount(int64_t count) { return IsSmall(count) ? kSmall : std::to_string(count); }

ShownTable Show(const CountTable& table) {
  ShownTable out;
  size_t columns = 0;
  for (const auto& row : table.cells) columns = std::max(columns, row.size());
  std::vector<int64_t> column_sums(columns, 0);
  std::vector<bool> column_exact(columns, true);
  int64_t total = 0;
  bool all_exact = true;
  for (const auto& row : table.cells) {
    std::vector<std::string> shown;
    int64_t sum = 0;
    bool exact = true;
    for (size_t c = 0; c < columns; ++c) {
      const int64_t v = c < row.size() ? row[c] : 0;
      shown.push_back(ShowCount(v));
      sum += v;
      column_sums[c] += v;
      if (IsSmall(v)) {
        exact = false;
        column_exact[c] = false;
      }
    }
    out.cells.push_back(std::move(shown));
    out.row_totals.push_back(exact ? std::to_string(sum) : kWithheld);
    if (!exact) all_exact = false;
    total += sum;
  }
  for (size_t c = 0; c < columns; ++c) {
    out.column_totals.push_back(column_exact[c] ? std::to_string(column_sums[c]) : kWithheld);
  }
  out.total = all_exact ? std::to_string(total) : kWithheld;
  out.any_withheld = !all_exact;
  return out;
}

std::optional<int> ShowShare(int64_t part, int64_t whole) {
  if (whole <= 0 || part < 0 || part > whole) return std::nullopt;
  if (IsSmall(part) || IsSmall(whole - part)) return std::nullopt;
  return static_cast<int>((part * 100 + whole / 2) / whole);
}

}  // namespace suaradesa::papan
