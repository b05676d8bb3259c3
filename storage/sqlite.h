// Thin RAII wrappers over the SQLite C API: Database owns a sqlite3* and
// Statement owns a sqlite3_stmt*. They translate SQLite result codes into
// storage::Error values (a broken UNIQUE/CHECK/FOREIGN KEY rule becomes
// Error::Kind::kConflict, misuse becomes kInvalid, everything else kIo) and
// never throw. Values reach SQL only through Bind*: never build SQL by
// concatenating values.
//
// This header is internal to storage/: nothing outside it may include it.
//
// Thread safety: a Database or Statement must not be used from two threads
// at once; the owner (SqliteStore) serialises access with its own mutex.
#ifndef SUARADESA_STORAGE_SQLITE_H_
#define SUARADESA_STORAGE_SQLITE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "storage/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace suaradesa::storage {

// Maps a SQLite result code (primary or extended) to a storage::Error whose
// message is `context` followed by SQLite's description.
Error SqliteError(int code, std::string_view context);

// One prepared statement. Movable, not copyable.
class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Bind a value to the 1-based parameter `index`. A failed bind (a bad
  // index, a value too big) is remembered and reported by the next Step(),
  // so call sites need not check every bind.
  void BindInt(int index, int64_t value);
  void BindText(int index, std::string_view value);
  void BindNull(int index);
  // Binds NULL when `value` is empty, else the value.
  void BindOptionalInt(int index, std::optional<int64_t> value);

  // Advances the statement. Returns true when a row is available, false when
  // the statement has finished, or an error (including a deferred bind
  // error). REQUIRES: the statement was prepared.
  [[nodiscard]] Result<bool> Step();
  // Steps once and expects the statement to finish without a row (INSERT,
  // UPDATE, DELETE). A row is reported as Error::Kind::kInvalid.
  [[nodiscard]] Status Run();

  // Column getters for the current row (0-based). NULL reads as 0 or "".
  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;

  // Makes the statement ready to run again and clears its bindings. Also
  // ends the read transaction an unfinished SELECT keeps open.
  void Reset();

  bool valid() const { return stmt_ != nullptr; }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  friend class Database;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  void NoteBind(int rc, int index);

  sqlite3_stmt* stmt_ = nullptr;
  std::optional<Error> bind_error_;
};

// One connection. Movable, not copyable. Closing a Database with live
// Statements is allowed (sqlite3_close_v2 defers the close until they are
// finalised), but statements should be destroyed first.
class Database {
 public:
  Database() = default;
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Opens `path` for reading and writing, creating the file when missing.
  // `path` may be ":memory:" or a "file:" URI (e.g. "file:x.db?mode=ro").
  // Returns the connection, or Error::Kind::kIo naming the path.
  [[nodiscard]] static Result<Database> Open(const std::string& path);

  // Runs one or more SQL statements without parameters (schema scripts,
  // pragmas, BEGIN/COMMIT). Never pass SQL that contains values.
  [[nodiscard]] Status Exec(const std::string& sql);
  // Compiles one statement.
  [[nodiscard]] Result<Statement> Prepare(std::string_view sql);

  // Reads a single integer, e.g. "PRAGMA user_version".
  [[nodiscard]] Result<int64_t> QueryInt(std::string_view sql);
  // Reads a single text value, e.g. "PRAGMA journal_mode=WAL".
  [[nodiscard]] Result<std::string> QueryText(std::string_view sql);

  int64_t LastInsertRowId() const;
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  int64_t Changes() const;
  // True while a transaction is open on this connection.
  bool InTransaction() const;

  const std::string& path() const { return path_; }
  sqlite3* get() const { return db_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_SQLITE_H_
