// OpenMemoryDatabase: a fresh in-memory SQLite connection, for the tests of
// storage/sqlite/connection.h and of what is built directly on it.
#ifndef SUARADESA_TESTS_STORAGE_MEMORY_DATABASE_H_
#define SUARADESA_TESTS_STORAGE_MEMORY_DATABASE_H_

#include <catch2/catch.hpp>

#include <utility>

#include "storage/sqlite/connection.h"

namespace suaradesa::testing {

// Fails the calling test (REQUIRE) if the database cannot be opened.
inline storage::SqliteConnection OpenMemoryDatabase() {
  storage::Result<storage::SqliteConnection> db = storage::SqliteConnection::Open(":memory:");
  REQUIRE(db.has_value());
  return std::move(*db);
}

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_STORAGE_MEMORY_DATABASE_H_
