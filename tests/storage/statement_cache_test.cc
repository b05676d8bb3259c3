// Tests of the per-connection statement cache (storage/sql/statement_cache.h).
#include "storage/sql/statement_cache.h"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <utility>

#include "storage/sqlite/connection.h"
#include "tests/storage/memory_database.h"

namespace suaradesa::storage {
namespace {

using testing::OpenMemoryDatabase;

// Steps `s` and requires that it produced a row.
void RequireRow(Statement& s) {
  Result<bool> row = s.Step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
}

TEST_CASE("StatementCache: Get refuses a statement on loan and leaves its holder's bindings alone",
          "[storage][sqlite]") {
  SqliteConnection db = OpenMemoryDatabase();
  StatementCache cache(db);
  {
    Result<ScopedStatement> held = cache.Get("SELECT ?1");
    REQUIRE(held.has_value());
    (*held)->BindInt(1, 42);

    Result<ScopedStatement> again = cache.Get("SELECT ?1");
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().kind == Error::Kind::kInvalid);
    CHECK(again.error().message.find("in use") != std::string::npos);
    CHECK(again.error().message.find("SELECT ?1") != std::string::npos);

    // The refused Get did not reset the held statement: its binding is still there.
    RequireRow(**held);
    CHECK((*held)->ColumnInt(0) == 42);
  }
  // Released: the next Get succeeds, with the statement reset and unbound.
  Result<ScopedStatement> after = cache.Get("SELECT ?1");
  REQUIRE(after.has_value());
  RequireRow(**after);
  CHECK((*after)->ColumnIsNull(0));
}

TEST_CASE("StatementCache: different SQL can be on loan at the same time", "[storage][sqlite]") {
  SqliteConnection db = OpenMemoryDatabase();
  StatementCache cache(db);
  Result<ScopedStatement> one = cache.Get("SELECT 1");
  Result<ScopedStatement> two = cache.Get("SELECT 2");
  REQUIRE(one.has_value());
  REQUIRE(two.has_value());
  RequireRow(**two);
  CHECK((*two)->ColumnInt(0) == 2);
}

TEST_CASE("StatementCache: a statement is prepared once and comes back reset", "[storage][sqlite]") {
  SqliteConnection db = OpenMemoryDatabase();
  REQUIRE(db.Exec("CREATE TABLE t (i INTEGER); INSERT INTO t VALUES (1), (2)").has_value());
  StatementCache cache(db);
  const Statement* first = nullptr;
  {
    Result<ScopedStatement> s = cache.Get("SELECT i FROM t ORDER BY i");
    REQUIRE(s.has_value());
    first = &**s;
    RequireRow(**s);
    CHECK((*s)->ColumnInt(0) == 1);
    // Left after the first row: returning it to the cache resets it.
  }
  Result<ScopedStatement> s = cache.Get("SELECT i FROM t ORDER BY i");
  REQUIRE(s.has_value());
  CHECK(&**s == first);
  RequireRow(**s);
  CHECK((*s)->ColumnInt(0) == 1);
}

TEST_CASE("StatementCache: a moved ScopedStatement keeps the loan until the new holder ends",
          "[storage][sqlite]") {
  SqliteConnection db = OpenMemoryDatabase();
  StatementCache cache(db);
  std::optional<ScopedStatement> holder;
  {
    Result<ScopedStatement> s = cache.Get("SELECT 1");
    REQUIRE(s.has_value());
    holder.emplace(std::move(*s));
  }
  // The moved-from ScopedStatement is gone; the loan moved with the statement.
  CHECK_FALSE(cache.Get("SELECT 1").has_value());
  holder.reset();
  CHECK(cache.Get("SELECT 1").has_value());
}

TEST_CASE("StatementCache: SQL that does not compile fails each time and is never on loan",
          "[storage][sqlite]") {
  SqliteConnection db = OpenMemoryDatabase();
  StatementCache cache(db);
  for (int i = 0; i < 2; ++i) {
    Result<ScopedStatement> s = cache.Get("SELEC 1");
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().message.find("in use") == std::string::npos);
  }
}

}  // namespace
}  // namespace suaradesa::storage
