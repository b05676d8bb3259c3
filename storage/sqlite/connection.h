// The SQLite Connection (storage/sql/connection.h): thin RAII wrappers over
// the SQLite C API. SqliteConnection owns a sqlite3* and SqliteStatement a
// sqlite3_stmt*. They translate SQLite result codes into
// storage::Error values (a broken UNIQUE/CHECK/FOREIGN KEY rule becomes
// Error::Kind::kConflict, misuse becomes kInvalid, everything else kIo) and
// never throw. Values reach SQL only through Bind*: never build SQL by
// concatenating values.
//
// This header is internal to storage/: nothing outside it may include it.
//
// Thread safety: a Database or Statement must not be used from two threads
// at once; the owner (SqliteStore) serialises access with its own mutex.
#ifndef SUARADESA_STORAGE_SQLITE_CONNECTION_H_
#define SUARADESA_STORAGE_SQLITE_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "storage/sql/connection.h"
#include "storage/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace suaradesa::storage {

// Maps a SQLite result code (primary or extended) to a storage::Error whose
// message is `context` followed by SQLite's description.
Error SqliteError(int code, std::string_view context);

// One prepared statement. Movable, not copyable.
class SqliteStatement final : public Statement {
 public:
  SqliteStatement() = default;
  ~SqliteStatement() override;
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void BindInt(int index, int64_t value) override;
  void BindText(int index, std::string_view value) override;
  void BindNull(int index) override;
  [[nodiscard]] Result<bool> Step() override;
  int64_t ColumnInt(int column) const override;
  std::string ColumnText(int column) const override;
  bool ColumnIsNull(int column) const override;
  void Reset() override;

  bool valid() const { return stmt_ != nullptr; }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  friend class SqliteConnection;
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  void NoteBind(int rc, int index);

  sqlite3_stmt* stmt_ = nullptr;
  std::optional<Error> bind_error_;
};

// One connection. Movable, not copyable. Closing a connection with live
// statements is allowed (sqlite3_close_v2 defers the close until they are
// finalised), but statements should be destroyed first.
class SqliteConnection final : public Connection {
 public:
  SqliteConnection() = default;
  ~SqliteConnection() override;
  SqliteConnection(SqliteConnection&& other) noexcept;
  SqliteConnection& operator=(SqliteConnection&& other) noexcept;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Opens `path` for reading and writing, creating the file when missing.
  // `path` may be ":memory:" or a "file:" URI (e.g. "file:x.db?mode=ro").
  // Returns the connection, or Error::Kind::kIo naming the path.
  [[nodiscard]] static Result<SqliteConnection> Open(const std::string& path);

  Dialect dialect() const override { return Dialect::kSqlite; }
  [[nodiscard]] Status Exec(const std::string& sql) override;
  [[nodiscard]] Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override;
  int64_t Changes() const override;
  bool InTransaction() const override;

  // Compiles one statement, as its concrete type.
  [[nodiscard]] Result<SqliteStatement> PrepareSqlite(std::string_view sql);
  // Reads a single integer, e.g. "PRAGMA user_version".
  [[nodiscard]] Result<int64_t> QueryInt(std::string_view sql);
  // Reads a single text value, e.g. "PRAGMA journal_mode=WAL".
  [[nodiscard]] Result<std::string> QueryText(std::string_view sql);

  const std::string& path() const { return path_; }
  sqlite3* get() const { return db_; }

 private:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_ = nullptr;
  std::string path_;
};

// Opens `path` (creating it and its parent directory when missing) as the
// store opens each of its connections: WAL, synchronous=FULL, foreign
// keys, busy_timeout (storage/sqlite/store.cc). Errors name the path.
[[nodiscard]] Result<SqliteConnection> OpenConfiguredConnection(const std::string& path);

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_SQLITE_CONNECTION_H_
