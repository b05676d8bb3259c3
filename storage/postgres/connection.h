// PgConnection: the Connection of storage/sql/connection.h over libpq, for
// PostgreSQL 15.
//
// SQL is written with ?1, ?2, ... as for SQLite; Prepare() rewrites them to
// $1, $2, ... (outside quoted literals and identifiers). A statement is
// compiled by the server at its first Step(), when the bound values' types
// are known: BindInt sends an int8, BindText a text, BindNull (or a parameter
// left unbound) a value of unspecified type that the server infers from the
// SQL. Each (SQL, parameter types) pair is PREPAREd once per connection and
// then only executed. Values and results travel in text format.
//
// Plain writes are pipelined: inside a transaction, a statement that is an
// INSERT, UPDATE or DELETE without RETURNING is sent at its Step() and not
// waited for (libpq pipeline mode); Step() answers "no row" at once. The
// writes sent are read back, in order, at the next statement that returns
// rows, Changes(), Exec() (COMMIT among them) or Flush(), whichever comes
// first: a write set of many statements costs one round trip, not one
// each. A statement that returns rows, or a COMMIT, joins the writes waiting
// in the pipeline and is read back with them, in that same round trip. The
// first of them that failed is the error of that next call (a ROLLBACK is
// still sent), with its own SQLSTATE and message; the server skips the rest
// of the pipeline, as a failed transaction would anyway.
// A transaction opened with Begin() sends its BEGIN the same way, and a
// read-only one ended with SendRollback() leaves its ROLLBACK's answer for
// the next transaction on the connection to read: a read of N statements
// costs N round trips, not N + 2.
//
// Errors follow SQLSTATE: class 23 (a broken UNIQUE/CHECK/FOREIGN KEY/NOT
// NULL rule) is kConflict; classes 42 (syntax, undefined name) and 22 (bad
// data) and bind misuse are kInvalid; everything else (08 connection, 40001
// serialization failure, 40P01 deadlock, 57P01 shutdown, ...) is kIo. A
// message holds our context and PostgreSQL's primary message, never a bound
// value (DETAIL lines, which may quote values, are left out) and never the
// password of the connection URL.
//
// This header is internal to storage/: nothing outside it may include it.
//
// Thread safety: a PgConnection and its statements are used by one thread at
// a time. Destroy statements before their connection.
#ifndef SUARADESA_STORAGE_POSTGRES_CONNECTION_H_
#define SUARADESA_STORAGE_POSTGRES_CONNECTION_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/sql/connection.h"
#include "storage/store.h"

struct pg_conn;
struct pg_result;

namespace suaradesa::storage {

class PgStatement;

class PgConnection final : public Connection {
 public:
  // Connects with a libpq conninfo string ("host=... dbname=...") or URI
  // ("postgresql://user@host:port/db"). The session's client_encoding is
  // UTF8. Fails with kIo when the server cannot be reached or refuses us,
  // kInvalid when `url` cannot be parsed.
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url);

  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  // PQexec: the script may hold several statements and no parameters.
  [[nodiscard]] Status Exec(const std::string& sql) override;
  // Rewrites the placeholders; the server sees the SQL at the first Step().
  [[nodiscard]] Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override;
  // Rows of the latest INSERT, UPDATE, DELETE or MERGE (with RETURNING or
  // not) run on this connection; a SELECT leaves it unchanged. Reads the
  // pipelined writes first (an error among them is the next call's).
  int64_t Changes() const override;
  // Inside a transaction a plain write is sent and its count checked when
  // it is read back (see Connection::RunExpecting); elsewhere at once.
  [[nodiscard]] Status RunExpecting(Statement& statement, int64_t rows, Error otherwise) override;
  // Reads the results of the pipelined writes: the first failure, if any.
  [[nodiscard]] Status Flush() { return Flush(nullptr); }

  // Runs a statement without parameters that answers no rows (SAVEPOINT,
  // RELEASE) as the pipelined writes are run: inside a transaction it is
  // only sent, costs no round trip of its own, and a failure is the error
  // of the next call that reads them back. Elsewhere it is Exec().
  [[nodiscard]] Status Pipe(const std::string& sql);
  // Sends `sql` (a BEGIN) without waiting for its answer, which is read
  // back with the transaction's first statement that is: a transaction
  // costs no round trip of its own to open. A failure to begin (the server
  // went away) is the error of that statement. Inside a failed
  // transaction, or with a failure waiting to be read, it is Exec().
  [[nodiscard]] Status Begin(const std::string& sql);
  // Ends a transaction with ROLLBACK, sent to the server at once (which
  // ends it there, its snapshot and locks with it) but not waited for: the
  // answer is read by the next call on this connection, with its own
  // statements. Meant for a read-only transaction that succeeded. Outside
  // a transaction it does nothing; in a failed one it is Exec().
  [[nodiscard]] Status SendRollback();
  // True while a transaction is open, failed ones included (until ROLLBACK);
  // false once SendRollback() sent its ROLLBACK, answer read or not.
  bool InTransaction() const override;

  // SQLSTATE of the latest failed call on this connection, "" after a call
  // that succeeded. A connection lost without a word from the server reads
  // "08006" (connection_failure).
  const std::string& LastSqlState() const { return last_sql_state_; }
  // True when the connection to the server is lost (PQstatus is not OK).
  bool Broken() const;
  // Connects again with the same parameters (PQreset). The server forgot
  // every prepared statement, and so does this connection; statements made
  // earlier remain usable. Any open transaction is gone.
  [[nodiscard]] Status Reconnect();

  // How many statements this connection has PREPAREd on the server since
  // it was opened or reconnected (for tests of the statement reuse).
  size_t PreparedCount() const { return prepared_.size(); }

 private:
  friend class PgStatement;
  struct ResultDeleter {
    void operator()(pg_result* result) const;
  };
  using PgResult = std::unique_ptr<pg_result, ResultDeleter>;

  explicit PgConnection(pg_conn* conn) : conn_(conn) {}

  // Runs `sql` (placeholders already $N) with `values` (nullptr for NULL) of
  // the given type OIDs, PREPAREing it first if this connection has not yet
  // done so for these types. Returns the result of a statement that
  // succeeded, and records its row count in Changes().
  // With `pipelined` (a plain write) inside a transaction, only sends it
  // and answers a null result (see the header comment).
  Result<PgResult> Execute(const std::string& sql, const std::vector<unsigned>& types,
                           const std::vector<const char*>& values, bool pipelined = false);
  // Flush(), keeping the result of the last request sent in `*last` (when
  // not null and that request succeeded).
  [[nodiscard]] Status Flush(PgResult* last);
  // True inside a transaction (being opened by Begin() or open) whose
  // requests may be pipelined: not failed, no failure waiting to be read,
  // not ended by SendRollback().
  bool Pipelining() const;
  // Sends `sql` without parameters in pipeline mode (for Pipe, Begin and
  // SendRollback).
  Status SendPlain(const std::string& sql);
  // Enters pipeline mode unless already in it.
  Status EnterPipeline();
  // Sends `sql` with `values` in pipeline mode, PREPAREing it first if need be.
  // `reader`: a prefetched read, whose answer Flush hands to it.
  Status Send(const std::string& sql, const std::vector<unsigned>& types,
              const std::vector<const char*>& values, PgStatement* reader = nullptr);
  // A statement that no longer waits for the answer it prefetched (reset or
  // destroyed): Flush reads that answer and drops it.
  void Forget(const PgStatement* reader);
  // Checks `result` (which may be null) and maps a failure to an Error whose
  // message starts with `context`; also sets LastSqlState().
  Result<PgResult> Check(PgResult result, std::string_view context);
  void NoteChanges(const pg_result* result);

  // A request sent in pipeline mode whose result is not read yet.
  // A row count a pipelined write must have, and the error when it has not.
  struct Expected {
    int64_t rows = 0;
    Error otherwise;
  };
  struct Sent {
    std::string context;  // for the error message
    // A prefetched read (PgStatement::Prefetch): the statement its answer
    // is for, while it still waits for it; see Deliver.
    PgStatement* reader = nullptr;
    std::optional<Expected> expected;  // RunExpecting's check
    // For a PREPARE: the (SQL, types) it names, forgotten if it fails.
    std::optional<std::pair<std::string, std::vector<unsigned>>> prepared;
  };

  pg_conn* conn_ = nullptr;
  int64_t changes_ = 0;
  std::vector<Sent> sent_;
  // Positions in sent_ after which a sync went out already (SendRollback's);
  // Flush sends the last one, after them all.
  std::vector<size_t> synced_at_;
  // Set by RunExpecting for the write it runs; taken by the Sent that write
  // becomes when it is pipelined.
  std::optional<Expected> expecting_;
  // A failure read back by Changes(), which cannot answer it: the next
  // call's error.
  std::optional<Error> flush_error_;
  // SendRollback() sent a ROLLBACK whose answer is not read yet: the
  // transaction is over for the caller.
  bool rollback_sent_ = false;
  std::string last_sql_state_;
  // (SQL, parameter types) -> name of the server-side prepared statement.
  std::map<std::pair<std::string, std::vector<unsigned>>, std::string> prepared_;
  uint64_t next_statement_ = 0;
};

// Rewrites ?N placeholders to $N outside single-quoted literals and
// double-quoted identifiers, and reports the highest N (0 when none). A "?"
// not followed by a digit is left alone. Exposed for tests.
std::pair<std::string, int> TranslatePlaceholders(std::string_view sql);

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_POSTGRES_CONNECTION_H_
