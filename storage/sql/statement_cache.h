// StatementCache: the prepared statements of one connection, keyed by their
// SQL text, so each SQL is compiled once per connection instead of once per
// call. Get lends a statement out as a ScopedStatement, which resets it (and
// clears its bindings) when it goes out of scope, so no SELECT keeps a read
// transaction (and a WAL snapshot) open by accident.
//
// REQUIRES: the same SQL is not on loan twice at once. A statement has one
// cursor and one set of bindings, so a nested Get of an SQL whose statement
// an outer caller still holds would reset it under that caller; Get refuses
// that with Error::Kind::kInvalid instead, leaving the held statement alone.
//
// This header is internal to storage/: nothing outside it may include it.
//
// Thread safety: none. The cache and its statements belong to one connection
// and are used only under the owning store's mutex (e.g. SqliteStore::mu_).
#ifndef SUARADESA_STORAGE_SQL_STATEMENT_CACHE_H_
#define SUARADESA_STORAGE_SQL_STATEMENT_CACHE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/sql/connection.h"
#include "storage/store.h"

namespace suaradesa::storage {

// A cached statement on loan from a StatementCache. Resets the statement
// (ending any read, clearing its bindings) and returns it to the cache when
// destroyed. Movable, not copyable; a moved-from one holds nothing.
class ScopedStatement {
 public:
  ScopedStatement(ScopedStatement&& other) noexcept;
  ScopedStatement& operator=(ScopedStatement&&) = delete;
  ScopedStatement(const ScopedStatement&) = delete;
  ScopedStatement& operator=(const ScopedStatement&) = delete;
  ~ScopedStatement();

  Statement* operator->() const { return entry_->statement.get(); }
  Statement& operator*() const { return *entry_->statement; }

 private:
  friend class StatementCache;
  struct Entry {
    std::unique_ptr<Statement> statement;
    bool on_loan = false;  // a ScopedStatement holds it
  };
  explicit ScopedStatement(Entry* entry);

  Entry* entry_;
};

class StatementCache {
 public:
  // `db` must outlive the cache.
  explicit StatementCache(Connection& db) : db_(db) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // Lends out the statement for `sql`, prepared on first use and reset, with
  // no bindings. Returns the Prepare error if `sql` does not compile, or
  // Error::Kind::kInvalid if the statement for `sql` is still on loan.
  [[nodiscard]] Result<ScopedStatement> Get(std::string_view sql);

  Connection& db() { return db_; }
  Dialect dialect() const { return db_.dialect(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  Connection& db_;
  // Node-based: a ScopedStatement's Entry* survives later insertions.
  std::unordered_map<std::string, ScopedStatement::Entry, Hash, std::equal_to<>> stmts_;
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_SQL_STATEMENT_CACHE_H_
