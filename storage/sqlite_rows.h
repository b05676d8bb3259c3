// Small helpers shared by the SQLite store's parts (sqlite_desk.cc,
// sqlite_notices.cc): passing an error on, and the comma lists used for
// plain identifiers (area codes, group codes, office names).
#ifndef SUARADESA_STORAGE_SQLITE_ROWS_H_
#define SUARADESA_STORAGE_SQLITE_ROWS_H_

#include <expected>
#include <string>
#include <vector>

#include "storage/store.h"

namespace suaradesa::storage::sqlite_rows {

template <typename T>
std::unexpected<Error> Fail(const Result<T>& r) {
  return std::unexpected(r.error());
}

// Identifiers joined by commas; empty items are dropped.
inline std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (item.empty()) continue;
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

inline std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace suaradesa::storage::sqlite_rows

#endif  // SUARADESA_STORAGE_SQLITE_ROWS_H_
