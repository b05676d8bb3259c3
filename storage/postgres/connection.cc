#include "storage/postgres/connection.h"
#include "storage/postgres/store.h"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace suaradesa::storage {

static_assert(std::is_same_v<Oid, unsigned>, "parameter types are kept as Oid");

namespace {

// Type OIDs of pg_type (src/include/catalog/pg_type.dat); 0 lets the server
// infer the type from the SQL.
constexpr unsigned kInt8Oid = 20;
constexpr unsigned kTextOid = 25;
constexpr unsigned kUnspecifiedOid = 0;

// Every wait for the server's answer, on any connection (PgRoundTrips).
std::atomic<uint64_t> g_round_trips{0};

// SQLSTATE libpq reports no code for a lost connection; this stands in.
constexpr char kConnectionFailure[] = "08006";

// One line: libpq messages end in "\n" and may span lines.
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += "; ";
    } else {
      out += c;
    }
  }
  while (out.size() >= 2 && out.ends_with("; ")) out.resize(out.size() - 2);
  return out;
}

// Replaces every occurrence of `secret` in `text`.
std::string Scrub(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "***");
    at += 3;
  }
  return text;
}

// libpq's conninfo parser quotes the piece of input it rejects, which may
// be the password: drop every double-quoted part.
std::string DropQuoted(std::string_view text) {
  std::string out;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
      out += quoted ? "\"..." : "\"";
    } else if (!quoted) {
      out += c;
    }
  }
  return out;
}

// The beginning of `sql` for error messages (SQL holds no values).
std::string SqlForMessage(std::string_view sql) {
  constexpr size_t kMax = 80;
  std::string out = OneLine(sql.substr(0, kMax));
  if (sql.size() > kMax) out += "...";
  return out;
}

// The error for a failed statement with SQLSTATE `state`.
Error ErrorFor(const std::string& state, std::string message) {
  if (state.starts_with("23")) return Error::Conflict(std::move(message));
  if (state.starts_with("42") || state.starts_with("22")) return Error::Invalid(std::move(message));
  return Error::Io(std::move(message));
}

// `sql` upper-cased, from its first non-blank character.
std::string UpperStatement(std::string_view sql) {
  const size_t start = sql.find_first_not_of(" \t\r\n");
  std::string upper(start == std::string_view::npos ? "" : sql.substr(start));
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return upper;
}

// An INSERT, UPDATE or DELETE without RETURNING: it answers no rows, so it
// can be pipelined (a WITH ... statement is never taken for one, nor a
// script of several).
bool PlainWrite(std::string_view sql) {
  const std::string upper = UpperStatement(sql);
  return (upper.starts_with("INSERT ") || upper.starts_with("UPDATE ") ||
          upper.starts_with("DELETE ")) &&
         upper.find("RETURNING") == std::string::npos && upper.find(';') == std::string::npos;
}

// A ROLLBACK (or ROLLBACK TO a savepoint), which must reach the server
// whatever the pipelined writes before it answered.
bool IsRollback(std::string_view sql) { return UpperStatement(sql).starts_with("ROLLBACK"); }

}  // namespace

uint64_t PgRoundTrips() { return g_round_trips.load(); }

std::pair<std::string, int> TranslatePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  int highest = 0;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      // A quoted literal or identifier; a doubled quote inside is an escaped
      // quote, which this loop handles as closing and reopening.
      size_t end = sql.find(c, i + 1);
      if (end == std::string_view::npos) end = sql.size() - 1;
      out.append(sql.substr(i, end - i + 1));
      i = end + 1;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      size_t end = i + 1;
      int number = 0;
      while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') {
        if (number < 100000) number = number * 10 + (sql[end] - '0');
        ++end;
      }
      if (number > highest) highest = number;
      out += '$';
      out.append(sql.substr(i + 1, end - i - 1));
      i = end;
    } else {
      out += c;
      ++i;
    }
  }
  return {std::move(out), highest};
}

// ----------------------------------------------------------------- PgStatement

class PgStatement final : public Statement {
 public:
  PgStatement(PgConnection* connection, std::string sql, int parameters)
      : connection_(connection),
        sql_(std::move(sql)),
        pipelined_(PlainWrite(sql_)),
        params_(static_cast<size_t>(parameters)) {}

  void BindInt(int index, int64_t value) override {
    Bind(index, kInt8Oid, std::to_string(value));
  }

  void BindText(int index, std::string_view value) override {
    // Text parameters are C strings, and PostgreSQL text cannot hold a NUL:
    // refuse rather than cut the value short.
    if (value.find('\0') != std::string_view::npos) {
      NoteBindError(Error::Invalid("bind parameter " + std::to_string(index) +
                                   ": text with a NUL byte"));
      return;
    }
    Bind(index, kTextOid, std::string(value));
  }

  void BindNull(int index) override { Bind(index, kUnspecifiedOid, std::nullopt); }

  ~PgStatement() override { Forget(); }

  Result<bool> Step() override {
    if (bind_error_) return std::unexpected(*bind_error_);
    if (waiting_) {
      // The prefetched answer comes back with everything sent since. As
      // for any statement that reads the pipeline back, the first failure
      // in it is this call's error.
      Status flushed = connection_->Flush();
      Forget();
      if (!flushed) {
        delivered_.reset();
        done_ = true;
        ForgetPreparedIfGone();
        return std::unexpected(flushed.error());
      }
      if (!delivered_) {
        done_ = true;
        return std::unexpected(
            Error::Io("postgres step `" + SqlForMessage(sql_) + "`: no answer came back"));
      }
    }
    if (delivered_) {
      Result<PgConnection::PgResult> result = std::move(*delivered_);
      delivered_.reset();
      if (!result) {
        done_ = true;
        ForgetPreparedIfGone();
        return std::unexpected(std::move(result.error()));
      }
      done_ = true;
      result_ = std::move(*result);
      rows_ = PQntuples(result_.get());
      row_ = 0;
      return row_ < rows_;
    }
    if (!done_) {
      const Values v = BoundValues();
      Result<PgConnection::PgResult> result =
          connection_->Execute(sql_, v.types, v.values, pipelined_);
      if (!result) return std::unexpected(std::move(result.error()));
      done_ = true;  // ran once; a pipelined write has no result
      result_ = std::move(*result);
      rows_ = PQntuples(result_.get());
      row_ = 0;
      return row_ < rows_;
    }
    if (row_ < rows_) ++row_;
    return row_ < rows_;
  }

  void Prefetch() override {
    // Only a read, only once, and only where requests are pipelined.
    if (bind_error_ || done_ || waiting_ || delivered_ || pipelined_ ||
        !connection_->Pipelining()) {
      return;
    }
    const Values v = BoundValues();
    if (Status sent = connection_->Send(sql_, v.types, v.values, this); !sent) {
      delivered_.emplace(std::unexpected(sent.error()));
      return;
    }
    waiting_ = true;
  }

  // PgConnection::Flush hands a prefetched read its answer (or why none).
  void Deliver(Result<PgConnection::PgResult> result) {
    waiting_ = false;
    delivered_ = std::move(result);
  }

  int64_t ColumnInt(int column) const override {
    const char* text = Value(column);
    if (text == nullptr) return 0;
    // Booleans arrive as "t" and "f"; numeric and float values keep their
    // integer part, as SQLite's sqlite3_column_int64 does.
    if (text[0] == 't' && text[1] == '\0') return 1;
    if (text[0] == 'f' && text[1] == '\0') return 0;
    return std::strtoll(text, nullptr, 10);
  }

  std::string ColumnText(int column) const override {
    const char* text = Value(column);
    if (text == nullptr) return {};
    return std::string(text, static_cast<size_t>(PQgetlength(result_.get(), row_, column)));
  }

  bool ColumnIsNull(int column) const override { return Value(column) == nullptr; }

  void Reset() override {
    Forget();
    delivered_.reset();
    result_.reset();
    done_ = false;
    rows_ = 0;
    row_ = 0;
    for (Param& p : params_) p = Param{};
    bind_error_.reset();
  }

 private:
  struct Param {
    unsigned type = kUnspecifiedOid;
    std::optional<std::string> value;  // nullopt: NULL
  };

  void Bind(int index, unsigned type, std::optional<std::string> value) {
    if (index < 1 || static_cast<size_t>(index) > params_.size()) {
      NoteBindError(Error::Invalid("bind parameter " + std::to_string(index) +
                                   ": out of range (the statement has " +
                                   std::to_string(params_.size()) + ")"));
      return;
    }
    params_[static_cast<size_t>(index - 1)] = Param{type, std::move(value)};
  }

  void NoteBindError(Error e) {
    if (!bind_error_) bind_error_ = std::move(e);
  }

  struct Values {
    std::vector<unsigned> types;
    std::vector<const char*> values;  // into params_
  };
  Values BoundValues() const {
    Values v;
    v.types.reserve(params_.size());
    v.values.reserve(params_.size());
    for (const Param& p : params_) {
      v.types.push_back(p.type);
      v.values.push_back(p.value ? p.value->c_str() : nullptr);
    }
    return v;
  }

  // 26000: the server no longer knows the prepared statement (DEALLOCATE,
  // DISCARD ALL); the next run PREPAREs it again, as Execute does.
  void ForgetPreparedIfGone() {
    if (connection_->LastSqlState() == "26000") {
      connection_->prepared_.erase(std::make_pair(sql_, BoundValues().types));
    }
  }

  // No longer waits for a prefetched answer: the connection drops it.
  void Forget() {
    if (!waiting_) return;
    connection_->Forget(this);
    waiting_ = false;
  }

  // The current row's value at `column`; nullptr for NULL, no row or no
  // such column.
  const char* Value(int column) const {
    if (!result_ || row_ >= rows_ || column < 0 || column >= PQnfields(result_.get())) {
      return nullptr;
    }
    if (PQgetisnull(result_.get(), row_, column)) return nullptr;
    return PQgetvalue(result_.get(), row_, column);
  }

  PgConnection* connection_;
  std::string sql_;  // with $N placeholders
  bool pipelined_ = false;  // a plain write (see PgConnection)
  bool done_ = false;       // ran since the last Reset()
  bool waiting_ = false;    // prefetched: its answer not read yet
  // A prefetched answer read back, not yet taken by Step().
  std::optional<Result<PgConnection::PgResult>> delivered_;
  std::vector<Param> params_;
  std::optional<Error> bind_error_;
  PgConnection::PgResult result_;
  int rows_ = 0;
  int row_ = 0;
};

// ---------------------------------------------------------------- PgConnection

void PgConnection::ResultDeleter::operator()(pg_result* result) const { PQclear(result); }

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  if (options == nullptr) {
    std::string message = "invalid PostgreSQL URL";
    if (parse_error != nullptr) {
      message += ": " + OneLine(DropQuoted(parse_error));
      PQfreemem(parse_error);
    }
    return std::unexpected(Error::Invalid(std::move(message)));
  }
  std::string password;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val != nullptr) password = o->val;
  }
  PQconninfoFree(options);

  // expand_dbname: the URL is read as a whole conninfo; the keywords after it
  // override what it says.
  const char* const keywords[] = {"dbname", "client_encoding", "fallback_application_name",
                                  nullptr};
  const char* const values[] = {url.c_str(), "UTF8", "suaradesa", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return std::unexpected(Error::Io("cannot allocate a PostgreSQL connection"));
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = "cannot connect to PostgreSQL";
    const char* db = PQdb(conn);
    const char* user = PQuser(conn);
    if (db != nullptr && user != nullptr) {
      message += std::string(" database ") + db + " as " + user;
    }
    message += ": " + OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    return std::unexpected(Error::Io(Scrub(std::move(message), password)));
  }
  // NOTICEs ("relation already exists, skipping") would go to stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Status PgConnection::Exec(const std::string& sql) {
  // A COMMIT (or any other statement but a ROLLBACK) after writes still in
  // the pipeline joins them: one round trip. When one of them failed the
  // server skips it, and the transaction stays open, failed, for the
  // caller's ROLLBACK, as it would after Flush() and Exec().
  if (!sent_.empty() && !IsRollback(sql) && Pipelining()) {
    if (Status piped = Pipe(sql); !piped) return piped;
    return Flush();
  }
  // A ROLLBACK goes out whatever the writes before it answered.
  if (Status flushed = Flush(); !flushed && !IsRollback(sql)) return flushed;
  ++g_round_trips;
  Result<PgResult> result =
      Check(PgResult(PQexec(conn_, sql.c_str())), "postgres exec `" + SqlForMessage(sql) + "`");
  if (!result) return std::unexpected(std::move(result.error()));
  NoteChanges(result->get());
  return {};
}

Result<std::unique_ptr<Statement>> PgConnection::Prepare(std::string_view sql) {
  auto [translated, parameters] = TranslatePlaceholders(sql);
  if (translated.find_first_not_of(" \t\r\n;") == std::string::npos) {
    return std::unexpected(Error::Invalid("empty SQL statement"));
  }
  return std::unique_ptr<Statement>(new PgStatement(this, std::move(translated), parameters));
}

bool PgConnection::Pipelining() const {
  // PQTRANS_ACTIVE: requests are in the pipeline, unread.
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return (status == PQTRANS_INTRANS || status == PQTRANS_ACTIVE) && !flush_error_ &&
         !rollback_sent_;
}

bool PgConnection::InTransaction() const {
  if (rollback_sent_) return false;
  switch (PQtransactionStatus(conn_)) {
    case PQTRANS_ACTIVE:
    case PQTRANS_INTRANS:
    case PQTRANS_INERROR:
      return true;
    default:
      return false;
  }
}

bool PgConnection::Broken() const { return PQstatus(conn_) != CONNECTION_OK; }

Status PgConnection::Reconnect() {
  // The new session has no prepared statements, and nothing in flight.
  prepared_.clear();
  sent_.clear();
  synced_at_.clear();
  rollback_sent_ = false;
  flush_error_.reset();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    last_sql_state_ = kConnectionFailure;
    const char* password = PQpass(conn_);
    return std::unexpected(Error::Io(Scrub("cannot reconnect to PostgreSQL: " +
                                               OneLine(PQerrorMessage(conn_)),
                                           password != nullptr ? password : "")));
  }
  last_sql_state_.clear();
  return {};
}

int64_t PgConnection::Changes() const {
  // Reading back the pipelined writes changes no state a caller sees but
  // their count; an error among them waits for the next call.
  auto* self = const_cast<PgConnection*>(this);
  if (Status flushed = self->Flush(); !flushed) self->flush_error_ = flushed.error();
  return changes_;
}

Status PgConnection::RunExpecting(Statement& statement, int64_t rows, Error otherwise) {
  expecting_ = Expected{rows, otherwise};
  Status run = statement.Run();
  // Not pipelined (outside a transaction, or not a plain write): its count
  // is known now.
  const bool waited = expecting_.has_value();
  expecting_.reset();
  if (!run) return run;
  if (waited && Changes() != rows) return std::unexpected(std::move(otherwise));
  return {};
}

Status PgConnection::EnterPipeline() {
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1) {
    return std::unexpected(Error::Io("postgres: cannot enter pipeline mode: " +
                                     OneLine(PQerrorMessage(conn_))));
  }
  return {};
}

Status PgConnection::Send(const std::string& sql, const std::vector<unsigned>& types,
                          const std::vector<const char*>& values, PgStatement* reader) {
  if (Status entered = EnterPipeline(); !entered) return entered;
  auto key = std::make_pair(sql, types);
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    std::string name = "suaradesa_" + std::to_string(++next_statement_);
    if (PQsendPrepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(types.size()),
                      types.data()) != 1) {
      last_sql_state_ = Broken() ? kConnectionFailure : "";
      return std::unexpected(Error::Io("postgres prepare `" + SqlForMessage(sql) +
                                       "`: " + OneLine(PQerrorMessage(conn_))));
    }
    sent_.push_back({"postgres prepare `" + SqlForMessage(sql) + "`", nullptr, std::nullopt, key});
    it = prepared_.emplace(std::move(key), std::move(name)).first;
  }
  if (PQsendQueryPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                          values.data(), nullptr, nullptr, /*resultFormat=*/0) != 1) {
    last_sql_state_ = Broken() ? kConnectionFailure : "";
    return std::unexpected(Error::Io("postgres step `" + SqlForMessage(sql) +
                                     "`: " + OneLine(PQerrorMessage(conn_))));
  }
  sent_.push_back({"postgres step `" + SqlForMessage(sql) + "`", reader,
                   std::exchange(expecting_, std::nullopt), std::nullopt});
  return {};
}

void PgConnection::Forget(const PgStatement* reader) {
  for (Sent& s : sent_) {
    if (s.reader == reader) s.reader = nullptr;
  }
}

Status PgConnection::Pipe(const std::string& sql) {
  if (!Pipelining()) return Exec(sql);
  return SendPlain(sql);
}

Status PgConnection::SendPlain(const std::string& sql) {
  if (Status entered = EnterPipeline(); !entered) return entered;
  if (PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr,
                        /*resultFormat=*/0) != 1) {
    last_sql_state_ = Broken() ? kConnectionFailure : "";
    return std::unexpected(Error::Io("postgres exec `" + SqlForMessage(sql) +
                                     "`: " + OneLine(PQerrorMessage(conn_))));
  }
  sent_.push_back(
      {"postgres exec `" + SqlForMessage(sql) + "`", nullptr, std::nullopt, std::nullopt});
  return {};
}

Status PgConnection::Begin(const std::string& sql) {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  if (status == PQTRANS_INERROR || status == PQTRANS_UNKNOWN || flush_error_) return Exec(sql);
  // After a ROLLBACK sent and not yet read: this BEGIN follows it.
  rollback_sent_ = false;
  return SendPlain(sql);
}

Status PgConnection::SendRollback() {
  if (!InTransaction()) return {};
  if (!Pipelining()) return Exec("ROLLBACK");
  if (Status piped = SendPlain("ROLLBACK"); !piped) return piped;
  rollback_sent_ = true;
  // With a sync (which also sends what libpq buffered): the server ends the
  // transaction and is idle again now, not at the next use. Without one it
  // would wait, "active", for the rest of the pipeline, and a
  // statement_timeout could end the session meanwhile.
  if (PQpipelineSync(conn_) != 1) {
    last_sql_state_ = Broken() ? kConnectionFailure : "";
    return std::unexpected(
        Error::Io("postgres exec `ROLLBACK`: " + OneLine(PQerrorMessage(conn_))));
  }
  synced_at_.push_back(sent_.size());
  return {};
}

Status PgConnection::Flush(PgResult* last) {
  // A failure Changes() read back and could not answer comes first (its
  // SQLSTATE is still LastSqlState()).
  std::optional<Error> first = std::move(flush_error_);
  flush_error_.reset();
  std::string first_state = first ? last_sql_state_ : "";
  if (sent_.empty() && PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) {
    if (first) return std::unexpected(std::move(*first));
    return {};
  }
  if (!sent_.empty()) ++g_round_trips;
  // The requests after the last sync sent (SendRollback's) end with one.
  const size_t synced = synced_at_.empty() ? 0 : synced_at_.back();
  if (sent_.size() > synced) {
    if (PQpipelineSync(conn_) == 1) {
      synced_at_.push_back(sent_.size());
    } else if (!first) {
      first = Error::Io("postgres: pipeline sync failed: " + OneLine(PQerrorMessage(conn_)));
      first_state = kConnectionFailure;
    }
  }
  bool lost = false;
  size_t next_sync = 0;
  for (size_t i = 0; i < sent_.size(); ++i) {
    const Sent& s = sent_[i];
    PGresult* raw = lost ? nullptr : PQgetResult(conn_);
    if (raw == nullptr) {
      // The connection went away: nothing more will come.
      lost = true;
      Error gone = Error::Io(s.context + ": " + OneLine(PQerrorMessage(conn_)));
      if (s.reader != nullptr) s.reader->Deliver(std::unexpected(gone));
      if (!first) {
        first = std::move(gone);
        first_state = kConnectionFailure;
      }
      continue;
    }
    if (PQresultStatus(raw) == PGRES_PIPELINE_ABORTED) {
      PQclear(raw);  // skipped after an earlier failure
      // A PREPARE skipped never happened: PREPARE again next time.
      if (s.prepared) prepared_.erase(*s.prepared);
      if (s.reader != nullptr) {
        s.reader->Deliver(
            std::unexpected(Error::Io(s.context + ": not run, after an earlier failure")));
      }
    } else {
      Result<PgResult> checked = Check(PgResult(raw), s.context);
      if (!checked) {
        if (!first) {
          first = checked.error();
          first_state = last_sql_state_;
        }
        if (s.prepared) prepared_.erase(*s.prepared);
        if (s.reader != nullptr) s.reader->Deliver(std::unexpected(checked.error()));
      } else if (s.reader != nullptr) {
        s.reader->Deliver(std::move(*checked));  // a read: no row count to note
      } else if (!s.prepared) {
        NoteChanges(checked->get());
        if (s.expected && changes_ != s.expected->rows && !first) {
          first = s.expected->otherwise;
          first_state.clear();
        }
        if (last != nullptr && i + 1 == sent_.size()) *last = std::move(*checked);
      }
    }
    // Each request's results end with a null.
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
    if (next_sync < synced_at_.size() && synced_at_[next_sync] == i + 1) {
      // A sync's own result (after it, the server runs what follows even
      // when something before it failed).
      ++next_sync;
      while (PGresult* sync = PQgetResult(conn_)) {
        const bool done = PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
        PQclear(sync);
        if (done) break;
      }
    }
  }
  sent_.clear();
  synced_at_.clear();
  rollback_sent_ = false;
  // Back to one request at a time.
  if (PQexitPipelineMode(conn_) != 1 && !first) {
    first = Error::Io("postgres: cannot leave pipeline mode: " + OneLine(PQerrorMessage(conn_)));
    first_state = Broken() ? kConnectionFailure : "";
  }
  last_sql_state_ = first_state;
  if (first) return std::unexpected(std::move(*first));
  return {};
}

Result<PgConnection::PgResult> PgConnection::Execute(const std::string& sql,
                                                     const std::vector<unsigned>& types,
                                                     const std::vector<const char*>& values,
                                                     bool pipelined) {
  // Only inside a transaction: on its own a write must be done when Step()
  // returns.
  if (pipelined && Pipelining()) {
    if (Status sent = Send(sql, types, values); !sent) return std::unexpected(sent.error());
    // A long write set is read back now and then, so that neither side's
    // buffers fill up.
    constexpr size_t kMaxInFlight = 64;
    if (sent_.size() >= kMaxInFlight) {
      if (Status flushed = Flush(); !flushed) return std::unexpected(flushed.error());
    }
    return PgResult();
  }
  // Writes still in the pipeline: this statement joins them, and one sync
  // reads them and its rows back.
  if (!sent_.empty() && Pipelining()) {
    if (Status sent = Send(sql, types, values); !sent) return std::unexpected(sent.error());
    PgResult rows;
    if (Status flushed = Flush(&rows); !flushed) {
      // 26000: the server no longer knows the name; PREPARE again next time.
      if (last_sql_state_ == "26000") prepared_.erase(std::make_pair(sql, types));
      return std::unexpected(flushed.error());
    }
    return rows;
  }
  if (Status flushed = Flush(); !flushed) return std::unexpected(flushed.error());
  auto key = std::make_pair(sql, types);
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    std::string name = "suaradesa_" + std::to_string(++next_statement_);
    ++g_round_trips;
    Result<PgResult> prepared =
        Check(PgResult(PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(types.size()),
                                 types.data())),
              "postgres prepare `" + SqlForMessage(sql) + "`");
    if (!prepared) return std::unexpected(std::move(prepared.error()));
    it = prepared_.emplace(std::move(key), std::move(name)).first;
  }
  ++g_round_trips;
  Result<PgResult> result =
      Check(PgResult(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                                    values.data(), nullptr, nullptr, /*resultFormat=*/0)),
            "postgres step `" + SqlForMessage(sql) + "`");
  if (!result) {
    // 26000: the server no longer knows the name (DEALLOCATE, DISCARD ALL);
    // PREPARE again next time.
    if (last_sql_state_ == "26000") prepared_.erase(it);
    return result;
  }
  NoteChanges(result->get());
  return result;
}

Result<PgConnection::PgResult> PgConnection::Check(PgResult result, std::string_view context) {
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    last_sql_state_.clear();
    return result;
  }
  std::string message(context);
  if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
    // Leave COPY mode so the connection stays usable.
    PQputCopyEnd(conn_, "COPY is not supported");
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
    last_sql_state_ = "0A000";
    return std::unexpected(Error::Invalid(message + ": COPY is not supported"));
  }
  const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  const char* primary =
      result ? PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (state != nullptr) {
    last_sql_state_ = state;
  } else {
    last_sql_state_ = Broken() ? kConnectionFailure : "";
  }
  std::string text;
  if (primary != nullptr) {
    text = primary;
  } else if (result && PQresultErrorMessage(result.get())[0] != '\0') {
    text = OneLine(PQresultErrorMessage(result.get()));
  } else {
    text = OneLine(PQerrorMessage(conn_));
  }
  // Class 22 messages may quote the value they reject ("invalid input
  // syntax for type bigint: \"...\""): keep only what precedes the colon.
  if (last_sql_state_.starts_with("22")) text = text.substr(0, text.find(':'));
  message += ": " + text;
  if (!last_sql_state_.empty()) message += " (SQLSTATE " + last_sql_state_ + ")";
  return std::unexpected(ErrorFor(last_sql_state_, std::move(message)));
}

void PgConnection::NoteChanges(const pg_result* result) {
  // PQcmdStatus is e.g. "INSERT 0 3", "UPDATE 2", "SELECT 5", "BEGIN".
  std::string_view command = PQcmdStatus(const_cast<PGresult*>(result));
  if (command.starts_with("INSERT ") || command.starts_with("UPDATE ") ||
      command.starts_with("DELETE ") || command.starts_with("MERGE ")) {
    changes_ = std::strtoll(PQcmdTuples(const_cast<PGresult*>(result)), nullptr, 10);
  }
}

}  // namespace suaradesa::storage
