// Connection and Statement: what the store's SQL code needs of a database
// connection, whichever database it is (storage/sqlite/, storage/postgres/).
// The shared code writes its SQL once, with numbered parameters ?1, ?2, ...
// in the common subset of SQLite 3.40 and PostgreSQL 15; where the two
// differ it asks dialect(). Values reach SQL only through Bind*: never build
// SQL by concatenating values.
//
// Errors: a broken UNIQUE/CHECK/FOREIGN KEY rule is Error::Kind::kConflict,
// a misuse (bad parameter index, SQL that does not compile) kInvalid,
// everything else kIo. No method throws.
//
// This header is internal to storage/: nothing outside it may include it.
//
// Thread safety: a Connection and its Statements are used by one thread at
// a time; the store that owns them serialises access.
#ifndef SUARADESA_STORAGE_SQL_CONNECTION_H_
#define SUARADESA_STORAGE_SQL_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/store.h"

namespace suaradesa::storage {

enum class Dialect { kSqlite, kPostgres };

// One prepared statement of one Connection, with its bindings and, after
// Step(), its current row. Destroy statements before their connection.
class Statement {
 public:
  virtual ~Statement() = default;

  // Bind a value to the 1-based parameter `index` (?index in the SQL). A
  // failed bind is remembered and reported by the next Step(), so call sites
  // need not check every bind.
  virtual void BindInt(int index, int64_t value) = 0;
  virtual void BindText(int index, std::string_view value) = 0;
  virtual void BindNull(int index) = 0;
  // Binds NULL when `value` is empty, else the value.
  void BindOptionalInt(int index, std::optional<int64_t> value) {
    if (value) {
      BindInt(index, *value);
    } else {
      BindNull(index);
    }
  }

  // The first call runs the statement; each call moves to the next row.
  // Returns true when a row is available, false when there are no more, or
  // an error (including a deferred bind error).
  [[nodiscard]] virtual Result<bool> Step() = 0;
  // Runs a statement that returns no row (INSERT, UPDATE, DELETE). A row is
  // reported as Error::Kind::kInvalid.
  [[nodiscard]] Status Run() {
    Result<bool> row = Step();
    if (!row) return std::unexpected(row.error());
    if (*row) return std::unexpected(Error::Invalid("statement returned a row where none was expected"));
    return {};
  }

  // Column getters for the current row (0-based). NULL reads as 0 or "".
  // A boolean result reads as 1 or 0.
  virtual int64_t ColumnInt(int column) const = 0;
  virtual std::string ColumnText(int column) const = 0;
  virtual bool ColumnIsNull(int column) const = 0;

  // Makes the statement ready to run again and clears its bindings. Also
  // ends the read an unfinished SELECT keeps open.
  virtual void Reset() = 0;

  // Sends the bound statement ahead of its first Step(), which then reads
  // its answer: several reads prefetched one after another travel to the
  // server and back together (PostgreSQL's pipeline, inside a transaction).
  // Elsewhere, and on SQLite, it does nothing and Step() runs the
  // statement. Bind everything before; an error shows at Step().
  virtual void Prefetch() {}
};

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;

  // Runs one or more SQL statements without parameters (schema scripts,
  // BEGIN/COMMIT). Never pass SQL that contains values.
  [[nodiscard]] virtual Status Exec(const std::string& sql) = 0;
  // Compiles one statement (PostgreSQL: may defer compiling until the first
  // Step, when the types of the bound values are known).
  [[nodiscard]] virtual Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) = 0;

  // Rows changed by the most recent INSERT, UPDATE or DELETE run on this
  // connection.
  virtual int64_t Changes() const = 0;
  // Runs a write that must change exactly `rows` rows, else fails with
  // `otherwise`. A connection that pipelines writes (PostgreSQL) checks the
  // count when it reads the write back: the failure is then the error of
  // the call that reads it, at the latest the COMMIT, as a pipelined write's
  // own failure is, and saves the round trip of reading Changes() at once.
  [[nodiscard]] virtual Status RunExpecting(Statement& statement, int64_t rows, Error otherwise) {
    if (Status r = statement.Run(); !r) return r;
    if (Changes() != rows) return std::unexpected(std::move(otherwise));
    return {};
  }
  // True while a transaction is open on this connection.
  virtual bool InTransaction() const = 0;
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_SQL_CONNECTION_H_
