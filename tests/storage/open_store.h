// OpenStore and Commit: a SqliteStore on a file (or ":memory:") and a
// transaction that must commit, for the tests of storage/store.h.
#ifndef SUARADESA_TESTS_STORAGE_OPEN_STORE_H_
#define SUARADESA_TESTS_STORAGE_OPEN_STORE_H_

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "storage/sqlite/store.h"
#include "storage/store.h"

namespace suaradesa::testing {

// Fails the calling test (REQUIRE) if the store cannot be opened.
inline std::unique_ptr<storage::Store> OpenStore(const std::string& path = ":memory:") {
  storage::Result<std::unique_ptr<storage::Store>> store =
      storage::OpenSqliteStore({.path = path});
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
