// Tests of the RAII wrappers over the SQLite C API (storage/sqlite/connection.h).
#include "storage/sqlite/connection.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "storage/sqlite/store.h"
#include "tests/storage/memory_database.h"
#include "tests/support/temp_dir.h"

namespace suaradesa::storage {
namespace {

using testing::OpenMemoryDatabase;

TEST_CASE("Sqlite: a statement binds integers, text and NULL and reads them back", "[storage][sqlite]") {
  SqliteConnection db = OpenMemoryDatabase();
  REQUIRE(db.Exec("CREATE TABLE t (i INTEGER, s TEXT, n TEXT)").has_value());
  Result<SqliteStatement> insert = db.PrepareSqlite("INSERT INTO t (i, s, n) VALUES (?1, ?2, ?3)");
  REQUIRE(insert.has_value());
  insert->BindInt(1, int64_t{1} << 40);
  insert->BindText(2, std::string("kata \0sandi", 11));
  insert->BindNull(3);
  REQUIRE(insert->Run().has_value());
  CHECK(db.Changes() == 1);

  Result<SqliteStatement> select = db.PrepareSqlite("SELECT i, s, n FROM t");
  REQUIRE(select.has_value());
  Result<bool> row = select->Step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  CHECK(select->ColumnInt(0) == (int64_t{1} << 40));
  CHECK(select->ColumnText(1) == std::string("kata \0sandi", 11));
  CHECK(select->ColumnIsNull(2));
  CHECK_FALSE(select->ColumnIsNull(0));
  CHECK(select->ColumnText(2).empty());
  row = select->Step();
  REQUIRE(row.has_value());
  CHECK_FALSE(*row);
}

TEST_CASE("Sqlite: Reset clears bindings so a statement can run again", "[storage][sqlite]") {
  SqliteConnection db = OpenMemoryDatabase();
  REQUIRE(db.Exec("CREATE TABLE t (i INTEGER)").has_value());
  Result<SqliteStatement> insert = db.PrepareSqlite("INSERT INTO t (i) VALUES (?1)");
  REQUIRE(insert.has_value());
  insert->BindInt(1, 7);
  REQUIRE(insert->Run().has_value());
  insert->Reset();
  // No binding after Reset: the parameter is NULL again.
  REQUIRE(insert->Run().has_value());
  Result<int64_t> sevens = db.QueryInt("SELECT count(*) FROM t WHERE i = 7");
  Result<int64_t> nulls = db.QueryInt("SELECT count(*) FROM t WHERE i IS NULL");
  REQUIRE(sevens.has_value());
  REQUIRE(nulls.has_value());
  CHECK(*sevens == 1);
  CHECK(*nulls == 1);
}

TEST_CASE("Sqlite: a bad bind is reported by the next Step", "[storage][sqlite]") {
  SqliteConnection db = OpenMemoryDatabase();
  Result<SqliteStatement> s = db.PrepareSqlite("SELECT ?1");
  REQUIRE(s.has_value());
  s->BindInt(5, 1);  // there is no parameter 5
  Result<bool> row = s->Step();
  REQUIRE_FALSE(row.has_value());
  CHECK(row.error().kind == Error::Kind::kInvalid);
}

TEST_CASE("Sqlite: a broken UNIQUE rule is a Conflict, bad SQL is not", "[storage][sqlite]") {
  SqliteConnection db = OpenMemoryDatabase();
  REQUIRE(db.Exec("CREATE TABLE t (k TEXT UNIQUE)").has_value());
  REQUIRE(db.Exec("INSERT INTO t VALUES ('a')").has_value());
  Result<SqliteStatement> dup = db.PrepareSqlite("INSERT INTO t VALUES ('a')");
  REQUIRE(dup.has_value());
  Status r = dup->Run();
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == Error::Kind::kConflict);

  Result<SqliteStatement> bad = db.PrepareSqlite("SELEKT 1");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().kind == Error::Kind::kIo);
  CHECK(bad.error().message.find("syntax") != std::string::npos);
}

TEST_CASE("Sqlite: Run refuses a statement that returns rows", "[storage][sqlite]") {
  SqliteConnection db = OpenMemoryDatabase();
  Result<SqliteStatement> s = db.PrepareSqlite("SELECT 1");
  REQUIRE(s.has_value());
  Status r = s->Run();
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == Error::Kind::kInvalid);
}

TEST_CASE("Sqlite: opening a database in a missing directory names the path", "[storage][sqlite]") {
  testing::TempDir dir;
  const std::string path = dir.File("missing/sub/x.db");
  Result<SqliteConnection> db = SqliteConnection::Open(path);
  REQUIRE_FALSE(db.has_value());
  CHECK(db.error().kind == Error::Kind::kIo);
  CHECK(db.error().message.find(path) != std::string::npos);
}

TEST_CASE("Sqlite: databases and statements move, leaving the source empty", "[storage][sqlite]") {
  SqliteConnection a = OpenMemoryDatabase();
  REQUIRE(a.Exec("CREATE TABLE t (i INTEGER)").has_value());
  SqliteConnection b = std::move(a);
  CHECK(a.get() == nullptr);  // NOLINT(bugprone-use-after-move): checking the moved-from state
  REQUIRE(b.get() != nullptr);
  Result<SqliteStatement> s = b.PrepareSqlite("SELECT count(*) FROM t");
  REQUIRE(s.has_value());
  SqliteStatement moved = std::move(*s);
  CHECK_FALSE(s->valid());
  Result<bool> row = moved.Step();
  REQUIRE(row.has_value());
  CHECK(*row);
  CHECK(moved.ColumnInt(0) == 0);
  CHECK(b.InTransaction() == false);
}

TEST_CASE("Sqlite: the durable write floor writes its rows, measures them and leaves no file",
          "[storage][sqlite]") {
  testing::TempDir dir;
  const std::string path = dir.File("floor.db");
  // A file left at the path (an interrupted bench) is replaced, not reused.
  {
    Result<SqliteConnection> left = SqliteConnection::Open(path);
    REQUIRE(left.has_value());
    REQUIRE(left->Exec("CREATE TABLE floor (x INTEGER)").has_value());
  }
  Result<DurableWriteFloor> floor = MeasureDurableWriteFloor(path, 3, 200);
  REQUIRE(floor.has_value());
  CHECK(floor->per_commit == 3);
  CHECK(floor->rows == 200);
  CHECK(floor->cpu_us_per_row > 0);
  CHECK(floor->commit_us_per_row > 0);
  CHECK(floor->commit_us_per_row <= floor->cpu_us_per_row);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    CHECK_FALSE(std::filesystem::exists(path + suffix));
  }

  Result<DurableWriteFloor> none = MeasureDurableWriteFloor(path, 0, 200);
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().kind == Error::Kind::kInvalid);
  // Under a plain file, no directory can be made.
  { std::ofstream(dir.File("a-file")) << "x"; }
  Result<DurableWriteFloor> nowhere =
      MeasureDurableWriteFloor(dir.File("a-file") + "/sub/floor.db", 3, 10);
  CHECK_FALSE(nowhere.has_value());
}

}  // namespace
}  // namespace suaradesa::storage
