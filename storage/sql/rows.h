// Small helpers shared by the store's SQL (storage/sql/*.cc): passing an
// error on, reading the id an INSERT made, and the comma lists used for
// plain identifiers (area codes, group codes, office names).
#ifndef SUARADESA_STORAGE_SQL_ROWS_H_
#define SUARADESA_STORAGE_SQL_ROWS_H_

#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "storage/sql/connection.h"
#include "storage/store.h"

namespace suaradesa::storage::sql_rows {

template <typename T>
std::unexpected<Error> Fail(const Result<T>& r) {
  return std::unexpected(r.error());
}

// Steps an INSERT ... RETURNING id and reads the id of the row it made.
inline Result<int64_t> InsertedId(Statement& s) {
  Result<bool> row = s.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(Error::Io("INSERT ... RETURNING id returned no row"));
  return s.ColumnInt(0);
}

// Ids of 0 mean "none" in the records and are stored as NULL.
void BindId(Statement& s, int index, int64_t id);
// Provider ids: empty means "not known (yet)" and is stored as NULL, so the
// inbound uniqueness rule only applies to real ids.
void BindProviderId(Statement& s, int index, const std::string& provider_id);
CaseType CaseTypeFromName(const std::string& name);
// The order of delivery states; a late callback must not move a message
// back (e.g. "delivered" arriving after "read"). -1: not ordered.
int DeliveryRank(const std::string& status);

// Row readers: each reads the columns its SELECT lists, in that order.
constexpr std::string_view kContactColumns = "id, name, language, opted_out, created_at";
Contact ReadContact(const Statement& s);
// id, contact_id, channel_id, direction, provider_id, text, status,
// created_at, outbox_id, error_code, error_reason
Message ReadMessage(const Statement& s);
constexpr const char* kCaseSelect =
    "SELECT id, type, number, status, contact_id, channel_id, area_code, desa_code,"
    " confidential, summary, fields_json, created_at, updated_at FROM cases";
Case ReadCase(const Statement& s);
constexpr const char* kOutboxSelect =
    "SELECT id, contact_id, channel_id, address, kind, payload_json, state, attempts,"
    " created_at, next_attempt_at, last_error, provider_id, message_id FROM outbox";
OutboxItem ReadOutbox(const Statement& s);

// Runs `s` to the end, collecting one record per row.
template <typename T, typename Reader>
Result<std::vector<T>> Collect(Statement& s, Reader read) {
  std::vector<T> out;
  for (;;) {
    Result<bool> row = s.Step();
    if (!row) return Fail(row);
    if (!*row) return out;
    out.push_back(read(s));
  }
}

// Runs a query expected to return at most one row. Returns nullopt when none.
template <typename T, typename Reader>
Result<std::optional<T>> QueryOne(Statement& s, Reader read) {
  Result<bool> row = s.Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<T>();
  return std::optional<T>(read(s));
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

}  // namespace suaradesa::storage::sql_rows

#endif  // SUARADESA_STORAGE_SQL_ROWS_H_
