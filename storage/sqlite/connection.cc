#include "storage/sqlite/connection.h"

#include <sqlite3.h>

#include <memory>
#include <string>
#include <utility>

namespace suaradesa::storage {

Error SqliteError(int code, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += sqlite3_errstr(code);
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return Error::Conflict(std::move(message));
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return Error::Invalid(std::move(message));
    default:
      return Error::Io(std::move(message));
  }
}

namespace {

// The error of the last call on `db`, with SQLite's detailed message (which
// names tables and columns, never values).
Error LastError(sqlite3* db, int rc, std::string_view context) {
  Error e = SqliteError(rc, context);
  if (db != nullptr) {
    const char* detail = sqlite3_errmsg(db);
    if (detail != nullptr && e.message.find(detail) == std::string::npos) {
      e.message += " (";
      e.message += detail;
      e.message += ")";
    }
  }
  return e;
}

}  // namespace

// ------------------------------------------------------------------ SqliteStatement

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      bind_error_(std::move(other.bind_error_)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = std::move(other.bind_error_);
  }
  return *this;
}

void SqliteStatement::NoteBind(int rc, int index) {
  if (rc != SQLITE_OK && !bind_error_) {
    bind_error_ = SqliteError(rc, "bind parameter " + std::to_string(index));
  }
}

void SqliteStatement::BindInt(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, index, value), index);
}

void SqliteStatement::BindText(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so `value` need not outlive
  // the statement.
  NoteBind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8),
           index);
}

void SqliteStatement::BindNull(int index) { NoteBind(sqlite3_bind_null(stmt_, index), index); }

Result<bool> SqliteStatement::Step() {
  if (stmt_ == nullptr) return std::unexpected(Error::Invalid("step on an empty statement"));
  if (bind_error_) return std::unexpected(*bind_error_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(LastError(sqlite3_db_handle(stmt_), rc, "sqlite step"));
}

int64_t SqliteStatement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string SqliteStatement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  int size = sqlite3_column_bytes(stmt_, column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

bool SqliteStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

void SqliteStatement::Reset() {
  if (stmt_ == nullptr) return;
  // sqlite3_reset repeats the error of the last step, if any; that error was
  // already reported by Step(), so it is deliberately ignored here.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_.reset();
}

// ------------------------------------------------------------------- SqliteConnection

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

namespace {

// Once per process, before SQLite initializes itself: no count of the
// memory it holds. Debian's SQLite is built without the lookaside
// allocator, so every statement step allocates, and with the count on each
// allocation took one process-wide mutex, which the committer and every
// reader thread contended for (perf: 13% of the committer's time in
// pthread_mutex_lock/unlock). Nothing here reads sqlite3_memory_used.
// After initialization the call is refused (SQLITE_MISUSE), which is
// harmless: the count then simply stays on.
void ConfigureProcessOnce() {
  static const int once = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)once;
}

}  // namespace

Result<SqliteConnection> SqliteConnection::Open(const std::string& path) {
  ConfigureProcessOnce();
  sqlite3* db = nullptr;
  // NOMUTEX: a connection is used by one thread at a time (the writer under
  // SqliteStore's mutex, each reader taken from the pool), so SQLite's own
  // per-connection mutex only cost a lock and an unlock per call.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI |
              SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = LastError(db, rc, "cannot open database " + path);
    e.kind = Error::Kind::kIo;
    sqlite3_close_v2(db);
    return std::unexpected(std::move(e));
  }
  sqlite3_extended_result_codes(db, 1);
  return SqliteConnection(db, path);
}

Status SqliteConnection::Exec(const std::string& sql) {
  char* errmsg = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &errmsg);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(rc, "sqlite exec on " + path_);
    if (errmsg != nullptr) {
      e.message += " (";
      e.message += errmsg;
      e.message += ")";
    }
    sqlite3_free(errmsg);
    return std::unexpected(std::move(e));
  }
  return {};
}

Result<SqliteStatement> SqliteConnection::PrepareSqlite(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return std::unexpected(LastError(db_, rc, "sqlite prepare on " + path_));
  }
  if (stmt == nullptr) return std::unexpected(Error::Invalid("empty SQL statement"));
  return SqliteStatement(stmt);
}

Result<std::unique_ptr<Statement>> SqliteConnection::Prepare(std::string_view sql) {
  Result<SqliteStatement> stmt = PrepareSqlite(sql);
  if (!stmt) return std::unexpected(stmt.error());
  return std::make_unique<SqliteStatement>(std::move(*stmt));
}

Result<int64_t> SqliteConnection::QueryInt(std::string_view sql) {
  Result<SqliteStatement> stmt = PrepareSqlite(sql);
  if (!stmt) return std::unexpected(stmt.error());
  Result<bool> row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(Error::NotFound("query returned no row"));
  return stmt->ColumnInt(0);
}

Result<std::string> SqliteConnection::QueryText(std::string_view sql) {
  Result<SqliteStatement> stmt = PrepareSqlite(sql);
  if (!stmt) return std::unexpected(stmt.error());
  Result<bool> row = stmt->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(Error::NotFound("query returned no row"));
  return stmt->ColumnText(0);
}

int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_); }

bool SqliteConnection::InTransaction() const { return db_ != nullptr && sqlite3_get_autocommit(db_) == 0; }

}  // namespace suaradesa::storage
