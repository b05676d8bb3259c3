// OpenStore and Commit: the store under test and a transaction that must
// commit, for the tests of storage/store.h.
//
// The backend is chosen by the environment, so that one suite checks both
// (ctest runs storage_tests twice): SQLite by default; PostgreSQL when
// SUARADESA_TEST_BACKEND=postgres, on the server in SUARADESA_TEST_PG_URL
// (tests/postgres/cluster.sh). Tests of what only SQLite has (its file,
// PRAGMAs, group commit, a full disk) are tagged [sqlite] and left out of
// the PostgreSQL run.
#ifndef SUARADESA_TESTS_STORAGE_OPEN_STORE_H_
#define SUARADESA_TESTS_STORAGE_OPEN_STORE_H_

#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <utility>

#include "storage/open_store.h"
#include "storage/store.h"
#include "tests/storage/postgres_server.h"

namespace suaradesa::testing {

// True when the tests run against PostgreSQL.
inline bool TestingPostgres() {
  const char* backend = std::getenv("SUARADESA_TEST_BACKEND");
  return backend != nullptr && std::string(backend) == "postgres";
}

// The options of the database a test calls `path`: that SQLite file (or
// ":memory:"), or, on PostgreSQL, a schema of its own on the test server:
// a fresh one for ":memory:" and the same one each time for a file path, so
// that reopening a path finds its data.
inline storage::DatabaseOptions TestDatabase(const std::string& path = ":memory:") {
  storage::DatabaseOptions options;
  if (!TestingPostgres()) {
    options.path = path;
    return options;
  }
  options.url = TestPgUrl();
  static std::atomic<int> fresh{0};
  // The process id alone repeats over a long ctest run, and a schema left
  // by an earlier process of that id would hand its rows to a new test
  // (seen: a claim found an old row in flight); a random tag per process
  // keeps every ":memory:" schema new.
  static const unsigned tag = std::random_device{}() % 1000000;
  if (path == ":memory:") {
    options.schema = "m_" + std::to_string(getpid()) + "_" + std::to_string(tag) + "_" +
                     std::to_string(++fresh);
  } else {
    options.schema = "f_" + std::to_string(std::hash<std::string>{}(path));
  }
  // Two committers (a third of the pool), so that the whole suite also
  // runs with write batches committed at once.
  options.pool_size = 6;
  return options;
}

// Fails the calling test (REQUIRE) if the store cannot be opened.
inline std::unique_ptr<storage::Store> OpenStore(const std::string& path = ":memory:") {
  storage::Result<std::unique_ptr<storage::Store>> store =
      storage::OpenStore(TestDatabase(path));
  INFO((store ? std::string() : store.error().message));
  REQUIRE(store.has_value());
  return std::move(*store);
}

// Runs fn in a transaction that must commit.
inline void Commit(storage::Store& store, const std::function<void(storage::Tx&)>& fn) {
  storage::Status s = store.Transact([&](storage::Tx& tx) -> storage::Status {
    fn(tx);
    return {};
  });
  INFO((s ? std::string() : s.error().message));
  REQUIRE(s.has_value());
}

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_STORAGE_OPEN_STORE_H_
