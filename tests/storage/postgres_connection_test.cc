// Tests of PgConnection (storage/postgres/connection.h) against a real
// PostgreSQL 15 server: see tests/storage/postgres_server.h.
#include "storage/postgres/connection.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>

#include "storage/postgres/store.h"
#include "tests/storage/postgres_server.h"

namespace suaradesa::storage {
namespace {

using testing::FreshSchema;
using testing::OpenTestPg;
using testing::TestPgUrl;
using testing::UrlWithSchema;

std::unique_ptr<Statement> MustPrepare(Connection& connection, std::string_view sql) {
  Result<std::unique_ptr<Statement>> statement = connection.Prepare(sql);
  INFO((statement ? std::string() : statement.error().message));
  REQUIRE(statement.has_value());
  return std::move(*statement);
}

void MustExec(Connection& connection, const std::string& sql) {
  Status done = connection.Exec(sql);
  INFO((done ? std::string() : done.error().message));
  REQUIRE(done.has_value());
}

// Steps `statement` and requires that it succeeded; returns whether a row came.
bool MustStep(Statement& statement) {
  Result<bool> row = statement.Step();
  INFO((row ? std::string() : row.error().message));
  REQUIRE(row.has_value());
  return *row;
}

int64_t QueryInt(Connection& connection, std::string_view sql) {
  std::unique_ptr<Statement> statement = MustPrepare(connection, sql);
  REQUIRE(MustStep(*statement));
  return statement->ColumnInt(0);
}

TEST_CASE("Postgres: ?N becomes $N outside quoted literals, identifiers and comments",
          "[postgres]") {
  CHECK(TranslatePlaceholders("SELECT ?1, ?10, ?2 + ?1") ==
        std::pair<std::string, int>("SELECT $1, $10, $2 + $1", 10));
  CHECK(TranslatePlaceholders("SELECT '?1', 'it''s ?2', \"odd?3\" FROM t WHERE a = ?4") ==
        std::pair<std::string, int>("SELECT '?1', 'it''s ?2', \"odd?3\" FROM t WHERE a = $4", 4));
  CHECK(TranslatePlaceholders("SELECT 1 -- ?7\n, ?1 /* ?8 */") ==
        std::pair<std::string, int>("SELECT 1 -- ?7\n, $1 /* ?8 */", 1));
  CHECK(TranslatePlaceholders("SELECT 1").second == 0);
}

TEST_CASE("Postgres: a parameter used twice, ?10 beside ?1, and a quoted '?1'", "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  CHECK(pg->dialect() == Dialect::kPostgres);
  std::unique_ptr<Statement> select =
      MustPrepare(*pg, "SELECT ?1 * 100 + ?1, ?10, '?1', ?2 + ?3 + ?4 + ?5 + ?6 + ?7 + ?8 + ?9");
  for (int i = 1; i <= 10; ++i) select->BindInt(i, i);
  REQUIRE(MustStep(*select));
  CHECK(select->ColumnInt(0) == 101);
  CHECK(select->ColumnInt(1) == 10);
  CHECK(select->ColumnText(2) == "?1");
  CHECK(select->ColumnInt(3) == 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9);
  CHECK_FALSE(MustStep(*select));
}

TEST_CASE("Postgres: integers, text and NULL are bound and read back", "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  FreshSchema(*pg);
  MustExec(*pg, "CREATE TABLE t (i BIGINT, s TEXT, n TEXT)");
  std::unique_ptr<Statement> insert = MustPrepare(*pg, "INSERT INTO t (i, s, n) VALUES (?1, ?2, ?3)");
  insert->BindInt(1, int64_t{1} << 40);
  insert->BindText(2, "r\xC3\xA9sum\xC3\xA9 'quoted' \"too\" \xE6\x9D\xB1");
  insert->BindNull(3);
  REQUIRE(insert->Run().has_value());
  CHECK(pg->Changes() == 1);
  insert->Reset();
  insert->BindInt(1, -7);
  insert->BindText(2, "");
  insert->BindText(3, "x");
  REQUIRE(insert->Run().has_value());

  std::unique_ptr<Statement> select = MustPrepare(*pg, "SELECT i, s, n FROM t ORDER BY i DESC");
  REQUIRE(MustStep(*select));
  CHECK(select->ColumnInt(0) == (int64_t{1} << 40));
  CHECK(select->ColumnText(1) == "r\xC3\xA9sum\xC3\xA9 'quoted' \"too\" \xE6\x9D\xB1");
  CHECK(select->ColumnIsNull(2));
  CHECK_FALSE(select->ColumnIsNull(0));
  CHECK(select->ColumnText(2).empty());
  CHECK(select->ColumnInt(2) == 0);
  REQUIRE(MustStep(*select));
  CHECK(select->ColumnInt(0) == -7);
  CHECK(select->ColumnText(1).empty());
  CHECK_FALSE(select->ColumnIsNull(1));
  CHECK(select->ColumnText(2) == "x");
  CHECK_FALSE(MustStep(*select));
}

TEST_CASE("Postgres: Changes counts rows of INSERT, UPDATE, DELETE and RETURNING, not SELECT",
          "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  FreshSchema(*pg);
  MustExec(*pg, "CREATE TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v BIGINT)");
  MustExec(*pg, "INSERT INTO t (v) SELECT g FROM generate_series(1, 5) AS g");
  CHECK(pg->Changes() == 5);

  std::unique_ptr<Statement> update = MustPrepare(*pg, "UPDATE t SET v = v + 10 WHERE v > ?1");
  update->BindInt(1, 2);
  REQUIRE(update->Run().has_value());
  CHECK(pg->Changes() == 3);

  std::unique_ptr<Statement> returning =
      MustPrepare(*pg, "UPDATE t SET v = 0 WHERE v >= ?1 RETURNING id, v");
  returning->BindInt(1, 14);
  REQUIRE(MustStep(*returning));
  CHECK(returning->ColumnInt(1) == 0);
  REQUIRE(MustStep(*returning));
  CHECK_FALSE(MustStep(*returning));
  CHECK(pg->Changes() == 2);

  std::unique_ptr<Statement> insert =
      MustPrepare(*pg, "INSERT INTO t (v) VALUES (?1) RETURNING id");
  insert->BindInt(1, 99);
  REQUIRE(MustStep(*insert));
  CHECK(insert->ColumnInt(0) == 6);
  CHECK(pg->Changes() == 1);

  // A SELECT leaves the count of the latest change.
  CHECK(QueryInt(*pg, "SELECT count(*) FROM t") == 6);
  CHECK(pg->Changes() == 1);

  std::unique_ptr<Statement> remove = MustPrepare(*pg, "DELETE FROM t WHERE v = ?1");
  remove->BindInt(1, 12345);
  REQUIRE(remove->Run().has_value());
  CHECK(pg->Changes() == 0);
}

TEST_CASE("Postgres: a broken UNIQUE rule is kConflict with SQLSTATE 23505 and no value",
          "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  FreshSchema(*pg);
  MustExec(*pg, "CREATE TABLE t (name TEXT UNIQUE)");
  std::unique_ptr<Statement> insert = MustPrepare(*pg, "INSERT INTO t (name) VALUES (?1)");
  insert->BindText(1, "value-that-must-not-be-logged");
  REQUIRE(insert->Run().has_value());
  CHECK(pg->LastSqlState().empty());
  insert->Reset();
  insert->BindText(1, "value-that-must-not-be-logged");
  Status again = insert->Run();
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().kind == Error::Kind::kConflict);
  CHECK(pg->LastSqlState() == "23505");
  CHECK(again.error().message.find("t_name_key") != std::string::npos);
  CHECK(again.error().message.find("value-that-must-not-be-logged") == std::string::npos);

  // The next success clears the state.
  CHECK(QueryInt(*pg, "SELECT count(*) FROM t") == 1);
  CHECK(pg->LastSqlState().empty());
}

TEST_CASE("Postgres: plain writes in a transaction are pipelined, not waited for one by one",
          "[postgres]") {
  // A row locked by another session: an UPDATE of it that waited for its
  // answer would block until lock_timeout. Pipelined, its Step() returns at
  // once, and the wait shows only where the result is read.
  std::unique_ptr<PgConnection> holder = OpenTestPg();
  const std::string schema = FreshSchema(*holder);
  MustExec(*holder, "CREATE TABLE t (id BIGINT PRIMARY KEY, v BIGINT)");
  MustExec(*holder, "INSERT INTO t VALUES (1, 0), (2, 0)");
  MustExec(*holder, "BEGIN");
  MustExec(*holder, "UPDATE t SET v = 100 WHERE id = 1");

  std::unique_ptr<PgConnection> pg = OpenTestPg(UrlWithSchema(TestPgUrl(), schema));
  MustExec(*pg, "SET lock_timeout = '200ms'");
  MustExec(*pg, "BEGIN");
  std::unique_ptr<Statement> update = MustPrepare(*pg, "UPDATE t SET v = v + ?2 WHERE id = ?1");
  update->BindInt(1, 1);
  update->BindInt(2, 5);
  CHECK_FALSE(MustStep(*update));  // sent, not waited for
  // Reading it back now meets the lock: lock_timeout (55P03), which a
  // write that waited would have met at its own Step() instead.
  Status flushed = pg->Flush();
  REQUIRE_FALSE(flushed.has_value());
  CHECK(pg->LastSqlState() == "55P03");
  CHECK(flushed.error().message.find("UPDATE t SET") != std::string::npos);
  MustExec(*pg, "ROLLBACK");
  MustExec(*holder, "ROLLBACK");

  // Without the lock: several writes, then one read sees them all, and
  // Changes() is the latest write's.
  MustExec(*pg, "BEGIN");
  for (int64_t id : {1, 2, 1}) {
    update->Reset();
    update->BindInt(1, id);
    update->BindInt(2, 1);
    CHECK_FALSE(MustStep(*update));
  }
  std::unique_ptr<Statement> none = MustPrepare(*pg, "DELETE FROM t WHERE id = ?1");
  none->BindInt(1, 99);
  CHECK_FALSE(MustStep(*none));
  CHECK(pg->Changes() == 0);
  CHECK(QueryInt(*pg, "SELECT sum(v) FROM t") == 3);
  MustExec(*pg, "COMMIT");
  CHECK(QueryInt(*holder, "SELECT v FROM t WHERE id = 1") == 2);
  // Outside a transaction a write is done when Step() returns.
  update->Reset();
  update->BindInt(1, 2);
  update->BindInt(2, 10);
  CHECK_FALSE(MustStep(*update));
  CHECK(QueryInt(*holder, "SELECT v FROM t WHERE id = 2") == 11);
}

TEST_CASE("Postgres: a pipelined write that fails is the next call's error, with its own kind",
          "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  FreshSchema(*pg);
  MustExec(*pg, "CREATE TABLE t (name TEXT UNIQUE)");
  MustExec(*pg, "INSERT INTO t VALUES ('taken')");
  std::unique_ptr<Statement> insert = MustPrepare(*pg, "INSERT INTO t (name) VALUES (?1)");
  MustExec(*pg, "BEGIN");
  for (const char* name : {"first", "taken", "after"}) {
    insert->Reset();
    insert->BindText(1, name);
    REQUIRE(insert->Step().has_value());  // sent: its answer comes later
  }
  // The read that follows carries the conflict, not its own result.
  std::unique_ptr<Statement> count = MustPrepare(*pg, "SELECT count(*) FROM t");
  Result<bool> row = count->Step();
  REQUIRE_FALSE(row.has_value());
  CHECK(row.error().kind == Error::Kind::kConflict);
  CHECK(pg->LastSqlState() == "23505");
  CHECK(row.error().message.find("t_name_key") != std::string::npos);
  CHECK(pg->InTransaction());
  MustExec(*pg, "ROLLBACK");
  CHECK(QueryInt(*pg, "SELECT count(*) FROM t") == 1);

  // Read back by Changes(), which cannot answer it: COMMIT refuses, and a
  // ROLLBACK still goes out.
  MustExec(*pg, "BEGIN");
  insert->Reset();
  insert->BindText(1, "taken");
  REQUIRE(insert->Step().has_value());
  CHECK(pg->Changes() == 1);  // the last count read back: the one before
  Status commit = pg->Exec("COMMIT");
  REQUIRE_FALSE(commit.has_value());
  CHECK(commit.error().kind == Error::Kind::kConflict);
  MustExec(*pg, "ROLLBACK");
  CHECK_FALSE(pg->InTransaction());
  CHECK(QueryInt(*pg, "SELECT count(*) FROM t") == 1);
}

TEST_CASE("Postgres: a read or a COMMIT joins the pipelined writes; a PREPARE the server skipped is "
          "made again",
          "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  const std::string schema = FreshSchema(*pg);
  MustExec(*pg, "CREATE TABLE t (name TEXT UNIQUE)");
  MustExec(*pg, "INSERT INTO t VALUES ('taken')");
  std::unique_ptr<Statement> insert = MustPrepare(*pg, "INSERT INTO t (name) VALUES (?1)");
  // A statement first used after a write that fails: its PREPARE is sent in
  // the same pipeline and skipped by the server.
  std::unique_ptr<Statement> other = MustPrepare(*pg, "INSERT INTO t (name) VALUES (upper(?1))");
  MustExec(*pg, "BEGIN");
  insert->BindText(1, "taken");
  REQUIRE(insert->Step().has_value());
  other->BindText(1, "skipped");
  REQUIRE(other->Step().has_value());
  // COMMIT joins them: the conflict is its error, and the transaction stays
  // open, failed, for the ROLLBACK.
  Status committed = pg->Exec("COMMIT");
  REQUIRE_FALSE(committed.has_value());
  CHECK(committed.error().kind == Error::Kind::kConflict);
  CHECK(pg->InTransaction());
  MustExec(*pg, "ROLLBACK");
  // The skipped PREPARE is made again when the statement is next used.
  other->Reset();
  other->BindText(1, "later");
  REQUIRE(other->Step().has_value());
  CHECK(QueryInt(*pg, "SELECT count(*) FROM t WHERE name = 'LATER'") == 1);

  // Writes, then COMMIT in the same round trip: another session sees them.
  std::unique_ptr<PgConnection> reader = OpenTestPg(UrlWithSchema(TestPgUrl(), schema));
  MustExec(*pg, "BEGIN");
  for (const char* name : {"a", "b"}) {
    insert->Reset();
    insert->BindText(1, name);
    CHECK_FALSE(MustStep(*insert));
  }
  // A read after them sees them, as its own round trip's rows.
  CHECK(QueryInt(*pg, "SELECT count(*) FROM t") == 4);
  insert->Reset();
  insert->BindText(1, "c");
  CHECK_FALSE(MustStep(*insert));
  MustExec(*pg, "COMMIT");
  CHECK_FALSE(pg->InTransaction());
  CHECK(QueryInt(*reader, "SELECT count(*) FROM t") == 5);

  // RunExpecting: a write that changes no row where one was expected. In a
  // transaction it is only sent, and the read that follows carries the
  // expected error; outside one it fails at once.
  std::unique_ptr<Statement> rename = MustPrepare(*pg, "UPDATE t SET name = ?2 WHERE name = ?1");
  MustExec(*pg, "BEGIN");
  rename->BindText(1, "nobody");
  rename->BindText(2, "x");
  REQUIRE(pg->RunExpecting(*rename, 1, Error::Conflict("changed")).has_value());
  Status flushed = pg->Flush();
  REQUIRE_FALSE(flushed.has_value());
  CHECK(flushed.error().kind == Error::Kind::kConflict);
  CHECK(flushed.error().message == "changed");
  CHECK(pg->LastSqlState().empty());
  MustExec(*pg, "ROLLBACK");
  rename->Reset();
  rename->BindText(1, "a");
  rename->BindText(2, "z");
  CHECK(pg->RunExpecting(*rename, 1, Error::Conflict("changed")).has_value());
  rename->Reset();
  rename->BindText(1, "a");
  rename->BindText(2, "y");
  Status now = pg->RunExpecting(*rename, 1, Error::Conflict("changed"));
  REQUIRE_FALSE(now.has_value());
  CHECK(now.error().message == "changed");
}

TEST_CASE("Postgres: SQL that does not compile is kInvalid; bad data is kInvalid without its value",
          "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  FreshSchema(*pg);
  Status syntax = pg->Exec("CREATE TABLE (");
  REQUIRE_FALSE(syntax.has_value());
  CHECK(syntax.error().kind == Error::Kind::kInvalid);
  CHECK(pg->LastSqlState() == "42601");

  std::unique_ptr<Statement> missing = MustPrepare(*pg, "SELECT nothing FROM nowhere WHERE a = ?1");
  missing->BindInt(1, 1);
  Result<bool> row = missing->Step();
  REQUIRE_FALSE(row.has_value());
  CHECK(row.error().kind == Error::Kind::kInvalid);
  CHECK(pg->LastSqlState() == "42P01");

  std::unique_ptr<Statement> cast = MustPrepare(*pg, "SELECT CAST(?1 AS BIGINT)");
  cast->BindText(1, "secret-not-a-number");
  row = cast->Step();
  REQUIRE_FALSE(row.has_value());
  CHECK(row.error().kind == Error::Kind::kInvalid);
  CHECK(pg->LastSqlState() == "22P02");
  CHECK(row.error().message.find("secret-not-a-number") == std::string::npos);
}

TEST_CASE("Postgres: booleans read as 1 and 0; numeric results keep their integer part",
          "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  std::unique_ptr<Statement> select = MustPrepare(
      *pg, "SELECT ?1 = 1, ?1 = 2, CAST(NULL AS BOOLEAN), EXISTS (SELECT 1 WHERE ?1 > 0), "
           "AVG(x), SUM(x) FROM (VALUES (12), (13)) AS v (x)");
  select->BindInt(1, 1);
  REQUIRE(MustStep(*select));
  CHECK(select->ColumnInt(0) == 1);
  CHECK(select->ColumnInt(1) == 0);
  CHECK(select->ColumnInt(2) == 0);
  CHECK(select->ColumnIsNull(2));
  CHECK(select->ColumnInt(3) == 1);
  CHECK(select->ColumnText(4) == "12.5000000000000000");
  CHECK(select->ColumnInt(4) == 12);
  CHECK(select->ColumnInt(5) == 25);
}

TEST_CASE("Postgres: a parameter index beyond the SQL's highest ?N is kInvalid at Step",
          "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  std::unique_ptr<Statement> select = MustPrepare(*pg, "SELECT ?1 + ?2");
  select->BindInt(1, 1);
  select->BindInt(2, 2);
  select->BindInt(3, 3);
  Result<bool> row = select->Step();
  REQUIRE_FALSE(row.has_value());
  CHECK(row.error().kind == Error::Kind::kInvalid);

  select->Reset();
  select->BindInt(0, 1);
  row = select->Step();
  REQUIRE_FALSE(row.has_value());
  CHECK(row.error().kind == Error::Kind::kInvalid);

  // Reset forgets the bad bind.
  select->Reset();
  select->BindInt(1, 1);
  select->BindInt(2, 2);
  REQUIRE(MustStep(*select));
  CHECK(select->ColumnInt(0) == 3);
}

TEST_CASE("Postgres: text with a NUL byte is refused rather than cut short", "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  std::unique_ptr<Statement> select = MustPrepare(*pg, "SELECT ?1");
  select->BindText(1, std::string("pass\0word", 9));
  Result<bool> row = select->Step();
  REQUIRE_FALSE(row.has_value());
  CHECK(row.error().kind == Error::Kind::kInvalid);
}

TEST_CASE("Postgres: a statement is PREPAREd once per connection and types, then only executed",
          "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  FreshSchema(*pg);
  MustExec(*pg, "CREATE TABLE t (i BIGINT, s TEXT)");
  std::unique_ptr<Statement> insert = MustPrepare(*pg, "INSERT INTO t (i, s) VALUES (?1, ?2)");
  for (int i = 1; i <= 50; ++i) {
    insert->Reset();
    insert->BindInt(1, i);
    insert->BindText(2, "row " + std::to_string(i));
    REQUIRE(insert->Run().has_value());
  }
  // A second Statement with the same SQL shares the server's statement.
  std::unique_ptr<Statement> same = MustPrepare(*pg, "INSERT INTO t (i, s) VALUES (?1, ?2)");
  same->BindInt(1, 51);
  same->BindText(2, "row 51");
  REQUIRE(same->Run().has_value());

  CHECK(QueryInt(*pg, "SELECT SUM(i) FROM t") == 51 * 52 / 2);
  CHECK(QueryInt(*pg, "SELECT count(DISTINCT s) FROM t") == 51);
  CHECK(QueryInt(*pg, "SELECT count(*) FROM pg_prepared_statements "
                      "WHERE statement LIKE 'INSERT INTO t %'") == 1);

  // A NULL has another type: one more PREPARE, and then no more.
  for (int i = 0; i < 3; ++i) {
    insert->Reset();
    insert->BindInt(1, 100);
    insert->BindNull(2);
    REQUIRE(insert->Run().has_value());
  }
  CHECK(QueryInt(*pg, "SELECT count(*) FROM pg_prepared_statements "
                      "WHERE statement LIKE 'INSERT INTO t %'") == 2);
  CHECK(QueryInt(*pg, "SELECT count(*) FROM t WHERE s IS NULL") == 3);
}

TEST_CASE("Postgres: BEGIN and COMMIT or ROLLBACK through Exec; InTransaction follows",
          "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  FreshSchema(*pg);
  MustExec(*pg, "CREATE TABLE t (i BIGINT)");
  CHECK_FALSE(pg->InTransaction());

  MustExec(*pg, "BEGIN");
  CHECK(pg->InTransaction());
  std::unique_ptr<Statement> insert = MustPrepare(*pg, "INSERT INTO t (i) VALUES (?1)");
  insert->BindInt(1, 1);
  REQUIRE(insert->Run().has_value());
  MustExec(*pg, "ROLLBACK");
  CHECK_FALSE(pg->InTransaction());
  CHECK(QueryInt(*pg, "SELECT count(*) FROM t") == 0);

  MustExec(*pg, "BEGIN");
  insert->Reset();
  insert->BindInt(1, 2);
  REQUIRE(insert->Run().has_value());
  MustExec(*pg, "COMMIT");
  CHECK_FALSE(pg->InTransaction());
  CHECK(QueryInt(*pg, "SELECT count(*) FROM t WHERE i = 2") == 1);

  // A failed statement leaves the transaction open (and failed) until ROLLBACK.
  MustExec(*pg, "BEGIN");
  REQUIRE_FALSE(pg->Exec("SELECT * FROM nowhere").has_value());
  CHECK(pg->InTransaction());
  insert->Reset();
  insert->BindInt(1, 3);
  Status refused = insert->Run();
  REQUIRE_FALSE(refused.has_value());
  CHECK(pg->LastSqlState() == "25P02");
  MustExec(*pg, "ROLLBACK");
  CHECK_FALSE(pg->InTransaction());
}

TEST_CASE("Postgres: Begin and SendRollback cost no round trip of their own; the server ends the "
          "transaction at once",
          "[postgres]") {
  std::unique_ptr<PgConnection> other = OpenTestPg();
  const std::string schema = FreshSchema(*other);
  MustExec(*other, "CREATE TABLE t (i BIGINT)");
  MustExec(*other, "INSERT INTO t VALUES (1)");
  std::unique_ptr<PgConnection> pg = OpenTestPg(UrlWithSchema(TestPgUrl(), schema));
  const int64_t pid = QueryInt(*pg, "SELECT pg_backend_pid()");
  std::unique_ptr<Statement> state = MustPrepare(
      *other, "SELECT coalesce(max(state), 'none') FROM pg_stat_activity WHERE pid = ?1");
  const auto state_of_pg = [&] {
    state->Reset();
    state->BindInt(1, pid);
    REQUIRE(MustStep(*state));
    return state->ColumnText(0);
  };

  // BEGIN goes out with the first read: one round trip for both.
  uint64_t before = PgRoundTrips();
  REQUIRE(pg->Begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").has_value());
  CHECK(pg->InTransaction());
  CHECK(PgRoundTrips() == before);
  CHECK(QueryInt(*pg, "SELECT count(*) FROM t") == 1);
  CHECK(PgRoundTrips() == before + 1);
  CHECK(state_of_pg() == "idle in transaction");

  // The ROLLBACK reaches the server now (the snapshot and its locks go
  // with it), but its answer is left for the next call to read.
  before = PgRoundTrips();
  REQUIRE(pg->SendRollback().has_value());
  CHECK(PgRoundTrips() == before);
  CHECK_FALSE(pg->InTransaction());
  CHECK(state_of_pg() == "idle");

  // Outside a transaction, with that answer unread, a write is still done
  // when Step() returns.
  std::unique_ptr<Statement> insert = MustPrepare(*pg, "INSERT INTO t (i) VALUES (?1)");
  insert->BindInt(1, 2);
  REQUIRE(insert->Run().has_value());
  CHECK(QueryInt(*other, "SELECT count(*) FROM t") == 2);

  // The next transaction reads the ROLLBACK's answer with its own first
  // statement: BEGIN, ROLLBACK and a read in one round trip.
  REQUIRE(pg->Begin("BEGIN").has_value());
  CHECK(QueryInt(*pg, "SELECT count(*) FROM t") == 2);
  REQUIRE(pg->SendRollback().has_value());
  before = PgRoundTrips();
  REQUIRE(pg->Begin("BEGIN").has_value());
  CHECK(QueryInt(*pg, "SELECT sum(i) FROM t") == 3);
  CHECK(PgRoundTrips() == before + 1);
  MustExec(*pg, "COMMIT");
  CHECK_FALSE(pg->InTransaction());

  // A BEGIN the server never answers (its session ended) fails the
  // transaction's first statement, as a broken connection.
  REQUIRE(pg->Begin("BEGIN").has_value());
  std::unique_ptr<Statement> terminate =
      MustPrepare(*other, "SELECT pg_terminate_backend(CAST(?1 AS INTEGER), 10000)");
  terminate->BindInt(1, pid);
  REQUIRE(MustStep(*terminate));
  std::unique_ptr<Statement> read = MustPrepare(*pg, "SELECT count(*) FROM t");
  Result<bool> lost = read->Step();
  REQUIRE_FALSE(lost.has_value());
  CHECK(lost.error().kind == Error::Kind::kIo);
  CHECK(pg->Broken());
}

TEST_CASE("Postgres: prefetched reads share one round trip; each Step reads its own answer",
          "[postgres]") {
  std::unique_ptr<PgConnection> pg = OpenTestPg();
  FreshSchema(*pg);
  MustExec(*pg, "CREATE TABLE t (i BIGINT)");
  MustExec(*pg, "INSERT INTO t VALUES (1), (2), (3)");
  std::unique_ptr<Statement> count = MustPrepare(*pg, "SELECT count(*) FROM t WHERE i >= ?1");
  std::unique_ptr<Statement> sum = MustPrepare(*pg, "SELECT sum(i) FROM t WHERE i <= ?1");
  std::unique_ptr<Statement> rows = MustPrepare(*pg, "SELECT i FROM t WHERE i > ?1 ORDER BY i");
  const auto bind = [&] {
    count->BindInt(1, 2);
    sum->BindInt(1, 2);
    rows->BindInt(1, 1);
  };

  // Inside a transaction: three reads, one round trip, each its own rows.
  REQUIRE(pg->Begin("BEGIN").has_value());
  bind();
  uint64_t before = PgRoundTrips();
  for (Statement* s : {count.get(), sum.get(), rows.get()}) s->Prefetch();
  CHECK(PgRoundTrips() == before);
  REQUIRE(MustStep(*count));
  CHECK(count->ColumnInt(0) == 2);
  REQUIRE(MustStep(*sum));
  CHECK(sum->ColumnInt(0) == 3);
  REQUIRE(MustStep(*rows));
  CHECK(rows->ColumnInt(0) == 2);
  REQUIRE(MustStep(*rows));
  CHECK(rows->ColumnInt(0) == 3);
  CHECK_FALSE(MustStep(*rows));
  CHECK(PgRoundTrips() == before + 1);

  // Read out of order, and one reset before its Step: the next run of
  // that statement takes no stale answer.
  for (Statement* s : {count.get(), sum.get(), rows.get()}) s->Reset();
  bind();
  for (Statement* s : {count.get(), sum.get(), rows.get()}) s->Prefetch();
  REQUIRE(MustStep(*sum));
  CHECK(sum->ColumnInt(0) == 3);
  count->Reset();
  count->BindInt(1, 3);
  REQUIRE(MustStep(*count));
  CHECK(count->ColumnInt(0) == 1);
  REQUIRE(MustStep(*rows));
  CHECK(rows->ColumnInt(0) == 2);
  MustExec(*pg, "COMMIT");

  // A prefetched read that fails fails at its Step, with the server's
  // reason; one sent after it fails too (the server skipped it).
  for (Statement* s : {count.get(), sum.get(), rows.get()}) s->Reset();
  std::unique_ptr<Statement> bad = MustPrepare(*pg, "SELECT 1 / (i - i) FROM t WHERE i = ?1");
  REQUIRE(pg->Begin("BEGIN").has_value());
  bad->BindInt(1, 1);
  count->BindInt(1, 1);
  bad->Prefetch();
  count->Prefetch();
  Result<bool> failed = bad->Step();
  REQUIRE_FALSE(failed.has_value());
  CHECK(pg->LastSqlState() == "22012");  // division_by_zero
  CHECK_FALSE(count->Step().has_value());
  MustExec(*pg, "ROLLBACK");

  // Outside a transaction nothing is sent ahead: Step runs the read.
  for (Statement* s : {count.get(), bad.get()}) s->Reset();
  count->BindInt(1, 1);
  count->Prefetch();
  before = PgRoundTrips();
  REQUIRE(MustStep(*count));
  CHECK(count->ColumnInt(0) == 3);
  CHECK(PgRoundTrips() == before + 1);

  // The server forgot its prepared statements (DEALLOCATE ALL): a
  // prefetched read fails once, and its next run prepares it again.
  MustExec(*pg, "DEALLOCATE ALL");
  for (int run = 0; run < 2; ++run) {
    count->Reset();
    REQUIRE(pg->Begin("BEGIN").has_value());
    count->BindInt(1, 1);
    count->Prefetch();
    Result<bool> row = count->Step();
    if (run == 0) {
      REQUIRE_FALSE(row.has_value());
      CHECK(pg->LastSqlState() == "26000");
      MustExec(*pg, "ROLLBACK");
    } else {
      REQUIRE(row.has_value());
      REQUIRE(*row);
      CHECK(count->ColumnInt(0) == 3);
      MustExec(*pg, "COMMIT");
    }
  }
}

TEST_CASE("Postgres: after the server ends the session, Reconnect makes the connection usable",
          "[postgres]") {
  std::unique_ptr<PgConnection> setup = OpenTestPg();
  std::string schema = FreshSchema(*setup);
  MustExec(*setup, "CREATE TABLE t (i BIGINT)");
  // The schema in the URL: a SET search_path would not survive the reconnection.
  std::unique_ptr<PgConnection> pg = OpenTestPg(UrlWithSchema(TestPgUrl(), schema));
  std::unique_ptr<Statement> insert = MustPrepare(*pg, "INSERT INTO t (i) VALUES (?1)");
  insert->BindInt(1, 1);
  REQUIRE(insert->Run().has_value());
  int64_t pid = QueryInt(*pg, "SELECT pg_backend_pid()");

  // Waits (up to 10 s) until the backend has exited. The CAST: a bound
  // integer is an int8, and no function pg_terminate_backend(int8) exists.
  std::unique_ptr<Statement> terminate =
      MustPrepare(*setup, "SELECT pg_terminate_backend(CAST(?1 AS INTEGER), 10000)");
  terminate->BindInt(1, pid);
  REQUIRE(MustStep(*terminate));
  REQUIRE(terminate->ColumnInt(0) == 1);

  CHECK_FALSE(pg->Broken());  // libpq notices only when it next talks to the server
  insert->Reset();
  insert->BindInt(1, 2);
  Status lost = insert->Run();
  REQUIRE_FALSE(lost.has_value());
  CHECK(lost.error().kind == Error::Kind::kIo);
  CHECK(pg->Broken());
  CHECK((pg->LastSqlState() == "57P01" || pg->LastSqlState() == "08006"));

  Status reconnected = pg->Reconnect();
  INFO((reconnected ? std::string() : reconnected.error().message));
  REQUIRE(reconnected.has_value());
  CHECK_FALSE(pg->Broken());
  // The same statement runs again: it is PREPAREd anew on the new session.
  insert->Reset();
  insert->BindInt(1, 3);
  REQUIRE(insert->Run().has_value());
  CHECK(QueryInt(*setup, "SELECT SUM(i) FROM t") == 4);
  CHECK(QueryInt(*pg, "SELECT pg_backend_pid()") != pid);
}

TEST_CASE("Postgres: connection errors never show the URL's password", "[postgres]") {
  // Nothing listens on port 1: a refused connection.
  Result<std::unique_ptr<PgConnection>> refused =
      PgConnection::Open("postgresql://someone:Pa55-secret@127.0.0.1:1/db?connect_timeout=5");
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().kind == Error::Kind::kIo);
  CHECK(refused.error().message.find("Pa55-secret") == std::string::npos);
  CHECK(refused.error().message.find("someone") != std::string::npos);

  // A URL libpq cannot parse: its message would quote the bad part.
  Result<std::unique_ptr<PgConnection>> invalid =
      PgConnection::Open("postgresql://someone:Pa55%zzsecret@127.0.0.1:1/db");
  REQUIRE_FALSE(invalid.has_value());
  CHECK(invalid.error().kind == Error::Kind::kInvalid);
  CHECK(invalid.error().message.find("secret") == std::string::npos);

  Result<std::unique_ptr<PgConnection>> conninfo =
      PgConnection::Open("host=127.0.0.1 port=1 user=someone password=Pa55-secret");
  REQUIRE_FALSE(conninfo.has_value());
  CHECK(conninfo.error().message.find("Pa55-secret") == std::string::npos);
}

}  // namespace
}  // namespace suaradesa::storage
